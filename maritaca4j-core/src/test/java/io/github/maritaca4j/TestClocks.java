package io.github.maritaca4j;

import io.github.maritaca4j.cost.PriceTable;
import io.github.maritaca4j.cost.PricingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;

/**
 * Wall clocks pinned to an hour, so that no test depends on when it runs. Off-peak prices apply
 * from 22:00 to 06:00 Brasília time: {@link #PEAK} is noon there, {@link #OFF_PEAK} 23:00. A test
 * whose result depends on the pricing window runs at both ({@link #windows()}); every other test
 * that prices, budgets or estimates runs at {@link #PEAK}.
 */
public final class TestClocks {
  /** Wednesday 2026-01-07, 12:00 in Brasília (15:00 UTC): standard prices. */
  public static final Instant PEAK = Instant.parse("2026-01-07T15:00:00Z");

  /** Wednesday 2026-01-07, 23:00 in Brasília (02:00 UTC the next day): off-peak prices. */
  public static final Instant OFF_PEAK = Instant.parse("2026-01-08T02:00:00Z");

  private TestClocks() {}

  /** A clock that starts at {@code start} now and ticks at the real rate (HTTP dates stay sane). */
  public static Clock ticking(Instant start) {
    return Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), start));
  }

  /** A ticking clock at noon in Brasília. */
  public static Clock peak() {
    return ticking(PEAK);
  }

  /** A ticking clock at 23:00 in Brasília. */
  public static Clock offPeak() {
    return ticking(OFF_PEAK);
  }

  /** The two windows, for {@code @MethodSource}: each a named instant. */
  public static Stream<Window> windows() {
    return Stream.of(new Window("peak", PEAK), new Window("off-peak", OFF_PEAK));
  }

  /** An instant in one pricing window. */
  public record Window(String name, Instant start) {
    /** A ticking clock from this window's instant. */
    public Clock clock() {
      return ticking(start);
    }

    /** The mode a real-time, non-flex request is billed at in this window. */
    public PricingMode mode() {
      return PriceTable.modeFor(ServiceTier.STANDARD, start);
    }

    @Override
    public String toString() {
      return name;
    }
  }
}
