package io.github.maritaca4j.batch;

import io.github.maritaca4j.ChatResult;

/**
 * Told of each finished item of a batch: the Python original's {@code callback(completed, total,
 * result)}.
 *
 * <p><b>Calls.</b> Exactly once per finished item, in completion order, with {@code completed}
 * counting 1, 2, ... up to {@code total} (fixed for the whole batch). Calls never overlap, and each
 * call happens-before the next, so a callback may keep plain (non-volatile) state.
 *
 * <p><b>Failed items.</b> With {@link BatchOptions#returnExceptions() returnExceptions(true)} a
 * failed item is reported too, with {@code result == null} (the error is in the {@link
 * BatchResult}, and {@link BatchListener#onItemFailed(BatchItem)} receives it as it happens). With
 * {@code returnExceptions(false)} the first failure ends the batch and is not reported here.
 *
 * <p><b>Threads.</b> {@code batchWithProgress} is synchronous and runs the callback on the thread
 * that called it (interleaved with the {@link BatchListener}'s events, never concurrently); it
 * returns only after the last callback returned. For asynchronous batches use a {@link
 * BatchListener}: its {@code onItemCompleted} and {@code onProgress} run on the client's executor.
 *
 * <p><b>Exceptions.</b> An exception thrown by the callback is logged (slf4j, WARN, logger {@code
 * io.github.maritaca4j.batch}) and otherwise ignored: the batch goes on and no result is lost.
 */
@FunctionalInterface
public interface ProgressCallback {

  /**
   * One more item finished.
   *
   * @param completed items finished so far, this one included (1..total)
   * @param total items in the batch
   * @param result this item's answer; null when it failed (only with {@code returnExceptions})
   */
  void onProgress(int completed, int total, ChatResult result);
}
