package io.github.maritaca4j.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Latency is a lower bound we can check exactly: scheduled tasks never run early. */
class LatencyTest {

  @Test
  void serviceTimeIsAtLeastBasePlusPerTokenTime() {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder()
            .latency(Latency.of(Duration.ofMillis(100), Duration.ofMillis(5), 0))
            .answerLength(AnswerLength.fixed(30))
            .start()) {
      String url = sim.baseUrl() + "/chat/completions";
      JsonNode j = Http.json(Http.post(url, Http.chat("sabia-4", "Fale do mar.", null)));
      int tokens = j.path("usage").path("completion_tokens").asInt();
      Http.post(url, Http.chat("sabia-4", "Fale do mar.", "\"stream\":true"));
      var log = sim.stats().log();
      // the whole answer after base + per-token time
      assertThat(log.get(0).completionNanos() - log.get(0).arrivalNanos())
          .isGreaterThanOrEqualTo(Duration.ofMillis(100 + 5L * tokens).toNanos());
      // a stream: the first chunk after base, each next one after its tokens' time
      assertThat(log.get(1).completionNanos() - log.get(1).arrivalNanos())
          .isGreaterThanOrEqualTo(Duration.ofMillis(100 + 5L * (tokens - 10)).toNanos());
    }
  }

  @Test
  void rateLimitedAnswersDoNotWait() {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder()
            .latency(Latency.fixed(Duration.ofSeconds(30)))
            .rateLimit("sabia-4", RateLimit.rpm(1))
            .nanoClock(() -> 0L)
            .start()) {
      String url = sim.baseUrl() + "/chat/completions";
      var first = Http.postAsync(url, Http.chat("sabia-4", "oi", null));
      while (sim.statsWithoutLog().inFlight() == 0) {
        Thread.onSpinWait();
      }
      assertThat(Http.post(url, Http.chat("sabia-4", "oi", null)).statusCode()).isEqualTo(429);
      assertThat(first).isNotDone();
    }
  }
}
