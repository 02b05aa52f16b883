package io.github.maritaca4j.internal;

import io.github.maritaca4j.RateLimitStatus;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.Optional;

/** Reads the OpenAI-style {@code x-ratelimit-*} headers of a response. Internal API. */
public final class RateLimitHeaders {
  private RateLimitHeaders() {}

  /** The status the headers describe, or null when none of them is present and valid. */
  public static RateLimitStatus parse(HttpHeaders headers) {
    long limitRequests = count(headers, "x-ratelimit-limit-requests");
    long remainingRequests = count(headers, "x-ratelimit-remaining-requests");
    Duration resetRequests = duration(headers, "x-ratelimit-reset-requests");
    long limitTokens = count(headers, "x-ratelimit-limit-tokens");
    long remainingTokens = count(headers, "x-ratelimit-remaining-tokens");
    Duration resetTokens = duration(headers, "x-ratelimit-reset-tokens");
    if (limitRequests < 0
        && remainingRequests < 0
        && resetRequests == null
        && limitTokens < 0
        && remainingTokens < 0
        && resetTokens == null) {
      return null;
    }
    return new RateLimitStatus(
        limitRequests, remainingRequests, resetRequests, limitTokens, remainingTokens, resetTokens);
  }

  /** A non-negative whole number; -1 when absent or not a number. */
  static long count(HttpHeaders headers, String name) {
    Optional<String> v = headers.firstValue(name);
    if (v.isEmpty()) {
      return -1;
    }
    String s = v.get().trim();
    try {
      long n = Long.parseLong(s);
      return n < 0 ? -1 : n;
    } catch (NumberFormatException e) {
      try {
        double d = Double.parseDouble(s); // some servers send "1000.0"
        return Double.isFinite(d) && d >= 0 && d < 9e18 ? (long) Math.floor(d) : -1;
      } catch (NumberFormatException e2) {
        return -1;
      }
    }
  }

  private static Duration duration(HttpHeaders headers, String name) {
    return headers.firstValue(name).flatMap(RetryHints::parseGoDuration).orElse(null);
  }
}
