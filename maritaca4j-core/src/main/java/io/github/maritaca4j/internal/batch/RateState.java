package io.github.maritaca4j.internal.batch;

import io.github.maritaca4j.RateLimitStatus;
import io.github.maritaca4j.batch.RateLimits;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client-side view of one model's rate limits during a run: token buckets for RPM, TPM-in and
 * TPM-out (each only when its limit is known), burst learning and the re-synchronisation after a
 * 429. Not thread-safe: the run's lock guards it.
 *
 * <p>Per request: 1 request, its estimated input tokens (scaled by the observed ratio of actual to
 * estimated prompt tokens) and its reserved output tokens are taken when it is sent; on success the
 * input and output are settled with the actual usage (refund or charge). A 429 means the server
 * charged nothing, so everything is given back before the re-synchronisation.
 */
final class RateState {
  private static final Logger LOG = LoggerFactory.getLogger(RateState.class);

  /** After a 429 the client runs this far (in time) behind its estimate of the server's buckets. */
  static final long MARGIN_NANOS = 50_000_000L;

  private static final int RPM = 0;
  private static final int IN = 1;
  private static final int OUT = 2;

  private final TokenBucket[] buckets = new TokenBucket[3];
  private double inputScale = 1.0;

  RateState(RateLimits limits, long now) {
    if (limits.rpm() > 0) {
      buckets[RPM] = new TokenBucket(limits.rpm(), limits.burst(), now);
    }
    if (limits.tpmIn() > 0) {
      buckets[IN] = new TokenBucket(limits.tpmIn(), limits.burst(), now);
    }
    if (limits.tpmOut() > 0) {
      buckets[OUT] = new TokenBucket(limits.tpmOut(), limits.burst(), now);
    }
  }

  /**
   * Applies configured limits: a limit this state lacks makes its bucket; a lower one replaces the
   * bucket (keeping its level, as far as the new capacity allows). Higher ones are ignored.
   */
  void lowerTo(RateLimits limits, long now) {
    long[] l = {limits.rpm(), limits.tpmIn(), limits.tpmOut()};
    for (int i = 0; i < 3; i++) {
      if (l[i] <= 0) {
        continue;
      }
      TokenBucket b = buckets[i];
      if (b == null || l[i] < b.limit()) {
        replace(i, new TokenBucket(l[i], limits.burst(), now), now);
      }
    }
  }

  /**
   * Replaces the request bucket's limit with {@code rpm} (higher or lower: a limit learnt from 429s
   * moves both ways, and a limit told later replaces a learnt one), keeping its level and what is
   * known of its burst.
   */
  void replaceRpm(long rpm, long now) {
    TokenBucket old = buckets[RPM];
    if (old != null && old.limit() == rpm) {
      return;
    }
    Duration burst =
        old != null && old.capacityKnown()
            ? Duration.ofNanos(Math.max(1, (long) (old.capacity() / old.perNano())))
            : null;
    replace(RPM, new TokenBucket(rpm, burst, now), now);
  }

  /**
   * Puts {@code n} in place of bucket {@code i}, at no more than the old one's level (as far as its
   * capacity allows): what was spent stays spent.
   */
  private TokenBucket replace(int i, TokenBucket n, long now) {
    TokenBucket old = buckets[i];
    if (old != null) {
      n.clampLevel(old.level(now), now);
    }
    buckets[i] = n;
    return n;
  }

  /** The server's buckets are believed empty now: every level goes to {@code -margin}. */
  void emptied(long now) {
    for (TokenBucket b : buckets) {
      if (b != null) {
        b.clampLevel(-MARGIN_NANOS * b.perNano(), now);
      }
    }
  }

  boolean needsInputTokens() {
    return buckets[IN] != null;
  }

  boolean needsOutputTokens() {
    return buckets[OUT] != null;
  }

  /** What one attempt took from the buckets. */
  static final class Grant {
    final double[] taken = new double[3];
    final double[] deficitAfter = new double[3];
    final double[] deficitBefore = new double[3];
    final long estimatedInput;
    boolean probing;

    Grant(long estimatedInput) {
      this.estimatedInput = estimatedInput;
    }
  }

  private double[] demand(long estimatedInput, long reservedOutput) {
    double[] d = {1.0, estimatedInput * inputScale, reservedOutput};
    for (int i = 0; i < 3; i++) {
      if (buckets[i] != null) {
        d[i] = buckets[i].clampDemand(d[i]);
      }
    }
    return d;
  }

  /**
   * The demand of a request on each bucket (requests, input, output), as {@link #take} takes it.
   */
  double[] demandOf(long estimatedInput, long reservedOutput) {
    return demand(estimatedInput, reservedOutput);
  }

  /**
   * The buckets as shared limits see them: limit and capacity, {@code NONE} where unknown. The
   * capacity is {@link #MARGIN_NANOS} worth short of the bucket's, as a fresh local bucket starts:
   * a fresh shared lane starts full, and the server's refill starts with the first arrival.
   */
  io.github.maritaca4j.batch.SharedLimits.Bucket[] sharedBuckets() {
    io.github.maritaca4j.batch.SharedLimits.Bucket[] b =
        new io.github.maritaca4j.batch.SharedLimits.Bucket[3];
    for (int i = 0; i < 3; i++) {
      TokenBucket t = buckets[i];
      b[i] =
          t == null
              ? io.github.maritaca4j.batch.SharedLimits.Bucket.NONE
              : new io.github.maritaca4j.batch.SharedLimits.Bucket(
                  t.limit(), Math.max(1.0, t.shareCapacity() - MARGIN_NANOS * t.perNano()));
    }
    return b;
  }

  /** The per-minute limit of bucket {@code i} (0 requests, 1 input, 2 output); 0 when unknown. */
  long limitOf(int i) {
    return buckets[i] == null ? 0 : buckets[i].limit();
  }

  /** Nanoseconds until a request of this size may be sent; 0 when it may now. */
  long waitNanos(long estimatedInput, long reservedOutput, long now) {
    double[] d = demand(estimatedInput, reservedOutput);
    long wait = 0;
    for (int i = 0; i < 3; i++) {
      TokenBucket b = buckets[i];
      if (b == null) {
        continue;
      }
      wait = Math.max(wait, b.nanosUntil(d[i], now));
      if (b.isProbe(d[i], now)) {
        wait = Math.max(wait, b.nanosUntilProbe(now));
      }
    }
    return wait;
  }

  /** Takes a request's demand; call only when {@link #waitNanos} said 0. */
  Grant take(long estimatedInput, long reservedOutput, long now) {
    double[] d = demand(estimatedInput, reservedOutput);
    Grant g = new Grant(estimatedInput);
    for (int i = 0; i < 3; i++) {
      TokenBucket b = buckets[i];
      if (b == null) {
        continue;
      }
      if (b.isProbe(d[i], now)) {
        b.probeSent(d[i], now);
        g.probing = true;
      }
      g.deficitBefore[i] = b.deficit(now);
      b.take(d[i], now);
      g.taken[i] = d[i];
      g.deficitAfter[i] = g.deficitBefore[i] + d[i];
    }
    return g;
  }

  /** The request succeeded: settle with the actual usage and record what the server accepted. */
  void onSuccess(Grant g, long promptTokens, long completionTokens, long now) {
    for (int i = 0; i < 3; i++) {
      TokenBucket b = buckets[i];
      if (b != null && !b.capacityKnown()) {
        b.prove(g.deficitAfter[i]);
      }
    }
    if (buckets[IN] != null) {
      buckets[IN].settle(g.taken[IN], buckets[IN].clampDemand(promptTokens), now);
      if (g.estimatedInput > 0 && promptTokens > 0) {
        double ratio = (double) promptTokens / g.estimatedInput;
        inputScale = Math.max(0.25, Math.min(4.0, 0.8 * inputScale + 0.2 * ratio));
      }
    }
    if (buckets[OUT] != null) {
      buckets[OUT].settle(g.taken[OUT], Math.min(g.taken[OUT], completionTokens), now);
    }
  }

  /**
   * A failure other than 429: the server may have counted the request and its input, but produced
   * no output, so only the output reservation comes back.
   */
  void onOtherFailure(Grant g, long now) {
    if (buckets[OUT] != null) {
      buckets[OUT].give(g.taken[OUT], now);
    }
  }

  /** A 429 that is not about rate (e.g. flex capacity): the server charged nothing. */
  void refund(Grant g, long now) {
    for (int i = 0; i < 3; i++) {
      if (buckets[i] != null) {
        buckets[i].give(g.taken[i], now);
      }
    }
  }

  /**
   * A rate-limit 429: refunds the attempt, learns the burst of the bucket that most plausibly
   * tripped (when its capacity was still unknown and the attempt probed beyond what was proven),
   * then puts every bucket at {@code -margin}: the server's buckets are believed to be about empty
   * now, and they refill alike during the pause, so the client resumes in step with the server,
   * slightly behind it.
   *
   * @return true when a burst was learned
   */
  boolean onRateLimited(Grant g, long now) {
    refund(g, now);
    int culprit = -1;
    double worst = -1;
    for (int i = 0; i < 3; i++) {
      TokenBucket b = buckets[i];
      if (b == null || b.capacityKnown() || g.deficitAfter[i] <= b.proven()) {
        continue;
      }
      double used = g.deficitAfter[i] / b.limit();
      if (used > worst) {
        worst = used;
        culprit = i;
      }
    }
    if (culprit >= 0) {
      buckets[culprit].learnCapacity(g.deficitBefore[culprit]);
    }
    emptied(now);
    return culprit >= 0;
  }

  /**
   * Applies what a response's {@code x-ratelimit-*} headers said, requests to the RPM bucket and
   * tokens to the TPM-in bucket: a limit not known yet (or known higher than the server enforces)
   * makes a bucket at the server's limit; {@code remaining + reset × rate} bounds the capacity (the
   * server's burst, exactly up to rounding); and a level a whole unit or more above {@code
   * remaining} is lowered to it, since the server holds no more than that now. Token headers are
   * applied only to a bucket whose limit they name, since some servers count input and output
   * tokens together.
   */
  void observe(RateLimitStatus s, long now) {
    observe(RPM, s.limitRequests(), s.remainingRequests(), s.resetRequests(), true, now);
    observe(IN, s.limitTokens(), s.remainingTokens(), s.resetTokens(), false, now);
  }

  private void observe(
      int i, long limit, long remaining, Duration reset, boolean unnamedApplies, long now) {
    TokenBucket b = buckets[i];
    if (limit > 0 && (b == null || limit < b.limit())) {
      if (b != null) {
        LOG.warn(
            "the server enforces {} {} per minute, less than the {} configured: using {}",
            limit,
            NAMES[i],
            b.limit(),
            limit);
      } else {
        LOG.debug("learned {} {} per minute from response headers", limit, NAMES[i]);
      }
      b = replace(i, new TokenBucket(limit, null, now), now);
    }
    if (b == null) {
      return;
    }
    boolean named = limit > 0 && limit == b.limit();
    if (!(named || unnamedApplies) || remaining < 0) {
      return;
    }
    if (named && reset != null) {
      b.boundCapacity(remaining + reset.toNanos() * b.perNano());
    }
    if (b.level(now) >= remaining + 1) {
      // certainly above the server (remaining is a floor): someone else spent, or the estimate
      // drifted. Within one unit the client's own view is kept: lowering it to the floor on every
      // answer would lose a fraction of a request each time
      b.clampLevel(remaining, now);
    }
  }

  private static final String[] NAMES = {"requests", "input tokens", "output tokens"};

  /** For tests and diagnostics: bucket levels (NaN where unknown). */
  double[] levels(long now) {
    double[] l = new double[3];
    for (int i = 0; i < 3; i++) {
      l[i] = buckets[i] == null ? Double.NaN : buckets[i].level(now);
    }
    return l;
  }

  /** For tests and diagnostics: bucket capacities (NaN where unknown). */
  double[] capacities() {
    double[] c = new double[3];
    for (int i = 0; i < 3; i++) {
      c[i] = buckets[i] == null ? Double.NaN : buckets[i].capacity();
    }
    return c;
  }
}
