package io.github.maritaca4j.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.maritaca4j.ChatRequest;
import io.github.maritaca4j.ChatResult;
import io.github.maritaca4j.ContentPart;
import io.github.maritaca4j.FinishReason;
import io.github.maritaca4j.Message;
import io.github.maritaca4j.ResponseFormat;
import io.github.maritaca4j.ServiceTier;
import io.github.maritaca4j.Tool;
import io.github.maritaca4j.ToolCall;
import io.github.maritaca4j.ToolChoice;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WireFormatTest {

  private static JsonNode write(ChatRequest r, boolean stream) throws Exception {
    return Json.MAPPER.readTree(WireFormat.writeRequest(r, stream));
  }

  @Test
  void writesOnlyTheParametersThatAreSet() throws Exception {
    JsonNode j = write(ChatRequest.builder().messages(List.of(Message.user("Oi"))).build(), false);
    assertThat(j.get("model").asText()).isEqualTo("sabia-4");
    assertThat(j.get("messages").get(0).get("role").asText()).isEqualTo("user");
    assertThat(j.get("messages").get(0).get("content").asText()).isEqualTo("Oi");
    assertThat(j.has("temperature")).isFalse();
    assertThat(j.has("max_tokens")).isFalse();
    assertThat(j.has("stop")).isFalse();
    assertThat(j.has("service_tier")).isFalse();
    assertThat(j.has("stream")).isFalse();
  }

  @Test
  void writesEveryParameter() throws Exception {
    Tool clima =
        Tool.functionJson(
            "clima",
            "Tempo numa cidade",
            "{\"type\":\"object\",\"properties\":{\"cidade\":{\"type\":\"string\"}},\"required\":[\"cidade\"]}");
    ChatRequest r =
        ChatRequest.builder()
            .model("sabiazinho-4")
            .messages(
                List.of(
                    Message.system("Seja breve."),
                    Message.user(
                        List.of(
                            ContentPart.text("O que há na foto?"),
                            ContentPart.imageUrl("https://x.test/a.png").withDetail("low"))),
                    Message.assistant(
                        null, List.of(new ToolCall("call_1", "clima", "{\"cidade\":\"Recife\"}"))),
                    Message.tool("call_1", "28 graus")))
            .temperature(0.2)
            .topP(0.9)
            .maxTokens(100)
            .stop(List.of("FIM"))
            .frequencyPenalty(0.5)
            .presencePenalty(-0.5)
            .n(2)
            .serviceTier(ServiceTier.FLEX)
            .tools(List.of(clima))
            .toolChoice(ToolChoice.function("clima"))
            .responseFormat(
                ResponseFormat.jsonSchema(
                    "resposta", Map.of("type", "object", "properties", Map.of())))
            .build();
    JsonNode j = write(r, true);
    assertThat(j.get("model").asText()).isEqualTo("sabiazinho-4");
    assertThat(j.get("temperature").asDouble()).isEqualTo(0.2);
    assertThat(j.get("top_p").asDouble()).isEqualTo(0.9);
    assertThat(j.get("max_tokens").asInt()).isEqualTo(100);
    assertThat(j.get("stop").get(0).asText()).isEqualTo("FIM");
    assertThat(j.get("frequency_penalty").asDouble()).isEqualTo(0.5);
    assertThat(j.get("presence_penalty").asDouble()).isEqualTo(-0.5);
    assertThat(j.get("n").asInt()).isEqualTo(2);
    assertThat(j.get("service_tier").asText()).isEqualTo("flex");
    assertThat(j.get("stream").asBoolean()).isTrue();
    assertThat(j.get("stream_options").get("include_usage").asBoolean()).isTrue();
    JsonNode user = j.get("messages").get(1);
    assertThat(user.get("content").get(0).get("type").asText()).isEqualTo("text");
    assertThat(user.get("content").get(1).get("image_url").get("url").asText())
        .isEqualTo("https://x.test/a.png");
    assertThat(user.get("content").get(1).get("image_url").get("detail").asText()).isEqualTo("low");
    JsonNode assistant = j.get("messages").get(2);
    assertThat(assistant.get("content").isNull()).isTrue();
    assertThat(assistant.get("tool_calls").get(0).get("function").get("arguments").asText())
        .isEqualTo("{\"cidade\":\"Recife\"}");
    assertThat(j.get("messages").get(3).get("tool_call_id").asText()).isEqualTo("call_1");
    assertThat(
            j.get("tools").get(0).get("function").get("parameters").get("required").get(0).asText())
        .isEqualTo("cidade");
    assertThat(j.get("tool_choice").get("function").get("name").asText()).isEqualTo("clima");
    assertThat(j.get("response_format").get("json_schema").get("name").asText())
        .isEqualTo("resposta");
  }

  @Test
  void readsACompletionWithNullToolCallsAndUnknownFields() throws Exception {
    String body =
        "{\"id\":\"x1\",\"object\":\"chat.completion\",\"created\":1730807994,\"model\":\"sabia-4\","
            + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Brasília\","
            + "\"tool_calls\":null,\"refusal\":null},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":54,\"completion_tokens\":538,\"total_tokens\":592,"
            + "\"prompt_tokens_details\":{\"cached_tokens\":32}},\"system_fingerprint\":\"fp\","
            + "\"brand_new_field\":{\"nested\":[1,2,3]}}";
    ChatResult r = WireFormat.readResult(Json.MAPPER.readTree(body), "req-9", Duration.ofMillis(3));
    assertThat(r.content()).isEqualTo("Brasília");
    assertThat(r.toolCalls()).isEmpty();
    assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(r.usage().promptTokens()).isEqualTo(54);
    assertThat(r.usage().completionTokens()).isEqualTo(538);
    assertThat(r.usage().totalTokens()).isEqualTo(592);
    assertThat(r.usage().cachedPromptTokens()).isEqualTo(32);
    assertThat(r.id()).isEqualTo("x1");
    assertThat(r.created()).isEqualTo(1730807994L);
    assertThat(r.requestId()).isEqualTo("req-9");
    assertThat(r.systemFingerprint()).isEqualTo("fp");
  }

  @Test
  void readsToolCallsContentPartsAndMissingUsage() throws Exception {
    String body =
        "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":["
            + "{\"id\":\"call_9\",\"type\":\"function\",\"function\":{\"name\":\"clima\",\"arguments\":\"{}\"}}]},"
            + "\"finish_reason\":\"tool_calls\"},"
            + "{\"index\":1,\"message\":{\"content\":[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"text\",\"text\":\"b\"}]},"
            + "\"finish_reason\":\"weird\"}]}";
    ChatResult r = WireFormat.readResult(Json.MAPPER.readTree(body), null, Duration.ZERO);
    assertThat(r.hasToolCalls()).isTrue();
    assertThat(r.toolCalls().get(0).name()).isEqualTo("clima");
    assertThat(r.content()).isEmpty();
    assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(r.choices().get(1).message().text()).isEqualTo("ab");
    assertThat(r.choices().get(1).finishReason()).isEqualTo(FinishReason.OTHER);
    assertThat(r.usage().totalTokens()).isZero();
  }

  @Test
  void rejectsAnAnswerWithoutChoices() {
    assertThatThrownBy(
            () ->
                WireFormat.readResult(Json.MAPPER.readTree("{\"id\":\"x\"}"), null, Duration.ZERO))
        .hasMessageContaining("no choices");
  }

  @org.junit.jupiter.api.Test
  void extraBodyFieldsAreWrittenAsTheyAre() throws Exception {
    ChatRequest r =
        ChatRequest.builder()
            .messages(java.util.List.of(io.github.maritaca4j.Message.user("oi")))
            .putExtraBody("seed", 42)
            .putExtraBody("user", "ana")
            .putExtraBody("metadata", java.util.Map.of("lote", java.util.List.of(1, 2)))
            .putExtraBody("logit_bias", Json.MAPPER.readTree("{\"50256\": -100}"))
            .putExtraBody("nothing", null)
            .build();
    JsonNode w = write(r, true);
    org.assertj.core.api.Assertions.assertThat(w.get("seed").asInt()).isEqualTo(42);
    org.assertj.core.api.Assertions.assertThat(w.get("user").asText()).isEqualTo("ana");
    org.assertj.core.api.Assertions.assertThat(w.at("/metadata/lote/1").asInt()).isEqualTo(2);
    org.assertj.core.api.Assertions.assertThat(w.at("/logit_bias/50256").asInt()).isEqualTo(-100);
    org.assertj.core.api.Assertions.assertThat(w.get("nothing").isNull()).isTrue();
    org.assertj.core.api.Assertions.assertThat(w.get("stream").asBoolean()).isTrue();
    org.assertj.core.api.Assertions.assertThat(r.toBuilder().build().extraBody())
        .containsOnlyKeys("seed", "user", "metadata", "logit_bias", "nothing");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> ChatRequest.builder().putExtraBody("temperature", 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'temperature' is a field ChatRequest models");
  }
}
