package io.github.maritaca4j.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ValidationTest {
  static MaritacaSimulator sim;
  static String url;

  @BeforeAll
  static void start() {
    sim = MaritacaSimulator.builder().start();
    url = sim.baseUrl() + "/chat/completions";
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "missing model | {\"messages\":[{\"role\":\"user\",\"content\":\"oi\"}]} | model",
        "empty model | {\"model\":\"\",\"messages\":[{\"role\":\"user\",\"content\":\"oi\"}]} | model",
        "missing messages | {\"model\":\"sabia-4\"} | messages",
        "empty messages | {\"model\":\"sabia-4\",\"messages\":[]} | messages",
        "bad role | {\"model\":\"sabia-4\",\"messages\":[{\"role\":\"robot\",\"content\":\"oi\"}]} | messages[0].role",
        "temperature | {\"model\":\"sabia-4\",\"temperature\":2.5,\"messages\":[{\"role\":\"user\",\"content\":\"oi\"}]} | temperature",
        "top_p | {\"model\":\"sabia-4\",\"top_p\":1.1,\"messages\":[{\"role\":\"user\",\"content\":\"oi\"}]} | top_p",
        "frequency_penalty | {\"model\":\"sabia-4\",\"frequency_penalty\":-3,\"messages\":[{\"role\":\"user\",\"content\":\"oi\"}]} | frequency_penalty",
        "presence_penalty | {\"model\":\"sabia-4\",\"presence_penalty\":2.1,\"messages\":[{\"role\":\"user\",\"content\":\"oi\"}]} | presence_penalty",
        "n | {\"model\":\"sabia-4\",\"n\":0,\"messages\":[{\"role\":\"user\",\"content\":\"oi\"}]} | n",
        "max_tokens 0 | {\"model\":\"sabia-4\",\"max_tokens\":0,\"messages\":[{\"role\":\"user\",\"content\":\"oi\"}]} | max_tokens",
        "max_tokens huge | {\"model\":\"sabia-4\",\"max_tokens\":40000,\"messages\":[{\"role\":\"user\",\"content\":\"oi\"}]} | max_tokens",
        "tool without id | {\"model\":\"sabia-4\",\"messages\":[{\"role\":\"tool\",\"content\":\"x\"}]} | messages[0].tool_call_id",
        "required without tools | {\"model\":\"sabia-4\",\"tool_choice\":\"required\",\"messages\":[{\"role\":\"user\",\"content\":\"oi\"}]} | tool_choice",
      })
  void invalidRequestsAre400WithTheParameterNamed(String name, String body, String param) {
    HttpResponse<String> r = Http.post(url, body);
    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode e = Http.json(r).path("error");
    assertThat(e.path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(e.path("param").asText()).isEqualTo(param);
    assertThat(e.path("message").asText()).isNotBlank();
  }

  @Test
  void malformedJsonIs400() {
    HttpResponse<String> r = Http.post(url, "{\"model\": \"sabia-4\", ");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(Http.json(r).path("error").path("code").asText()).isEqualTo("invalid_json");
  }

  @Test
  void unknownUrlIs404AndWrongMethodIs405() {
    assertThat(Http.get(sim.baseUrl() + "/nothing").statusCode()).isEqualTo(404);
    assertThat(Http.get(url).statusCode()).isEqualTo(405);
  }

  @Test
  void aliasesAndModelLookupWork() {
    assertThat(Http.post(url, Http.chat("sabiazim-4", "oi", null)).statusCode()).isEqualTo(200);
    JsonNode m = Http.json(Http.get(sim.baseUrl() + "/models/sabia-4-small"));
    assertThat(m.path("id").asText()).isEqualTo("sabiazinho-4");
    assertThat(m.path("top_provider").path("max_completion_tokens").asInt()).isEqualTo(32768);
  }

  @Test
  void requiredKeyAcceptsBearerAndKeySchemes() {
    try (MaritacaSimulator s = MaritacaSimulator.builder().requireApiKey("sk-test").start()) {
      String u = s.baseUrl() + "/chat/completions";
      String body = Http.chat("sabia-4", "oi", null);
      HttpResponse<String> none = Http.post(u, body);
      assertThat(none.statusCode()).isEqualTo(401);
      assertThat(Http.json(none).path("error").path("code").asText()).isEqualTo("invalid_api_key");
      assertThat(Http.post(u, body, "Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
      assertThat(Http.post(u, body, "Authorization", "Bearer sk-test").statusCode()).isEqualTo(200);
      assertThat(Http.post(u, body, "Authorization", "Key sk-test").statusCode()).isEqualTo(200);
      assertThat(Http.get(s.baseUrl() + "/models").statusCode()).isEqualTo(401);
      assertThat(s.statsWithoutLog().badRequests()).isEqualTo(2);
    }
  }

  @Test
  void builderRejectsBadValuesNamingThem() {
    MaritacaSimulator.Builder b = MaritacaSimulator.builder();
    assertThatThrownBy(() -> b.port(-1)).hasMessageContaining("-1");
    assertThatThrownBy(() -> RateLimit.of(-5, 0, 0)).hasMessageContaining("-5");
    assertThatThrownBy(() -> b.rateLimit("gpt-4", RateLimit.rpm(1))).hasMessageContaining("gpt-4");
    assertThatThrownBy(() -> b.burst(Duration.ZERO)).hasMessageContaining("PT0S");
    assertThatThrownBy(() -> b.flexQueue(-2, Duration.ofSeconds(1))).hasMessageContaining("-2");
    assertThatThrownBy(() -> b.flexConcurrency(0)).hasMessageContaining("0");
    assertThatThrownBy(() -> Latency.of(Duration.ofMillis(-1), Duration.ZERO, 0))
        .hasMessageContaining("-0.001");
    assertThatThrownBy(() -> Latency.of(Duration.ZERO, Duration.ZERO, 7)).hasMessageContaining("7");
    assertThatThrownBy(() -> AnswerLength.fixed(0)).hasMessageContaining("0");
    assertThatThrownBy(() -> b.requireApiKey(" ")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void bindsLoopbackOnAFreePort() {
    try (MaritacaSimulator s = MaritacaSimulator.builder().start()) {
      assertThat(s.baseUrl()).matches("http://127\\.0\\.0\\.1:\\d+/api");
    }
  }
}
