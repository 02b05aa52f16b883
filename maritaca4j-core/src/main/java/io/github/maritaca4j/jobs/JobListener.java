package io.github.maritaca4j.jobs;

import io.github.maritaca4j.batch.BatchItem;
import io.github.maritaca4j.batch.BatchProgress;

/**
 * Events of a running {@link JsonlJob}. Every method has an empty default.
 *
 * <p>Calls never overlap and each happens-before the next (they come from the batch engine's
 * serialised event delivery, on the client's executor). A method that throws is logged and ignored.
 */
public interface JobListener {

  /**
   * Item {@code customId} finished and its line was written (to the output file for a success, to
   * the errors file for a failure).
   */
  default void onItemWritten(String customId, BatchItem item) {}

  /** Running totals of this run (items done before it are not counted here). */
  default void onProgress(BatchProgress progress) {}
}
