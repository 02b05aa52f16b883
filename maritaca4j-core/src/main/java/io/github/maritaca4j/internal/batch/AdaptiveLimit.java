package io.github.maritaca4j.internal.batch;

/**
 * AIMD concurrency limit: starts at the cap, halves on overload (at most once per episode: an
 * overload signal from a request sent before the last decrease is ignored), grows by one half per
 * window of successes ({@code 1/limit} each), never above the cap nor below 1. Not thread-safe: the
 * run's lock guards it.
 */
final class AdaptiveLimit {
  static final double DECREASE = 0.5;

  /** Growth per window of successes (a window = as many successes as the limit). */
  static final double INCREASE = 0.5;

  private final int max;
  private final boolean enabled;
  private double limit;
  private long lastDecrease = Long.MIN_VALUE;

  AdaptiveLimit(int max, boolean enabled) {
    this.max = max;
    this.enabled = enabled;
    this.limit = max;
  }

  int current() {
    return enabled ? Math.max(1, (int) limit) : max;
  }

  int max() {
    return max;
  }

  void onSuccess() {
    if (enabled && limit < max) {
      limit = Math.min(max, limit + INCREASE / Math.max(1.0, limit));
    }
  }

  /**
   * An overload signal (429) for a request sent at {@code sentAt} while {@code inFlight} requests
   * (it included) were on the wire.
   *
   * @return whether the limit was lowered
   */
  boolean onOverload(long sentAt, int inFlight, long now) {
    if (!enabled || sentAt < lastDecrease) {
      return false;
    }
    limit = Math.max(1.0, Math.floor(Math.min(limit, inFlight) * DECREASE));
    lastDecrease = now;
    return true;
  }
}
