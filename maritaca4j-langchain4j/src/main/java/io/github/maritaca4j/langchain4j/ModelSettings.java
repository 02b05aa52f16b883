package io.github.maritaca4j.langchain4j;

import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.ChatRequest;
import io.github.maritaca4j.ChatResult;
import io.github.maritaca4j.Message;
import io.github.maritaca4j.ServiceTier;
import io.github.maritaca4j.ToolCall;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;

/**
 * What both model builders collect, and what they resolve to: one {@link ChatMaritaca} whose
 * defaults are the model's default request parameters, plus the adapter's own options. The mutable
 * part is used by one builder at a time; {@link Resolved} is immutable and thread-safe.
 */
final class ModelSettings {
  private static final int MAX_LOGGED_CHARS = 20_000;

  ChatMaritaca client;
  String apiKey;
  String baseUrl;
  String modelName;
  Double temperature;
  Double topP;
  Integer maxTokens;
  List<String> stopSequences;
  Double frequencyPenalty;
  Double presencePenalty;
  ServiceTier serviceTier;
  Duration timeout;
  Integer maxRetries;
  List<ChatModelListener> listeners = List.of();
  ChatRequestParameters defaultRequestParameters;
  boolean logRequests;
  boolean logResponses;
  boolean strictJsonSchema;

  /**
   * Builds the client and the default parameters: the client's own defaults, overridden by {@code
   * defaultRequestParameters}, overridden by the explicit setters (as LangChain4j's providers do).
   */
  Resolved resolve(Logger log) {
    ChatMaritaca.Builder b = client != null ? client.toBuilder() : ChatMaritaca.builder();
    if (apiKey != null) {
      b.apiKey(apiKey);
    }
    if (baseUrl != null) {
      b.baseUrl(baseUrl);
    }
    if (timeout != null) {
      b.timeout(timeout);
    }
    if (maxRetries != null) {
      b.maxRetries(maxRetries);
    }
    ChatMaritaca base = b.build();
    MaritacaChatRequestParameters explicit =
        MaritacaChatRequestParameters.builder()
            .modelName(modelName)
            .temperature(temperature)
            .topP(topP)
            .maxOutputTokens(maxTokens)
            .stopSequences(stopSequences)
            .frequencyPenalty(frequencyPenalty)
            .presencePenalty(presencePenalty)
            .serviceTier(serviceTier)
            .build();
    MaritacaChatRequestParameters defaults = Mapping.fromDefaults(base.defaults());
    if (defaultRequestParameters != null) {
      defaults = defaults.overrideWith(defaultRequestParameters);
    }
    defaults = defaults.overrideWith(explicit);
    if (defaults.topK() != null) {
      throw new UnsupportedFeatureException("'topK' parameter is not supported by Maritaca");
    }
    // bake the defaults into the client, so that batches (which take messages only) use them too
    ChatRequest template =
        Mapping.toRequest(
            base.request(List.of(Message.user("template"))), defaults, strictJsonSchema);
    ChatMaritaca.Builder fb =
        base.toBuilder()
            .model(template.model())
            .stop(template.stop())
            .serviceTier(template.serviceTier())
            .tools(template.tools())
            .toolChoice(template.toolChoice())
            .responseFormat(template.responseFormat());
    if (template.temperature() != null) {
      fb.temperature(template.temperature());
    }
    if (template.topP() != null) {
      fb.topP(template.topP());
    }
    if (template.maxTokens() != null) {
      fb.maxTokens(template.maxTokens());
    }
    if (template.frequencyPenalty() != null) {
      fb.frequencyPenalty(template.frequencyPenalty());
    }
    if (template.presencePenalty() != null) {
      fb.presencePenalty(template.presencePenalty());
    }
    return new Resolved(
        fb.build(),
        defaults,
        List.copyOf(listeners),
        logRequests,
        logResponses,
        strictJsonSchema,
        log);
  }

  /** The resolved settings of one model. Immutable and thread-safe. */
  record Resolved(
      ChatMaritaca client,
      MaritacaChatRequestParameters defaults,
      List<ChatModelListener> listeners,
      boolean logRequests,
      boolean logResponses,
      boolean strictJsonSchema,
      Logger log) {

    /**
     * The maritaca4j request for a LangChain4j one (whose parameters already include the model's
     * defaults, as {@code chat()} merges them).
     *
     * @throws RuntimeException a LangChain4j exception when the request cannot be made
     */
    ChatRequest toCoreRequest(dev.langchain4j.model.chat.request.ChatRequest request) {
      Objects.requireNonNull(request, "request");
      try {
        List<Message> messages = Mapping.toMessages(request.messages());
        return Mapping.toRequest(client.request(messages), request.parameters(), strictJsonSchema);
      } catch (IllegalArgumentException | IllegalStateException e) {
        throw Exceptions.invalidRequest(e);
      }
    }

    void logRequest(ChatRequest request, boolean stream) {
      if (logRequests && log.isInfoEnabled()) {
        String body = request.toJson(stream);
        log.info(
            "Maritaca request: POST {}/chat/completions (Authorization: redacted)\n{}",
            client.baseUrl(),
            truncate(body));
      }
    }

    void logResponse(ChatResult r) {
      if (logResponses && log.isInfoEnabled()) {
        List<String> calls = new ArrayList<>();
        for (ToolCall c : r.toolCalls()) {
          calls.add(c.name() + c.arguments());
        }
        log.info(
            "Maritaca response: id={}, model={}, finishReason={}, usage={}, costBrl={}, attempts={},"
                + " latency={} ms, toolCalls={}\n{}",
            r.id(),
            r.model(),
            r.finishReason(),
            r.usage(),
            r.cost().map(c -> c.total().toPlainString()).orElse("unknown"),
            r.attempts(),
            r.latency().toMillis(),
            calls,
            truncate(r.content()));
      }
    }

    private static String truncate(String s) {
      return s.length() <= MAX_LOGGED_CHARS
          ? s
          : s.substring(0, MAX_LOGGED_CHARS) + "... (" + s.length() + " chars)";
    }
  }
}
