package io.github.maritaca4j.batch;

import io.github.maritaca4j.Usage;
import io.github.maritaca4j.cost.Cost;
import io.github.maritaca4j.cost.Money;
import java.time.Duration;
import java.util.Locale;

/**
 * The totals of a finished batch. Immutable. Its {@link #toString()} is one line for people, as
 * {@link io.github.maritaca4j.cost.CostEstimate#summary()} is:
 *
 * <pre>
 * 40 requests: 39 ok, 1 failed; 790 input + 1,608 output tokens, R$ 0.025300 (OFF_PEAK); 2 retries, 1 rate limited (429); 3.2 s
 * </pre>
 *
 * @param total items in the batch
 * @param succeeded items with a result
 * @param failed items with an error
 * @param usage summed token usage of the answers
 * @param cost summed actual cost of the answers, BRL
 * @param rateLimited 429 answers received
 * @param retries retries made (429s included)
 * @param wallTime from the start of the batch to its end
 */
public record BatchSummary(
    int total,
    int succeeded,
    int failed,
    Usage usage,
    Cost cost,
    long rateLimited,
    long retries,
    Duration wallTime) {

  /**
   * One line for people: requests ok and failed, tokens (cached input when any), the actual cost in
   * BRL rounded for display with its pricing mode ({@code several pricing modes} for a sum over
   * more than one; none when nothing was billed), retries, 429s and wall time.
   */
  @Override
  public String toString() {
    String mode =
        cost.total().signum() == 0
            ? ""
            : cost.mode() != null ? " (" + cost.mode() + ")" : " (several pricing modes)";
    return String.format(
        Locale.ROOT,
        "%,d request%s: %,d ok, %,d failed; %,d input%s + %,d output tokens, %s%s;"
            + " %,d retr%s, %,d rate limited (429); %s",
        total,
        total == 1 ? "" : "s",
        succeeded,
        failed,
        usage.promptTokens(),
        usage.cachedPromptTokens() > 0
            ? String.format(Locale.ROOT, " (%,d cached)", usage.cachedPromptTokens())
            : "",
        usage.completionTokens(),
        Money.format(cost.total()),
        mode,
        retries,
        retries == 1 ? "y" : "ies",
        rateLimited,
        duration(wallTime));
  }

  /** {@code 840 ms}, {@code 3.2 s}, {@code 4m13s}, {@code 2h05m}. */
  private static String duration(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + " ms";
    }
    if (ms < 60_000) {
      return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
    long s = d.toSeconds();
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
  }
}
