package io.github.maritaca4j.jobs;

import java.util.List;

/**
 * What {@link BatchApiJob#downloadResults} did. Immutable.
 *
 * @param state the job's state afterwards
 * @param succeeded result lines appended to the output file
 * @param failed failure lines appended to the errors file (failed or expired requests, and output
 *     lines whose {@code status_code} is not 2xx)
 * @param duplicates lines skipped because their custom_id was already in the output or errors
 *     (written by an earlier run, or the server answered the same request twice)
 * @param pendingParts parts whose batch has not finished yet
 * @param missing requests of the finished parts that got no result line at all (a cancelled or
 *     failed batch): run them again with {@code batch run} or another submission
 * @param repairedBytes bytes of partial last lines cut off the output and errors files
 * @param ignored lines of the server's files skipped: unreadable, or for a custom_id that was never
 *     submitted in that batch
 * @param warnings what was ignored and why (at most {@value #MAX_WARNINGS}), and the validation
 *     errors of failed batches
 */
public record BatchApiResults(
    BatchApiJobState state,
    long succeeded,
    long failed,
    long duplicates,
    int pendingParts,
    long missing,
    long repairedBytes,
    long ignored,
    List<String> warnings) {

  /** The most warnings kept (one more line says that more were not shown). */
  public static final int MAX_WARNINGS = 20;

  public BatchApiResults {
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
  }
}
