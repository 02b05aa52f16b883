package io.github.maritaca4j.cost;

import io.github.maritaca4j.Usage;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Objects;

/**
 * An estimate next to what actually happened: estimated versus actual tokens and BRL, and the
 * difference of each in percent. Immutable.
 *
 * <p>Differences are {@code (estimated - actual) / actual × 100}: positive when the estimate was
 * high. The output estimate is {@code max_tokens}, an upper bound, so its difference is normally
 * large and positive; the input difference shows the token counter's accuracy (and the framing
 * assumptions in {@link TokenOverhead}); the cost difference mixes both, and the cache discount.
 *
 * @param model the model, or null when mixed
 * @param pricingMode the estimate's pricing mode
 * @param requests the number of requests estimated
 * @param estimatedInputTokens estimated input tokens
 * @param actualInputTokens prompt tokens the server reported (cached included)
 * @param actualCachedInputTokens the part of {@code actualInputTokens} served from the cache
 * @param estimatedOutputTokens output tokens assumed by the estimate
 * @param actualOutputTokens completion tokens the server reported
 * @param estimatedCost the estimate's total in BRL
 * @param actualCost the actual total in BRL
 */
public record CostReport(
    String model,
    PricingMode pricingMode,
    long requests,
    long estimatedInputTokens,
    long actualInputTokens,
    long actualCachedInputTokens,
    long estimatedOutputTokens,
    long actualOutputTokens,
    BigDecimal estimatedCost,
    BigDecimal actualCost) {

  public CostReport {
    Objects.requireNonNull(estimatedCost, "estimatedCost");
    Objects.requireNonNull(actualCost, "actualCost");
  }

  /** A batch estimate next to the summed usage and cost of its responses. */
  public static CostReport of(CostEstimate estimate, Usage actualUsage, Cost actualCost) {
    Objects.requireNonNull(estimate, "estimate");
    Objects.requireNonNull(actualUsage, "actualUsage");
    Objects.requireNonNull(actualCost, "actualCost");
    return new CostReport(
        estimate.model(),
        estimate.pricingMode(),
        estimate.totalRequests(),
        estimate.totalInputTokens(),
        actualUsage.promptTokens(),
        actualUsage.cachedPromptTokens(),
        estimate.totalOutputTokens(),
        actualUsage.completionTokens(),
        estimate.totalCost(),
        actualCost.total());
  }

  /** One request's estimate next to its response's usage and cost. */
  public static CostReport of(
      String model,
      PricingMode mode,
      RequestEstimate estimate,
      Usage actualUsage,
      Cost actualCost) {
    Objects.requireNonNull(estimate, "estimate");
    Objects.requireNonNull(actualUsage, "actualUsage");
    Objects.requireNonNull(actualCost, "actualCost");
    return new CostReport(
        model,
        mode,
        1,
        estimate.inputTokens(),
        actualUsage.promptTokens(),
        actualUsage.cachedPromptTokens(),
        estimate.outputTokens(),
        actualUsage.completionTokens(),
        estimate.totalCost(),
        actualCost.total());
  }

  /** Input tokens: (estimated - actual) / actual in percent; NaN when actual is 0. */
  public double inputTokensDifferencePercent() {
    return percent(estimatedInputTokens, actualInputTokens);
  }

  /** Output tokens: (estimated - actual) / actual in percent; NaN when actual is 0. */
  public double outputTokensDifferencePercent() {
    return percent(estimatedOutputTokens, actualOutputTokens);
  }

  /** Cost: (estimated - actual) / actual in percent; NaN when actual is 0. */
  public double costDifferencePercent() {
    if (actualCost.signum() == 0) {
      return Double.NaN;
    }
    return estimatedCost.subtract(actualCost).doubleValue() / actualCost.doubleValue() * 100.0;
  }

  /** A few lines for people, amounts rounded for display. */
  public String summary() {
    return String.format(
        Locale.ROOT,
        "%d requests to %s (%s)%n"
            + "  input tokens:  estimated %,d, actual %,d (%,d cached), difference %s%n"
            + "  output tokens: estimated %,d, actual %,d, difference %s%n"
            + "  cost:          estimated %s, actual %s, difference %s",
        requests,
        model == null ? "several models" : model,
        pricingMode,
        estimatedInputTokens,
        actualInputTokens,
        actualCachedInputTokens,
        percentText(inputTokensDifferencePercent()),
        estimatedOutputTokens,
        actualOutputTokens,
        percentText(outputTokensDifferencePercent()),
        Money.format(estimatedCost),
        Money.format(actualCost),
        percentText(costDifferencePercent()));
  }

  private static double percent(long estimated, long actual) {
    return actual == 0 ? Double.NaN : (estimated - actual) * 100.0 / actual;
  }

  private static String percentText(double p) {
    return Double.isNaN(p) ? "n/a" : String.format(Locale.ROOT, "%+.2f %%", p);
  }
}
