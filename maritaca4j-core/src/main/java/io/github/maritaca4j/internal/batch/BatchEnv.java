package io.github.maritaca4j.internal.batch;

import io.github.maritaca4j.ChatRequest;
import io.github.maritaca4j.ServiceTier;
import io.github.maritaca4j.Usage;
import io.github.maritaca4j.cost.Cost;
import io.github.maritaca4j.cost.ModelPrice;
import io.github.maritaca4j.cost.PriceTable;
import io.github.maritaca4j.cost.PricingMode;
import io.github.maritaca4j.internal.ChatEvents;
import io.github.maritaca4j.internal.ChatSender;
import io.github.maritaca4j.internal.ClientContext;
import io.github.maritaca4j.internal.Clock;
import io.github.maritaca4j.internal.RetryPolicy;
import java.math.BigDecimal;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;

/**
 * What the batch engine needs from its client, as plain functions so that unit tests can fake each
 * one. Internal API.
 *
 * @param sender one HTTP attempt, no retries
 * @param retryPolicy retry delays and the default attempt limit
 * @param clock time, timers and jitter
 * @param executor runs timer continuations and (serialised) callbacks
 * @param inputTokens estimated input tokens of a request (for TPM-in pacing)
 * @param worstCaseCost the most a request can cost, BRL (for budget reservations)
 * @param actualCost the cost of a usage for a request, or null when its model has no price
 * @param maxOutputTokens the model's largest output, reserved against TPM-out when a request sets
 *     no {@code maxTokens}
 * @param admission the account's lanes every request passes (shared with other batches and single
 *     calls of the account)
 * @param events the client's {@link io.github.maritaca4j.ChatListener}s
 */
public record BatchEnv(
    ChatSender sender,
    RetryPolicy retryPolicy,
    Clock clock,
    Executor executor,
    ToLongFunction<ChatRequest> inputTokens,
    Function<ChatRequest, BigDecimal> worstCaseCost,
    BiFunction<ChatRequest, Usage, Cost> actualCost,
    ToIntFunction<String> maxOutputTokens,
    Admission admission,
    ChatEvents events) {

  /** An environment with an account of its own (for tests of the engine alone). */
  public BatchEnv(
      ChatSender sender,
      RetryPolicy retryPolicy,
      Clock clock,
      Executor executor,
      ToLongFunction<ChatRequest> inputTokens,
      Function<ChatRequest, BigDecimal> worstCaseCost,
      BiFunction<ChatRequest, Usage, Cost> actualCost,
      ToIntFunction<String> maxOutputTokens) {
    this(
        sender,
        retryPolicy,
        clock,
        executor,
        inputTokens,
        worstCaseCost,
        actualCost,
        maxOutputTokens,
        Admission.of(Account.isolated(clock)),
        ChatEvents.NONE);
  }

  public BatchEnv {
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(retryPolicy, "retryPolicy");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(executor, "executor");
    Objects.requireNonNull(inputTokens, "inputTokens");
    Objects.requireNonNull(worstCaseCost, "worstCaseCost");
    Objects.requireNonNull(actualCost, "actualCost");
    Objects.requireNonNull(maxOutputTokens, "maxOutputTokens");
    Objects.requireNonNull(admission, "admission");
    Objects.requireNonNull(events, "events");
  }

  /**
   * The environment of a client: its sender, retry policy, clock and executor; input tokens from
   * its token counter; worst-case costs from its estimator at the most expensive mode that can
   * apply (flex for flex requests, else standard: an off-peak discount is never counted on, since
   * the request may be billed after the window closes); actual costs from its price table at the
   * mode in force when the answer arrives.
   */
  public static BatchEnv of(ClientContext ctx) {
    PriceTable prices = ctx.prices();
    Clock clock = ctx.clock();
    return new BatchEnv(
        ctx.sender(),
        ctx.retryPolicy(),
        clock,
        ctx.executor(),
        ctx.tokenCounter()::countRequest,
        r ->
            ctx.estimator()
                .worstCaseCost(
                    r,
                    r.serviceTier() == ServiceTier.FLEX ? PricingMode.FLEX : PricingMode.STANDARD),
        (r, usage) ->
            prices.contains(r.model())
                ? prices.cost(r.model(), usage, PriceTable.modeFor(r.serviceTier(), clock.now()))
                : null,
        model ->
            prices
                .find(model)
                .map(ModelPrice::maxOutputTokens)
                .orElse(ChatRequest.MAX_OUTPUT_TOKENS),
        ctx.admission(),
        ctx.events());
  }
}
