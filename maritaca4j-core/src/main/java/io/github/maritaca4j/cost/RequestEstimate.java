package io.github.maritaca4j.cost;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * The estimated tokens and cost of one request, before sending it. Input tokens are counted (see
 * {@link TokenCounter#countRequest}) and priced as non-cached; output tokens are the request's
 * {@code max_tokens} (or a default), capped at the model's maximum output, so the output figure is
 * an upper bound. Amounts in BRL, exact. Immutable.
 *
 * @param inputTokens estimated prompt tokens
 * @param outputTokens output tokens assumed
 * @param inputCost cost of {@code inputTokens} at the non-cached input price in the pricing mode
 * @param outputCost cost of {@code outputTokens} at the output price in the pricing mode
 */
public record RequestEstimate(
    long inputTokens, long outputTokens, BigDecimal inputCost, BigDecimal outputCost) {

  public RequestEstimate {
    if (inputTokens < 0 || outputTokens < 0) {
      throw new IllegalArgumentException("token counts must not be negative");
    }
    Objects.requireNonNull(inputCost, "inputCost");
    Objects.requireNonNull(outputCost, "outputCost");
  }

  /** inputCost + outputCost. */
  public BigDecimal totalCost() {
    return inputCost.add(outputCost);
  }

  /** inputTokens + outputTokens. */
  public long totalTokens() {
    return inputTokens + outputTokens;
  }
}
