package io.github.maritaca4j.cost;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * The cost of one response (or a sum of many) in BRL, exact. Immutable.
 *
 * @param input cost of the non-cached input tokens
 * @param cachedInput cost of the cached input tokens
 * @param output cost of the output tokens
 * @param mode the pricing mode applied ({@code null} for a sum over mixed modes)
 */
public record Cost(BigDecimal input, BigDecimal cachedInput, BigDecimal output, PricingMode mode) {

  /** Nothing spent. */
  public static final Cost ZERO = new Cost(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, null);

  public Cost {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(cachedInput, "cachedInput");
    Objects.requireNonNull(output, "output");
  }

  /** input + cachedInput + output, in BRL. */
  public BigDecimal total() {
    return input.add(cachedInput).add(output);
  }

  /** The sum of this and {@code other}; the mode is kept only when both agree. */
  public Cost plus(Cost other) {
    return new Cost(
        input.add(other.input),
        cachedInput.add(other.cachedInput),
        output.add(other.output),
        mode == other.mode || other == ZERO ? mode : (this == ZERO ? other.mode : null));
  }
}
