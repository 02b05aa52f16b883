package io.github.maritaca4j.internal;

import java.time.Instant;

/**
 * Time, delays and randomness, injectable so that limiter and backoff tests are exact. Internal
 * API. Implementations are thread-safe.
 */
public interface Clock {

  /** Monotonic nanoseconds (like {@link System#nanoTime()}). */
  long nanoTime();

  /** Wall-clock time (for HTTP dates and off-peak pricing). */
  Instant now();

  /**
   * Runs {@code task} once after {@code delayNanos} (at once when {@code delayNanos <= 0}). The
   * task runs on a timer thread and must be short: hand real work to an executor.
   *
   * @return a handle that cancels the task if it has not run yet
   */
  Cancellable schedule(Runnable task, long delayNanos);

  /** A uniformly distributed number in [0, 1), for jitter. */
  double random();

  /** A pending scheduled task. */
  interface Cancellable {
    /** Cancels the task if it has not started; harmless otherwise. */
    void cancel();
  }

  /**
   * The real clock: {@code System.nanoTime()}, a shared daemon timer thread, thread-local random.
   */
  static Clock system() {
    return SystemClock.INSTANCE;
  }
}
