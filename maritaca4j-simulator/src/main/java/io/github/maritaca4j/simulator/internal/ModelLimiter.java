package io.github.maritaca4j.simulator.internal;

import io.github.maritaca4j.simulator.RateLimit;
import java.util.function.LongSupplier;

/**
 * The RPM, TPM-in and TPM-out buckets of one model. Admission is all-or-nothing: a request is
 * charged 1 request, its prompt tokens and its reserved output tokens only when all three fit.
 * Thread-safe (synchronized).
 */
public final class ModelLimiter {

  /** Which limit refused a request. */
  public enum Kind {
    RPM("requests per minute", "rate_limited_rpm"),
    TPM_IN("input tokens per minute", "rate_limited_tpm_in"),
    TPM_OUT("output tokens per minute", "rate_limited_tpm_out");

    final String label;
    final String outcome;

    Kind(String label, String outcome) {
      this.label = label;
      this.outcome = outcome;
    }

    public String label() {
      return label;
    }

    public String outcome() {
      return outcome;
    }
  }

  /**
   * The answer of {@link #tryAcquire}.
   *
   * @param admitted true when charged
   * @param refusedBy the limit that refused (the one with the longest wait), null when admitted
   * @param waitNanos time until the request would fit, {@code Long.MAX_VALUE} when it never can
   * @param limit the refusing limit per minute
   * @param demand what the request asked of that limit
   */
  public record Decision(
      boolean admitted, Kind refusedBy, long waitNanos, long limit, double demand) {
    public boolean tooLarge() {
      return !admitted && waitNanos == Long.MAX_VALUE;
    }
  }

  /** Snapshot for {@code x-ratelimit-*} headers. */
  public record Snapshot(
      long rpmLimit,
      long rpmRemaining,
      long rpmResetNanos,
      long tpmLimit,
      long tpmRemaining,
      long tpmResetNanos) {}

  private final TokenBucket rpm;
  private final TokenBucket tpmIn;
  private final TokenBucket tpmOut;
  private final LongSupplier clock;

  public ModelLimiter(RateLimit limit, long burstNanos, LongSupplier clock) {
    this.clock = clock;
    long now = clock.getAsLong();
    this.rpm = limit.rpm() > 0 ? new TokenBucket(limit.rpm(), burstNanos, now) : null;
    this.tpmIn = limit.tpmIn() > 0 ? new TokenBucket(limit.tpmIn(), burstNanos, now) : null;
    this.tpmOut = limit.tpmOut() > 0 ? new TokenBucket(limit.tpmOut(), burstNanos, now) : null;
  }

  /** True when no limit is set. */
  public boolean unlimited() {
    return rpm == null && tpmIn == null && tpmOut == null;
  }

  /** Tries to charge one request of {@code promptTokens} reserving {@code reservedOut}. */
  public synchronized Decision tryAcquire(int promptTokens, int reservedOut) {
    long now = clock.getAsLong();
    Kind worst = null;
    long worstWait = 0;
    long worstLimit = 0;
    double worstDemand = 0;
    TokenBucket[] buckets = {rpm, tpmIn, tpmOut};
    double[] demand = {1, promptTokens, reservedOut};
    Kind[] kinds = Kind.values();
    for (int i = 0; i < 3; i++) {
      TokenBucket b = buckets[i];
      if (b == null) {
        continue;
      }
      long wait = b.tooLarge(demand[i]) ? Long.MAX_VALUE : b.nanosUntil(demand[i], now);
      if (wait > worstWait) {
        worst = kinds[i];
        worstWait = wait;
        worstLimit = b.limit();
        worstDemand = demand[i];
      }
    }
    if (worst != null) {
      return new Decision(false, worst, worstWait, worstLimit, worstDemand);
    }
    for (int i = 0; i < 3; i++) {
      if (buckets[i] != null) {
        buckets[i].take(demand[i]);
      }
    }
    return new Decision(true, null, 0, 0, 0);
  }

  /** Gives back output tokens reserved but not generated. */
  public synchronized void refundOutput(int reservedOut, int actualOut) {
    if (tpmOut != null && reservedOut > actualOut) {
      tpmOut.refund(reservedOut - actualOut, clock.getAsLong());
    }
  }

  /** Current state for headers. */
  public synchronized Snapshot snapshot() {
    long now = clock.getAsLong();
    return new Snapshot(
        rpm == null ? 0 : rpm.limit(),
        rpm == null ? 0 : (long) Math.max(0, Math.floor(rpm.level(now))),
        rpm == null ? 0 : rpm.nanosUntilFull(now),
        tpmIn == null ? 0 : tpmIn.limit(),
        tpmIn == null ? 0 : (long) Math.max(0, Math.floor(tpmIn.level(now))),
        tpmIn == null ? 0 : tpmIn.nanosUntilFull(now));
  }
}
