package io.github.maritaca4j.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The prompt cache counts a prefix only once a request carrying it has been answered: requests that
 * arrive while the first is being answered pay in full, as on a real server.
 */
class PromptCacheTimingTest {
  private static final String LONG = "O rio Amazonas atravessa a floresta. ".repeat(200);

  private static String body(String question) {
    return "{\"model\":\"sabia-4\",\"messages\":[{\"role\":\"system\",\"content\":\""
        + LONG
        + "\"},{\"role\":\"user\",\"content\":\""
        + question
        + "\"}]}";
  }

  private static int cached(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode j = Http.json(r);
    return j.path("usage").path("prompt_tokens_details").path("cached_tokens").asInt();
  }

  @Test
  void requestsSentWithTheFirstPayInFullAndLaterOnesHitTheCache() {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder()
            .seed(3)
            .latency(Latency.fixed(Duration.ofMillis(400)))
            .start()) {
      String url = sim.baseUrl() + "/chat/completions";
      List<CompletableFuture<HttpResponse<String>>> together = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        together.add(Http.postAsync(url, body("Pergunta " + i)));
      }
      for (CompletableFuture<HttpResponse<String>> f : together) {
        assertThat(cached(f.join())).as("sent before any was answered").isZero();
      }
      int after = cached(Http.post(url, body("Depois das respostas")));
      assertThat(after).isGreaterThanOrEqualTo(1024);
      assertThat(after % 128).isZero();
    }
  }

  @Test
  void aStreamedAnswerCachesItsPromptOnceItsFirstTokenIsOut() {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder().seed(4).latency(Latency.fixed(Duration.ofMillis(50))).start()) {
      String url = sim.baseUrl() + "/chat/completions";
      String streamed = body("Primeira").replace("{\"model\"", "{\"stream\":true,\"model\"");
      HttpResponse<String> s = Http.post(url, streamed);
      assertThat(s.statusCode()).isEqualTo(200);
      assertThat(cached(Http.post(url, body("Segunda")))).isGreaterThanOrEqualTo(1024);
    }
  }
}
