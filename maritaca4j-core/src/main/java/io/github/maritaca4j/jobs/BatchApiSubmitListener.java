package io.github.maritaca4j.jobs;

/**
 * Told of each step of {@link BatchApiJob#submit}. Every method has an empty default. Calls come
 * one after the other, on the thread that called {@code submit}.
 */
public interface BatchApiSubmitListener {
  /** A part file was written. */
  default void onPartWritten(BatchApiJobState.Part part) {}

  /** A part was uploaded. */
  default void onUploaded(BatchApiJobState.Part part) {}

  /** A part's batch was created (or an existing one adopted). */
  default void onBatchCreated(BatchApiJobState.Part part, boolean adopted) {}
}
