package io.github.maritaca4j.internal.batch;

import io.github.maritaca4j.ChatRequest;
import io.github.maritaca4j.ChatResult;
import io.github.maritaca4j.errors.ApiException;
import io.github.maritaca4j.errors.MaritacaException;
import io.github.maritaca4j.errors.RateLimitException;
import io.github.maritaca4j.internal.Clock;
import io.github.maritaca4j.internal.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;

/**
 * Single calls ({@code invoke}, {@code invokeAsync}, {@code stream}) through their account's {@link
 * Lane}: each attempt waits for admission (ahead of batches), then is sent, and its outcome is
 * settled with the lane (tokens, headers, the 429 pause). A call not admitted within its timeout
 * fails with {@link RateLimitException#notAdmitted} and is never sent. Internal API; thread-safe.
 */
public final class SingleCalls {
  private final Admission admission;
  private final Clock clock;
  private final Executor executor;
  private final RetryPolicy policy;
  private final ToLongFunction<ChatRequest> inputTokens;
  private final ToIntFunction<String> maxOutputTokens;
  private final Duration timeout;

  public SingleCalls(
      Admission admission,
      Clock clock,
      Executor executor,
      RetryPolicy policy,
      ToLongFunction<ChatRequest> inputTokens,
      ToIntFunction<String> maxOutputTokens,
      Duration timeout) {
    this.admission = admission;
    this.clock = clock;
    this.executor = executor;
    this.policy = policy;
    this.inputTokens = inputTokens;
    this.maxOutputTokens = maxOutputTokens;
    this.timeout = timeout;
  }

  /** One attempt of {@code request}: admission, then {@code send}, then the lane is told. */
  public CompletableFuture<ChatResult> attempt(
      ChatRequest request, Supplier<CompletableFuture<ChatResult>> send) {
    Lane lane = admission.lane(request.model());
    long in = lane.needsInputTokens() ? inputTokens.applyAsLong(request) : 0;
    long out = 0;
    if (lane.needsOutputTokens()) {
      out =
          request.maxTokens() != null
              ? request.maxTokens()
              : maxOutputTokens.applyAsInt(request.model());
    }
    CompletableFuture<ChatResult> result = new CompletableFuture<>();
    CompletableFuture<Lane.Permit> admitted = acquire(lane, in, out);
    result.whenComplete(
        (r, e) -> {
          if (result.isCancelled()) {
            admitted.cancel(true);
          }
        });
    admitted.whenComplete(
        (p, e) -> {
          if (e != null) {
            result.completeExceptionally(MaritacaException.unwrap(e));
            return;
          }
          if (result.isDone()) {
            settle(lane, p, null, new CancellationException());
            return;
          }
          CompletableFuture<ChatResult> f;
          try {
            f = send.get();
          } catch (RuntimeException ex) {
            f = CompletableFuture.failedFuture(ex);
          }
          CompletableFuture<ChatResult> call = f;
          result.whenComplete(
              (r, ex) -> {
                if (result.isCancelled()) {
                  call.cancel(true);
                }
              });
          call.whenComplete(
              (r, t) -> {
                settle(lane, p, r, t);
                if (t != null) {
                  result.completeExceptionally(t);
                } else {
                  result.complete(r);
                }
              });
        });
    return result;
  }

  private void settle(Lane lane, Lane.Permit p, ChatResult r, Throwable t) {
    List<Lane.Waiter> wakes = new ArrayList<>(1);
    long now = clock.nanoTime();
    if (t == null && r != null) {
      lane.onSuccess(
          p,
          r.usage().promptTokens(),
          r.usage().completionTokens(),
          r.rateLimitStatus().orElse(null),
          now,
          wakes);
    } else {
      Throwable c = MaritacaException.unwrap(t);
      if (c instanceof CancellationException) {
        lane.onCancelled(p, now, wakes);
      } else if (c instanceof MaritacaException m && m.statusCode() == 429) {
        String code = m instanceof ApiException api ? api.errorCode() : null;
        boolean aboutRate = code == null || !code.startsWith("flex");
        OptionalLong hint =
            m instanceof ApiException api && api.retryAfter().isPresent()
                ? OptionalLong.of(api.retryAfter().get().toNanos())
                : OptionalLong.empty();
        lane.onRateLimited(
            p, aboutRate, hint, n -> policy.backoff(n, clock.random()).toNanos(), now);
      } else {
        lane.onOtherFailure(p, now, wakes);
      }
    }
    wakeAll(wakes);
  }

  private CompletableFuture<Lane.Permit> acquire(Lane lane, long in, long out) {
    Waiter w = new Waiter(lane, in, out);
    List<Lane.Waiter> wakes = new ArrayList<>(1);
    Lane.Permit p = lane.tryAcquire(w, true, true, in, out, clock.nanoTime(), wakes);
    wakeAll(wakes);
    if (p != null) {
      return CompletableFuture.completedFuture(p);
    }
    w.start();
    return w.future;
  }

  static void wakeAll(List<Lane.Waiter> wakes) {
    for (Lane.Waiter w : wakes) {
      w.wake();
    }
  }

  /** A single call waiting for its turn. */
  private final class Waiter implements Lane.Waiter {
    final Lane lane;
    final long in;
    final long out;
    final CompletableFuture<Lane.Permit> future = new CompletableFuture<>();
    volatile Clock.Cancellable deadline;

    Waiter(Lane lane, long in, long out) {
      this.lane = lane;
      this.in = in;
      this.out = out;
    }

    void start() {
      deadline =
          clock.schedule(
              () -> {
                try {
                  executor.execute(this::expire);
                } catch (RejectedExecutionException e) {
                  expire();
                }
              },
              Math.max(1, timeout.toNanos()));
      future.whenComplete(
          (p, e) -> {
            if (future.isCancelled()) {
              List<Lane.Waiter> wakes = new ArrayList<>(1);
              lane.withdraw(this, wakes);
              cancelDeadline();
              wakeAll(wakes);
            }
          });
    }

    private void cancelDeadline() {
      Clock.Cancellable d = deadline;
      if (d != null) {
        d.cancel();
      }
    }

    @Override
    public void wake() {
      try {
        executor.execute(this::retry);
      } catch (RejectedExecutionException e) {
        retry();
      }
    }

    private void retry() {
      if (future.isDone()) {
        return;
      }
      List<Lane.Waiter> wakes = new ArrayList<>(1);
      Lane.Permit p = lane.tryAcquire(this, true, true, in, out, clock.nanoTime(), wakes);
      if (p != null) {
        cancelDeadline();
        if (!future.complete(p)) {
          lane.onCancelled(p, clock.nanoTime(), wakes);
        }
      }
      wakeAll(wakes);
    }

    private void expire() {
      if (future.isDone()) {
        return;
      }
      List<Lane.Waiter> wakes = new ArrayList<>(1);
      lane.withdraw(this, wakes);
      future.completeExceptionally(RateLimitException.notAdmitted(timeout, null));
      wakeAll(wakes);
    }
  }
}
