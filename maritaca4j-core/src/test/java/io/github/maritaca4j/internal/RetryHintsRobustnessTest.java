package io.github.maritaca4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every form of retry hint a server may send, well-formed or not. */
class RetryHintsRobustnessTest {
  private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

  private static HttpHeaders headers(String... kv) {
    Map<String, List<String>> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.computeIfAbsent(kv[i], k -> new ArrayList<>()).add(kv[i + 1]);
    }
    return HttpHeaders.of(m, (a, b) -> true);
  }

  private static java.util.Optional<Duration> retryAfter(String value) {
    return RetryHints.parse(headers("Retry-After", value), NOW);
  }

  @ParameterizedTest(name = "Retry-After \"{0}\" = {1} ms")
  @CsvSource(
      delimiter = '|',
      value = {
        "7|7000",
        "'  7  '|7000",
        "'\t3'|3000",
        "0|0",
        "000|0",
        "1.5|1500",
        "0.25|250",
        ".5|500",
        "2.|2000",
        "+4|4000",
        "86400|86400000",
      })
  void readsDelaySeconds(String value, long millis) {
    assertThat(retryAfter(value)).contains(Duration.ofMillis(millis));
  }

  @ParameterizedTest(name = "Retry-After \"{0}\" is ignored")
  @ValueSource(
      strings = {
        "",
        "   ",
        "-1",
        "-0.5",
        "soon",
        "NaN",
        "Infinity",
        "1e3",
        "0x10",
        "5d",
        "2f",
        "1,5",
        "5 s",
        "Sat, 99 Nov 2026 12:00:00 GMT",
        "Sat, 31 Feb 2026 12:00:00 GMT",
        "Sat, 28 Nov 2026 25:00:00 GMT",
      })
  void ignoresUnusableRetryAfter(String value) {
    assertThat(retryAfter(value)).isEmpty();
  }

  @Test
  void aHugeDelayIsKeptWhole() {
    // the cap is the caller's business (RateLimitException.exceededMaxWait); nothing overflows
    assertThat(retryAfter("999999999999999999999999")).contains(Duration.ofNanos(Long.MAX_VALUE));
    assertThat(retryAfter("31536000")).contains(Duration.ofDays(365));
  }

  @Test
  void readsAllThreeHttpDateFormsAgainstTheLocalClockWithoutADateHeader() {
    assertThat(retryAfter("Sat, 28 Nov 2026 12:00:09 GMT")).contains(Duration.ofSeconds(9));
    assertThat(retryAfter("Saturday, 28-Nov-26 12:00:10 GMT")).contains(Duration.ofSeconds(10));
    assertThat(retryAfter("Sat Nov 28 12:00:11 2026")).contains(Duration.ofSeconds(11));
    assertThat(retryAfter("Sat Nov  8 12:00:11 2026")).contains(Duration.ZERO); // in the past
  }

  @Test
  void toleratesCommonDeviationsInHttpDates() {
    // a wrong weekday, lower case, no weekday, UTC instead of GMT, a single-digit day, no zone
    assertThat(retryAfter("Mon, 28 Nov 2026 12:00:09 GMT")).contains(Duration.ofSeconds(9));
    assertThat(retryAfter("sat, 28 nov 2026 12:00:09 gmt")).contains(Duration.ofSeconds(9));
    assertThat(retryAfter("28 Nov 2026 12:00:09 GMT")).contains(Duration.ofSeconds(9));
    assertThat(retryAfter("Sat, 28 Nov 2026 12:00:09 UTC")).contains(Duration.ofSeconds(9));
    assertThat(retryAfter("Sat, 28 Nov 2026 12:00:09 +0000")).contains(Duration.ofSeconds(9));
    assertThat(retryAfter("Sat, 28 Nov 2026 12:00:09")).contains(Duration.ofSeconds(9));
    assertThat(retryAfter("  Sat,  28 Nov 2026   12:00:09 GMT ")).contains(Duration.ofSeconds(9));
  }

  @Test
  void aDateInThePastOrNowMeansNoWait() {
    assertThat(retryAfter("Sat, 28 Nov 2026 11:00:00 GMT")).contains(Duration.ZERO);
    assertThat(retryAfter("Sat, 28 Nov 2026 12:00:00 GMT")).contains(Duration.ZERO);
    assertThat(retryAfter("Thu, 01 Jan 1970 00:00:00 GMT")).contains(Duration.ZERO);
  }

  @Test
  void datesAreMeasuredAgainstTheResponsesDateHeaderInAnyForm() {
    // the server's clock is a day ahead of ours: only the difference between its two dates counts
    assertThat(
            RetryHints.parse(
                headers(
                    "Retry-After", "Sun, 29 Nov 2026 12:00:30 GMT",
                    "Date", "Sun, 29 Nov 2026 12:00:00 GMT"),
                NOW))
        .contains(Duration.ofSeconds(30));
    assertThat(
            RetryHints.parse(
                headers(
                    "Retry-After", "Sun Nov 29 12:00:30 2026",
                    "Date", "Sunday, 29-Nov-26 12:00:00 GMT"),
                NOW))
        .contains(Duration.ofSeconds(30));
    // a garbled Date header: the local clock stands in
    assertThat(
            RetryHints.parse(
                headers("Retry-After", "Sat, 28 Nov 2026 12:00:30 GMT", "Date", "yesterday"), NOW))
        .contains(Duration.ofSeconds(30));
  }

  @Test
  void twoDigitYearsFollowRfc9110() {
    // more than 50 years ahead means the previous century
    assertThat(RetryHints.parseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT", NOW))
        .contains(Instant.parse("1994-11-06T08:49:37Z"));
    assertThat(RetryHints.parseHttpDate("Saturday, 28-Nov-26 12:00:00 GMT", NOW))
        .contains(Instant.parse("2026-11-28T12:00:00Z"));
    assertThat(RetryHints.parseHttpDate("Monday, 01-Jan-70 00:00:00 GMT", NOW))
        .contains(Instant.parse("2070-01-01T00:00:00Z"));
  }

  @ParameterizedTest(name = "retry-after-ms \"{0}\" = {1} ns")
  @CsvSource(
      delimiter = '|',
      value = {
        "250|250000000",
        "' 250 '|250000000",
        "0|0",
        "12.5|12500000",
        "0.0001|100",
        "1500|1500000000",
      })
  void readsRetryAfterMs(String value, long nanos) {
    assertThat(RetryHints.parse(headers("retry-after-ms", value), NOW))
        .contains(Duration.ofNanos(nanos));
  }

  @ParameterizedTest(name = "retry-after-ms \"{0}\" is ignored")
  @ValueSource(strings = {"", "-5", "abc", "1e3", "NaN", "250ms"})
  void ignoresUnusableRetryAfterMs(String value) {
    assertThat(RetryHints.parse(headers("retry-after-ms", value), NOW)).isEmpty();
  }

  @ParameterizedTest(name = "Go duration \"{0}\" = {1} ns")
  @CsvSource(
      delimiter = '|',
      value = {
        "1s|1000000000",
        "6m0s|360000000000",
        "1m30.5s|90500000000",
        "250ms|250000000",
        "1h2m3s|3723000000000",
        "0.5s|500000000",
        ".5s|500000000",
        "2us|2000",
        "2µs|2000", // U+00B5, as Go writes it
        "2μs|2000", // U+03BC, which Go also accepts
        "2Âµs|2000", // U+00B5 sent as UTF-8 and read as ISO-8859-1, as HTTP clients decode headers
        "3ns|3",
        "0|0",
        "0s|0",
        "' 17ms '|17000000",
        "1H|3600000000000",
        "2|2000000000",
        "1.5|1500000000",
      })
  void readsGoDurations(String value, long nanos) {
    assertThat(RetryHints.parseGoDuration(value)).contains(Duration.ofNanos(nanos));
  }

  @ParameterizedTest(name = "Go duration \"{0}\" is ignored")
  @ValueSource(
      strings = {"", "s", "1x", "-1s", "1s garbage", "1 s", "ms", "1s-2s", "soon", "1.2.3s"})
  void ignoresMalformedGoDurations(String value) {
    assertThat(RetryHints.parseGoDuration(value)).isEmpty();
  }

  @Test
  void theOrderIsMillisThenRetryAfterThenResetHeaders() {
    HttpHeaders all =
        headers(
            "retry-after-ms", "1500",
            "Retry-After", "7",
            "x-ratelimit-reset-requests", "20s",
            "x-ratelimit-reset-tokens", "30s");
    assertThat(RetryHints.parse(all, NOW)).contains(Duration.ofMillis(1500));
    HttpHeaders noMs =
        headers(
            "Retry-After", "7",
            "x-ratelimit-reset-requests", "20s",
            "x-ratelimit-reset-tokens", "30s");
    assertThat(RetryHints.parse(noMs, NOW)).contains(Duration.ofSeconds(7));
    HttpHeaders badOnes =
        headers(
            "retry-after-ms", "soon",
            "Retry-After", "later",
            "x-ratelimit-reset-requests", "20s");
    assertThat(RetryHints.parse(badOnes, NOW)).contains(Duration.ofSeconds(20));
  }

  @Test
  void aRepeatedHeaderUsesItsFirstUsableValue() {
    assertThat(RetryHints.parse(headers("Retry-After", "soon", "Retry-After", "4"), NOW))
        .contains(Duration.ofSeconds(4));
  }

  @Test
  void resetHeadersTakeTheExhaustedLimitElseTheLonger() {
    assertThat(
            RetryHints.parse(
                headers("x-ratelimit-reset-requests", "1s", "x-ratelimit-reset-tokens", "6m0s"),
                NOW))
        .contains(Duration.ofMinutes(6));
    assertThat(
            RetryHints.parse(
                headers(
                    "x-ratelimit-reset-requests", "1s",
                    "x-ratelimit-reset-tokens", "6m0s",
                    "x-ratelimit-remaining-requests", "0",
                    "x-ratelimit-remaining-tokens", "15000"),
                NOW))
        .contains(Duration.ofSeconds(1));
    assertThat(
            RetryHints.parse(
                headers(
                    "x-ratelimit-reset-requests", "1s",
                    "x-ratelimit-reset-tokens", "6m0s",
                    "x-ratelimit-remaining-requests", "59",
                    "x-ratelimit-remaining-tokens", "0"),
                NOW))
        .contains(Duration.ofMinutes(6));
    assertThat(
            RetryHints.parse(
                headers("x-ratelimit-reset-requests", "garbage", "x-ratelimit-reset-tokens", "2s"),
                NOW))
        .contains(Duration.ofSeconds(2));
  }

  @Test
  void resetHeadersOnlyCountForRateLimitAnswers() {
    HttpHeaders h =
        headers("x-ratelimit-reset-requests", "20s", "x-ratelimit-reset-tokens", "6m0s");
    assertThat(RetryHints.parse(429, h, NOW)).contains(Duration.ofMinutes(6));
    assertThat(RetryHints.parse(503, h, NOW)).isEmpty();
    assertThat(RetryHints.parse(500, h, NOW)).isEmpty();
    // the explicit forms count on any status
    assertThat(RetryHints.parse(503, headers("Retry-After", "2"), NOW))
        .contains(Duration.ofSeconds(2));
    assertThat(RetryHints.parse(503, headers("retry-after-ms", "20"), NOW))
        .contains(Duration.ofMillis(20));
  }

  @Test
  void headerNamesAreCaseInsensitive() {
    assertThat(RetryHints.parse(headers("RETRY-AFTER", "3"), NOW)).contains(Duration.ofSeconds(3));
    assertThat(RetryHints.parse(headers("Retry-After-Ms", "30"), NOW))
        .contains(Duration.ofMillis(30));
    assertThat(RetryHints.parse(headers("X-RateLimit-Reset-Tokens", "4s"), NOW))
        .contains(Duration.ofSeconds(4));
  }

  @Test
  void noHintAtAll() {
    assertThat(RetryHints.parse(headers(), NOW)).isEmpty();
    assertThat(RetryHints.parse(headers("Date", "Sat, 28 Nov 2026 12:00:00 GMT"), NOW)).isEmpty();
  }
}
