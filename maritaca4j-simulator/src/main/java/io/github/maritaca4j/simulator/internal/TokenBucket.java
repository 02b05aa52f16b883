package io.github.maritaca4j.simulator.internal;

/**
 * A continuously refilled token bucket. Capacity {@code C = max(1, limit x burst / 60 s)}, refill
 * {@code limit / 60} per second, starts full. A demand {@code n} is admitted when the level is at
 * least {@code min(n, C)}; the level then drops by {@code n} and may go negative (debt), so a
 * request larger than the burst still gets through when the bucket is full while the long-run rate
 * stays {@code limit} per minute. A demand larger than {@code limit} itself never fits. Not
 * thread-safe: {@link ModelLimiter} guards it.
 */
final class TokenBucket {
  private static final double EPS = 1e-6;
  private final long limitPerMinute;
  private final double capacity;
  private final double perNano;
  private double level;
  private long last;

  TokenBucket(long limitPerMinute, long burstNanos, long now) {
    this.limitPerMinute = limitPerMinute;
    this.capacity = Math.max(1.0, limitPerMinute * (burstNanos / 60e9));
    this.perNano = limitPerMinute / 60e9;
    this.level = capacity;
    this.last = now;
  }

  long limit() {
    return limitPerMinute;
  }

  double capacity() {
    return capacity;
  }

  double level(long now) {
    refill(now);
    return level;
  }

  private void refill(long now) {
    if (now > last) {
      level = Math.min(capacity, level + (now - last) * perNano);
      last = now;
    }
  }

  /** True when {@code n} can never fit (more than a minute's worth). */
  boolean tooLarge(double n) {
    return n > limitPerMinute;
  }

  /** Nanoseconds until {@code n} would fit, 0 when it fits now. */
  long nanosUntil(double n, long now) {
    refill(now);
    double need = Math.min(n, capacity);
    if (level + EPS >= need) {
      return 0;
    }
    return (long) Math.ceil((need - level) / perNano);
  }

  void take(double n) {
    level -= n;
  }

  void refund(double n, long now) {
    refill(now);
    level = Math.min(capacity, level + n);
  }

  /** Nanoseconds until the bucket is full again. */
  long nanosUntilFull(long now) {
    refill(now);
    return level >= capacity ? 0 : (long) Math.ceil((capacity - level) / perNano);
  }
}
