package io.github.maritaca4j.internal;

import io.github.maritaca4j.errors.ApiException;
import io.github.maritaca4j.errors.MaritacaException;
import io.github.maritaca4j.errors.RateLimitException;
import java.time.Duration;
import java.util.Objects;

/**
 * Which failures are retried and after how long. Immutable, thread-safe. Internal API.
 *
 * <p>Only {@link MaritacaException#isRetryable() retryable} failures are retried (IO, timeouts,
 * 408, 409, 429, 5xx, malformed answers). The delay is the server's hint when it gave one (see
 * {@link RetryHints}; zero means "at once"), otherwise exponential backoff with "equal jitter": for
 * retry number k (1-based) the base is {@code min(maxBackoff, initialBackoff * 2^(k-1))} and the
 * delay is uniformly spread over {@code [base/2, base]}.
 *
 * <p>A hint above {@code maxRetryAfter} is never obeyed silently: {@link #overLongHint} turns a 429
 * into a {@link RateLimitException} with {@link RateLimitException#exceededMaxWait()} true, and for
 * any other status (a 503 announcing an hour of maintenance) ends the retries with the failure
 * itself, whose {@link ApiException#retryAfter()} holds the requested wait. {@link #delay} never
 * returns more than {@code maxRetryAfter} either, for callers that choose to wait capped.
 */
public record RetryPolicy(
    int maxRetries, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter) {

  public static final RetryPolicy DEFAULT =
      new RetryPolicy(2, Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(60));

  public RetryPolicy {
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries must not be negative, was " + maxRetries);
    }
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
    if (initialBackoff.isNegative() || initialBackoff.isZero()) {
      throw new IllegalArgumentException("initialBackoff must be positive, was " + initialBackoff);
    }
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "maxBackoff ("
              + maxBackoff
              + ") must not be below initialBackoff ("
              + initialBackoff
              + ")");
    }
    if (maxRetryAfter.isNegative()) {
      throw new IllegalArgumentException(
          "maxRetryAfter must not be negative, was " + maxRetryAfter);
    }
  }

  /** The backoff for retry number {@code retry} (1-based) without a server hint. */
  public Duration backoff(int retry, double random) {
    long initial = initialBackoff.toNanos();
    long cap = maxBackoff.toNanos();
    long base = initial;
    for (int i = 1; i < retry && base < cap; i++) {
      base = base > cap / 2 ? cap : base * 2;
    }
    base = Math.min(base, cap);
    long half = base / 2;
    return Duration.ofNanos(half + (long) (random * (base - half)));
  }

  /**
   * The failure to report when {@code e}'s server hint is longer than allowed, or null when the
   * hint (if any) is acceptable.
   */
  public MaritacaException overLongHint(MaritacaException e) {
    if (!(e instanceof ApiException api)
        || api.retryAfter().isEmpty()
        || api.retryAfter().get().compareTo(maxRetryAfter) <= 0) {
      return null;
    }
    if (e instanceof RateLimitException rl) {
      return rl.exceededMaxWait() ? rl : rl.overMaxWait(maxRetryAfter);
    }
    return e;
  }

  /**
   * The delay before retry number {@code retry} (1-based) after failure {@code e}: the server's
   * hint when present (at most {@code maxRetryAfter}), else backoff. Callers check {@link
   * MaritacaException#isRetryable()} and {@link #overLongHint} first.
   */
  public Duration delay(int retry, MaritacaException e, double random) {
    if (e instanceof ApiException api && api.retryAfter().isPresent()) {
      Duration hint = api.retryAfter().get();
      return hint.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : hint;
    }
    return backoff(retry, random);
  }
}
