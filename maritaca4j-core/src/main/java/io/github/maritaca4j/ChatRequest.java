package io.github.maritaca4j;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One complete chat completion request: the messages and every parameter. Immutable and
 * thread-safe.
 *
 * <p>Usually made from a model's defaults with {@link ChatMaritaca#request(List)}, then adjusted:
 *
 * <pre>{@code
 * ChatRequest r = model.request(List.of(Message.user("Oi"))).maxTokens(50).build();
 * }</pre>
 *
 * Unset optional parameters ({@code null}) are not sent, so the server's defaults apply.
 */
public final class ChatRequest {

  /** The model used when none is set. */
  public static final String DEFAULT_MODEL = "sabia-4";

  /** The largest {@code max_tokens} the models accept. */
  public static final int MAX_OUTPUT_TOKENS = 32_768;

  private final String model;
  private final List<Message> messages;
  private final Double temperature;
  private final Double topP;
  private final Integer maxTokens;
  private final List<String> stop;
  private final Double frequencyPenalty;
  private final Double presencePenalty;
  private final Integer n;
  private final ServiceTier serviceTier;
  private final List<Tool> tools;
  private final ToolChoice toolChoice;
  private final ResponseFormat responseFormat;
  private final Map<String, Object> extraBody;

  /** Body fields this class models: {@link Builder#extraBody} may not name them. */
  static final Set<String> MODELED_FIELDS =
      Set.of(
          "model",
          "messages",
          "temperature",
          "top_p",
          "max_tokens",
          "max_completion_tokens",
          "stop",
          "frequency_penalty",
          "presence_penalty",
          "n",
          "service_tier",
          "tools",
          "tool_choice",
          "response_format",
          "stream",
          "stream_options");

  private ChatRequest(Builder b) {
    this.model = b.model;
    this.messages = List.copyOf(b.messages);
    this.temperature = b.temperature;
    this.topP = b.topP;
    this.maxTokens = b.maxTokens;
    this.stop = List.copyOf(b.stop);
    this.frequencyPenalty = b.frequencyPenalty;
    this.presencePenalty = b.presencePenalty;
    this.n = b.n;
    this.serviceTier = b.serviceTier;
    this.tools = List.copyOf(b.tools);
    this.toolChoice = b.toolChoice;
    this.responseFormat = b.responseFormat;
    this.extraBody =
        b.extraBody.isEmpty()
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.extraBody));
  }

  /** A builder with no messages and the default model. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding a copy of this request's values. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * The JSON body this request is sent as to {@code POST /chat/completions}, {@link #extraBody()}
   * included: the {@code body} of a Batch API input line, or what to log. With {@code stream} true,
   * as a streamed call sends it ({@code "stream": true} and usage in the last chunk).
   */
  public String toJson(boolean stream) {
    return new String(
        io.github.maritaca4j.internal.WireFormat.writeRequest(this, stream),
        java.nio.charset.StandardCharsets.UTF_8);
  }

  /** A copy with other messages. */
  public ChatRequest withMessages(List<Message> messages) {
    return toBuilder().messages(messages).build();
  }

  public String model() {
    return model;
  }

  public List<Message> messages() {
    return messages;
  }

  /** Sampling temperature, or null for the server default. */
  public Double temperature() {
    return temperature;
  }

  public Double topP() {
    return topP;
  }

  /** The output token limit, or null when unset (the model's maximum applies). */
  public Integer maxTokens() {
    return maxTokens;
  }

  /** Stop sequences; empty when none. */
  public List<String> stop() {
    return stop;
  }

  public Double frequencyPenalty() {
    return frequencyPenalty;
  }

  public Double presencePenalty() {
    return presencePenalty;
  }

  public Integer n() {
    return n;
  }

  public ServiceTier serviceTier() {
    return serviceTier;
  }

  /** Tools the model may call; empty when none. */
  public List<Tool> tools() {
    return tools;
  }

  public ToolChoice toolChoice() {
    return toolChoice;
  }

  public ResponseFormat responseFormat() {
    return responseFormat;
  }

  /**
   * Body fields sent as they are, beside the modeled ones (e.g. {@code seed}, {@code user}, {@code
   * logprobs}); empty by default. Unmodifiable, in insertion order.
   */
  public Map<String, Object> extraBody() {
    return extraBody;
  }

  @Override
  public String toString() {
    return "ChatRequest[model="
        + model
        + ", messages="
        + messages.size()
        + ", maxTokens="
        + maxTokens
        + ", serviceTier="
        + serviceTier
        + ", tools="
        + tools.size()
        + (extraBody.isEmpty() ? "" : ", extraBody=" + extraBody.keySet())
        + "]";
  }

  /**
   * Builds a {@link ChatRequest}. Each setter validates its argument at once and throws {@link
   * IllegalArgumentException} naming the bad value. Not thread-safe.
   */
  public static final class Builder {
    private String model = DEFAULT_MODEL;
    private final List<Message> messages = new ArrayList<>();
    private Double temperature;
    private Double topP;
    private Integer maxTokens;
    private final List<String> stop = new ArrayList<>();
    private Double frequencyPenalty;
    private Double presencePenalty;
    private Integer n;
    private ServiceTier serviceTier = ServiceTier.STANDARD;
    private final List<Tool> tools = new ArrayList<>();
    private ToolChoice toolChoice;
    private ResponseFormat responseFormat;
    private final Map<String, Object> extraBody = new LinkedHashMap<>();

    Builder() {}

    Builder(ChatRequest r) {
      model = r.model;
      messages.addAll(r.messages);
      temperature = r.temperature;
      topP = r.topP;
      maxTokens = r.maxTokens;
      stop.addAll(r.stop);
      frequencyPenalty = r.frequencyPenalty;
      presencePenalty = r.presencePenalty;
      n = r.n;
      serviceTier = r.serviceTier;
      tools.addAll(r.tools);
      toolChoice = r.toolChoice;
      responseFormat = r.responseFormat;
      extraBody.putAll(r.extraBody);
    }

    /** The model id, e.g. {@code sabia-4} or {@code sabiazinho-4}. */
    public Builder model(String model) {
      Objects.requireNonNull(model, "model");
      if (model.isBlank()) {
        throw new IllegalArgumentException("model must not be blank");
      }
      this.model = model.strip();
      return this;
    }

    /** Replaces the messages. */
    public Builder messages(List<Message> messages) {
      Objects.requireNonNull(messages, "messages");
      for (int i = 0; i < messages.size(); i++) {
        if (messages.get(i) == null) {
          throw new IllegalArgumentException("messages[" + i + "] is null");
        }
      }
      this.messages.clear();
      this.messages.addAll(messages);
      return this;
    }

    /** Appends one message. */
    public Builder addMessage(Message message) {
      this.messages.add(Objects.requireNonNull(message, "message"));
      return this;
    }

    /** Sampling temperature, 0.0 to 2.0; null for the server default (0.7). */
    public Builder temperature(Double temperature) {
      this.temperature = range("temperature", temperature, 0.0, 2.0);
      return this;
    }

    /** Nucleus sampling, 0.0 to 1.0; null for the server default (0.95). */
    public Builder topP(Double topP) {
      this.topP = range("topP", topP, 0.0, 1.0);
      return this;
    }

    /** Output token limit, 1 to 32768; null for none (the model's maximum). */
    public Builder maxTokens(Integer maxTokens) {
      if (maxTokens != null && (maxTokens < 1 || maxTokens > MAX_OUTPUT_TOKENS)) {
        throw new IllegalArgumentException(
            "maxTokens must be between 1 and " + MAX_OUTPUT_TOKENS + ", was " + maxTokens);
      }
      this.maxTokens = maxTokens;
      return this;
    }

    /** Stop sequences (replacing any set before); an empty list for none. */
    public Builder stop(List<String> stop) {
      Objects.requireNonNull(stop, "stop");
      for (String s : stop) {
        if (s == null || s.isEmpty()) {
          throw new IllegalArgumentException("stop sequences must be non-empty strings: " + stop);
        }
      }
      this.stop.clear();
      this.stop.addAll(stop);
      return this;
    }

    /** -2.0 to 2.0; null for the server default (0). */
    public Builder frequencyPenalty(Double penalty) {
      this.frequencyPenalty = range("frequencyPenalty", penalty, -2.0, 2.0);
      return this;
    }

    /** -2.0 to 2.0; null for the server default (0). */
    public Builder presencePenalty(Double penalty) {
      this.presencePenalty = range("presencePenalty", penalty, -2.0, 2.0);
      return this;
    }

    /** Number of choices, at least 1; null for the server default (1). */
    public Builder n(Integer n) {
      if (n != null && n < 1) {
        throw new IllegalArgumentException("n must be at least 1, was " + n);
      }
      this.n = n;
      return this;
    }

    /** {@link ServiceTier#FLEX} for half price subject to capacity. */
    public Builder serviceTier(ServiceTier tier) {
      this.serviceTier = Objects.requireNonNull(tier, "serviceTier");
      return this;
    }

    /** Tools the model may call (replacing any set before). */
    public Builder tools(List<Tool> tools) {
      Objects.requireNonNull(tools, "tools");
      this.tools.clear();
      for (Tool t : tools) {
        this.tools.add(Objects.requireNonNull(t, "tool"));
      }
      return this;
    }

    /** Whether and which tool to call; null for the server default. */
    public Builder toolChoice(ToolChoice toolChoice) {
      this.toolChoice = toolChoice;
      return this;
    }

    /** Structured output; null for plain text. */
    public Builder responseFormat(ResponseFormat responseFormat) {
      this.responseFormat = responseFormat;
      return this;
    }

    /**
     * Builds the request.
     *
     * @throws IllegalStateException when there are no messages, or a tool choice names a function
     *     that is not among the tools
     */
    /**
     * Replaces the extra body fields: fields of the chat API this class does not model, sent as
     * they are after the modeled ones (values: strings, numbers, booleans, null, lists, maps or
     * Jackson {@code JsonNode}s). A name this class models ({@code temperature}, {@code
     * messages}...) is refused: use its setter.
     */
    public Builder extraBody(Map<String, ?> fields) {
      Objects.requireNonNull(fields, "fields");
      Map<String, Object> copy = new LinkedHashMap<>();
      for (Map.Entry<String, ?> e : fields.entrySet()) {
        copy.put(checkExtraName(e.getKey()), e.getValue());
      }
      extraBody.clear();
      extraBody.putAll(copy);
      return this;
    }

    /** Adds (or replaces) one extra body field; see {@link #extraBody(Map)}. */
    public Builder putExtraBody(String name, Object value) {
      extraBody.put(checkExtraName(name), value);
      return this;
    }

    private static String checkExtraName(String name) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("an extra body field needs a name");
      }
      if (MODELED_FIELDS.contains(name)) {
        throw new IllegalArgumentException(
            "'" + name + "' is a field ChatRequest models: set it with its own builder method");
      }
      return name;
    }

    public ChatRequest build() {
      if (messages.isEmpty()) {
        throw new IllegalStateException("a chat request needs at least one message");
      }
      return buildTemplate();
    }

    /** Builds without requiring messages: a template of defaults. */
    ChatRequest buildTemplate() {
      if (toolChoice != null && "function".equals(toolChoice.mode())) {
        boolean known = tools.stream().anyMatch(t -> t.name().equals(toolChoice.functionName()));
        if (!known) {
          throw new IllegalStateException(
              "tool choice names function '"
                  + toolChoice.functionName()
                  + "', which is not among the tools");
        }
      }
      return new ChatRequest(this);
    }

    private static Double range(String name, Double value, double min, double max) {
      if (value != null && (value.isNaN() || value < min || value > max)) {
        throw new IllegalArgumentException(
            name + " must be between " + min + " and " + max + ", was " + value);
      }
      return value;
    }
  }
}
