package io.github.maritaca4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RecentRateTest {
  private static final long S = 1_000_000_000L;

  @Test
  void aFastStartDoesNotMakeTheRateOfAPacedRunOptimistic() {
    // 120 done in the first second (the burst), then 20 a second for a minute
    RecentRate r = new RecentRate(0);
    assertThat(r.update(S, 120)).isCloseTo(120.0, within(1e-9));
    double rate = 0;
    for (int t = 2; t <= 60; t++) {
      rate = r.update(t * S, 120 + 20L * (t - 1));
    }
    // the average since the start says (120 + 1180) / 60 = 21.7 a second, and promised far more
    // early on; the last 30 s say exactly 20
    assertThat(rate).isCloseTo(20.0, within(1e-9));
  }

  @Test
  void earlyOnItIsTheAverageSinceTheStart() {
    RecentRate r = new RecentRate(0);
    assertThat(r.update(2 * S, 100)).isCloseTo(50.0, within(1e-9));
    assertThat(r.update(4 * S, 120)).isCloseTo(30.0, within(1e-9));
  }

  @Test
  void aPauseLowersTheRate() {
    RecentRate r = new RecentRate(0);
    for (int t = 1; t <= 30; t++) {
      r.update(t * S, 10L * t);
    }
    double during = 0;
    for (int t = 31; t <= 45; t++) {
      during = r.update(t * S, 300); // nothing done for 15 s (a long 429 pause)
    }
    assertThat(during).isLessThan(6.0);
    assertThat(r.update(46 * S, 300)).isGreaterThanOrEqualTo(0.0);
  }

  @Test
  void nothingKnownIsZero() {
    assertThat(new RecentRate(0).update(0, 0)).isZero();
  }
}
