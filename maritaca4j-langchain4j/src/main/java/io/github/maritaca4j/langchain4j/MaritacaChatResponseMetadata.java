package io.github.maritaca4j.langchain4j;

import dev.langchain4j.model.chat.response.ChatResponseMetadata;
import dev.langchain4j.model.output.TokenUsage;
import io.github.maritaca4j.RateLimitStatus;
import io.github.maritaca4j.ServiceTier;
import io.github.maritaca4j.cost.Cost;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Response metadata with what Maritaca and maritaca4j add: the actual cost in BRL, the cached input
 * tokens (in {@link #tokenUsage()}), the service tier, how many HTTP attempts it took and how long.
 * Immutable.
 *
 * <pre>{@code
 * ChatResponse response = model.chat(request);
 * MaritacaChatResponseMetadata meta = (MaritacaChatResponseMetadata) response.metadata();
 * BigDecimal brl = meta.costBrl();   // e.g. 0.000415
 * }</pre>
 */
public class MaritacaChatResponseMetadata extends ChatResponseMetadata {
  private final Cost cost;
  private final Long created;
  private final String systemFingerprint;
  private final String requestId;
  private final int attempts;
  private final Duration latency;
  private final ServiceTier serviceTier;
  private final RateLimitStatus rateLimitStatus;

  private MaritacaChatResponseMetadata(Builder b) {
    super(b);
    this.cost = b.cost;
    this.created = b.created;
    this.systemFingerprint = b.systemFingerprint;
    this.requestId = b.requestId;
    this.attempts = b.attempts;
    this.latency = b.latency;
    this.serviceTier = b.serviceTier;
    this.rateLimitStatus = b.rateLimitStatus;
  }

  /** The usage, with cached input tokens when the server reported them. */
  @Override
  public MaritacaTokenUsage tokenUsage() {
    TokenUsage u = super.tokenUsage();
    if (u == null || u instanceof MaritacaTokenUsage) {
      return (MaritacaTokenUsage) u;
    }
    return new MaritacaTokenUsage(
        u.inputTokenCount(), u.outputTokenCount(), u.totalTokenCount(), null);
  }

  /**
   * The actual cost, computed from the usage and the client's price table; empty when the model has
   * no price in the table.
   */
  public Optional<Cost> cost() {
    return Optional.ofNullable(cost);
  }

  /** The actual cost in BRL, or null when the model has no price in the table. */
  public BigDecimal costBrl() {
    return cost == null ? null : cost.total();
  }

  /** The server's creation time, epoch seconds; null when not sent. */
  public Long created() {
    return created;
  }

  public String systemFingerprint() {
    return systemFingerprint;
  }

  /** The request id header of the response, or null. */
  public String requestId() {
    return requestId;
  }

  /** HTTP attempts it took (1 when the first succeeded; 0 when unknown). */
  public int attempts() {
    return attempts;
  }

  /** From the first attempt's start to the answer, waits between retries included. */
  public Duration latency() {
    return latency;
  }

  /** The service tier the request was sent with. */
  public ServiceTier serviceTier() {
    return serviceTier;
  }

  /** What the response's {@code x-ratelimit-*} headers said, when the server sent any. */
  public Optional<RateLimitStatus> rateLimitStatus() {
    return Optional.ofNullable(rateLimitStatus);
  }

  @Override
  public Builder toBuilder() {
    return ((Builder) super.toBuilder(builder()))
        .cost(cost)
        .created(created)
        .systemFingerprint(systemFingerprint)
        .requestId(requestId)
        .attempts(attempts)
        .latency(latency)
        .serviceTier(serviceTier)
        .rateLimitStatus(rateLimitStatus);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (o == null || getClass() != o.getClass() || !super.equals(o)) {
      return false;
    }
    MaritacaChatResponseMetadata that = (MaritacaChatResponseMetadata) o;
    return attempts == that.attempts
        && Objects.equals(cost, that.cost)
        && Objects.equals(created, that.created)
        && Objects.equals(systemFingerprint, that.systemFingerprint)
        && Objects.equals(requestId, that.requestId)
        && Objects.equals(latency, that.latency)
        && serviceTier == that.serviceTier
        && Objects.equals(rateLimitStatus, that.rateLimitStatus);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        super.hashCode(),
        cost,
        created,
        systemFingerprint,
        requestId,
        attempts,
        latency,
        serviceTier,
        rateLimitStatus);
  }

  @Override
  public String toString() {
    return "MaritacaChatResponseMetadata{id="
        + id()
        + ", modelName="
        + modelName()
        + ", tokenUsage="
        + tokenUsage()
        + ", finishReason="
        + finishReason()
        + ", costBrl="
        + (cost == null ? null : cost.total().toPlainString())
        + ", serviceTier="
        + serviceTier
        + ", attempts="
        + attempts
        + ", latency="
        + latency
        + ", requestId="
        + requestId
        + "}";
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link MaritacaChatResponseMetadata}. Not thread-safe. */
  public static class Builder extends ChatResponseMetadata.Builder<Builder> {
    private Cost cost;
    private Long created;
    private String systemFingerprint;
    private String requestId;
    private int attempts;
    private Duration latency;
    private ServiceTier serviceTier;
    private RateLimitStatus rateLimitStatus;

    Builder() {}

    public Builder cost(Cost cost) {
      this.cost = cost;
      return this;
    }

    public Builder created(Long created) {
      this.created = created;
      return this;
    }

    public Builder systemFingerprint(String systemFingerprint) {
      this.systemFingerprint = systemFingerprint;
      return this;
    }

    public Builder requestId(String requestId) {
      this.requestId = requestId;
      return this;
    }

    public Builder attempts(int attempts) {
      this.attempts = attempts;
      return this;
    }

    public Builder latency(Duration latency) {
      this.latency = latency;
      return this;
    }

    public Builder serviceTier(ServiceTier serviceTier) {
      this.serviceTier = serviceTier;
      return this;
    }

    public Builder rateLimitStatus(RateLimitStatus rateLimitStatus) {
      this.rateLimitStatus = rateLimitStatus;
      return this;
    }

    @Override
    public MaritacaChatResponseMetadata build() {
      return new MaritacaChatResponseMetadata(this);
    }
  }
}
