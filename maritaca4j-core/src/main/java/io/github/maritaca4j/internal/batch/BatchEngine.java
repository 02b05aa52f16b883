package io.github.maritaca4j.internal.batch;

import io.github.maritaca4j.ChatRequest;
import io.github.maritaca4j.ChatResult;
import io.github.maritaca4j.Message;
import io.github.maritaca4j.batch.BatchOptions;
import io.github.maritaca4j.batch.BatchResult;
import io.github.maritaca4j.batch.BatchSummary;
import io.github.maritaca4j.batch.ProgressCallback;
import io.github.maritaca4j.cost.CostEstimate;
import io.github.maritaca4j.cost.CostEstimator;
import io.github.maritaca4j.cost.PriceTable;
import io.github.maritaca4j.cost.PricingMode;
import io.github.maritaca4j.errors.MaritacaException;
import io.github.maritaca4j.internal.ClientContext;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * Runs batches of chat requests for one client. Stateless between batches (each run paces itself);
 * thread-safe. Internal API: users call the batch methods of {@link
 * io.github.maritaca4j.ChatMaritaca}.
 */
public final class BatchEngine {
  private final BatchEnv env;

  public BatchEngine(BatchEnv env) {
    this.env = Objects.requireNonNull(env, "env");
  }

  /** The engine of a client. */
  public static BatchEngine of(ClientContext ctx) {
    return new BatchEngine(BatchEnv.of(ctx));
  }

  public BatchEnv env() {
    return env;
  }

  /**
   * The estimate of a batch before running it, through the client's {@link
   * io.github.maritaca4j.cost.CostEstimator} at the pricing mode in force now.
   *
   * @param maxOutputTokens output tokens assumed per request (the Python original's {@code
   *     max_output_tokens}); null to use the client's {@code maxTokens} when set, else 1000
   */
  public static CostEstimate estimate(
      ClientContext ctx, List<List<Message>> inputs, Integer maxOutputTokens) {
    ChatRequest defaults = ctx.defaults();
    PricingMode mode = PriceTable.modeFor(defaults.serviceTier(), ctx.clock().now());
    if (maxOutputTokens == null) {
      return ctx.estimator()
          .estimateBatch(requests(defaults, inputs), CostEstimator.DEFAULT_OUTPUT_TOKENS, mode);
    }
    if (maxOutputTokens < 0) {
      throw new IllegalArgumentException(
          "maxOutputTokens must not be negative, was " + maxOutputTokens);
    }
    List<ChatRequest> reqs =
        requests(in -> defaults.toBuilder().maxTokens(null).messages(in).build(), inputs);
    return ctx.estimator().estimateBatch(reqs, maxOutputTokens, mode);
  }

  /**
   * A read-only list view of requests made from {@code template} with each input's messages,
   * created on access (nothing is copied).
   *
   * @throws NullPointerException when {@code inputs} or one of them is null
   * @throws IllegalArgumentException when an input has no messages (names its index)
   */
  public static List<ChatRequest> requests(ChatRequest template, List<List<Message>> inputs) {
    Objects.requireNonNull(template, "template");
    return requests(template::withMessages, inputs);
  }

  /** A read-only list view of {@code inputs} mapped by {@code toRequest} on access. */
  public static List<ChatRequest> requests(
      Function<List<Message>, ChatRequest> toRequest, List<List<Message>> inputs) {
    Objects.requireNonNull(toRequest, "toRequest");
    Objects.requireNonNull(inputs, "inputs");
    for (int i = 0; i < inputs.size(); i++) {
      List<Message> in = inputs.get(i);
      if (in == null) {
        throw new NullPointerException("inputs[" + i + "] is null");
      }
      if (in.isEmpty()) {
        throw new IllegalArgumentException("inputs[" + i + "] has no messages");
      }
    }
    return new RequestView(toRequest, inputs);
  }

  private static final class RequestView extends AbstractList<ChatRequest> implements RandomAccess {
    private final Function<List<Message>, ChatRequest> toRequest;
    private final List<List<Message>> inputs;

    RequestView(Function<List<Message>, ChatRequest> toRequest, List<List<Message>> inputs) {
      this.toRequest = toRequest;
      this.inputs = inputs;
    }

    @Override
    public ChatRequest get(int index) {
      return toRequest.apply(inputs.get(index));
    }

    @Override
    public int size() {
      return inputs.size();
    }
  }

  /**
   * Runs {@code requests}; the future completes with one item per request in order (or, with {@code
   * returnExceptions(false)}, exceptionally with the first permanent failure). Cancelling it stops
   * the batch. Callbacks run on the client's executor, one at a time.
   */
  public CompletableFuture<BatchResult> run(
      List<ChatRequest> requests, BatchOptions options, ProgressCallback progress) {
    return start(
        requests, options, progress, CallbackQueue.serial(env.executor()), BatchEngine::result);
  }

  /** Like {@link #run} but completes with the answers only (fail-fast batches). */
  public CompletableFuture<List<ChatResult>> runForResults(
      List<ChatRequest> requests, BatchOptions options, ProgressCallback progress) {
    return start(
        requests,
        options,
        progress,
        CallbackQueue.serial(env.executor()),
        r -> result(r).results());
  }

  /**
   * Runs {@code requests} and waits; callbacks run on the calling thread.
   *
   * @throws MaritacaException the first permanent failure (with {@code returnExceptions(false)}),
   *     or when the calling thread is interrupted (the batch is then cancelled)
   */
  public BatchResult runSync(
      List<ChatRequest> requests, BatchOptions options, ProgressCallback progress) {
    CallbackQueue.CallerThread callbacks = CallbackQueue.callerThread();
    CompletableFuture<BatchResult> f =
        start(requests, options, progress, callbacks, BatchEngine::result);
    try {
      callbacks.drainUntil(f);
    } catch (InterruptedException e) {
      f.cancel(true);
      Thread.currentThread().interrupt();
      throw new MaritacaException("interrupted while waiting for the batch", e);
    }
    return join(f);
  }

  /**
   * Streams {@code requests}: pulled lazily, each finished item delivered to the options' listener
   * ({@code onItemCompleted}) with its index, nothing kept.
   *
   * @param total the number of requests when known (for progress), or -1
   */
  public CompletableFuture<BatchSummary> stream(
      Iterator<ChatRequest> requests, int total, BatchOptions options) {
    Objects.requireNonNull(requests, "requests");
    Objects.requireNonNull(options, "options");
    if (total < -1) {
      throw new IllegalArgumentException("total must be >= 0, or -1 when unknown, was " + total);
    }
    BatchRun<BatchSummary> run =
        new BatchRun<>(
            env,
            options,
            BatchRun.Source.of(requests),
            total,
            false,
            null,
            CallbackQueue.serial(env.executor()),
            r ->
                new BatchSummary(
                    r.completedCount(),
                    r.completedCount() - r.failedCount(),
                    r.failedCount(),
                    r.usage(),
                    r.spent(),
                    r.rateLimitedCount(),
                    r.retryCount(),
                    r.wallTime()));
    return run.start();
  }

  private <T> CompletableFuture<T> start(
      List<ChatRequest> requests,
      BatchOptions options,
      ProgressCallback progress,
      CallbackQueue callbacks,
      Function<BatchRun<T>, T> finisher) {
    Objects.requireNonNull(requests, "requests");
    Objects.requireNonNull(options, "options");
    BatchRun<T> run =
        new BatchRun<>(
            env,
            options,
            BatchRun.Source.of(requests),
            requests.size(),
            true,
            progress,
            callbacks,
            finisher);
    return run.start();
  }

  private static BatchResult result(BatchRun<?> run) {
    return new BatchResult(Arrays.asList(run.items()), run.wallTime(), run.rateLimitedCount());
  }

  /**
   * Waits for {@code f} and returns its value, throwing its failure unwrapped: a {@link
   * MaritacaException} (or other unchecked exception) as itself.
   */
  public static <T> T join(CompletableFuture<T> f) {
    try {
      return f.join();
    } catch (CompletionException | CancellationException e) {
      throw unwrap(e);
    }
  }

  private static RuntimeException unwrap(RuntimeException e) {
    Throwable c = MaritacaException.unwrap(e);
    if (c instanceof RuntimeException re) {
      return re;
    }
    if (c instanceof Error err) {
      throw err;
    }
    return new MaritacaException(String.valueOf(c), c);
  }
}
