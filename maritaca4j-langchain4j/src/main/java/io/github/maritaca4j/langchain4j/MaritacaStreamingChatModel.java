package io.github.maritaca4j.langchain4j;

import static dev.langchain4j.model.chat.Capability.RESPONSE_FORMAT_JSON_SCHEMA;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.ChatResult;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LangChain4j's {@link StreamingChatModel} for Maritaca's Sabiá models, on a maritaca4j {@link
 * ChatMaritaca}.
 *
 * <pre>{@code
 * StreamingChatModel model = MaritacaStreamingChatModel.builder().modelName("sabia-4").build();
 * model.chat("Conte uma história curta", new StreamingChatResponseHandler() {
 *   public void onPartialResponse(String text) { System.out.print(text); }
 *   public void onCompleteResponse(ChatResponse response) { ... }
 *   public void onError(Throwable error) { ... }
 * });
 * }</pre>
 *
 * <p>The handler receives text pieces ({@code onPartialResponse}), tool call pieces ({@code
 * onPartialToolCall}) and each tool call once complete ({@code onCompleteToolCall}), then the
 * complete response with usage and cost ({@link MaritacaChatResponseMetadata}), or the error
 * ({@code onError}, a LangChain4j exception whose cause is maritaca4j's; see {@link
 * MaritacaChatModel} for the mapping). Streaming handles ({@code context.streamingHandle()}) cancel
 * the HTTP exchange; after a cancellation the handler hears nothing more.
 *
 * <p>Threading: {@code chat} returns at once; the handler's methods run one at a time, in order, on
 * the client's executor (the JDK HttpClient's unless one was given). A stream that fails before
 * anything was delivered is retried like any call; once text was delivered it is not.
 *
 * <p>Immutable and thread-safe; share one instance.
 */
public final class MaritacaStreamingChatModel implements StreamingChatModel {
  private static final Logger LOG = LoggerFactory.getLogger(MaritacaStreamingChatModel.class);

  private final ModelSettings.Resolved settings;

  private MaritacaStreamingChatModel(ModelSettings.Resolved settings) {
    this.settings = settings;
  }

  /** A builder: key from {@code MARITACA_API_KEY}, model {@code sabia-4} unless set. */
  public static Builder builder() {
    return new Builder();
  }

  /** A streaming model on an existing client, with the client's defaults and no listeners. */
  public static MaritacaStreamingChatModel of(ChatMaritaca client) {
    return builder().client(client).build();
  }

  /** The maritaca4j client behind this model. */
  public ChatMaritaca client() {
    return settings.client();
  }

  @Override
  public void doChat(ChatRequest chatRequest, StreamingChatResponseHandler handler) {
    Objects.requireNonNull(handler, "handler");
    StreamBridge bridge = new StreamBridge(handler);
    io.github.maritaca4j.ChatRequest request;
    CompletableFuture<ChatResult> future;
    try {
      request = settings.toCoreRequest(chatRequest);
      settings.logRequest(request, true);
      future = settings.client().stream(request, bridge);
    } catch (RuntimeException e) {
      bridge.fail(e);
      return;
    }
    bridge.attach(future);
    future.whenComplete(
        (result, error) -> {
          if (error != null) {
            bridge.fail(error);
            return;
          }
          settings.logResponse(result);
          bridge.finish(result, Mapping.toResponse(result, request));
        });
  }

  @Override
  public MaritacaChatRequestParameters defaultRequestParameters() {
    return settings.defaults();
  }

  @Override
  public List<ChatModelListener> listeners() {
    return settings.listeners();
  }

  @Override
  public ModelProvider provider() {
    return ModelProvider.OTHER;
  }

  @Override
  public Set<Capability> supportedCapabilities() {
    return Set.of(RESPONSE_FORMAT_JSON_SCHEMA);
  }

  @Override
  public String toString() {
    return "MaritacaStreamingChatModel[" + settings.client() + "]";
  }

  /**
   * Builds a {@link MaritacaStreamingChatModel}; see {@link MaritacaModelBuilder} for the settings.
   */
  public static final class Builder
      extends MaritacaModelBuilder<Builder, MaritacaStreamingChatModel> {
    Builder() {}

    @Override
    Builder self() {
      return this;
    }

    @Override
    public MaritacaStreamingChatModel build() {
      return new MaritacaStreamingChatModel(s.resolve(LOG));
    }
  }
}
