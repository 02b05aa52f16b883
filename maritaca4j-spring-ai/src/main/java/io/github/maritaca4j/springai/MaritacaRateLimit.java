package io.github.maritaca4j.springai;

import io.github.maritaca4j.RateLimitStatus;
import java.time.Duration;
import java.util.Objects;
import org.springframework.ai.chat.metadata.RateLimit;

/**
 * Spring AI's view of what a response's {@code x-ratelimit-*} headers said (maritaca4j's {@link
 * RateLimitStatus}). As in Spring AI's {@code EmptyRateLimit}, a value the server did not send
 * reads as 0 ({@link Duration#ZERO} for the resets); {@link #status()} tells them apart. Only
 * present in {@code ChatResponseMetadata} when the server sent at least one such header. Immutable.
 */
public final class MaritacaRateLimit implements RateLimit {
  private final RateLimitStatus status;

  /** The rate limit that {@code status} describes. */
  public MaritacaRateLimit(RateLimitStatus status) {
    this.status = Objects.requireNonNull(status, "status");
  }

  /** What the headers said, with "not sent" kept apart from 0. */
  public RateLimitStatus status() {
    return status;
  }

  @Override
  public Long getRequestsLimit() {
    return Math.max(0, status.limitRequests());
  }

  @Override
  public Long getRequestsRemaining() {
    return Math.max(0, status.remainingRequests());
  }

  @Override
  public Duration getRequestsReset() {
    return status.requestsReset().orElse(Duration.ZERO);
  }

  @Override
  public Long getTokensLimit() {
    return Math.max(0, status.limitTokens());
  }

  @Override
  public Long getTokensRemaining() {
    return Math.max(0, status.remainingTokens());
  }

  @Override
  public Duration getTokensReset() {
    return status.tokensReset().orElse(Duration.ZERO);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MaritacaRateLimit other && status.equals(other.status);
  }

  @Override
  public int hashCode() {
    return status.hashCode();
  }

  @Override
  public String toString() {
    return "MaritacaRateLimit" + status.toString().substring("RateLimitStatus".length());
  }
}
