package io.github.maritaca4j;

import java.util.Objects;

/**
 * One of the answers in a response (there are several only when {@code n > 1}). Immutable.
 *
 * @param index the choice's index
 * @param message the assistant message (text and/or tool calls)
 * @param finishReason why generation stopped
 */
public record Choice(int index, Message message, FinishReason finishReason) {
  public Choice {
    Objects.requireNonNull(message, "message");
    finishReason = finishReason == null ? FinishReason.OTHER : finishReason;
  }
}
