package io.github.maritaca4j.simulator;

/**
 * How a 429 response tells the client when to come back.
 *
 * <p>The wait is always the exact time until the request would fit in the limiter, rounded up.
 */
public enum RetryHint {
  /** {@code Retry-After: <seconds>}, rounded up to whole seconds, at least 1. */
  SECONDS,
  /** {@code Retry-After: <RFC 1123 date>} of now plus the wait rounded up to whole seconds. */
  HTTP_DATE,
  /** {@code retry-after-ms: <milliseconds>}, rounded up, at least 1. */
  MILLIS,
  /** No hint at all: the client has to guess. */
  NONE
}
