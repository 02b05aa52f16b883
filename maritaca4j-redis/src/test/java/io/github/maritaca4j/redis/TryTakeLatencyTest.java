package io.github.maritaca4j.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.maritaca4j.batch.SharedLimits.Bucket;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The numbers of docs/adr/0002: 10,000 {@code tryTake} calls (three buckets, each granted) against
 * a local {@code redis-server}, one at a time, with their latency's median and 99th percentile and
 * the round trips they cost. Printed to the test's output; the bounds asserted are loose (a shared
 * two-core machine), the round trips exact.
 */
class TryTakeLatencyTest {
  static final int CALLS = 10_000;

  @Test
  void tenThousandTakesOneRoundTripEach() {
    // limits high enough that nothing is ever short: every call takes from all three buckets
    Bucket[] buckets = {
      new Bucket(10_000_000, 1_000_000),
      new Bucket(1_000_000_000, 100_000_000),
      new Bucket(100_000_000, 10_000_000)
    };
    double[] demand = {1, 250, 30};
    try (RedisServer server = RedisServer.startOrSkip();
        RedisSharedLimits s = RedisSharedLimits.connect(server.url());
        RedisSharedLimitsTest.Admin admin = new RedisSharedLimitsTest.Admin(server.url())) {
      String lane = "maritaca4j:latency-" + UUID.randomUUID() + ":sabia-4";
      for (int i = 0; i < 2_000; i++) {
        s.tryTake(lane, buckets, demand); // warm-up (JIT, connection)
      }
      long before = admin.calls("evalsha") + admin.calls("eval");
      long[] nanos = new long[CALLS];
      long start = System.nanoTime();
      for (int i = 0; i < CALLS; i++) {
        long t = System.nanoTime();
        long wait = s.tryTake(lane, buckets, demand);
        nanos[i] = System.nanoTime() - t;
        assertThat(wait).isZero();
      }
      long wall = System.nanoTime() - start;
      long roundTrips = admin.calls("evalsha") + admin.calls("eval") - before;
      Arrays.sort(nanos);
      long p50 = nanos[CALLS / 2];
      long p99 = nanos[(int) (CALLS * 0.99)];
      System.out.printf(
          "tryTake x %,d: median %d µs, p99 %d µs, max %d µs, %.0f calls/s, %.2f round trips"
              + " per call%n",
          CALLS,
          p50 / 1_000,
          p99 / 1_000,
          nanos[CALLS - 1] / 1_000,
          CALLS / (wall / 1e9),
          roundTrips / (double) CALLS);
      assertThat(roundTrips).isEqualTo(CALLS);
      assertThat(p50).isLessThan(5_000_000L);
    }
  }
}
