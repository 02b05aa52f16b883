package io.github.maritaca4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.maritaca4j.cost.PriceTable;
import io.github.maritaca4j.cost.PricingMode;
import io.github.maritaca4j.internal.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pinned clocks the tests run on are where they claim to be, and far enough from the end of
 * their pricing window (off-peak is 22:00 to 06:00 in Brasília) that no test can cross into the
 * other one while it runs: clocks only move forward.
 */
class TestClocksTest {
  private static final Duration MARGIN = Duration.ofHours(6);

  private static PricingMode mode(Instant at) {
    return PriceTable.modeFor(ServiceTier.STANDARD, at);
  }

  private static void assertStaysInItsWindow(Instant at) {
    assertThat(mode(at.plus(MARGIN))).as("%s + %s", at, MARGIN).isEqualTo(mode(at));
  }

  @Test
  void theTwoWindowsAreStandardAndOffPeak() {
    assertThat(TestClocks.windows().map(TestClocks.Window::mode))
        .containsExactly(PricingMode.STANDARD, PricingMode.OFF_PEAK);
    assertThat(mode(TestClocks.PEAK)).isEqualTo(PricingMode.STANDARD);
    assertThat(mode(TestClocks.OFF_PEAK)).isEqualTo(PricingMode.OFF_PEAK);
    assertStaysInItsWindow(TestClocks.PEAK);
    assertStaysInItsWindow(TestClocks.OFF_PEAK);
  }

  @Test
  void tickingClocksStartAtTheirInstant() {
    Instant peak = TestClocks.peak().instant();
    Instant offPeak = TestClocks.offPeak().instant();
    assertThat(peak).isBetween(TestClocks.PEAK, TestClocks.PEAK.plusSeconds(60));
    assertThat(offPeak).isBetween(TestClocks.OFF_PEAK, TestClocks.OFF_PEAK.plusSeconds(60));
    assertThat(mode(peak)).isEqualTo(PricingMode.STANDARD);
    assertThat(mode(offPeak)).isEqualTo(PricingMode.OFF_PEAK);
  }

  @Test
  void theVirtualClocksStartAtPeakToo() {
    // the ManualClock's default (09:00 in Brasília) and the scripted tests' (12:00); the engine
    // tests advance virtual time by an hour at most
    for (Instant at : List.of(new ManualClock().instant(), Instant.parse("2026-11-28T15:00:00Z"))) {
      assertThat(mode(at)).as("%s", at).isEqualTo(PricingMode.STANDARD);
      assertStaysInItsWindow(at);
    }
  }
}
