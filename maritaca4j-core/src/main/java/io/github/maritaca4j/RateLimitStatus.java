package io.github.maritaca4j;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a response's OpenAI-style {@code x-ratelimit-*} headers said about the account's rate limits
 * for the model, at the moment the server answered. Servers may send all, some or none of these
 * headers; every part is optional. Immutable and thread-safe.
 *
 * <p>The headers read are {@code x-ratelimit-limit-requests}, {@code
 * x-ratelimit-remaining-requests}, {@code x-ratelimit-reset-requests} (a duration such as {@code
 * 1s}, {@code 6m0s} or {@code 250ms}: the time until the requests limit is whole again) and the
 * same three for {@code tokens}. The batch engine uses them to learn limits it was not told (see
 * {@code docs/batch.md}).
 *
 * @param limitRequests requests per minute, or -1 when not sent
 * @param remainingRequests requests the server would accept right now, or -1 when not sent
 * @param resetRequests time until the requests limit is whole again, or null when not sent
 * @param limitTokens tokens per minute, or -1 when not sent
 * @param remainingTokens tokens the server would accept right now, or -1 when not sent
 * @param resetTokens time until the tokens limit is whole again, or null when not sent
 */
public record RateLimitStatus(
    long limitRequests,
    long remainingRequests,
    Duration resetRequests,
    long limitTokens,
    long remainingTokens,
    Duration resetTokens) {

  public RateLimitStatus {
    limitRequests = limitRequests < 0 ? -1 : limitRequests;
    remainingRequests = remainingRequests < 0 ? -1 : remainingRequests;
    limitTokens = limitTokens < 0 ? -1 : limitTokens;
    remainingTokens = remainingTokens < 0 ? -1 : remainingTokens;
    if (resetRequests != null && resetRequests.isNegative()) {
      resetRequests = null;
    }
    if (resetTokens != null && resetTokens.isNegative()) {
      resetTokens = null;
    }
  }

  /** Requests per minute, when the server said. */
  public OptionalLong requestsPerMinute() {
    return limitRequests > 0 ? OptionalLong.of(limitRequests) : OptionalLong.empty();
  }

  /** Tokens per minute, when the server said. */
  public OptionalLong tokensPerMinute() {
    return limitTokens > 0 ? OptionalLong.of(limitTokens) : OptionalLong.empty();
  }

  /** Time until the requests limit is whole again, when the server said. */
  public Optional<Duration> requestsReset() {
    return Optional.ofNullable(resetRequests);
  }

  /** Time until the tokens limit is whole again, when the server said. */
  public Optional<Duration> tokensReset() {
    return Optional.ofNullable(resetTokens);
  }
}
