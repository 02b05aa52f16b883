package io.github.maritaca4j.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class FlexTest {
  static final String FLEX = "\"service_tier\":\"flex\"";

  private static void awaitInFlight(MaritacaSimulator sim, int n) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (sim.statsWithoutLog().inFlight() < n && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(sim.statsWithoutLog().inFlight()).isGreaterThanOrEqualTo(n);
  }

  @Test
  void flexRequestWaitingLongerThanMaxWaitGets429() {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder()
            .latency(Latency.fixed(Duration.ofSeconds(30)))
            .flexConcurrency(1)
            .flexQueue(10, Duration.ofMillis(100))
            .start()) {
      String url = sim.baseUrl() + "/chat/completions";
      CompletableFuture<HttpResponse<String>> holder =
          Http.postAsync(url, Http.chat("sabia-4", "oi", FLEX));
      awaitInFlight(sim, 1);
      HttpResponse<String> r = Http.post(url, Http.chat("sabia-4", "oi", FLEX));
      assertThat(r.statusCode()).isEqualTo(429);
      assertThat(Http.json(r).path("error").path("code").asText())
          .isEqualTo("flex_capacity_exceeded");
      assertThat(Http.json(r).path("error").path("message").asText()).contains("100ms");
      assertThat(sim.statsWithoutLog().rateLimitedFlex()).isEqualTo(1);
      assertThat(holder).isNotDone();
    }
  }

  @Test
  void fullFlexQueueRefusesAtOnce() {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder()
            .latency(Latency.fixed(Duration.ofSeconds(30)))
            .flexConcurrency(1)
            .flexQueue(0, Duration.ofMinutes(5))
            .start()) {
      String url = sim.baseUrl() + "/chat/completions";
      Http.postAsync(url, Http.chat("sabia-4", "oi", FLEX));
      awaitInFlight(sim, 1);
      HttpResponse<String> r = Http.post(url, Http.chat("sabia-4", "oi", FLEX));
      assertThat(r.statusCode()).isEqualTo(429);
      assertThat(Http.json(r).path("error").path("code").asText()).isEqualTo("flex_queue_full");
      // the default tier is not affected by the flex queue
      try (MaritacaSimulator fast =
          MaritacaSimulator.builder().flexConcurrency(1).flexQueue(0, Duration.ZERO).start()) {
        assertThat(
                Http.post(fast.baseUrl() + "/chat/completions", Http.chat("sabia-4", "oi", null))
                    .statusCode())
            .isEqualTo(200);
      }
    }
  }

  @Test
  void queuedFlexRequestIsServedWhenASlotFrees() {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder()
            .latency(Latency.fixed(Duration.ofMillis(1000)))
            .flexConcurrency(1)
            .flexQueue(10, Duration.ofMinutes(1))
            .start()) {
      String url = sim.baseUrl() + "/chat/completions";
      CompletableFuture<HttpResponse<String>> a =
          Http.postAsync(url, Http.chat("sabia-4", "oi", FLEX));
      awaitInFlight(sim, 1);
      CompletableFuture<HttpResponse<String>> b =
          Http.postAsync(url, Http.chat("sabia-4", "olá", FLEX));
      assertThat(a.join().statusCode()).isEqualTo(200);
      HttpResponse<String> rb = b.join();
      assertThat(rb.statusCode()).isEqualTo(200);
      assertThat(Http.json(rb).path("service_tier").asText()).isEqualTo("flex");
      SimulatorStats s = sim.stats();
      assertThat(s.ok()).isEqualTo(2);
      assertThat(s.maxInFlight()).isEqualTo(2); // one served, one waiting
    }
  }
}
