package io.github.maritaca4j.internal;

import io.github.maritaca4j.ChatRequest;
import io.github.maritaca4j.ChatResult;
import java.util.concurrent.CompletableFuture;

/**
 * Sends one HTTP attempt of a chat request, with no retries. The future fails with a {@link
 * io.github.maritaca4j.errors.MaritacaException} (never wrapped twice). Internal API; thread-safe.
 */
@FunctionalInterface
public interface ChatSender {
  CompletableFuture<ChatResult> send(ChatRequest request);
}
