package io.github.maritaca4j.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;

class StatsTest {

  @Test
  void maxInFlightCountsEveryConcurrentRequest() {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder().latency(Latency.fixed(Duration.ofMillis(800))).start()) {
      String url = sim.baseUrl() + "/chat/completions";
      List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        all.add(Http.postAsync(url, Http.chat("sabia-4", "Qual é a capital do Brasil?", null)));
      }
      all.forEach(f -> assertThat(f.join().statusCode()).isEqualTo(200));
      SimulatorStats s = sim.stats();
      assertThat(s.maxInFlight()).isEqualTo(40);
      assertThat(s.inFlight()).isZero();
      assertThat(s.ok()).isEqualTo(40);
      assertThat(s.log()).hasSize(40);
    }
  }

  @Test
  void maxInFlightNeverExceedsTheClientsConcurrency() throws Exception {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder().latency(Latency.fixed(Duration.ofMillis(20))).start()) {
      String url = sim.baseUrl() + "/chat/completions";
      Semaphore permits = new Semaphore(5);
      List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        permits.acquire();
        all.add(
            Http.postAsync(url, Http.chat("sabia-4", "Pergunta " + i, null))
                .whenComplete((r, e) -> permits.release()));
      }
      all.forEach(CompletableFuture::join);
      SimulatorStats s = sim.statsWithoutLog();
      assertThat(s.maxInFlight()).isBetween(1, 5);
      assertThat(s.requests()).isEqualTo(60);
    }
  }

  @Test
  void statsEndpointReportsCountersTokensAndTaggedLog() {
    try (MaritacaSimulator sim = MaritacaSimulator.builder().start()) {
      String url = sim.baseUrl() + "/chat/completions";
      HttpResponse<String> ok =
          Http.post(
              url,
              Http.chat("sabia-4", "Qual é a capital da Argentina?", null),
              "x-request-tag",
              "item-7");
      Http.post(url, "{\"model\":\"sabia-4\"}");
      JsonNode usage = Http.json(ok).path("usage");
      String base = sim.baseUrl().replace("/api", "");
      JsonNode st = Http.json(Http.get(base + "/__stats?log=true"));
      assertThat(st.path("requests").asLong()).isEqualTo(2);
      assertThat(st.path("ok").asLong()).isEqualTo(1);
      assertThat(st.path("badRequests").asLong()).isEqualTo(1);
      assertThat(st.path("promptTokens").asLong()).isEqualTo(usage.path("prompt_tokens").asLong());
      assertThat(st.path("completionTokens").asLong())
          .isEqualTo(usage.path("completion_tokens").asLong());
      assertThat(st.path("maxInFlight").asInt()).isEqualTo(1);
      JsonNode first = st.path("log").get(0);
      assertThat(first.path("tag").asText()).isEqualTo("item-7");
      assertThat(first.path("status").asInt()).isEqualTo(200);
      assertThat(first.path("model").asText()).isEqualTo("sabia-4");
      assertThat(first.path("completionNanos").asLong())
          .isGreaterThanOrEqualTo(first.path("arrivalNanos").asLong());
      assertThat(st.path("log").get(1).path("status").asInt()).isEqualTo(400);
      assertThat(Http.json(Http.get(base + "/__stats")).path("log")).isEmpty();
    }
  }
}
