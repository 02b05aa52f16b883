package io.github.maritaca4j;

import io.github.maritaca4j.cost.Cost;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer to one chat request: the choices, token usage, cost, and how it was obtained
 * (attempts, latency). Immutable and thread-safe.
 *
 * <p>{@link #content()} is the first choice's text: the Python original's {@code
 * result.generations[0].message.content}.
 */
public final class ChatResult {
  private final String id;
  private final String model;
  private final long created;
  private final List<Choice> choices;
  private final Usage usage;
  private final String systemFingerprint;
  private final String requestId;
  private final int attempts;
  private final Duration latency;
  private final Cost cost;
  private final RateLimitStatus rateLimitStatus;

  /**
   * Creates a result. Most code receives results rather than making them; this constructor exists
   * for adapters and tests.
   */
  public ChatResult(
      String id,
      String model,
      long created,
      List<Choice> choices,
      Usage usage,
      String systemFingerprint,
      String requestId,
      int attempts,
      Duration latency,
      Cost cost) {
    this(
        id,
        model,
        created,
        choices,
        usage,
        systemFingerprint,
        requestId,
        attempts,
        latency,
        cost,
        null);
  }

  /**
   * Creates a result that also records what the response's rate-limit headers said. Most code
   * receives results rather than making them; this constructor exists for adapters and tests.
   */
  public ChatResult(
      String id,
      String model,
      long created,
      List<Choice> choices,
      Usage usage,
      String systemFingerprint,
      String requestId,
      int attempts,
      Duration latency,
      Cost cost,
      RateLimitStatus rateLimitStatus) {
    this.id = id;
    this.model = model;
    this.created = created;
    this.choices = List.copyOf(Objects.requireNonNull(choices, "choices"));
    if (this.choices.isEmpty()) {
      throw new IllegalArgumentException("a result needs at least one choice");
    }
    this.usage = usage == null ? Usage.ZERO : usage;
    this.systemFingerprint = systemFingerprint;
    this.requestId = requestId;
    this.attempts = attempts;
    this.latency = latency == null ? Duration.ZERO : latency;
    this.cost = cost;
    this.rateLimitStatus = rateLimitStatus;
  }

  /** The first choice's text; an empty string when it has none (e.g. only tool calls). */
  public String content() {
    return choices.get(0).message().text();
  }

  /** The first choice's message. */
  public Message message() {
    return choices.get(0).message();
  }

  /** Why the first choice stopped. */
  public FinishReason finishReason() {
    return choices.get(0).finishReason();
  }

  /** The first choice's tool calls; empty when none. */
  public List<ToolCall> toolCalls() {
    return choices.get(0).message().toolCalls();
  }

  /** Whether the first choice calls tools. */
  public boolean hasToolCalls() {
    return !toolCalls().isEmpty();
  }

  /** All choices (more than one only with {@code n > 1}). */
  public List<Choice> choices() {
    return choices;
  }

  /** The response id, or null when the server sent none. */
  public String id() {
    return id;
  }

  /** The model that answered, as the server named it. */
  public String model() {
    return model;
  }

  /** The server's creation time, epoch seconds (0 when not sent). */
  public long created() {
    return created;
  }

  /** Token usage; {@link Usage#ZERO} when the server sent none. */
  public Usage usage() {
    return usage;
  }

  public String systemFingerprint() {
    return systemFingerprint;
  }

  /** The request id header of the response, or null. */
  public String requestId() {
    return requestId;
  }

  /** How many HTTP attempts it took (1 when the first succeeded). */
  public int attempts() {
    return attempts;
  }

  /** Time from the first attempt's start to this answer, waits between retries included. */
  public Duration latency() {
    return latency;
  }

  /**
   * The actual cost in BRL computed from {@link #usage()} and the price table; empty when the model
   * is not in the price table.
   */
  public Optional<Cost> cost() {
    return Optional.ofNullable(cost);
  }

  /**
   * What the response's {@code x-ratelimit-*} headers said about the account's limits, when the
   * server sent any (for a streamed answer, the headers that opened the stream).
   */
  public Optional<RateLimitStatus> rateLimitStatus() {
    return Optional.ofNullable(rateLimitStatus);
  }

  /** A copy with other attempt count and latency. */
  public ChatResult withAttempts(int attempts, Duration latency) {
    return copy(attempts, latency, cost, rateLimitStatus);
  }

  /** A copy with a cost. */
  public ChatResult withCost(Cost cost) {
    return copy(attempts, latency, cost, rateLimitStatus);
  }

  /** A copy that records a response's rate-limit status (null for none). */
  public ChatResult withRateLimitStatus(RateLimitStatus status) {
    return copy(attempts, latency, cost, status);
  }

  private ChatResult copy(int attempts, Duration latency, Cost cost, RateLimitStatus status) {
    return new ChatResult(
        id,
        model,
        created,
        choices,
        usage,
        systemFingerprint,
        requestId,
        attempts,
        latency,
        cost,
        status);
  }

  @Override
  public String toString() {
    String c = content();
    return "ChatResult[model="
        + model
        + ", finishReason="
        + finishReason()
        + ", usage="
        + usage
        + ", attempts="
        + attempts
        + ", content="
        + (c.length() > 80 ? c.substring(0, 80) + "..." : c)
        + "]";
  }
}
