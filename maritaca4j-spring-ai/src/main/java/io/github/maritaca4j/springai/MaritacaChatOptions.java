package io.github.maritaca4j.springai;

import io.github.maritaca4j.ResponseFormat;
import io.github.maritaca4j.ServiceTier;
import io.github.maritaca4j.ToolChoice;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.model.tool.DefaultToolCallingChatOptions;
import org.springframework.ai.model.tool.StructuredOutputChatOptions;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.tool.ToolCallback;

/**
 * Request options for {@link MaritacaChatModel}: Spring AI's portable options (model, temperature,
 * max tokens, top-p, stop sequences, penalties), tool callbacks and tool context ({@link
 * ToolCallingChatOptions}), a JSON schema for structured output ({@link
 * StructuredOutputChatOptions}, used by {@code ChatClient...entity(...)} with {@code
 * useProviderStructuredOutput()}), and Maritaca's own: the {@link ServiceTier#FLEX flex} service
 * tier, a response format and a tool choice.
 *
 * <p>Immutable and thread-safe; {@link #mutate()} gives a builder holding these values. Null means
 * "not set": the model's defaults (or the server's) apply. {@code topK} does not exist in
 * Maritaca's API: a builder given one fails at {@link Builder#build()}.
 *
 * <pre>{@code
 * MaritacaChatOptions options = MaritacaChatOptions.builder()
 *     .model("sabiazinho-4").temperature(0.2).maxTokens(300).serviceTier(ServiceTier.FLEX)
 *     .build();
 * }</pre>
 */
public final class MaritacaChatOptions
    implements ToolCallingChatOptions, StructuredOutputChatOptions {

  private final String model;
  private final Double temperature;
  private final Integer maxTokens;
  private final Double topP;
  private final List<String> stop;
  private final Double frequencyPenalty;
  private final Double presencePenalty;
  private final ServiceTier serviceTier;
  private final ResponseFormat responseFormat;
  private final String outputSchema;
  private final ToolChoice toolChoice;
  private final List<ToolCallback> toolCallbacks;
  private final Map<String, Object> toolContext;

  private MaritacaChatOptions(
      String model,
      Double temperature,
      Integer maxTokens,
      Double topP,
      List<String> stop,
      Double frequencyPenalty,
      Double presencePenalty,
      Builder b,
      List<ToolCallback> toolCallbacks,
      Map<String, Object> toolContext) {
    this.model = model;
    this.temperature = temperature;
    this.maxTokens = maxTokens;
    this.topP = topP;
    this.stop = stop == null ? null : List.copyOf(stop);
    this.frequencyPenalty = frequencyPenalty;
    this.presencePenalty = presencePenalty;
    this.serviceTier = b.serviceTier;
    this.responseFormat = b.responseFormat;
    this.outputSchema = b.outputSchema;
    this.toolChoice = b.toolChoice;
    this.toolCallbacks = toolCallbacks == null ? null : List.copyOf(toolCallbacks);
    this.toolContext =
        toolContext == null
            ? null
            : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(toolContext));
  }

  /** An empty builder: every option unset. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The options {@code runtime} gives, over {@code defaults}: each option {@code runtime} sets
   * replaces the default (stop sequences and tool callbacks as a whole, never appended, so that
   * options already merged by {@code ChatClient} merge to themselves); tool context entries are
   * added to the default ones. {@code runtime} may be any {@link ChatOptions}, or null.
   *
   * @throws IllegalArgumentException when {@code runtime} sets {@code topK}
   */
  public static MaritacaChatOptions merge(MaritacaChatOptions defaults, ChatOptions runtime) {
    Objects.requireNonNull(defaults, "defaults");
    if (runtime == null || runtime == defaults) {
      return defaults;
    }
    Builder b = defaults.mutate();
    if (runtime.getModel() != null) {
      b.model(runtime.getModel());
    }
    if (runtime.getTemperature() != null) {
      b.temperature(runtime.getTemperature());
    }
    if (runtime.getMaxTokens() != null) {
      b.maxTokens(runtime.getMaxTokens());
    }
    if (runtime.getTopP() != null) {
      b.topP(runtime.getTopP());
    }
    if (runtime.getTopK() != null) {
      b.topK(runtime.getTopK());
    }
    if (runtime.getStopSequences() != null) {
      b.stopSequences(runtime.getStopSequences());
    }
    if (runtime.getFrequencyPenalty() != null) {
      b.frequencyPenalty(runtime.getFrequencyPenalty());
    }
    if (runtime.getPresencePenalty() != null) {
      b.presencePenalty(runtime.getPresencePenalty());
    }
    if (runtime instanceof ToolCallingChatOptions t) {
      b.toolCallbacks(
          ToolCallingChatOptions.mergeToolCallbacks(
              t.getToolCallbacks(), defaults.getToolCallbacks()));
      Map<String, Object> context =
          ToolCallingChatOptions.mergeToolContext(t.getToolContext(), defaults.getToolContext());
      b.toolContext((Map<String, Object>) null);
      if (context != null) {
        b.toolContext(context);
      }
    }
    if (runtime instanceof StructuredOutputChatOptions s && s.getOutputSchema() != null) {
      b.outputSchema(s.getOutputSchema());
    }
    if (runtime instanceof MaritacaChatOptions m) {
      if (m.serviceTier != null) {
        b.serviceTier(m.serviceTier);
      }
      if (m.responseFormat != null) {
        b.responseFormat(m.responseFormat);
      }
      if (m.toolChoice != null) {
        b.toolChoice(m.toolChoice);
      }
    }
    return b.build();
  }

  @Override
  public String getModel() {
    return model;
  }

  @Override
  public Double getTemperature() {
    return temperature;
  }

  @Override
  public Integer getMaxTokens() {
    return maxTokens;
  }

  @Override
  public Double getTopP() {
    return topP;
  }

  /** Always null: Maritaca's API has no {@code top_k}. */
  @Override
  public Integer getTopK() {
    return null;
  }

  @Override
  public List<String> getStopSequences() {
    return stop;
  }

  @Override
  public Double getFrequencyPenalty() {
    return frequencyPenalty;
  }

  @Override
  public Double getPresencePenalty() {
    return presencePenalty;
  }

  /** The service tier ({@link ServiceTier#FLEX}: half price, subject to capacity), or null. */
  public ServiceTier getServiceTier() {
    return serviceTier;
  }

  /**
   * The response format sent as {@code response_format}, or null. When {@link #getOutputSchema()}
   * is set too, the schema wins.
   */
  public ResponseFormat getResponseFormat() {
    return responseFormat;
  }

  /**
   * A JSON schema (as JSON text) the answer must follow, sent as a {@code json_schema} response
   * format; set by {@code ChatClient} for {@code entity(...)} calls with {@code
   * useProviderStructuredOutput()}.
   */
  @Override
  public String getOutputSchema() {
    return outputSchema;
  }

  /** How the model may use the tools ({@code auto}, {@code required}, {@code none}...), or null. */
  public ToolChoice getToolChoice() {
    return toolChoice;
  }

  @Override
  public List<ToolCallback> getToolCallbacks() {
    return toolCallbacks;
  }

  @Override
  public Map<String, Object> getToolContext() {
    return toolContext;
  }

  @Override
  public Builder mutate() {
    Builder b =
        builder()
            .model(model)
            .temperature(temperature)
            .maxTokens(maxTokens)
            .topP(topP)
            .stopSequences(stop)
            .frequencyPenalty(frequencyPenalty)
            .presencePenalty(presencePenalty)
            .serviceTier(serviceTier)
            .responseFormat(responseFormat)
            .outputSchema(outputSchema)
            .toolChoice(toolChoice)
            .toolCallbacks(toolCallbacks);
    if (toolContext != null) {
      b.toolContext(toolContext);
    }
    return b;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof MaritacaChatOptions other)) {
      return false;
    }
    return Objects.equals(model, other.model)
        && Objects.equals(temperature, other.temperature)
        && Objects.equals(maxTokens, other.maxTokens)
        && Objects.equals(topP, other.topP)
        && Objects.equals(stop, other.stop)
        && Objects.equals(frequencyPenalty, other.frequencyPenalty)
        && Objects.equals(presencePenalty, other.presencePenalty)
        && serviceTier == other.serviceTier
        && Objects.equals(responseFormat, other.responseFormat)
        && Objects.equals(outputSchema, other.outputSchema)
        && Objects.equals(toolChoice, other.toolChoice)
        && Objects.equals(toolCallbacks, other.toolCallbacks)
        && Objects.equals(toolContext, other.toolContext);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        model,
        temperature,
        maxTokens,
        topP,
        stop,
        frequencyPenalty,
        presencePenalty,
        serviceTier,
        responseFormat,
        outputSchema,
        toolChoice,
        toolCallbacks,
        toolContext);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("MaritacaChatOptions[");
    append(sb, "model", model);
    append(sb, "temperature", temperature);
    append(sb, "maxTokens", maxTokens);
    append(sb, "topP", topP);
    append(sb, "stop", stop);
    append(sb, "frequencyPenalty", frequencyPenalty);
    append(sb, "presencePenalty", presencePenalty);
    append(sb, "serviceTier", serviceTier);
    append(sb, "responseFormat", responseFormat == null ? null : responseFormat.type());
    append(sb, "outputSchema", outputSchema == null ? null : "set");
    append(sb, "toolChoice", toolChoice == null ? null : toolChoice.mode());
    append(sb, "tools", toolCallbacks == null ? null : toolCallbacks.size());
    if (sb.charAt(sb.length() - 1) == ' ') {
      sb.setLength(sb.length() - 2);
    }
    return sb.append(']').toString();
  }

  private static void append(StringBuilder sb, String name, Object value) {
    if (value != null) {
      sb.append(name).append('=').append(value).append(", ");
    }
  }

  /**
   * Builds {@link MaritacaChatOptions}. Ranges are checked by {@link #build()}, with a message
   * naming the value. Not thread-safe.
   */
  public static final class Builder extends DefaultToolCallingChatOptions.Builder<Builder>
      implements StructuredOutputChatOptions.Builder<Builder> {
    private ServiceTier serviceTier;
    private ResponseFormat responseFormat;
    private String outputSchema;
    private ToolChoice toolChoice;

    Builder() {}

    /** Same as {@link #stopSequences(List)}. */
    public Builder stop(List<String> stop) {
      return stopSequences(stop);
    }

    /** The service tier; {@link ServiceTier#FLEX} halves the price, subject to capacity. */
    public Builder serviceTier(ServiceTier serviceTier) {
      this.serviceTier = serviceTier;
      return this;
    }

    /** A response format: {@code ResponseFormat.JSON_OBJECT}, a JSON schema, or null. */
    public Builder responseFormat(ResponseFormat responseFormat) {
      this.responseFormat = responseFormat;
      return this;
    }

    @Override
    public Builder outputSchema(String outputSchema) {
      this.outputSchema = outputSchema;
      return this;
    }

    /** How the model may use the tools: {@code ToolChoice.AUTO}, {@code REQUIRED}, {@code NONE}. */
    public Builder toolChoice(ToolChoice toolChoice) {
      this.toolChoice = toolChoice;
      return this;
    }

    @Override
    public Builder clone() {
      Builder copy = super.clone();
      if (copy.stopSequences != null) {
        copy.stopSequences = new ArrayList<>(copy.stopSequences);
      }
      if (copy.toolContext != null) {
        copy.toolContext = new LinkedHashMap<>(copy.toolContext);
      }
      return copy;
    }

    /**
     * Takes every option {@code other} sets (Spring AI's semantics: stop sequences, tool callbacks
     * and tool context are added to these), Maritaca's own included when {@code other} is one of
     * these builders.
     */
    @Override
    public Builder combineWith(ChatOptions.Builder<?> other) {
      super.combineWith(other);
      if (other instanceof Builder that) {
        if (that.serviceTier != null) {
          this.serviceTier = that.serviceTier;
        }
        if (that.responseFormat != null) {
          this.responseFormat = that.responseFormat;
        }
        if (that.outputSchema != null) {
          this.outputSchema = that.outputSchema;
        }
        if (that.toolChoice != null) {
          this.toolChoice = that.toolChoice;
        }
      }
      return this;
    }

    /**
     * The options.
     *
     * @throws IllegalArgumentException for {@code topK} (Maritaca has none) or a value out of range
     *     (temperature 0..2, top-p 0..1, penalties -2..2, max tokens at least 1)
     */
    @Override
    public MaritacaChatOptions build() {
      if (topK != null) {
        throw new IllegalArgumentException(
            "topK=" + topK + ": Maritaca's API has no top_k (use topP)");
      }
      range("temperature", temperature, 0, 2);
      range("topP", topP, 0, 1);
      range("frequencyPenalty", frequencyPenalty, -2, 2);
      range("presencePenalty", presencePenalty, -2, 2);
      if (maxTokens != null && maxTokens < 1) {
        throw new IllegalArgumentException("maxTokens must be at least 1, was " + maxTokens);
      }
      if (model != null && model.isBlank()) {
        throw new IllegalArgumentException("model must not be blank");
      }
      ToolCallingChatOptions.validateToolCallbacks(toolCallbacks);
      return new MaritacaChatOptions(
          model,
          temperature,
          maxTokens,
          topP,
          stopSequences,
          frequencyPenalty,
          presencePenalty,
          this,
          toolCallbacks,
          toolContext);
    }

    private static void range(String name, Double value, double min, double max) {
      if (value != null && (value.isNaN() || value < min || value > max)) {
        throw new IllegalArgumentException(
            name + " must be between " + min + " and " + max + ", was " + value);
      }
    }
  }
}
