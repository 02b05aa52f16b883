package io.github.maritaca4j.jobs;

import io.github.maritaca4j.ChatRequest;
import io.github.maritaca4j.ChatResult;
import io.github.maritaca4j.batch.BatchItem;
import io.github.maritaca4j.batch.BatchProgress;

/**
 * Events of a running {@link JsonlJob}. Every method has a default that does nothing (the
 * three-argument {@code onItemWritten} passes to the two-argument one): implement those you need.
 *
 * <p>Calls never overlap and each happens-before the next (they come from the batch engine's
 * serialised event delivery, on the client's executor, or, for reused answers, from the thread
 * reading the input). A method that throws is logged and ignored.
 */
public interface JobListener {

  /**
   * Item {@code customId} finished and its line was written (to the output file for a success, to
   * the errors file for a failure).
   */
  default void onItemWritten(String customId, BatchItem item) {}

  /**
   * Item {@code customId} finished and its line was written, with the request it ran (the input
   * line with the job's defaults applied). The job calls this method; by default it calls {@link
   * #onItemWritten(String, BatchItem)}.
   */
  default void onItemWritten(String customId, ChatRequest request, BatchItem item) {
    onItemWritten(customId, item);
  }

  /**
   * Item {@code customId} was answered without sending (at zero cost) and its line was written:
   * from the response cache ({@code duplicateOf} null) or with the answer of the identical request
   * {@code duplicateOf} of this run.
   */
  default void onItemReused(
      String customId, ChatRequest request, ChatResult result, String duplicateOf) {}

  /**
   * Running totals of this run (items done before it are not counted here); the requests answered
   * without sending count as completed.
   */
  default void onProgress(BatchProgress progress) {}
}
