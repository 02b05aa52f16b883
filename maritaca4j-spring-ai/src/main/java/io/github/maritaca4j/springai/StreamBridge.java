package io.github.maritaca4j.springai;

import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.ChatRequest;
import io.github.maritaca4j.ChatResult;
import io.github.maritaca4j.StreamHandler;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import reactor.core.publisher.FluxSink;

/**
 * Forwards one maritaca4j stream to a Reactor sink: each text piece as a response holding that
 * piece, then one last response with the complete tool calls, the finish reason and the metadata
 * (usage, cost, rate limit), then completion; or the Spring AI form of the error. Tool-call pieces
 * are not forwarded one by one: the last response carries each call whole, as Spring AI's
 * tool-calling advisor expects.
 *
 * <p>Threading: maritaca4j calls the handler one piece at a time, in order; the last response and
 * completion follow the last piece. Disposing of the sink (a cancelled subscription) cancels the
 * HTTP exchange.
 */
final class StreamBridge implements StreamHandler {
  private final FluxSink<ChatResponse> sink;
  private final ChatResponseMetadata chunkMetadata;

  private StreamBridge(FluxSink<ChatResponse> sink, ChatRequest request) {
    this.sink = sink;
    this.chunkMetadata = ChatResponseMetadata.builder().model(request.model()).build();
  }

  /** Starts streaming {@code request} into {@code sink}. */
  static void start(ChatMaritaca client, ChatRequest request, FluxSink<ChatResponse> sink) {
    StreamBridge bridge = new StreamBridge(sink, request);
    CompletableFuture<ChatResult> future;
    try {
      future = client.stream(request, bridge);
    } catch (RuntimeException e) {
      sink.error(Errors.toSpring(e));
      return;
    }
    sink.onDispose(() -> future.cancel(true));
    future.whenComplete(
        (result, error) -> {
          if (error != null) {
            sink.error(Errors.toSpring(error));
            return;
          }
          try {
            sink.next(Mapping.toLastChunk(result, request));
          } catch (RuntimeException e) {
            sink.error(e);
            return;
          }
          sink.complete();
        });
  }

  @Override
  public void onText(String delta) {
    if (delta == null || delta.isEmpty() || sink.isCancelled()) {
      return;
    }
    AssistantMessage message =
        AssistantMessage.builder().content(delta).properties(Map.of()).toolCalls(List.of()).build();
    sink.next(new ChatResponse(List.of(new Generation(message)), chunkMetadata));
  }
}
