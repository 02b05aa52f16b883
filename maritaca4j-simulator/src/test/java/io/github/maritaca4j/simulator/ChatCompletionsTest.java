package io.github.maritaca4j.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ChatCompletionsTest {
  static MaritacaSimulator sim;
  static String url;

  @BeforeAll
  static void start() {
    sim = MaritacaSimulator.builder().seed(7).start();
    url = sim.baseUrl() + "/chat/completions";
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  @Test
  void answersTheDemoQuestionWithUsage() {
    HttpResponse<String> r =
        Http.post(url, Http.chat("sabia-4", "Qual é a capital do Brasil?", null));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    JsonNode j = Http.json(r);
    assertThat(j.path("object").asText()).isEqualTo("chat.completion");
    assertThat(j.path("model").asText()).isEqualTo("sabia-4");
    JsonNode c = j.path("choices").get(0);
    assertThat(c.path("message").path("content").asText()).contains("Brasília");
    assertThat(c.path("message").path("role").asText()).isEqualTo("assistant");
    assertThat(c.path("message").has("tool_calls")).isTrue();
    assertThat(c.path("finish_reason").asText()).isEqualTo("stop");
    JsonNode u = j.path("usage");
    assertThat(u.path("prompt_tokens").asInt()).isGreaterThan(7);
    assertThat(u.path("completion_tokens").asInt()).isGreaterThan(3);
    assertThat(u.path("total_tokens").asInt())
        .isEqualTo(u.path("prompt_tokens").asInt() + u.path("completion_tokens").asInt());
    assertThat(u.path("prompt_tokens_details").path("cached_tokens").asInt()).isZero();
  }

  @Test
  void servesTheV1PathToo() {
    String v1 = url.replace("/api/", "/v1/");
    HttpResponse<String> r =
        Http.post(v1, Http.chat("sabiazinho-4", "What is the capital of Brazil?", null));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(Http.json(r).path("choices").get(0).path("message").path("content").asText())
        .contains("Brasília");
  }

  @Test
  void sameRequestSameAnswer() {
    String body = Http.chat("sabia-4", "Escreva sobre planejamento financeiro.", null);
    String a =
        Http.json(Http.post(url, body))
            .path("choices")
            .get(0)
            .path("message")
            .path("content")
            .asText();
    String b =
        Http.json(Http.post(url, body))
            .path("choices")
            .get(0)
            .path("message")
            .path("content")
            .asText();
    assertThat(a).isEqualTo(b).isNotBlank();
  }

  @Test
  void maxTokensCapsTheAnswerWithFinishReasonLength() {
    JsonNode j =
        Http.json(Http.post(url, Http.chat("sabia-4", "Fale sobre o clima.", "\"max_tokens\":5")));
    assertThat(j.path("choices").get(0).path("finish_reason").asText()).isEqualTo("length");
    assertThat(j.path("usage").path("completion_tokens").asInt()).isEqualTo(5);
  }

  @Test
  void listsModels() {
    HttpResponse<String> r = Http.get(sim.baseUrl() + "/models");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode j = Http.json(r);
    assertThat(j.path("object").asText()).isEqualTo("list");
    assertThat(j.path("data").findValuesAsText("id"))
        .contains("sabia-4", "sabiazinho-4", "sabia-4-thinking", "sabia-3");
  }

  @Test
  void unknownModelIs404() {
    HttpResponse<String> r = Http.post(url, Http.chat("gpt-4", "oi", null));
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(Http.json(r).path("error").path("code").asText()).isEqualTo("model_not_found");
    assertThat(Http.json(r).path("error").path("message").asText())
        .isEqualTo("Model 'gpt-4' not found");
  }
}
