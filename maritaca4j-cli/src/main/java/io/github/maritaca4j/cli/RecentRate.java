package io.github.maritaca4j.cli;

import java.util.ArrayDeque;

/**
 * Completions per second over the last 30 seconds, from samples of a running count: the average
 * since the start while fewer than 5 seconds of samples exist. Not thread-safe.
 */
final class RecentRate {
  static final long WINDOW_NANOS = 30_000_000_000L;
  static final long MIN_SPAN_NANOS = 5_000_000_000L;

  private final long start;
  private final ArrayDeque<long[]> samples = new ArrayDeque<>();

  RecentRate(long startNanos) {
    this.start = startNanos;
  }

  /** Records the count at {@code now} and returns the recent rate (0 when nothing is known). */
  double update(long now, long done) {
    samples.addLast(new long[] {now, done});
    while (samples.size() > 2 && now - samples.peekFirst()[0] > WINDOW_NANOS) {
      samples.pollFirst();
    }
    long[] oldest = samples.peekFirst();
    long span = now - oldest[0];
    if (span < MIN_SPAN_NANOS) {
      long since = now - start;
      return since > 0 ? done / (since / 1e9) : 0;
    }
    return (done - oldest[1]) / (span / 1e9);
  }
}
