package io.github.maritaca4j.jobs;

import io.github.maritaca4j.Usage;
import io.github.maritaca4j.cost.Cost;
import java.time.Duration;

/**
 * The totals of one run of a {@link JsonlJob}. Immutable.
 *
 * @param planned requests this run set out to do
 * @param succeeded results written to the output file by this run
 * @param failed failures written to the errors file by this run
 * @param notRun requests left undone (stopped, or refused by the budget); a later run does them
 * @param alreadyDone requests found done before this run
 * @param usage tokens of this run's answers
 * @param cost actual cost of this run's answers, BRL
 * @param rateLimited 429 answers received
 * @param retries retries made (429s included)
 * @param wallTime how long the run took
 * @param stopped whether the run was stopped ({@link JsonlJob#stop()}) before the end
 * @param budgetExhausted whether the budget refused a request (the run stopped there)
 */
public record JobSummary(
    long planned,
    long succeeded,
    long failed,
    long notRun,
    long alreadyDone,
    Usage usage,
    Cost cost,
    long rateLimited,
    long retries,
    Duration wallTime,
    boolean stopped,
    boolean budgetExhausted) {

  /** Whether every request of the input is now in the output or errors file. */
  public boolean isComplete() {
    return notRun == 0;
  }
}
