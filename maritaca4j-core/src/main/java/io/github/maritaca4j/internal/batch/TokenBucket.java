package io.github.maritaca4j.internal.batch;

import java.time.Duration;

/**
 * A client-side token bucket mirroring the server's: refill {@code limit / 60 s}, capacity {@code
 * limit × burst / 60 s}. A demand {@code n} is admitted when the level is at least {@code min(n,
 * capacity)}; the level then drops by {@code n} and may go negative (debt). Not thread-safe: the
 * batch run's lock guards it. Time in nanoseconds from the run's {@link
 * io.github.maritaca4j.internal.Clock}.
 *
 * <p>When the server's burst is unknown the capacity starts optimistic (a full minute). Up to
 * {@link #ASSUMED_BURST} worth ({@link #assumed()}) requests go freely; beyond what is assumed and
 * {@link #proven()} (the largest deficit, capacity minus level after the take, that the server has
 * accepted), requests are probes, paced at {@link #PROBE_SPEEDUP} times the limit's rate so that
 * only about one is in flight past the server's edge when the first 429 comes back. {@link
 * #learnCapacity(double)} then sets the capacity.
 */
final class TokenBucket {
  private static final double EPS = 1e-9;

  /** The burst assumed when the server's is unknown: a tenth of the per-minute limit. */
  static final Duration ASSUMED_BURST = Duration.ofSeconds(1);

  /** Probes beyond the assumed or proven burst go at this multiple of the limit's rate. */
  static final double PROBE_SPEEDUP = 2.0;

  /** The least spacing between probes. */
  static final long MIN_PROBE_SPACING_NANOS = 2_000_000L;

  private final long limitPerMinute;
  private final double perNano;
  private double capacity;
  private boolean capacityKnown;
  private double proven;
  private double assumed;
  private boolean probed;
  private long nextProbe;
  private double level;
  private long last;

  TokenBucket(long limitPerMinute, Duration burst, long now) {
    if (limitPerMinute <= 0) {
      throw new IllegalArgumentException("limit must be positive: " + limitPerMinute);
    }
    this.limitPerMinute = limitPerMinute;
    this.perNano = limitPerMinute / 60e9;
    if (burst != null) {
      this.capacity = Math.max(1.0, limitPerMinute * (burst.toNanos() / 60e9));
      this.capacityKnown = true;
    } else {
      this.capacity = limitPerMinute;
      this.capacityKnown = false;
      this.assumed = limitPerMinute * (ASSUMED_BURST.toNanos() / 60e9);
    }
    // start a margin short: the server's refill starts at the first arrival, a little later
    this.level = capacity - Math.min(capacity / 2, RateState.MARGIN_NANOS * perNano);
    this.last = now;
  }

  long limit() {
    return limitPerMinute;
  }

  double perNano() {
    return perNano;
  }

  double capacity() {
    return capacity;
  }

  boolean capacityKnown() {
    return capacityKnown;
  }

  double proven() {
    return proven;
  }

  double assumed() {
    return assumed;
  }

  /** Whether taking {@code demand} now would go beyond what is assumed and proven. */
  boolean isProbe(double demand, long now) {
    return !capacityKnown && deficit(now) + demand > Math.max(proven, assumed);
  }

  /** Nanoseconds until a probe may go (probes are paced). */
  long nanosUntilProbe(long now) {
    return probed ? Math.max(0, nextProbe - now) : 0;
  }

  /** Records a probe of {@code demand} sent now. */
  void probeSent(double demand, long now) {
    long spacing =
        Math.max(MIN_PROBE_SPACING_NANOS, (long) Math.ceil(demand / (PROBE_SPEEDUP * perNano)));
    nextProbe = (probed && nextProbe - now > 0 ? nextProbe : now) + spacing;
    probed = true;
  }

  private void refill(long now) {
    if (now > last) {
      level = Math.min(capacity, level + (now - last) * perNano);
      last = now;
    }
  }

  double level(long now) {
    refill(now);
    return level;
  }

  /** The demand actually charged: never more than a minute's worth (the server's own cap). */
  double clampDemand(double n) {
    return Math.min(n, limitPerMinute);
  }

  /** Nanoseconds until {@code n} is admitted; 0 when it is now. */
  long nanosUntil(double n, long now) {
    refill(now);
    double need = Math.min(n, capacity);
    if (level + EPS >= need) {
      return 0;
    }
    return Math.max(1, (long) Math.ceil((need - level) / perNano));
  }

  /** Capacity minus level: what has been used beyond the refill. */
  double deficit(long now) {
    refill(now);
    return capacity - level;
  }

  void take(double n, long now) {
    refill(now);
    level -= n;
  }

  /** Gives back {@code n} (a refund), never above the capacity. */
  void give(double n, long now) {
    refill(now);
    level = Math.min(capacity, level + n);
  }

  /** Settles a reservation with the actual amount: refunds or charges the difference. */
  void settle(double reserved, double actual, long now) {
    refill(now);
    level = Math.min(capacity, level + (reserved - actual));
  }

  /** Lowers the level to at most {@code max} (the server is believed to hold no more). */
  void clampLevel(double max, long now) {
    refill(now);
    level = Math.min(level, max);
  }

  /**
   * The capacity to use where levels are kept elsewhere (shared limits): the one known, else what
   * is assumed or proven so far (probing beyond it needs a level of one's own).
   */
  double shareCapacity() {
    return capacityKnown ? capacity : Math.max(1.0, Math.max(assumed, proven));
  }

  /** Records that the server accepted a request leaving this deficit. */
  void prove(double deficitAfterTake) {
    proven = Math.max(proven, deficitAfterTake);
  }

  /**
   * Lowers the capacity to an upper bound the server reported ({@code remaining + reset × rate},
   * exact but for rounding, hence the floor), which also makes it known. Bounds below one request
   * or above a minute's worth are ignored as not meaning a token bucket.
   */
  void boundCapacity(double bound) {
    if (!(bound >= 1.0) || bound > limitPerMinute + 1.0) {
      return;
    }
    double c = Math.max(1.0, Math.floor(bound + EPS));
    if (!capacityKnown || c < capacity) {
      capacity = Math.min(limitPerMinute, c); // c < capacity <= limit when already known
      capacityKnown = true;
      level = Math.min(level, capacity);
    }
  }

  /** Sets the capacity learned from a 429 and stops treating it as unknown. */
  void learnCapacity(double learned) {
    capacity = Math.max(1.0, Math.min(capacity, Math.max(learned, proven)));
    capacityKnown = true;
    level = Math.min(level, capacity);
  }
}
