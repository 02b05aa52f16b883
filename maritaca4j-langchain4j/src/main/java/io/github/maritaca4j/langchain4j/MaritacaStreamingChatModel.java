package io.github.maritaca4j.langchain4j;

import static dev.langchain4j.model.chat.Capability.RESPONSE_FORMAT_JSON_SCHEMA;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.ChatResult;
import io.github.maritaca4j.ServiceTier;
import java.time.Duration;
import java.util.Arrays;
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
   * Builds a {@link MaritacaStreamingChatModel}; the same settings as {@link
   * MaritacaChatModel.Builder}. Not thread-safe.
   */
  public static final class Builder {
    private final ModelSettings s = new ModelSettings();

    Builder() {}

    /** An existing client to build on; see {@link MaritacaChatModel.Builder#client}. */
    public Builder client(ChatMaritaca client) {
      s.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /** The API key (default: the {@code MARITACA_API_KEY} environment variable). Never logged. */
    public Builder apiKey(String apiKey) {
      s.apiKey = apiKey;
      return this;
    }

    public Builder baseUrl(String baseUrl) {
      s.baseUrl = baseUrl;
      return this;
    }

    public Builder modelName(String modelName) {
      s.modelName = modelName;
      return this;
    }

    public Builder temperature(Double temperature) {
      s.temperature = temperature;
      return this;
    }

    public Builder topP(Double topP) {
      s.topP = topP;
      return this;
    }

    public Builder maxTokens(Integer maxTokens) {
      s.maxTokens = maxTokens;
      return this;
    }

    public Builder stopSequences(List<String> stopSequences) {
      s.stopSequences = stopSequences == null ? null : List.copyOf(stopSequences);
      return this;
    }

    public Builder stopSequences(String... stopSequences) {
      return stopSequences(Arrays.asList(stopSequences));
    }

    public Builder frequencyPenalty(Double frequencyPenalty) {
      s.frequencyPenalty = frequencyPenalty;
      return this;
    }

    public Builder presencePenalty(Double presencePenalty) {
      s.presencePenalty = presencePenalty;
      return this;
    }

    public Builder serviceTier(ServiceTier serviceTier) {
      s.serviceTier = serviceTier;
      return this;
    }

    /** Per-attempt timeout; for a stream, the longest silence allowed (default 180 s). */
    public Builder timeout(Duration timeout) {
      s.timeout = timeout;
      return this;
    }

    public Builder maxRetries(Integer maxRetries) {
      s.maxRetries = maxRetries;
      return this;
    }

    public Builder listeners(List<ChatModelListener> listeners) {
      s.listeners = listeners == null ? List.of() : List.copyOf(listeners);
      return this;
    }

    public Builder listeners(ChatModelListener... listeners) {
      return listeners(Arrays.asList(listeners));
    }

    public Builder defaultRequestParameters(ChatRequestParameters parameters) {
      s.defaultRequestParameters = parameters;
      return this;
    }

    /** Logs each request's JSON body (slf4j INFO). The API key is never logged. */
    public Builder logRequests(Boolean logRequests) {
      s.logRequests = Boolean.TRUE.equals(logRequests);
      return this;
    }

    /** Logs each complete answer. */
    public Builder logResponses(Boolean logResponses) {
      s.logResponses = Boolean.TRUE.equals(logResponses);
      return this;
    }

    /** See {@link MaritacaChatModel.Builder#strictJsonSchema}. */
    public Builder strictJsonSchema(Boolean strict) {
      s.strictJsonSchema = Boolean.TRUE.equals(strict);
      return this;
    }

    public MaritacaStreamingChatModel build() {
      return new MaritacaStreamingChatModel(s.resolve(LOG));
    }
  }
}
