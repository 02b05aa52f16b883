package io.github.maritaca4j;

/**
 * A model the server offers, as {@code GET /models} describes it. Immutable.
 *
 * @param id the model id to send, e.g. {@code sabia-4}
 * @param ownedBy the owner the server names, or null
 * @param created when the model was created, seconds since the epoch, or 0 when not given
 * @param contextLength the context window in tokens ({@code context_length}, else {@code
 *     top_provider.context_length}), or 0 when not given
 * @param maxCompletionTokens the most output tokens of one answer ({@code
 *     top_provider.max_completion_tokens}), or 0 when not given
 */
public record ModelInfo(
    String id, String ownedBy, long created, long contextLength, long maxCompletionTokens) {

  public ModelInfo {
    java.util.Objects.requireNonNull(id, "id");
  }
}
