package io.github.maritaca4j.langchain4j;

import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import io.github.maritaca4j.ServiceTier;
import java.util.Objects;

/**
 * LangChain4j request parameters plus Maritaca's own: the {@link ServiceTier service tier} ({@code
 * FLEX} costs half, subject to capacity). Immutable and thread-safe.
 *
 * <pre>{@code
 * ChatRequest request = ChatRequest.builder()
 *     .messages(UserMessage.from("Resuma este texto: ..."))
 *     .parameters(MaritacaChatRequestParameters.builder().serviceTier(ServiceTier.FLEX).build())
 *     .build();
 * }</pre>
 *
 * <p>{@code topK} is not supported by Maritaca: a request that sets it fails with {@link
 * dev.langchain4j.exception.UnsupportedFeatureException}.
 */
public class MaritacaChatRequestParameters extends DefaultChatRequestParameters {

  /** No parameter set. */
  public static final MaritacaChatRequestParameters EMPTY = builder().build();

  private final ServiceTier serviceTier;

  private MaritacaChatRequestParameters(Builder builder) {
    super(builder);
    this.serviceTier = builder.serviceTier;
  }

  /** The service tier, or null to keep the model's default. */
  public ServiceTier serviceTier() {
    return serviceTier;
  }

  @Override
  public MaritacaChatRequestParameters overrideWith(ChatRequestParameters that) {
    return builder().overrideWith(this).overrideWith(that).build();
  }

  @Override
  public MaritacaChatRequestParameters defaultedBy(ChatRequestParameters that) {
    return builder().overrideWith(that).overrideWith(this).build();
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (o == null || getClass() != o.getClass() || !super.equals(o)) {
      return false;
    }
    return serviceTier == ((MaritacaChatRequestParameters) o).serviceTier;
  }

  @Override
  public int hashCode() {
    return Objects.hash(super.hashCode(), serviceTier);
  }

  @Override
  public String toString() {
    return "MaritacaChatRequestParameters{modelName="
        + modelName()
        + ", temperature="
        + temperature()
        + ", topP="
        + topP()
        + ", frequencyPenalty="
        + frequencyPenalty()
        + ", presencePenalty="
        + presencePenalty()
        + ", maxOutputTokens="
        + maxOutputTokens()
        + ", stopSequences="
        + stopSequences()
        + ", toolSpecifications="
        + toolSpecifications()
        + ", toolChoice="
        + toolChoice()
        + ", responseFormat="
        + responseFormat()
        + ", serviceTier="
        + serviceTier
        + "}";
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link MaritacaChatRequestParameters}. Not thread-safe. */
  public static class Builder extends DefaultChatRequestParameters.Builder<Builder> {
    private ServiceTier serviceTier;

    Builder() {}

    @Override
    public Builder overrideWith(ChatRequestParameters parameters) {
      super.overrideWith(parameters);
      if (parameters instanceof MaritacaChatRequestParameters mp && mp.serviceTier() != null) {
        serviceTier(mp.serviceTier());
      }
      return this;
    }

    /** The service tier ({@link ServiceTier#FLEX} for half price); null keeps the default. */
    public Builder serviceTier(ServiceTier serviceTier) {
      this.serviceTier = serviceTier;
      return this;
    }

    @Override
    public MaritacaChatRequestParameters build() {
      return new MaritacaChatRequestParameters(this);
    }
  }
}
