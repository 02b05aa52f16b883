package io.github.maritaca4j.testing;

import io.github.maritaca4j.batch.SharedLimits;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * {@link SharedLimits} in memory, on a given clock: the reference the shared-limits contract test
 * holds other implementations to, and a store two lanes of one test can share. Can be told to fail.
 * Thread-safe.
 */
public final class InMemorySharedLimits implements SharedLimits {
  private final LongSupplier nanos;
  private final Map<String, double[]> levels = new HashMap<>();
  private final Map<String, Long> last = new HashMap<>();
  private final Map<String, Long> pausedUntil = new HashMap<>();
  private volatile boolean failing;
  private int calls;

  public InMemorySharedLimits(LongSupplier nanos) {
    this.nanos = nanos;
  }

  /** From now on every call throws (true) or works again (false). */
  public void failing(boolean failing) {
    this.failing = failing;
  }

  /** Calls made so far (failed ones included). */
  public synchronized int calls() {
    return calls;
  }

  private void check() {
    calls++;
    if (failing) {
      throw new IllegalStateException("store down (test)");
    }
  }

  private double[] refill(String lane, Bucket[] b, long now) {
    double[] l = levels.get(lane);
    if (l == null) {
      l = new double[] {b[0].capacity(), b[1].capacity(), b[2].capacity()};
      levels.put(lane, l);
      last.put(lane, now);
    }
    long elapsed = Math.max(0, now - last.get(lane));
    for (int i = 0; i < 3; i++) {
      if (b[i].limitPerMinute() > 0) {
        l[i] = Math.min(b[i].capacity(), l[i] + elapsed * (b[i].limitPerMinute() / 60e9));
      }
    }
    last.put(lane, now);
    return l;
  }

  @Override
  public synchronized long tryTake(String lane, Bucket[] buckets, double[] demand) {
    check();
    long now = nanos.getAsLong();
    double[] l = refill(lane, buckets, now);
    Long until = pausedUntil.get(lane);
    long wait = until == null ? 0 : Math.max(0, until - now);
    for (int i = 0; i < 3; i++) {
      Bucket b = buckets[i];
      if (b.limitPerMinute() <= 0) {
        continue;
      }
      double need = Math.min(demand[i], b.capacity());
      if (l[i] + 1e-9 < need) {
        wait = Math.max(wait, (long) Math.ceil((need - l[i]) / (b.limitPerMinute() / 60e9)));
      }
    }
    if (wait > 0) {
      return wait;
    }
    for (int i = 0; i < 3; i++) {
      if (buckets[i].limitPerMinute() > 0) {
        l[i] -= demand[i];
      }
    }
    return 0;
  }

  @Override
  public synchronized void adjust(String lane, Bucket[] buckets, double[] delta) {
    check();
    double[] l = refill(lane, buckets, nanos.getAsLong());
    for (int i = 0; i < 3; i++) {
      if (buckets[i].limitPerMinute() > 0) {
        l[i] = Math.min(buckets[i].capacity(), l[i] + delta[i]);
      }
    }
  }

  @Override
  public synchronized void pause(String lane, Bucket[] buckets, long pauseNanos, long marginNanos) {
    check();
    long now = nanos.getAsLong();
    double[] l = refill(lane, buckets, now);
    pausedUntil.merge(lane, now + pauseNanos, Math::max);
    if (marginNanos >= 0) {
      for (int i = 0; i < 3; i++) {
        if (buckets[i].limitPerMinute() > 0) {
          l[i] = Math.min(l[i], -marginNanos * (buckets[i].limitPerMinute() / 60e9));
        }
      }
    }
  }

  @Override
  public synchronized void clamp(String lane, Bucket[] buckets, double[] max) {
    check();
    double[] l = refill(lane, buckets, nanos.getAsLong());
    for (int i = 0; i < 3; i++) {
      if (buckets[i].limitPerMinute() > 0) {
        l[i] = Math.min(l[i], max[i]);
      }
    }
  }

  /** For assertions: a lane's levels now (NaN before its first use). */
  public synchronized double[] levels(String lane, Bucket[] buckets) {
    if (!levels.containsKey(lane)) {
      return new double[] {Double.NaN, Double.NaN, Double.NaN};
    }
    return refill(lane, buckets, nanos.getAsLong()).clone();
  }

  @Override
  public void close() {}
}
