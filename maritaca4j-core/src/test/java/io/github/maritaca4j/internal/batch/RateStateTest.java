package io.github.maritaca4j.internal.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.maritaca4j.RateLimitStatus;
import io.github.maritaca4j.batch.RateLimits;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What the rate state takes from the {@code x-ratelimit-*} headers. */
class RateStateTest {
  private static final long NOW = 1_000_000_000L;

  private static RateLimitStatus requests(long limit, long remaining, Duration reset) {
    return new RateLimitStatus(limit, remaining, reset, -1, -1, null);
  }

  private static RateLimitStatus tokens(long limit, long remaining, Duration reset) {
    return new RateLimitStatus(-1, -1, null, limit, remaining, reset);
  }

  @Test
  void anUnknownLimitBecomesABucketWithTheBurstFromRemainingPlusReset() {
    RateState st = new RateState(RateLimits.UNKNOWN, NOW);
    // 600 RPM = 10/s; 12 remain and the bucket is whole in 4.8 s: it holds 12 + 48 = 60
    st.observe(requests(600, 12, Duration.ofMillis(4_800)), NOW);
    assertThat(st.capacities()[0]).isEqualTo(60.0);
    assertThat(st.levels(NOW)[0]).isEqualTo(12.0);
    assertThat(st.needsInputTokens()).isFalse();
    // 48 requests more must wait for the refill: 1 s for 10
    assertThat(st.waitNanos(0, 0, NOW)).isZero();
  }

  @Test
  void roundingNeverRaisesTheCapacityAndLaterBoundsOnlyLowerIt() {
    RateState st = new RateState(RateLimits.UNKNOWN, NOW);
    st.observe(requests(600, 12, Duration.ofMillis(4_850)), NOW); // 60.5 -> 60
    assertThat(st.capacities()[0]).isEqualTo(60.0);
    st.observe(requests(600, 40, Duration.ofMillis(2_000)), NOW); // 60 again
    assertThat(st.capacities()[0]).isEqualTo(60.0);
    st.observe(requests(600, 40, Duration.ofMillis(1_500)), NOW); // 55: lower
    assertThat(st.capacities()[0]).isEqualTo(55.0);
    st.observe(requests(600, 50, Duration.ofMillis(5_000)), NOW); // 100: ignored
    assertThat(st.capacities()[0]).isEqualTo(55.0);
  }

  @Test
  void boundsThatDoNotDescribeABucketAreIgnored() {
    RateState st = new RateState(RateLimits.rpm(600), NOW);
    double before = st.capacities()[0];
    st.observe(requests(600, 0, Duration.ZERO), NOW); // zero capacity: nonsense
    st.observe(requests(600, 5_000, Duration.ZERO), NOW); // more than a minute's worth
    assertThat(st.capacities()[0]).isEqualTo(before);
  }

  @Test
  void theLevelNeverExceedsWhatTheServerSaysRemains() {
    RateState st = new RateState(RateLimits.rpm(600).withBurst(Duration.ofSeconds(6)), NOW);
    assertThat(st.levels(NOW)[0]).isGreaterThan(50);
    st.observe(requests(600, 3, null), NOW);
    assertThat(st.levels(NOW)[0]).isEqualTo(3.0);
    // and a remaining count above the client's own view changes nothing
    st.observe(requests(600, 59, null), NOW);
    assertThat(st.levels(NOW)[0]).isEqualTo(3.0);
    // a remaining count without the limit still refers to requests
    st.observe(requests(-1, 1, null), NOW);
    assertThat(st.levels(NOW)[0]).isEqualTo(1.0);
  }

  @Test
  void aServerLimitBelowTheConfiguredOneReplacesIt() {
    RateState st = new RateState(RateLimits.rpm(1_200).withBurst(Duration.ofSeconds(1)), NOW);
    st.observe(requests(600, 4, Duration.ofMillis(5_600)), NOW);
    // now paced at 10/s: 4 left, the fifth waits 100 ms
    for (int i = 0; i < 4; i++) {
      assertThat(st.waitNanos(0, 0, NOW)).isZero();
      st.take(0, 0, NOW);
    }
    assertThat(st.waitNanos(0, 0, NOW)).isCloseTo(100_000_000L, within(1_000L));
    // a higher server limit does not raise the configured one
    RateState low = new RateState(RateLimits.rpm(300), NOW);
    low.observe(requests(600, 10, null), NOW);
    assertThat(low.capacities()[0]).isLessThanOrEqualTo(300.0);
    low.take(0, 0, NOW);
    assertThat(low.levels(NOW)[0]).isCloseTo(9.0, within(1e-6));
  }

  @Test
  void tokenHeadersSetAnUnknownInputLimitButLeaveAnotherTokenLimitAlone() {
    RateState st = new RateState(RateLimits.UNKNOWN, NOW);
    st.observe(tokens(6_000, 100, Duration.ofMillis(5_000)), NOW); // 100/s: holds 600
    assertThat(st.needsInputTokens()).isTrue();
    assertThat(st.capacities()[1]).isEqualTo(600.0);
    assertThat(st.levels(NOW)[1]).isEqualTo(100.0);
    // a known TPM-in of 4,000 (lower than the 6,000 the headers name): the headers count
    // something else (say input and output together) and must not touch it
    RateState known = new RateState(RateLimits.of(0, 4_000, 0), NOW);
    double level = known.levels(NOW)[1];
    known.observe(tokens(6_000, 5, Duration.ofMillis(100)), NOW);
    assertThat(known.levels(NOW)[1]).isEqualTo(level);
  }

  @Test
  void noHeadersNoChange() {
    RateState st = new RateState(RateLimits.UNKNOWN, NOW);
    st.observe(new RateLimitStatus(-1, -1, null, -1, -1, null), NOW);
    assertThat(st.capacities()[0]).isNaN();
    assertThat(st.capacities()[1]).isNaN();
  }
}
