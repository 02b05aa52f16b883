package io.github.maritaca4j.internal;

import io.github.maritaca4j.ChatResult;
import io.github.maritaca4j.errors.MaritacaException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Runs attempts until one succeeds, a failure is not retryable, or the retries are used up. Waits
 * are scheduled on the {@link Clock}, never a sleeping thread. Cancelling the returned future
 * cancels the attempt in flight and any pending wait. Internal API.
 */
public final class Retrier {
  private Retrier() {}

  /**
   * @param attempt starts one attempt
   * @param mayRetry consulted after a retryable failure (e.g. false once a stream delivered text)
   */
  public static CompletableFuture<ChatResult> run(
      Supplier<CompletableFuture<ChatResult>> attempt,
      RetryPolicy policy,
      Clock clock,
      BooleanSupplier mayRetry) {
    CompletableFuture<ChatResult> result = new CompletableFuture<>();
    new Run(attempt, policy, clock, mayRetry, result).next(1);
    return result;
  }

  private static final class Run {
    private final Supplier<CompletableFuture<ChatResult>> attempt;
    private final RetryPolicy policy;
    private final Clock clock;
    private final BooleanSupplier mayRetry;
    private final CompletableFuture<ChatResult> result;
    private final long start;
    private volatile CompletableFuture<ChatResult> current;
    private volatile Clock.Cancellable timer;

    Run(
        Supplier<CompletableFuture<ChatResult>> attempt,
        RetryPolicy policy,
        Clock clock,
        BooleanSupplier mayRetry,
        CompletableFuture<ChatResult> result) {
      this.attempt = attempt;
      this.policy = policy;
      this.clock = clock;
      this.mayRetry = mayRetry;
      this.result = result;
      this.start = clock.nanoTime();
      result.whenComplete(
          (r, e) -> {
            if (result.isCancelled()) {
              Clock.Cancellable t = timer;
              if (t != null) {
                t.cancel();
              }
              CompletableFuture<ChatResult> c = current;
              if (c != null) {
                c.cancel(true);
              }
            }
          });
    }

    void next(int n) {
      if (result.isDone()) {
        return;
      }
      CompletableFuture<ChatResult> f;
      try {
        f = attempt.get();
      } catch (RuntimeException e) {
        result.completeExceptionally(ErrorMapper.redactHeaderFailure(e));
        return;
      }
      current = f;
      f.whenComplete(
          (r, err) -> {
            if (err == null) {
              result.complete(r.withAttempts(n, Duration.ofNanos(clock.nanoTime() - start)));
              return;
            }
            Throwable cause = ErrorMapper.redactHeaderFailure(err);
            if (!(cause instanceof MaritacaException e)
                || !e.isRetryable()
                || n > policy.maxRetries()
                || !mayRetry.getAsBoolean()) {
              result.completeExceptionally(cause);
              return;
            }
            MaritacaException tooLong = policy.overLongHint(e);
            if (tooLong != null) {
              result.completeExceptionally(tooLong);
              return;
            }
            Duration delay = policy.delay(n, e, clock.random());
            timer = clock.schedule(() -> next(n + 1), delay.toNanos());
          });
    }
  }
}
