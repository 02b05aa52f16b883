package io.github.maritaca4j.errors;

import java.time.Duration;

/**
 * The server refused the request for rate limits or flex capacity (HTTP 429). Retryable. Carries
 * the delay the server asked for ({@code retry-after-ms}, or {@code Retry-After} in seconds or as
 * an HTTP date), when it gave one.
 *
 * <p>Also thrown when the server asks for a longer wait than the client's configured maximum
 * ({@link #exceededMaxWait()} is then true): the call fails rather than park for that long.
 */
public class RateLimitException extends ApiException {
  /** The {@link #errorCode()} of a request the client's own limiter never sent. */
  public static final String NOT_ADMITTED = "not_admitted";

  private final boolean exceededMaxWait;

  public RateLimitException(
      String serverMessage,
      String errorType,
      String errorCode,
      String requestId,
      Duration retryAfter) {
    this(serverMessage, errorType, errorCode, requestId, retryAfter, false);
  }

  private RateLimitException(
      String serverMessage,
      String errorType,
      String errorCode,
      String requestId,
      Duration retryAfter,
      boolean exceededMaxWait) {
    super(429, serverMessage, errorType, errorCode, requestId, retryAfter);
    this.exceededMaxWait = exceededMaxWait;
  }

  /** A copy stating that the requested wait is over the client's limit {@code maxWait}. */
  public RateLimitException overMaxWait(Duration maxWait) {
    RateLimitException e =
        new RateLimitException(
            (serverMessage() == null ? "rate limited" : serverMessage())
                + " (the server asked to wait "
                + retryAfter().orElse(Duration.ZERO)
                + ", more than the configured maximum of "
                + maxWait
                + ")",
            errorType(),
            errorCode(),
            requestId(),
            retryAfter().orElse(null),
            true);
    e.initCause(this);
    return e;
  }

  /**
   * A call the account's rate limiter could not admit within {@code waited} (its timeout): it was
   * never sent, so nothing was billed. {@link #errorCode()} is {@link #NOT_ADMITTED}; not retried
   * (the call already waited its timeout).
   */
  public static RateLimitException notAdmitted(Duration waited, Duration resumesIn) {
    return new RateLimitException(
        "never sent: the account's rate limits did not admit the request within "
            + waited
            + " (every request of the account, in this process"
            + " and, with shared limits, in others, passes the same limiter)",
        "client_rate_limit",
        NOT_ADMITTED,
        null,
        resumesIn,
        false);
  }

  /** Whether the request reached the server (false for {@link #notAdmitted}). */
  public boolean wasSent() {
    return !NOT_ADMITTED.equals(errorCode());
  }

  /** Whether the server's requested wait was beyond the client's configured maximum. */
  public boolean exceededMaxWait() {
    return exceededMaxWait;
  }

  @Override
  public boolean isRetryable() {
    return !exceededMaxWait && wasSent();
  }
}
