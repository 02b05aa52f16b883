package io.github.maritaca4j.jobs;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What one {@link RunWay} would cost and when it would finish: one row of a {@link
 * JobPlannerResult}. Amounts in BRL, exact. Immutable.
 *
 * @param way the way
 * @param cost the estimate: counted input tokens (with the likely prompt-cache hits at the cached
 *     price for the real-time ways), the assumed output tokens, at the way's prices
 * @param worstCaseCost the most it can cost: input tokens + 10 %, none cached, and every request's
 *     {@code max_tokens} (else the model's maximum output)
 * @param cacheSavings what the likely prompt-cache hits take off {@code cost} (0 for the Batch API,
 *     where none is assumed)
 * @param sendingTime how long sending everything takes at the account's limits (the slowest of RPM,
 *     TPM in and TPM out decides, model by model); null when the limits are not known. For the
 *     Batch API: the completion window times the days the daily quota needs
 * @param start when the way starts (now, or the next off-peak window)
 * @param finish when it is done at the latest the plan can tell (the Batch API: the end of its
 *     window); null when not known
 * @param limitedBy what limits the speed ("RPM of sabia-4"), or why the time is not known
 * @param meetsDeadline whether {@code finish} is by the deadline; null without a deadline or when
 *     the finish is not known
 * @param withinBudget whether {@code cost} is within the budget; null without a budget
 * @param notes what else the user should know (quotas, files, capacity)
 */
public record WayEstimate(
    RunWay way,
    BigDecimal cost,
    BigDecimal worstCaseCost,
    BigDecimal cacheSavings,
    Duration sendingTime,
    Instant start,
    Instant finish,
    String limitedBy,
    Boolean meetsDeadline,
    Boolean withinBudget,
    List<String> notes) {

  public WayEstimate {
    Objects.requireNonNull(way, "way");
    Objects.requireNonNull(cost, "cost");
    Objects.requireNonNull(worstCaseCost, "worstCaseCost");
    Objects.requireNonNull(cacheSavings, "cacheSavings");
    Objects.requireNonNull(start, "start");
    notes = notes == null ? List.of() : List.copyOf(notes);
  }

  /** Whether it meets both the deadline and the budget (a missing one counts as met). */
  public boolean fits() {
    return !Boolean.FALSE.equals(meetsDeadline) && !Boolean.FALSE.equals(withinBudget);
  }
}
