package io.github.maritaca4j.cost;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Objects;

/**
 * The estimated tokens and cost of a batch, before running it: the fields of the Python original's
 * {@code abatch_estimate_cost} plus the model and pricing mode used. Input tokens are counted,
 * output tokens are each request's {@code max_tokens} (or the default given), capped at the model's
 * maximum output; input is priced as non-cached. Amounts in BRL, exact (round only for display, see
 * {@link Money}). Immutable.
 *
 * @param model the model every request uses; {@code null} when the batch is empty or mixes models
 *     (each request is still priced with its own model)
 * @param pricingMode the pricing mode applied
 * @param totalRequests number of requests
 * @param totalInputTokens estimated input tokens over all requests
 * @param totalOutputTokens output tokens assumed over all requests
 * @param totalInputCost cost of the input tokens
 * @param totalOutputCost cost of the output tokens
 * @param totalCost totalInputCost + totalOutputCost
 */
public record CostEstimate(
    String model,
    PricingMode pricingMode,
    long totalRequests,
    long totalInputTokens,
    long totalOutputTokens,
    BigDecimal totalInputCost,
    BigDecimal totalOutputCost,
    BigDecimal totalCost) {

  public CostEstimate {
    Objects.requireNonNull(pricingMode, "pricingMode");
    Objects.requireNonNull(totalInputCost, "totalInputCost");
    Objects.requireNonNull(totalOutputCost, "totalOutputCost");
    Objects.requireNonNull(totalCost, "totalCost");
    if (totalRequests < 0 || totalInputTokens < 0 || totalOutputTokens < 0) {
      throw new IllegalArgumentException("counts must not be negative");
    }
  }

  /** The estimate of an empty batch. */
  public static CostEstimate empty(PricingMode mode) {
    return new CostEstimate(null, mode, 0, 0, 0, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);
  }

  /** Whether the requests use more than one model ({@link #model()} is then null). */
  public boolean isMixedModels() {
    return model == null && totalRequests > 0;
  }

  /** totalInputTokens + totalOutputTokens. */
  public long totalTokens() {
    return totalInputTokens + totalOutputTokens;
  }

  /** One line for people: counts and the total in BRL rounded for display. */
  public String summary() {
    return String.format(
        Locale.ROOT,
        "%d requests to %s (%s): %,d input + %,d output tokens, %s",
        totalRequests,
        model == null ? (totalRequests == 0 ? "no model" : "several models") : model,
        pricingMode,
        totalInputTokens,
        totalOutputTokens,
        Money.format(totalCost));
  }
}
