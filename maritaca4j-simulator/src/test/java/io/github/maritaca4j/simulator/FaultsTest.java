package io.github.maritaca4j.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultsTest {
  static final String STREAM = "\"stream\":true,\"stream_options\":{\"include_usage\":true}";

  private static MaritacaSimulator sim(Faults f) {
    return MaritacaSimulator.builder().faults(f).start();
  }

  private static String url(MaritacaSimulator sim) {
    return sim.baseUrl() + "/chat/completions";
  }

  private static String longQuestion() {
    return "Escreva um texto longo sobre a história do Brasil.";
  }

  @Test
  void serverErrorsUseTheChosenCodesWithAJsonBody() {
    try (MaritacaSimulator sim = sim(Faults.builder().serverErrorRate(1.0, 503).build())) {
      HttpResponse<String> r = Http.post(url(sim), Http.chat("sabia-4", "oi", null));
      assertThat(r.statusCode()).isEqualTo(503);
      JsonNode e = Http.json(r).path("error");
      assertThat(e.path("type").asText()).isEqualTo("server_error");
      assertThat(e.path("message").asText()).isNotBlank();
      SimulatorStats s = sim.statsWithoutLog();
      assertThat(s.faults("server_error")).isEqualTo(1);
      assertThat(s.ok()).isZero();
      assertThat(s.inFlight()).isZero();
    }
  }

  @Test
  void connectionResetBeforeAnyResponse() {
    try (MaritacaSimulator sim = sim(Faults.builder().connectionResetRate(1.0).build())) {
      assertThatThrownBy(() -> Http.post(url(sim), Http.chat("sabia-4", "oi", null)))
          .isInstanceOf(java.io.UncheckedIOException.class);
      assertThat(sim.statsWithoutLog().faults("connection_reset")).isEqualTo(1);
    }
  }

  @Test
  void midStreamResetSendsSomeChunksThenResets() throws Exception {
    try (MaritacaSimulator sim = sim(Faults.builder().midStreamResetRate(1.0).build())) {
      HttpResponse<java.io.InputStream> r =
          Http.CLIENT.send(
              Http.request(url(sim), Http.chat("sabia-4", longQuestion(), STREAM)),
              HttpResponse.BodyHandlers.ofInputStream());
      assertThat(r.statusCode()).isEqualTo(200);
      StringBuilder got = new StringBuilder();
      byte[] buf = new byte[8192];
      assertThatThrownBy(
              () -> {
                try (var in = r.body()) {
                  int n;
                  while ((n = in.read(buf)) >= 0) {
                    got.append(new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8));
                  }
                }
              })
          .isInstanceOf(IOException.class);
      // the chunks are usually read before the reset arrives, but a reset may also drop them
      assertThat(got.toString()).doesNotContain("[DONE]");
      assertThat(sim.statsWithoutLog().faults("mid_stream_reset")).isEqualTo(1);
    }
  }

  @Test
  void midStreamResetDoesNotApplyToNonStreamingRequests() {
    try (MaritacaSimulator sim =
        sim(Faults.builder().midStreamResetRate(1.0).truncatedStreamRate(0).build())) {
      assertThat(Http.post(url(sim), Http.chat("sabia-4", "oi", null)).statusCode()).isEqualTo(200);
      assertThat(sim.statsWithoutLog().totalFaults()).isZero();
    }
  }

  @Test
  void malformedJsonIsA200WithABrokenBody() {
    try (MaritacaSimulator sim = sim(Faults.builder().malformedJsonRate(1.0).build())) {
      HttpResponse<String> r = Http.post(url(sim), Http.chat("sabia-4", "oi", null));
      assertThat(r.statusCode()).isEqualTo(200);
      assertThatThrownBy(() -> Http.JSON.readTree(r.body())).isInstanceOf(IOException.class);
      HttpResponse<String> s = Http.post(url(sim), Http.chat("sabia-4", longQuestion(), STREAM));
      List<String> data = Http.sseData(s.body());
      assertThat(data)
          .anySatisfy(
              d -> assertThatThrownBy(() -> Http.JSON.readTree(d)).isInstanceOf(IOException.class));
      assertThat(sim.statsWithoutLog().faults("malformed_json")).isEqualTo(2);
    }
  }

  @Test
  void truncatedStreamEndsWithoutFinishReasonOrDone() {
    try (MaritacaSimulator sim = sim(Faults.builder().truncatedStreamRate(1.0).build())) {
      HttpResponse<String> r = Http.post(url(sim), Http.chat("sabia-4", longQuestion(), STREAM));
      assertThat(r.statusCode()).isEqualTo(200);
      List<String> data = Http.sseData(r.body());
      assertThat(data).isNotEmpty().doesNotContain("[DONE]");
      for (String d : data) {
        JsonNode j = Http.json(d);
        assertThat(j.path("choices").get(0).path("finish_reason").isNull()).isTrue();
      }
      assertThat(sim.statsWithoutLog().faults("truncated_stream")).isEqualTo(1);
    }
  }

  @Test
  void hangNeverAnswersAndLeavesInFlightWhenTheClientGivesUp() throws Exception {
    try (MaritacaSimulator sim = sim(Faults.builder().hangRate(1.0).build())) {
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpRequest req =
          HttpRequest.newBuilder(URI.create(url(sim)))
              .timeout(Duration.ofMillis(300))
              .POST(HttpRequest.BodyPublishers.ofString(Http.chat("sabia-4", "oi", null)))
              .build();
      assertThatThrownBy(() -> client.send(req, HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(HttpTimeoutException.class);
      assertThat(sim.statsWithoutLog().faults("hang")).isEqualTo(1);
      assertThat(sim.statsWithoutLog().maxInFlight()).isEqualTo(1);
    }
  }

  @Test
  void closeReleasesAHangingRequest() {
    MaritacaSimulator sim = sim(Faults.builder().hangRate(1.0).build());
    var pending = Http.postAsync(url(sim), Http.chat("sabia-4", "oi", null));
    while (sim.statsWithoutLog().inFlight() == 0) {
      Thread.onSpinWait();
    }
    long t0 = System.nanoTime();
    sim.close();
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    assertThatThrownBy(pending::join).hasCauseInstanceOf(IOException.class);
    assertThat(sim.statsWithoutLog().inFlight()).isZero();
  }

  @Test
  void faultRatesAreValidated() {
    assertThatThrownBy(() -> Faults.builder().hangRate(1.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1.5");
    assertThatThrownBy(() -> Faults.builder().serverErrorRate(-0.1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-0.1");
    assertThatThrownBy(() -> Faults.builder().serverErrorRate(0.1, 404))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("404");
    assertThatThrownBy(() -> Faults.builder().hangRate(0.6).connectionResetRate(0.6).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1.2");
  }

  @Test
  void seededFaultsHitAboutTheirRate() {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder()
            .seed(1)
            .faults(Faults.builder().serverErrorRate(0.25, 500, 502).build())
            .start()) {
      int errors = 0;
      for (int i = 0; i < 200; i++) {
        if (Http.post(url(sim), Http.chat("sabia-4", "oi", null)).statusCode() >= 500) {
          errors++;
        }
      }
      assertThat(errors).isBetween(25, 75);
      assertThat(sim.statsWithoutLog().faults("server_error")).isEqualTo(errors);
    }
  }
}
