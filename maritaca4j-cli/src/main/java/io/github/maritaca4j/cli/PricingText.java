package io.github.maritaca4j.cli;

import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.cost.Cost;
import io.github.maritaca4j.cost.PriceTable;
import io.github.maritaca4j.cost.PricingMode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Clock;
import java.util.Locale;

/** How the CLI names pricing modes, and what it says when the hour changes the price. */
final class PricingText {
  private PricingText() {}

  /** For people: {@code standard}, {@code flex}, {@code batch} or {@code off-peak}. */
  static String name(PricingMode mode) {
    return mode.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** For JSON: {@code standard}, {@code flex}, {@code batch} or {@code off_peak}. */
  static String jsonName(PricingMode mode) {
    return mode.name().toLowerCase(Locale.ROOT);
  }

  /**
   * The mode of an actual cost, for the summary: {@code off-peak prices}, {@code several pricing
   * modes} for a sum over more than one, or null when nothing was billed.
   */
  static String actual(Cost cost) {
    if (cost.total().signum() == 0) {
      return null;
    }
    return cost.mode() != null ? name(cost.mode()) + " prices" : "several pricing modes";
  }

  /**
   * The mode of an actual cost, for JSON: a {@link #jsonName} or {@code mixed}; null when nothing
   * was billed.
   */
  static String actualJson(Cost cost) {
    if (cost.total().signum() == 0) {
      return null;
    }
    return cost.mode() != null ? jsonName(cost.mode()) : "mixed";
  }

  /** The mode a real-time request with the client's defaults would be billed at now. */
  static PricingMode now(ChatMaritaca client, Clock clock) {
    return PriceTable.modeFor(client.defaults().serviceTier(), clock.instant());
  }

  /**
   * A note for an estimate at standard prices made while the off-peak window is open (answers
   * produced in it are billed below the estimate's prices); null when there is nothing to say.
   */
  static String offPeakNote(ChatMaritaca client, Clock clock, PricingMode estimateMode) {
    if (estimateMode != PricingMode.STANDARD || now(client, clock) != PricingMode.OFF_PEAK) {
      return null;
    }
    BigDecimal offPeak = client.priceTable().multiplier(PricingMode.OFF_PEAK);
    BigDecimal standard = client.priceTable().multiplier(PricingMode.STANDARD);
    if (standard.signum() <= 0 || offPeak.compareTo(standard) >= 0) {
      return null; // a price table without an off-peak discount
    }
    BigDecimal off =
        BigDecimal.ONE
            .subtract(offPeak.divide(standard, MathContext.DECIMAL64))
            .movePointRight(2)
            .setScale(1, RoundingMode.HALF_EVEN)
            .stripTrailingZeros();
    return "it is off-peak now ("
        + PriceTable.OFF_PEAK_START
        + "–"
        + PriceTable.OFF_PEAK_END
        + " Brasília time): answers produced before "
        + PriceTable.OFF_PEAK_END
        + " are billed "
        + off.toPlainString()
        + " % below the standard prices of this estimate";
  }
}
