package io.github.maritaca4j.micrometer;

import io.github.maritaca4j.ChatListener;
import io.github.maritaca4j.FinishReason;
import io.github.maritaca4j.Message;
import io.github.maritaca4j.Usage;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The OpenTelemetry GenAI semantic conventions (client spans and metrics, 1.37 and later: {@code
 * gen_ai.provider.name}) applied to maritaca4j requests. Name {@value #NAME}; contextual name
 * {@code chat {model}}.
 *
 * <p>Low-cardinality keys (also the tags of the meters an {@code ObservationHandler} derives):
 * {@value #OPERATION_NAME}, {@value #PROVIDER_NAME}, {@value #REQUEST_MODEL}, {@value
 * #RESPONSE_MODEL} and {@value #ERROR_TYPE}; the last two are {@code none} while unknown or when
 * the request succeeded, so that every observation has the same keys (some registries require it).
 *
 * <p>High-cardinality keys: token counts ({@value #INPUT_TOKENS}, {@value #OUTPUT_TOKENS}, {@value
 * #CACHE_READ_INPUT_TOKENS}), {@value #RESPONSE_ID}, {@value #FINISH_REASONS} (comma-separated),
 * the request parameters that were set ({@code gen_ai.request.temperature}, {@code .max_tokens},
 * {@code .top_p}, ...), {@code server.address} and {@code server.port}, {@code
 * http.response.status_code}, {@value #COST} (BRL) when known, and maritaca4j's own {@code
 * maritaca.*} keys (stream, batch id, item index, attempt). Prompts and answers ({@value
 * #INPUT_MESSAGES}, {@value #OUTPUT_MESSAGES}, JSON as the conventions describe) only with {@code
 * recordContent(true)}.
 *
 * <p>Stateless and thread-safe.
 */
public class DefaultMaritacaObservationConvention implements MaritacaObservationConvention {

  /** The observation's name. */
  public static final String NAME = "gen_ai.client.operation";

  /** {@code gen_ai.operation.name}: always {@code chat}. */
  public static final String OPERATION_NAME = "gen_ai.operation.name";

  /** {@code gen_ai.provider.name}: always {@value #PROVIDER}. */
  public static final String PROVIDER_NAME = "gen_ai.provider.name";

  /** The provider's name. */
  public static final String PROVIDER = "maritaca";

  /** The model asked for. */
  public static final String REQUEST_MODEL = "gen_ai.request.model";

  /** The model that answered. */
  public static final String RESPONSE_MODEL = "gen_ai.response.model";

  /** The class of a failure: the HTTP status, or the exception's class name. */
  public static final String ERROR_TYPE = "error.type";

  /** Prompt tokens (cached ones included). */
  public static final String INPUT_TOKENS = "gen_ai.usage.input_tokens";

  /** Completion tokens. */
  public static final String OUTPUT_TOKENS = "gen_ai.usage.output_tokens";

  /** Prompt tokens served from the provider's cache. */
  public static final String CACHE_READ_INPUT_TOKENS = "gen_ai.usage.cache_read.input_tokens";

  /** The answer's id. */
  public static final String RESPONSE_ID = "gen_ai.response.id";

  /** Why the model stopped, one per choice. */
  public static final String FINISH_REASONS = "gen_ai.response.finish_reasons";

  /** The prompt (opt-in). */
  public static final String INPUT_MESSAGES = "gen_ai.input.messages";

  /** The answer (opt-in). */
  public static final String OUTPUT_MESSAGES = "gen_ai.output.messages";

  /** The answer's cost in BRL (maritaca4j's own key). */
  public static final String COST = "maritaca.cost.brl";

  static final String NONE = KeyValue.NONE_VALUE;

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public String getContextualName(MaritacaObservationContext context) {
    return context.start().operation() + " " + context.start().model();
  }

  @Override
  public KeyValues getLowCardinalityKeyValues(MaritacaObservationContext context) {
    ChatListener.RequestStart s = context.start();
    ChatListener.RequestEnd e = context.end();
    String responseModel = e == null || e.responseModel() == null ? NONE : e.responseModel();
    String errorType = e == null || e.errorType() == null ? NONE : e.errorType();
    return KeyValues.of(
        KeyValue.of(OPERATION_NAME, s.operation()),
        KeyValue.of(PROVIDER_NAME, PROVIDER),
        KeyValue.of(REQUEST_MODEL, s.model()),
        KeyValue.of(RESPONSE_MODEL, responseModel),
        KeyValue.of(ERROR_TYPE, errorType));
  }

  @Override
  public KeyValues getHighCardinalityKeyValues(MaritacaObservationContext context) {
    ChatListener.RequestStart s = context.start();
    List<KeyValue> kv = new ArrayList<>();
    ChatListener.Parameters p = s.parameters();
    if (p.temperature() != null) {
      kv.add(KeyValue.of("gen_ai.request.temperature", p.temperature().toString()));
    }
    if (p.topP() != null) {
      kv.add(KeyValue.of("gen_ai.request.top_p", p.topP().toString()));
    }
    if (p.maxTokens() != null) {
      kv.add(KeyValue.of("gen_ai.request.max_tokens", p.maxTokens().toString()));
    }
    if (p.frequencyPenalty() != null) {
      kv.add(KeyValue.of("gen_ai.request.frequency_penalty", p.frequencyPenalty().toString()));
    }
    if (p.presencePenalty() != null) {
      kv.add(KeyValue.of("gen_ai.request.presence_penalty", p.presencePenalty().toString()));
    }
    if (p.n() != null && p.n() != 1) {
      kv.add(KeyValue.of("gen_ai.request.choice.count", p.n().toString()));
    }
    if (!p.stop().isEmpty()) {
      kv.add(KeyValue.of("gen_ai.request.stop_sequences", Json.strings(p.stop())));
    }
    if (p.serviceTier() != null) {
      kv.add(
          KeyValue.of(
              "maritaca.request.service_tier", p.serviceTier().name().toLowerCase(Locale.ROOT)));
    }
    kv.add(KeyValue.of("server.address", s.serverAddress()));
    if (s.serverPort() > 0) {
      kv.add(KeyValue.of("server.port", Integer.toString(s.serverPort())));
    }
    kv.add(KeyValue.of("maritaca.request.stream", Boolean.toString(s.stream())));
    kv.add(KeyValue.of("maritaca.request.attempt", Integer.toString(s.attempt())));
    if (s.isBatch()) {
      kv.add(KeyValue.of("maritaca.batch.id", Long.toString(s.batchId())));
      kv.add(KeyValue.of("maritaca.batch.item.index", Integer.toString(s.itemIndex())));
    }
    if (context.recordContent() && !s.messages().isEmpty()) {
      kv.add(KeyValue.of(INPUT_MESSAGES, Json.messages(s.messages(), List.of())));
    }
    ChatListener.RequestEnd e = context.end();
    if (e != null && e.isSuccess()) {
      Usage u = e.usage();
      kv.add(KeyValue.of(INPUT_TOKENS, Long.toString(u.promptTokens())));
      kv.add(KeyValue.of(OUTPUT_TOKENS, Long.toString(u.completionTokens())));
      kv.add(KeyValue.of(CACHE_READ_INPUT_TOKENS, Long.toString(u.cachedPromptTokens())));
      if (e.responseId() != null) {
        kv.add(KeyValue.of(RESPONSE_ID, e.responseId()));
      }
      if (!e.finishReasons().isEmpty()) {
        kv.add(KeyValue.of(FINISH_REASONS, finishReasons(e.finishReasons())));
      }
      if (e.cost() != null) {
        kv.add(KeyValue.of(COST, e.cost().total().toPlainString()));
      }
      if (context.recordContent() && !e.output().isEmpty()) {
        kv.add(KeyValue.of(OUTPUT_MESSAGES, Json.messages(e.output(), e.finishReasons())));
      }
    }
    if (e != null) {
      kv.add(KeyValue.of("http.response.status_code", Integer.toString(e.httpStatus())));
    }
    return KeyValues.of(kv);
  }

  /** The wire names ({@code stop}, {@code length}, {@code tool_calls}, ...), comma-separated. */
  static String finishReasons(List<FinishReason> reasons) {
    StringBuilder sb = new StringBuilder();
    for (FinishReason r : reasons) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(wireName(r));
    }
    return sb.toString();
  }

  static String wireName(FinishReason r) {
    return r == null ? "other" : r.name().toLowerCase(Locale.ROOT);
  }

  /** A tiny JSON writer for the content keys (no dependency). */
  static final class Json {
    private Json() {}

    static String strings(List<String> values) {
      StringBuilder sb = new StringBuilder("[");
      for (int i = 0; i < values.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        quote(sb, values.get(i));
      }
      return sb.append(']').toString();
    }

    /**
     * Messages as the conventions' {@code [{"role":..,"parts":[{"type":"text","content":..}]}]}.
     */
    static String messages(List<Message> messages, List<FinishReason> finishReasons) {
      StringBuilder sb = new StringBuilder("[");
      for (int i = 0; i < messages.size(); i++) {
        Message m = messages.get(i);
        if (i > 0) {
          sb.append(',');
        }
        sb.append("{\"role\":");
        quote(sb, m.role().wireName());
        sb.append(",\"parts\":[{\"type\":\"text\",\"content\":");
        quote(sb, m.text() == null ? "" : m.text());
        sb.append("}]");
        if (i < finishReasons.size()) {
          sb.append(",\"finish_reason\":");
          quote(sb, wireName(finishReasons.get(i)));
        }
        sb.append('}');
      }
      return sb.append(']').toString();
    }

    static void quote(StringBuilder sb, String s) {
      sb.append('"');
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        switch (c) {
          case '"' -> sb.append("\\\"");
          case '\\' -> sb.append("\\\\");
          case '\n' -> sb.append("\\n");
          case '\r' -> sb.append("\\r");
          case '\t' -> sb.append("\\t");
          default -> {
            if (c < 0x20) {
              sb.append(String.format("\\u%04x", (int) c));
            } else {
              sb.append(c);
            }
          }
        }
      }
      sb.append('"');
    }
  }
}
