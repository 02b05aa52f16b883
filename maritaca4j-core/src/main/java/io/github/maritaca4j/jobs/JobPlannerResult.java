package io.github.maritaca4j.jobs;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What {@link JobPlanner#plan} found: each way to run the job, and the one recommended with the
 * reason. Immutable.
 *
 * @param now the instant the plan was made at
 * @param deadline the deadline; null when none
 * @param budget the budget in BRL; null when none
 * @param profile the job planned
 * @param ways one estimate per {@link RunWay}, in the enum's order
 * @param recommended the way recommended
 * @param reason why, in one sentence
 */
public record JobPlannerResult(
    Instant now,
    Instant deadline,
    BigDecimal budget,
    JobProfile profile,
    List<WayEstimate> ways,
    RunWay recommended,
    String reason) {

  public JobPlannerResult {
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(profile, "profile");
    ways = List.copyOf(ways);
    Objects.requireNonNull(recommended, "recommended");
    Objects.requireNonNull(reason, "reason");
  }

  /** The estimate of {@code way}. */
  public WayEstimate way(RunWay way) {
    return ways.stream()
        .filter(w -> w.way() == way)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no estimate for " + way));
  }

  /** The estimate of the recommended way. */
  public WayEstimate recommendation() {
    return way(recommended);
  }
}
