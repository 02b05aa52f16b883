package io.github.maritaca4j.batch;

import io.github.maritaca4j.ChatRequest;
import io.github.maritaca4j.Usage;
import io.github.maritaca4j.cost.Cost;
import io.github.maritaca4j.cost.PricingMode;
import io.github.maritaca4j.internal.ChatSender;
import io.github.maritaca4j.internal.ManualClock;
import io.github.maritaca4j.internal.RetryPolicy;
import io.github.maritaca4j.internal.batch.BatchEngine;
import io.github.maritaca4j.internal.batch.BatchEnv;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;

/** Engines over fakes, in virtual time. */
final class Fixtures {
  private Fixtures() {}

  /** R$ 1 per 1,000 input tokens, R$ 2 per 1,000 output tokens: easy sums. */
  static final BigDecimal IN_PER_TOKEN = new BigDecimal("0.001");

  static final BigDecimal OUT_PER_TOKEN = new BigDecimal("0.002");

  static final RetryPolicy POLICY =
      new RetryPolicy(2, Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(60));

  static final ChatRequest TEMPLATE = ChatRequest.builder().messages(FakeServer.input(0)).build();

  static Cost cost(Usage u) {
    return new Cost(
        IN_PER_TOKEN.multiply(BigDecimal.valueOf(u.promptTokens())),
        BigDecimal.ZERO,
        OUT_PER_TOKEN.multiply(BigDecimal.valueOf(u.completionTokens())),
        PricingMode.STANDARD);
  }

  /** Worst case: 10 input tokens and max_tokens (or 1,000) output. */
  static BigDecimal worstCase(ChatRequest r) {
    long out = r.maxTokens() != null ? r.maxTokens() : 1000;
    return IN_PER_TOKEN
        .multiply(BigDecimal.TEN)
        .add(OUT_PER_TOKEN.multiply(BigDecimal.valueOf(out)));
  }

  static BatchEnv env(ChatSender sender, ManualClock clock) {
    return env(sender, clock, Runnable::run);
  }

  static BatchEnv env(ChatSender sender, ManualClock clock, Executor executor) {
    return new BatchEnv(
        sender,
        POLICY,
        clock,
        executor,
        r -> 10,
        Fixtures::worstCase,
        (r, u) -> cost(u),
        model -> 32_768);
  }

  static BatchEngine engine(FakeServer server, ManualClock clock) {
    return new BatchEngine(env(server, clock));
  }

  static List<ChatRequest> requests(int n) {
    return BatchEngine.requests(TEMPLATE, FakeServer.inputs(n));
  }

  static List<ChatRequest> requests(int n, int maxTokens) {
    return BatchEngine.requests(
        TEMPLATE.toBuilder().maxTokens(maxTokens).build(), FakeServer.inputs(n));
  }

  /** Runs virtual time far enough for any test batch. */
  static void runAll(ManualClock clock) {
    clock.advance(Duration.ofHours(1));
  }
}
