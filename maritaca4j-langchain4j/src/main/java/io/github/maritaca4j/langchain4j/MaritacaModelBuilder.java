package io.github.maritaca4j.langchain4j;

import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.ServiceTier;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The settings shared by the builders of {@link MaritacaChatModel} and {@link
 * MaritacaStreamingChatModel}. Setters left unset keep the client's defaults (the {@code
 * MARITACA_API_KEY} / {@code MARITACA_API_BASE} environment variables, model {@code sabia-4}).
 * Values are validated by {@link #build()}, which throws {@link IllegalArgumentException} naming
 * the bad one. Not thread-safe.
 *
 * @param <B> the concrete builder
 * @param <M> the model it builds
 */
public abstract class MaritacaModelBuilder<B extends MaritacaModelBuilder<B, M>, M> {
  final ModelSettings s = new ModelSettings();

  MaritacaModelBuilder() {}

  /** This builder, typed. */
  abstract B self();

  /**
   * Builds the model.
   *
   * @throws IllegalArgumentException for an invalid value (e.g. a temperature out of range)
   * @throws dev.langchain4j.exception.UnsupportedFeatureException for {@code topK}
   */
  public abstract M build();

  /**
   * An existing client to build on: its HTTP client, price table, token counter, retry settings and
   * defaults are kept, and the other setters of this builder adjust a variant of it (sharing its
   * connections).
   */
  public B client(ChatMaritaca client) {
    s.client = Objects.requireNonNull(client, "client");
    return self();
  }

  /** The API key (default: the {@code MARITACA_API_KEY} environment variable). Never logged. */
  public B apiKey(String apiKey) {
    s.apiKey = apiKey;
    return self();
  }

  /** The API base URL (default {@code https://chat.maritaca.ai/api}). */
  public B baseUrl(String baseUrl) {
    s.baseUrl = baseUrl;
    return self();
  }

  /** The model, e.g. {@code sabia-4} or {@code sabiazinho-4}. */
  public B modelName(String modelName) {
    s.modelName = modelName;
    return self();
  }

  public B temperature(Double temperature) {
    s.temperature = temperature;
    return self();
  }

  public B topP(Double topP) {
    s.topP = topP;
    return self();
  }

  /** The default output token limit ({@code max_tokens}). */
  public B maxTokens(Integer maxTokens) {
    s.maxTokens = maxTokens;
    return self();
  }

  public B stopSequences(List<String> stopSequences) {
    s.stopSequences = stopSequences == null ? null : List.copyOf(stopSequences);
    return self();
  }

  public B stopSequences(String... stopSequences) {
    return stopSequences(Arrays.asList(stopSequences));
  }

  public B frequencyPenalty(Double frequencyPenalty) {
    s.frequencyPenalty = frequencyPenalty;
    return self();
  }

  public B presencePenalty(Double presencePenalty) {
    s.presencePenalty = presencePenalty;
    return self();
  }

  /** The default service tier ({@link ServiceTier#FLEX}: half price, subject to capacity). */
  public B serviceTier(ServiceTier serviceTier) {
    s.serviceTier = serviceTier;
    return self();
  }

  /** Per-attempt timeout; for a stream, the longest silence allowed (default 180 s). */
  public B timeout(Duration timeout) {
    s.timeout = timeout;
    return self();
  }

  /**
   * Retries after the first attempt for retryable failures: 429 (honouring {@code Retry-After}),
   * 5xx, timeouts, broken connections (default 2; 0 disables).
   */
  public B maxRetries(Integer maxRetries) {
    s.maxRetries = maxRetries;
    return self();
  }

  public B listeners(List<ChatModelListener> listeners) {
    s.listeners = listeners == null ? List.of() : List.copyOf(listeners);
    return self();
  }

  public B listeners(ChatModelListener... listeners) {
    return listeners(Arrays.asList(listeners));
  }

  /**
   * Default request parameters (any {@link ChatRequestParameters}, or {@link
   * MaritacaChatRequestParameters} for the service tier). The explicit setters of this builder take
   * precedence over them.
   */
  public B defaultRequestParameters(ChatRequestParameters parameters) {
    s.defaultRequestParameters = parameters;
    return self();
  }

  /**
   * Logs each request's JSON body (slf4j INFO, logger {@code
   * io.github.maritaca4j.langchain4j.MaritacaChatModel} or {@code ...MaritacaStreamingChatModel}).
   * The API key is never logged.
   */
  public B logRequests(Boolean logRequests) {
    s.logRequests = Boolean.TRUE.equals(logRequests);
    return self();
  }

  /** Logs each answer: id, finish reason, usage, cost, attempts, latency, text, tool calls. */
  public B logResponses(Boolean logResponses) {
    s.logResponses = Boolean.TRUE.equals(logResponses);
    return self();
  }

  /**
   * Sends JSON-schema response formats as strict structured outputs (every property required,
   * optional ones nullable, no additional properties). Default false: the schema is sent as
   * LangChain4j describes it.
   */
  public B strictJsonSchema(Boolean strict) {
    s.strictJsonSchema = Boolean.TRUE.equals(strict);
    return self();
  }
}
