package io.github.maritaca4j.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StreamingTest {
  static MaritacaSimulator sim;
  static String url;

  @BeforeAll
  static void start() {
    sim = MaritacaSimulator.builder().seed(3).start();
    url = sim.baseUrl() + "/chat/completions";
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  @Test
  void streamsDeltasThenUsageThenDone() {
    String body =
        Http.chat(
            "sabia-4",
            "Explique a fotossíntese.",
            "\"stream\":true,\"stream_options\":{\"include_usage\":true}");
    HttpResponse<String> r = Http.post(url, body);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
    List<String> data = Http.sseData(r.body());
    assertThat(data.get(data.size() - 1)).isEqualTo("[DONE]");
    JsonNode first = Http.json(data.get(0));
    assertThat(first.path("object").asText()).isEqualTo("chat.completion.chunk");
    assertThat(first.path("choices").get(0).path("delta").path("role").asText())
        .isEqualTo("assistant");
    JsonNode usageChunk = Http.json(data.get(data.size() - 2));
    assertThat(usageChunk.path("choices")).isEmpty();
    int completion = usageChunk.path("usage").path("completion_tokens").asInt();
    StringBuilder text = new StringBuilder();
    String finish = null;
    int finishes = 0;
    for (String d : data.subList(0, data.size() - 2)) {
      JsonNode c = Http.json(d).path("choices").get(0);
      text.append(c.path("delta").path("content").asText(""));
      if (!c.path("finish_reason").isNull()) {
        finish = c.path("finish_reason").asText();
        finishes++;
      }
    }
    assertThat(finish).isEqualTo("stop");
    assertThat(finishes).isEqualTo(1);
    assertThat(data.size()).isGreaterThan(4);
    // the same request without streaming gives the same text and usage
    JsonNode whole =
        Http.json(Http.post(url, Http.chat("sabia-4", "Explique a fotossíntese.", null)));
    assertThat(text.toString())
        .isEqualTo(whole.path("choices").get(0).path("message").path("content").asText());
    assertThat(completion).isEqualTo(whole.path("usage").path("completion_tokens").asInt());
  }

  @Test
  void streamWithoutIncludeUsageHasNoUsageChunk() {
    HttpResponse<String> r =
        Http.post(url, Http.chat("sabia-4", "Qual é a capital do Chile?", "\"stream\":true"));
    List<String> data = Http.sseData(r.body());
    assertThat(data.get(data.size() - 1)).isEqualTo("[DONE]");
    for (String d : data.subList(0, data.size() - 1)) {
      assertThat(Http.json(d).path("choices")).isNotEmpty();
      assertThat(Http.json(d).has("usage")).isFalse();
    }
    StringBuilder text = new StringBuilder();
    for (String d : data.subList(0, data.size() - 1)) {
      text.append(Http.json(d).path("choices").get(0).path("delta").path("content").asText(""));
    }
    assertThat(text.toString()).contains("Santiago");
  }

  @Test
  void streamsToolCallsWithFinishReasonToolCalls() throws Exception {
    String body =
        Http.chat(
            "sabia-4",
            "Como está o tempo em Belém?",
            "\"stream\":true,\"tools\":["
                + AnswersTest.WEATHER_TOOL
                + "],\"tool_choice\":\"required\"");
    List<String> data = Http.sseData(Http.post(url, body).body());
    assertThat(data.get(data.size() - 1)).isEqualTo("[DONE]");
    JsonNode first = Http.json(data.get(0)).path("choices").get(0).path("delta");
    assertThat(first.path("role").asText()).isEqualTo("assistant");
    JsonNode call = first.path("tool_calls").get(0);
    assertThat(call.path("id").asText()).startsWith("call_");
    assertThat(call.path("function").path("name").asText()).isEqualTo("get_weather");
    StringBuilder args = new StringBuilder();
    String finish = null;
    for (String d : data.subList(0, data.size() - 1)) {
      JsonNode c = Http.json(d).path("choices").get(0);
      JsonNode tc = c.path("delta").path("tool_calls");
      if (tc.isArray()) {
        args.append(tc.get(0).path("function").path("arguments").asText(""));
      }
      if (!c.path("finish_reason").isNull()) {
        finish = c.path("finish_reason").asText();
      }
    }
    assertThat(finish).isEqualTo("tool_calls");
    assertThat(Http.JSON.readTree(args.toString()).path("city").asText()).isEqualTo("Belém");
  }
}
