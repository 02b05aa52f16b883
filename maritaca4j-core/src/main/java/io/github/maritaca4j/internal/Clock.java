package io.github.maritaca4j.internal;

import java.time.Instant;

/**
 * Time, delays and randomness, injectable so that limiter and backoff tests are exact. Internal
 * API: users give a client a {@link java.time.Clock} for wall time ({@link
 * io.github.maritaca4j.ChatMaritaca.Builder#clock(java.time.Clock)}), which {@link
 * #system(java.time.Clock)} wraps; a {@code java.time.Clock} that also implements this interface
 * (the tests' virtual clock) is used whole. Implementations are thread-safe.
 */
public interface Clock {

  /** Monotonic nanoseconds (like {@link System#nanoTime()}). */
  long nanoTime();

  /** Wall-clock time (for HTTP dates, off-peak pricing and timestamps). */
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

  /**
   * What identifies this clock's time (its nanoseconds and timers): clocks with the same source may
   * share rate-limit state. The system clock's variants (other wall clocks) share one source.
   */
  default Object timeSource() {
    return this;
  }

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

  /**
   * The real clock's nanoseconds, timer and randomness with wall time from {@code wall}; {@code
   * wall} itself when it implements this interface.
   */
  static Clock system(java.time.Clock wall) {
    java.util.Objects.requireNonNull(wall, "clock");
    if (wall instanceof Clock c) {
      return c;
    }
    return SystemClock.withWallClock(wall);
  }
}
