package io.github.maritaca4j.batch;

import io.github.maritaca4j.errors.BudgetExceededException;
import io.github.maritaca4j.errors.MaritacaException;
import java.time.Duration;

/**
 * Events of a running batch, for logging, metrics, dashboards and streaming consumption of results.
 * Every method has an empty default: override what you need.
 *
 * <p><b>Order and threads.</b> Events are delivered one at a time, in the order they happened, each
 * call happening-before the next; calls never overlap, together with the {@link ProgressCallback}
 * of the same batch. They run on the client's executor, except for the synchronous {@code
 * batchWithProgress}, which runs them on its calling thread. The batch's future completes only
 * after the last event was delivered. Events are queued, not awaited: a slow listener delays later
 * events, never the requests.
 *
 * <p><b>Exceptions.</b> An exception thrown by a listener method is logged (slf4j, WARN, logger
 * {@code io.github.maritaca4j.batch}) and ignored: the batch goes on and no result is lost.
 *
 * <p><b>Streaming.</b> {@link #onItemCompleted(BatchItem)} receives every finished item with its
 * index, in completion order: with the iterator form of {@code batch(...)} it is the only place the
 * results go (nothing is kept).
 */
public interface BatchListener {

  /** A request for item {@code index} is being sent; {@code attempt} counts from 1. */
  default void onItemStarted(int index, int attempt) {}

  /**
   * Attempt {@code attempt} of item {@code index} failed with a retryable {@code reason} and will
   * be tried again after {@code delay} (for a 429, the shared pause).
   */
  default void onItemRetried(int index, MaritacaException reason, int attempt, Duration delay) {}

  /**
   * The server answered 429 to item {@code index}: sending is paused for the whole batch for {@code
   * pause} (the server's hint, or a backoff when it gave none).
   */
  default void onRateLimited(int index, Duration pause) {}

  /** Item {@code index} got its answer. */
  default void onItemSucceeded(BatchItem item) {}

  /** Item {@code index} failed for good (also reported with returnExceptions off). */
  default void onItemFailed(BatchItem item) {}

  /**
   * Item {@code index} was not sent because its worst-case cost does not fit in what is left of the
   * budget, with nothing else in flight. Followed by {@link #onItemFailed(BatchItem)}.
   */
  default void onBudgetExhausted(int index, BudgetExceededException error) {}

  /** Every finished item, success or failure, in completion order, with its index. */
  default void onItemCompleted(BatchItem item) {}

  /** Running totals, after each finished item. */
  default void onProgress(BatchProgress progress) {}
}
