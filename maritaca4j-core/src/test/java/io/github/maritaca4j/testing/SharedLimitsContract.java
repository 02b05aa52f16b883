package io.github.maritaca4j.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.maritaca4j.batch.SharedLimits;
import io.github.maritaca4j.batch.SharedLimits.Bucket;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SharedLimits} must do, for implementations to extend ({@code
 * maritaca4j-redis}'s tests do). Buckets are slow (60 requests a minute, a burst of 3) so that the
 * few milliseconds a test takes refill nothing that matters.
 */
public abstract class SharedLimitsContract {
  /** 60 RPM, burst 3; no token limits. */
  protected static final Bucket[] RPM = new Bucket[] {new Bucket(60, 3), Bucket.NONE, Bucket.NONE};

  /** 60 RPM burst 3, 6,000 input tokens a minute burst 300, 600 output tokens burst 30. */
  protected static final Bucket[] ALL =
      new Bucket[] {new Bucket(60, 3), new Bucket(6_000, 300), new Bucket(600, 30)};

  /** The store under test (fresh or not: lanes are named uniquely). */
  protected abstract SharedLimits store();

  protected String lane() {
    return "maritaca4j:test-" + UUID.randomUUID() + ":sabia-4";
  }

  @Test
  void takesTheBurstThenSaysHowLongToWait() {
    SharedLimits s = store();
    String lane = lane();
    double[] one = {1, 0, 0};
    for (int i = 0; i < 3; i++) {
      assertThat(s.tryTake(lane, RPM, one)).as("request %d of the burst", i).isZero();
    }
    long wait = s.tryTake(lane, RPM, one);
    // one request a second: about a second until the next
    assertThat(wait).isBetween(800_000_000L, 1_000_000_000L);
  }

  @Test
  void takesFromEveryBucketAtOnceOrFromNone() {
    SharedLimits s = store();
    String lane = lane();
    assertThat(s.tryTake(lane, ALL, new double[] {1, 250, 10})).isZero();
    // the input bucket is short (50 left < 100): nothing is taken, not even the request
    assertThat(s.tryTake(lane, ALL, new double[] {1, 100, 10})).isPositive();
    assertThat(s.tryTake(lane, ALL, new double[] {1, 40, 10})).isZero();
    assertThat(s.tryTake(lane, ALL, new double[] {1, 0, 0})).isZero(); // the 3rd request
    assertThat(s.tryTake(lane, ALL, new double[] {1, 0, 0})).isPositive();
  }

  @Test
  void aDemandLargerThanTheBurstGoesWhenFullAndLeavesDebt() {
    SharedLimits s = store();
    String lane = lane();
    assertThat(s.tryTake(lane, ALL, new double[] {1, 500, 0})).isZero();
    long wait = s.tryTake(lane, ALL, new double[] {1, 1, 0});
    // 200 tokens of debt plus one, at 100 a second: about 2 s
    assertThat(wait).isBetween(1_900_000_000L, 2_100_000_000L);
  }

  @Test
  void adjustGivesBackNeverAboveTheBurstAndCharges() {
    SharedLimits s = store();
    String lane = lane();
    assertThat(s.tryTake(lane, ALL, new double[] {1, 300, 30})).isZero();
    s.adjust(lane, ALL, new double[] {0, 1_000, 0}); // a big refund: back to the burst, no more
    assertThat(s.tryTake(lane, ALL, new double[] {1, 300, 0})).isZero();
    s.adjust(lane, ALL, new double[] {-1, 0, 0}); // charged one more request
    assertThat(s.tryTake(lane, ALL, new double[] {1, 0, 0})).isPositive();
  }

  @Test
  void aPauseStopsEveryoneAndOnlyGrows() {
    SharedLimits s = store();
    String lane = lane();
    s.pause(lane, RPM, 5_000_000_000L, -1);
    long wait = s.tryTake(lane, RPM, new double[] {1, 0, 0});
    assertThat(wait).isBetween(4_500_000_000L, 5_000_000_000L);
    s.pause(lane, RPM, 1_000_000_000L, -1); // shorter: the longer one stays
    assertThat(s.tryTake(lane, RPM, new double[] {1, 0, 0})).isGreaterThan(4_000_000_000L);
  }

  @Test
  void withNoBucketsOnlyThePauseCounts() {
    SharedLimits s = store();
    String lane = lane();
    Bucket[] none = {Bucket.NONE, Bucket.NONE, Bucket.NONE};
    double[] nothing = {0, 0, 0};
    assertThat(s.tryTake(lane, none, nothing)).isZero();
    assertThat(s.tryTake(lane, none, nothing)).isZero();
    s.pause(lane, none, 3_000_000_000L, -1);
    assertThat(s.tryTake(lane, none, nothing)).isBetween(2_500_000_000L, 3_000_000_000L);
  }

  @Test
  void aPauseWithAMarginEmptiesTheBuckets() {
    SharedLimits s = store();
    String lane = lane();
    s.pause(lane, RPM, 0, 500_000_000L); // no pause, levels at -0.5 s worth
    long wait = s.tryTake(lane, RPM, new double[] {1, 0, 0});
    // from -0.5 to 1 request at one a second: about 1.5 s
    assertThat(wait).isBetween(1_300_000_000L, 1_500_000_000L);
  }

  @Test
  void clampLowersOnlyWhereAsked() {
    SharedLimits s = store();
    String lane = lane();
    s.clamp(lane, RPM, new double[] {1, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY});
    assertThat(s.tryTake(lane, RPM, new double[] {1, 0, 0})).isZero();
    assertThat(s.tryTake(lane, RPM, new double[] {1, 0, 0})).isPositive();
  }

  @Test
  void lanesAreIndependent() {
    SharedLimits s = store();
    String a = lane();
    String b = lane();
    for (int i = 0; i < 3; i++) {
      s.tryTake(a, RPM, new double[] {1, 0, 0});
    }
    assertThat(s.tryTake(a, RPM, new double[] {1, 0, 0})).isPositive();
    assertThat(s.tryTake(b, RPM, new double[] {1, 0, 0})).isZero();
  }
}
