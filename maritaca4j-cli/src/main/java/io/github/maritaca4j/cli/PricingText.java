package io.github.maritaca4j.cli;

import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.cost.Cost;
import io.github.maritaca4j.cost.PriceTable;
import io.github.maritaca4j.cost.PricingMode;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.Locale;

/** How the CLI names pricing modes, and what it says when the hour changes the price. */
final class PricingText {
  private PricingText() {}

  /** {@code standard}, {@code flex}, {@code batch} or {@code off-peak}. */
  static String name(PricingMode mode) {
    return mode.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The mode of an actual cost, for the summary: {@code off-peak prices}, or null for nothing. */
  static String actual(Cost cost) {
    if (cost.mode() != null) {
      return name(cost.mode()) + " prices";
    }
    return cost.total().signum() == 0 ? null : "several pricing modes";
  }

  /**
   * A note for an estimate at standard prices made while the off-peak window is open (answers
   * produced in it are billed below the estimate); null when there is nothing to say.
   */
  static String offPeakNote(ChatMaritaca client, Clock clock, PricingMode estimateMode) {
    if (estimateMode != PricingMode.STANDARD
        || PriceTable.modeFor(client.defaults().serviceTier(), clock.instant())
            != PricingMode.OFF_PEAK) {
      return null;
    }
    BigDecimal off =
        BigDecimal.ONE
            .subtract(client.priceTable().multiplier(PricingMode.OFF_PEAK))
            .movePointRight(2)
            .stripTrailingZeros();
    return "it is off-peak now ("
        + PriceTable.OFF_PEAK_START
        + "–"
        + PriceTable.OFF_PEAK_END
        + " Brasília time): answers produced before "
        + PriceTable.OFF_PEAK_END
        + " are billed "
        + off.toPlainString()
        + " % below standard prices, so the actual cost will be lower than this estimate";
  }
}
