package io.github.maritaca4j.cost;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * Display helpers for amounts in BRL. Amounts stay exact everywhere in this library; round only
 * when showing them.
 */
public final class Money {

  /** Decimal places used by {@link #format(BigDecimal)}: LLM calls cost fractions of a centavo. */
  public static final int DISPLAY_SCALE = 6;

  private Money() {}

  /** {@code amount} rounded half-even to whole centavos (2 decimal places). */
  public static BigDecimal centavos(BigDecimal amount) {
    return Objects.requireNonNull(amount, "amount").setScale(2, RoundingMode.HALF_EVEN);
  }

  /** {@code amount} rounded half-even to {@code decimals} places. */
  public static BigDecimal round(BigDecimal amount, int decimals) {
    return Objects.requireNonNull(amount, "amount").setScale(decimals, RoundingMode.HALF_EVEN);
  }

  /** {@code "R$ 0.012345"}: rounded half-even to {@value #DISPLAY_SCALE} decimal places. */
  public static String format(BigDecimal amount) {
    return "R$ " + round(amount, DISPLAY_SCALE).toPlainString();
  }

  /** The same value without trailing zeros and never with a negative scale. */
  static BigDecimal canonical(BigDecimal d) {
    if (d.signum() == 0) {
      return BigDecimal.ZERO;
    }
    BigDecimal s = d.stripTrailingZeros();
    return s.scale() < 0 ? s.setScale(0) : s;
  }
}
