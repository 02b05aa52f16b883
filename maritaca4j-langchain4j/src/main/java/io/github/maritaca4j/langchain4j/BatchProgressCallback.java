package io.github.maritaca4j.langchain4j;

import dev.langchain4j.model.chat.response.ChatResponse;

/**
 * Told of each finished item of a batch run by {@link MaritacaChatModel}: the Python original's
 * {@code callback(completed, total, result)}, with LangChain4j responses.
 *
 * <p>Called exactly once per finished item, in completion order, with {@code completed} counting
 * 1..{@code total} ({@code total} fixed); calls never overlap and each happens-before the next.
 * {@code batchWithProgress} runs it on the calling thread. An exception it throws is logged and
 * ignored: the batch goes on.
 */
@FunctionalInterface
public interface BatchProgressCallback {

  /**
   * One more item finished.
   *
   * @param completed items finished so far, this one included (1..total)
   * @param total items in the batch
   * @param response this item's answer; null when it failed (only with {@code returnExceptions})
   */
  void onProgress(int completed, int total, ChatResponse response);
}
