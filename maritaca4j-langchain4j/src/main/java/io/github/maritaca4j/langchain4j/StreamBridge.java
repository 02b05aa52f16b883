package io.github.maritaca4j.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import io.github.maritaca4j.ChatResult;
import io.github.maritaca4j.StreamHandler;
import io.github.maritaca4j.ToolCall;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards one maritaca4j stream to a LangChain4j handler: text pieces as partial responses, tool
 * call pieces as partial tool calls, each tool call as a complete one once the next starts or the
 * stream ends, then the complete response, or the error.
 *
 * <p>Threading: maritaca4j calls the {@link StreamHandler} methods one at a time, in order; the
 * final callback runs when the future completes, after the last of them. An exception thrown by the
 * LangChain4j handler goes to its {@code onError} and the stream goes on (LangChain4j's
 * convention). After {@link StreamingHandle#cancel()} the handler hears nothing more.
 */
final class StreamBridge implements StreamHandler, StreamingHandle {
  private static final Logger LOG = LoggerFactory.getLogger(StreamBridge.class);

  private final StreamingChatResponseHandler handler;
  private final AtomicReference<CompletableFuture<?>> future = new AtomicReference<>();
  private volatile boolean cancelled;

  // touched only by the stream's callbacks, which never overlap
  private final TreeMap<Integer, PendingCall> calls = new TreeMap<>();
  private int current = -1;

  StreamBridge(StreamingChatResponseHandler handler) {
    this.handler = handler;
  }

  private static final class PendingCall {
    String id;
    String name;
    final StringBuilder arguments = new StringBuilder();
    boolean completed;
  }

  /** Ties the bridge to the stream's future (cancelled at once if the handle already was). */
  void attach(CompletableFuture<?> f) {
    future.set(f);
    if (cancelled) {
      f.cancel(true);
    }
  }

  @Override
  public void cancel() {
    cancelled = true;
    CompletableFuture<?> f = future.get();
    if (f != null) {
      f.cancel(true);
    }
  }

  @Override
  public boolean isCancelled() {
    return cancelled;
  }

  @Override
  public void onText(String delta) {
    checkCancelled();
    if (delta == null || delta.isEmpty()) {
      return;
    }
    safely(() -> handler.onPartialResponse(new PartialResponse(delta), partialContext()));
  }

  @Override
  public void onToolCallDelta(int index, String id, String name, String argumentsDelta) {
    checkCancelled();
    if (index != current && current >= 0) {
      complete(current);
    }
    current = index;
    PendingCall call = calls.computeIfAbsent(index, i -> new PendingCall());
    if (id != null) {
      call.id = id;
    }
    if (name != null && !name.isEmpty()) {
      call.name = name;
    }
    if (argumentsDelta != null && !argumentsDelta.isEmpty()) {
      call.arguments.append(argumentsDelta);
      if (call.name != null) {
        PartialToolCall partial =
            PartialToolCall.builder()
                .index(index)
                .id(call.id)
                .name(call.name)
                .partialArguments(argumentsDelta)
                .build();
        safely(() -> handler.onPartialToolCall(partial, new PartialToolCallContext(this)));
      }
    }
  }

  /** The stream ended with {@code result}: the remaining complete tool calls, then the response. */
  void finish(ChatResult result, ChatResponse response) {
    if (cancelled) {
      return;
    }
    List<ToolCall> finalCalls = result.toolCalls();
    for (int i = 0; i < finalCalls.size(); i++) {
      PendingCall p = calls.get(i);
      if (p == null || !p.completed) {
        ToolCall c = finalCalls.get(i);
        int index = i;
        safely(
            () ->
                handler.onCompleteToolCall(
                    new CompleteToolCall(index, Mapping.toToolExecutionRequest(c))));
        if (p != null) {
          p.completed = true;
        }
      }
    }
    for (var e : new ArrayList<>(calls.entrySet())) {
      if (!e.getValue().completed) {
        complete(e.getKey());
      }
    }
    safely(() -> handler.onCompleteResponse(response));
  }

  /** The stream failed. */
  void fail(Throwable error) {
    if (cancelled) {
      return;
    }
    try {
      handler.onError(Exceptions.toLangChain4j(error, Exceptions.STREAMING_BUILDER));
    } catch (RuntimeException e) {
      LOG.warn("StreamingChatResponseHandler.onError threw; ignored", e);
    }
  }

  private void complete(int index) {
    PendingCall p = calls.get(index);
    if (p == null || p.completed || p.name == null) {
      return;
    }
    p.completed = true;
    ToolExecutionRequest request =
        ToolExecutionRequest.builder()
            .id(p.id)
            .name(p.name)
            .arguments(p.arguments.toString())
            .build();
    safely(() -> handler.onCompleteToolCall(new CompleteToolCall(index, request)));
  }

  private PartialResponseContext partialContext() {
    return new PartialResponseContext(this);
  }

  private void checkCancelled() {
    if (cancelled) {
      throw new CancellationException("the stream was cancelled through its StreamingHandle");
    }
  }

  private void safely(Runnable callback) {
    try {
      callback.run();
    } catch (RuntimeException e) {
      fail(e);
    }
  }
}
