package io.github.maritaca4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.maritaca4j.RateLimitStatus;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateLimitHeadersTest {
  private static HttpHeaders headers(String... kv) {
    Map<String, List<String>> m = new java.util.HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], List.of(kv[i + 1]));
    }
    return HttpHeaders.of(m, (a, b) -> true);
  }

  @Test
  void readsAllSixHeadersWhateverTheirCase() {
    RateLimitStatus s =
        RateLimitHeaders.parse(
            headers(
                "X-RateLimit-Limit-Requests", "1500",
                "x-ratelimit-remaining-requests", " 1499 ",
                "x-ratelimit-reset-requests", "40ms",
                "x-ratelimit-limit-tokens", "4000000",
                "x-ratelimit-remaining-tokens", "3999000",
                "x-ratelimit-reset-tokens", "1m0.5s"));
    assertThat(s)
        .isEqualTo(
            new RateLimitStatus(
                1500,
                1499,
                Duration.ofMillis(40),
                4_000_000,
                3_999_000,
                Duration.ofMillis(60_500)));
    assertThat(s.requestsPerMinute()).hasValue(1500);
    assertThat(s.tokensReset()).contains(Duration.ofMillis(60_500));
  }

  @Test
  void absentOrBrokenValuesAreUnknownNotErrors() {
    assertThat(RateLimitHeaders.parse(headers())).isNull();
    assertThat(RateLimitHeaders.parse(headers("x-ratelimit-limit-requests", "lots"))).isNull();
    RateLimitStatus s =
        RateLimitHeaders.parse(
            headers(
                "x-ratelimit-limit-requests", "1000.0",
                "x-ratelimit-remaining-requests", "-3",
                "x-ratelimit-reset-requests", "soon"));
    assertThat(s.limitRequests()).isEqualTo(1000);
    assertThat(s.remainingRequests()).isEqualTo(-1);
    assertThat(s.resetRequests()).isNull();
    assertThat(s.tokensPerMinute()).isEmpty();
  }
}
