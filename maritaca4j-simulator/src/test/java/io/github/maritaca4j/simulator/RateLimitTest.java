package io.github.maritaca4j.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimitTest {

  static final String Q = "Qual é a capital do Peru?";

  @Test
  void rpmLimitAnswers429WithOpenAiBodyAndRetryAfterSeconds() {
    AtomicLong now = new AtomicLong();
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder()
            .rateLimit("sabia-4", RateLimit.rpm(60))
            .burst(Duration.ofSeconds(2)) // capacity 2 requests
            .nanoClock(now::get)
            .start()) {
      String url = sim.baseUrl() + "/chat/completions";
      assertThat(Http.post(url, Http.chat("sabia-4", Q, null)).statusCode()).isEqualTo(200);
      assertThat(Http.post(url, Http.chat("sabia-4-2026-01-06", Q, null)).statusCode())
          .isEqualTo(200);
      HttpResponse<String> r = Http.post(url, Http.chat("sabia-4", Q, null));
      assertThat(r.statusCode()).isEqualTo(429);
      JsonNode e = Http.json(r).path("error");
      assertThat(e.path("type").asText()).isEqualTo("rate_limit_error");
      assertThat(e.path("code").asText()).isEqualTo("rate_limit_exceeded");
      assertThat(e.path("message").asText()).startsWith("Rate limit exceeded: requests per minute");
      assertThat(r.headers().firstValue("retry-after")).hasValue("1");
      assertThat(r.headers().firstValue("x-ratelimit-limit-requests")).hasValue("60");
      assertThat(r.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("0");
      // another model is not limited
      assertThat(Http.post(url, Http.chat("sabiazinho-4", Q, null)).statusCode()).isEqualTo(200);
      now.addAndGet(Duration.ofMillis(999).toNanos());
      assertThat(Http.post(url, Http.chat("sabia-4", Q, null)).statusCode()).isEqualTo(429);
      now.addAndGet(Duration.ofMillis(1).toNanos());
      assertThat(Http.post(url, Http.chat("sabia-4", Q, null)).statusCode()).isEqualTo(200);
      SimulatorStats s = sim.statsWithoutLog();
      assertThat(s.rateLimited()).isEqualTo(2);
      assertThat(s.rateLimitedRpm()).isEqualTo(2);
      assertThat(s.ok()).isEqualTo(4);
    }
  }

  @Test
  void retryAfterMillisHint() {
    AtomicLong now = new AtomicLong();
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder()
            .rateLimit("sabia-4", RateLimit.rpm(120))
            .burst(Duration.ofMillis(500)) // capacity 1, refill every 500 ms
            .retryHint(RetryHint.MILLIS)
            .nanoClock(now::get)
            .start()) {
      String url = sim.baseUrl() + "/chat/completions";
      Http.post(url, Http.chat("sabia-4", Q, null));
      now.addAndGet(Duration.ofMillis(200).toNanos());
      HttpResponse<String> r = Http.post(url, Http.chat("sabia-4", Q, null));
      assertThat(r.statusCode()).isEqualTo(429);
      assertThat(r.headers().firstValue("retry-after-ms")).hasValue("300");
      assertThat(r.headers().firstValue("retry-after")).isEmpty();
    }
  }

  @Test
  void retryAfterHttpDateHint() {
    AtomicLong now = new AtomicLong();
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder()
            .rateLimit("sabia-4", RateLimit.rpm(6)) // one per 10 s
            .burst(Duration.ofSeconds(10))
            .retryHint(RetryHint.HTTP_DATE)
            .nanoClock(now::get)
            .start()) {
      String url = sim.baseUrl() + "/chat/completions";
      Http.post(url, Http.chat("sabia-4", Q, null));
      long before = System.currentTimeMillis();
      HttpResponse<String> r = Http.post(url, Http.chat("sabia-4", Q, null));
      assertThat(r.statusCode()).isEqualTo(429);
      String date = r.headers().firstValue("retry-after").orElseThrow();
      long at =
          ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME)
              .toInstant()
              .toEpochMilli();
      assertThat(at).isBetween(before + 9_000, before + 12_000);
    }
  }

  @Test
  void noHintWhenConfiguredSo() {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder()
            .rateLimit("sabia-4", RateLimit.rpm(1))
            .retryHint(RetryHint.NONE)
            .rateLimitHeaders(false)
            .nanoClock(() -> 0L)
            .start()) {
      String url = sim.baseUrl() + "/chat/completions";
      Http.post(url, Http.chat("sabia-4", Q, null));
      HttpResponse<String> r = Http.post(url, Http.chat("sabia-4", Q, null));
      assertThat(r.statusCode()).isEqualTo(429);
      assertThat(r.headers().map().keySet())
          .noneMatch(h -> h.startsWith("retry-after") || h.startsWith("x-ratelimit"));
    }
  }

  @Test
  void tpmInLimitCountsPromptTokens() {
    AtomicLong now = new AtomicLong();
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder()
            .defaultRateLimit(RateLimit.of(0, 600, 0)) // 10 tokens per second
            .burst(Duration.ofSeconds(6)) // capacity 60
            .nanoClock(now::get)
            .start()) {
      String url = sim.baseUrl() + "/chat/completions";
      JsonNode ok = Http.json(Http.post(url, Http.chat("sabia-4", Q, null)));
      int prompt = ok.path("usage").path("prompt_tokens").asInt();
      int served = 1;
      HttpResponse<String> r;
      while ((r = Http.post(url, Http.chat("sabia-4", Q, null))).statusCode() == 200) {
        served++;
      }
      assertThat(served).isEqualTo(60 / prompt);
      assertThat(Http.json(r).path("error").path("message").asText())
          .contains("input tokens per minute");
      assertThat(sim.statsWithoutLog().rateLimitedTpmIn()).isEqualTo(1);
    }
  }

  @Test
  void tpmOutChargesMaxTokensAndRefundsTheUnused() {
    AtomicLong now = new AtomicLong();
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder()
            .defaultRateLimit(RateLimit.of(0, 0, 600)) // capacity 60 output tokens
            .nanoClock(now::get)
            .start()) {
      String url = sim.baseUrl() + "/chat/completions";
      // reserves 50 of 60, uses ~8: only the refund lets the second one in
      for (int i = 0; i < 2; i++) {
        assertThat(Http.post(url, Http.chat("sabia-4", Q, "\"max_tokens\":50")).statusCode())
            .isEqualTo(200);
      }
      HttpResponse<String> tooBig = Http.post(url, Http.chat("sabia-4", Q, "\"max_tokens\":601"));
      assertThat(tooBig.statusCode()).isEqualTo(429);
      assertThat(Http.json(tooBig).path("error").path("code").asText())
          .isEqualTo("request_too_large");
      assertThat(tooBig.headers().firstValue("retry-after")).isEmpty();
    }
  }

  @Test
  void resetRefillsBuckets() {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder()
            .rateLimit("sabia-4", RateLimit.rpm(1))
            .nanoClock(() -> 0L)
            .start()) {
      String url = sim.baseUrl() + "/chat/completions";
      assertThat(Http.post(url, Http.chat("sabia-4", Q, null)).statusCode()).isEqualTo(200);
      assertThat(Http.post(url, Http.chat("sabia-4", Q, null)).statusCode()).isEqualTo(429);
      sim.reset();
      assertThat(sim.statsWithoutLog().requests()).isZero();
      assertThat(Http.post(url, Http.chat("sabia-4", Q, null)).statusCode()).isEqualTo(200);
      assertThat(Http.post(sim.baseUrl().replace("/api", "/__reset"), "").statusCode())
          .isEqualTo(200);
      assertThat(Http.post(url, Http.chat("sabia-4", Q, null)).statusCode()).isEqualTo(200);
    }
  }
}
