package io.github.maritaca4j.langchain4j;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.github.maritaca4j.ChatRequest;
import io.github.maritaca4j.ChatResult;
import io.github.maritaca4j.Message;
import io.github.maritaca4j.batch.BatchItem;
import io.github.maritaca4j.batch.BatchResult;
import io.github.maritaca4j.batch.ProgressCallback;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.IntFunction;

/** Conversions for the batch methods of {@link MaritacaChatModel}. Stateless. */
final class Batches {
  private Batches() {}

  /**
   * The conversations in maritaca4j's form.
   *
   * @throws dev.langchain4j.exception.InvalidRequestException for a null or empty conversation, or
   *     a message that cannot be sent
   */
  static List<List<Message>> messages(List<List<ChatMessage>> inputs) {
    Objects.requireNonNull(inputs, "inputs");
    List<List<Message>> out = new ArrayList<>(inputs.size());
    for (int i = 0; i < inputs.size(); i++) {
      List<ChatMessage> conversation = inputs.get(i);
      try {
        if (conversation == null || conversation.isEmpty()) {
          throw new IllegalArgumentException("inputs[" + i + "] has no messages");
        }
        out.add(Mapping.toMessages(conversation));
      } catch (IllegalArgumentException | IllegalStateException e) {
        throw Exceptions.invalidRequest(e);
      }
    }
    return out;
  }

  static List<ChatResponse> responses(List<ChatResult> results, ChatRequest template) {
    List<ChatResponse> out = new ArrayList<>(results.size());
    for (ChatResult r : results) {
      out.add(Mapping.toResponse(r, template));
    }
    return List.copyOf(out);
  }

  /** The result with LangChain4j responses; {@code requestOf} gives item i's request. */
  static MaritacaBatchResult result(BatchResult result, IntFunction<ChatRequest> requestOf) {
    List<MaritacaBatchResult.Item> items = new ArrayList<>(result.size());
    for (BatchItem item : result) {
      items.add(
          item.isSuccess()
              ? new MaritacaBatchResult.Item(
                  item.index(),
                  Mapping.toResponse(item.result(), requestOf.apply(item.index())),
                  null,
                  item)
              : new MaritacaBatchResult.Item(
                  item.index(), null, Exceptions.map(item.error()), item));
    }
    return new MaritacaBatchResult(items, result);
  }

  static ProgressCallback progress(BatchProgressCallback callback, ChatRequest template) {
    if (callback == null) {
      return null;
    }
    return (completed, total, result) ->
        callback.onProgress(
            completed, total, result == null ? null : Mapping.toResponse(result, template));
  }

  /**
   * A future completing with {@code fn} of {@code inner}'s value, or failing with the LangChain4j
   * form of its failure; cancelling it cancels {@code inner}.
   */
  static <T, U> CompletableFuture<U> mapped(CompletableFuture<T> inner, Function<T, U> fn) {
    CompletableFuture<U> outer = new CompletableFuture<>();
    inner.whenComplete(
        (value, error) -> {
          if (error != null) {
            outer.completeExceptionally(Exceptions.toLangChain4j(error));
            return;
          }
          try {
            outer.complete(fn.apply(value));
          } catch (RuntimeException e) {
            outer.completeExceptionally(e);
          }
        });
    outer.whenComplete(
        (value, error) -> {
          if (outer.isCancelled()) {
            inner.cancel(true);
          }
        });
    return outer;
  }
}
