package io.github.maritaca4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetryHintsTest {
  private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

  private static HttpHeaders headers(String... kv) {
    Map<String, List<String>> m = new java.util.HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], List.of(kv[i + 1]));
    }
    return HttpHeaders.of(m, (a, b) -> true);
  }

  @Test
  void readsRetryAfterSeconds() {
    assertThat(RetryHints.parse(headers("Retry-After", "7"), NOW)).contains(Duration.ofSeconds(7));
  }

  @Test
  void readsFractionalRetryAfterSeconds() {
    assertThat(RetryHints.parse(headers("retry-after", "1.5"), NOW))
        .contains(Duration.ofMillis(1500));
  }

  @Test
  void readsRetryAfterMillisAndPrefersItOverSeconds() {
    assertThat(RetryHints.parse(headers("retry-after-ms", "250", "retry-after", "1"), NOW))
        .contains(Duration.ofMillis(250));
  }

  @Test
  void readsImfFixdateRelativeToLocalClockWithoutDateHeader() {
    assertThat(RetryHints.parse(headers("Retry-After", "Sat, 28 Nov 2026 12:00:09 GMT"), NOW))
        .contains(Duration.ofSeconds(9));
  }

  @Test
  void measuresHttpDateAgainstTheServersDateHeader() {
    // the server's clock is 1 hour ahead of ours: only the difference counts
    HttpHeaders h =
        headers(
            "Retry-After",
            "Sat, 28 Nov 2026 13:00:04 GMT",
            "Date",
            "Sat, 28 Nov 2026 13:00:00 GMT");
    assertThat(RetryHints.parse(h, NOW)).contains(Duration.ofSeconds(4));
  }

  @Test
  void readsObsoleteRfc850AndAsctimeDates() {
    assertThat(RetryHints.parse(headers("Retry-After", "Saturday, 28-Nov-26 12:00:03 GMT"), NOW))
        .contains(Duration.ofSeconds(3));
    assertThat(RetryHints.parse(headers("Retry-After", "Sat Nov 28 12:00:05 2026"), NOW))
        .contains(Duration.ofSeconds(5));
    assertThat(RetryHints.parse(headers("Retry-After", "Sun Nov  1 12:00:05 2026"), NOW))
        .contains(Duration.ZERO);
  }

  @Test
  void aDateInThePastMeansNoWait() {
    assertThat(RetryHints.parse(headers("Retry-After", "Sat, 28 Nov 2026 11:00:00 GMT"), NOW))
        .contains(Duration.ZERO);
  }

  @Test
  void ignoresGarbageAndNegativeValues() {
    assertThat(RetryHints.parse(headers("Retry-After", "soon"), NOW)).isEmpty();
    assertThat(RetryHints.parse(headers("Retry-After", "-5"), NOW)).isEmpty();
    assertThat(RetryHints.parse(headers("retry-after-ms", "abc"), NOW)).isEmpty();
    assertThat(RetryHints.parse(headers(), NOW)).isEmpty();
  }

  @Test
  void fallsBackToGarbledMillisThenSeconds() {
    assertThat(RetryHints.parse(headers("retry-after-ms", "x", "Retry-After", "2"), NOW))
        .contains(Duration.ofSeconds(2));
  }

  @Test
  void readsOpenAiStyleResetHeadersTakingTheLonger() {
    HttpHeaders h = headers("x-ratelimit-reset-requests", "1s", "x-ratelimit-reset-tokens", "6m0s");
    assertThat(RetryHints.parse(h, NOW)).contains(Duration.ofMinutes(6));
    assertThat(RetryHints.parse(headers("x-ratelimit-reset-tokens", "250ms"), NOW))
        .contains(Duration.ofMillis(250));
    assertThat(RetryHints.parseGoDuration("1m30.5s")).contains(Duration.ofMillis(90_500));
    assertThat(RetryHints.parseGoDuration("2")).contains(Duration.ofSeconds(2));
    assertThat(RetryHints.parseGoDuration("1x")).isEmpty();
  }
}
