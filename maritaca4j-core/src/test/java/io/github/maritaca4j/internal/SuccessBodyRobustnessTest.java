package io.github.maritaca4j.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.maritaca4j.ChatResult;
import io.github.maritaca4j.FinishReason;
import io.github.maritaca4j.ToolCall;
import io.github.maritaca4j.Usage;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Completion bodies in every shape an OpenAI-compatible server may answer with. */
class SuccessBodyRobustnessTest {

  private static ChatResult read(String json) throws Exception {
    return WireFormat.readResult(Json.MAPPER.readTree(json), "rid", Duration.ZERO);
  }

  private static String choice(String message, String finish) {
    return "{\"id\":\"x\",\"choices\":[{\"index\":0,\"message\":"
        + message
        + ",\"logprobs\":null,\"finish_reason\":"
        + finish
        + "}]}";
  }

  @Test
  void theDocumentedExampleWithUnknownExtraFields() throws Exception {
    ChatResult r =
        read(
            "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1730807994,"
                + "\"model\":\"sabia-4\",\"service_tier\":\"default\",\"x_new\":{\"a\":[1]},"
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Oi\","
                + "\"tool_calls\":null,\"refusal\":null,\"annotations\":[],\"reasoning\":\"...\"},"
                + "\"logprobs\":{\"content\":[{\"token\":\"Oi\",\"logprob\":-0.1,\"bytes\":[79,105],"
                + "\"top_logprobs\":[]}]},\"finish_reason\":\"stop\",\"stop_reason\":null}],"
                + "\"usage\":{\"prompt_tokens\":54,\"completion_tokens\":538,\"total_tokens\":592,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},"
                + "\"completion_tokens_details\":{\"reasoning_tokens\":10}},"
                + "\"system_fingerprint\":\"fp\"}");
    assertThat(r.content()).isEqualTo("Oi");
    assertThat(r.toolCalls()).isEmpty();
    assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(r.usage()).isEqualTo(new Usage(54, 538, 592, 0));
    assertThat(r.created()).isEqualTo(1730807994L);
    assertThat(r.systemFingerprint()).isEqualTo("fp");
  }

  @Test
  void nullContentWithToolCalls() throws Exception {
    ChatResult r =
        read(
            choice(
                "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\","
                    + "\"type\":\"function\",\"function\":{\"name\":\"clima\","
                    + "\"arguments\":\"{\\\"cidade\\\":\\\"Recife\\\"}\"}}]}",
                "\"tool_calls\""));
    assertThat(r.content()).isEmpty();
    assertThat(r.hasToolCalls()).isTrue();
    assertThat(r.toolCalls())
        .containsExactly(new ToolCall("call_1", "clima", "{\"cidade\":\"Recife\"}"));
    assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
  }

  @Test
  void toolCallArgumentsAsAnObjectAndCallsWithoutId() throws Exception {
    ChatResult r =
        read(
            choice(
                "{\"content\":\"\",\"tool_calls\":[{\"function\":{\"name\":\"f\","
                    + "\"arguments\":{\"a\":1}}},{\"function\":{\"name\":\"g\",\"arguments\":null}}]}",
                "\"tool_calls\""));
    assertThat(r.toolCalls())
        .containsExactly(new ToolCall(null, "f", "{\"a\":1}"), new ToolCall(null, "g", ""));
  }

  @Test
  void nullContentWithoutToolCallsIsAnEmptyAnswer() throws Exception {
    ChatResult r = read(choice("{\"role\":\"assistant\",\"content\":null}", "\"content_filter\""));
    assertThat(r.content()).isEmpty();
    assertThat(r.finishReason()).isEqualTo(FinishReason.CONTENT_FILTER);
  }

  @ParameterizedTest(name = "finish_reason {0} -> {1}")
  @CsvSource({
    "'\"stop\"', STOP",
    "'\"length\"', LENGTH",
    "'\"tool_calls\"', TOOL_CALLS",
    "'\"function_call\"', TOOL_CALLS",
    "'\"content_filter\"', CONTENT_FILTER",
    "'\"eos_token\"', OTHER",
    "null, OTHER",
  })
  void finishReasons(String wire, FinishReason expected) throws Exception {
    assertThat(read(choice("{\"content\":\"a\"}", wire)).finishReason()).isEqualTo(expected);
  }

  @Test
  void missingFinishReason() throws Exception {
    ChatResult r = read("{\"choices\":[{\"message\":{\"content\":\"a\"}}]}");
    assertThat(r.finishReason()).isEqualTo(FinishReason.OTHER);
    assertThat(r.usage()).isEqualTo(Usage.ZERO); // usage missing
  }

  @Test
  void partialUsage() throws Exception {
    String base = "{\"choices\":[{\"message\":{\"content\":\"a\"},\"finish_reason\":\"stop\"}],";
    assertThat(read(base + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":3}}").usage())
        .isEqualTo(new Usage(5, 3, 8, 0));
    assertThat(
            read(base
                    + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":3,\"total_tokens\":null}}")
                .usage())
        .isEqualTo(new Usage(5, 3, 8, 0));
    assertThat(
            read(base
                    + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":null,"
                    + "\"prompt_tokens_details\":null}}")
                .usage())
        .isEqualTo(new Usage(5, 0, 5, 0));
    assertThat(
            read(base
                    + "\"usage\":{\"prompt_tokens\":\"5\",\"completion_tokens\":3.0,"
                    + "\"prompt_tokens_details\":{\"cached_tokens\":null}}}")
                .usage())
        .isEqualTo(new Usage(5, 3, 8, 0));
    assertThat(
            read(base
                    + "\"usage\":{\"prompt_tokens\":4,\"prompt_tokens_details\":{\"cached_tokens\":9}}}")
                .usage())
        .isEqualTo(new Usage(4, 0, 4, 4)); // cached never exceeds the prompt
    assertThat(read(base + "\"usage\":null}").usage()).isEqualTo(Usage.ZERO);
    assertThat(read(base + "\"usage\":{}}").usage()).isEqualTo(Usage.ZERO);
  }

  @Test
  void contentAsAListOfParts() throws Exception {
    assertThat(
            read(choice(
                    "{\"content\":[{\"type\":\"text\",\"text\":\"Olá, \"},"
                        + "{\"type\":\"text\",\"text\":\"mundo\"}]}",
                    "\"stop\""))
                .content())
        .isEqualTo("Olá, mundo");
  }

  @Test
  void choicesAreOrderedByIndex() throws Exception {
    ChatResult r =
        read(
            "{\"choices\":[{\"index\":1,\"message\":{\"content\":\"b\"},\"finish_reason\":\"stop\"},"
                + "{\"index\":0,\"message\":{\"content\":\"a\"},\"finish_reason\":\"stop\"}]}");
    assertThat(r.content()).isEqualTo("a");
    assertThat(r.choices()).extracting(c -> c.index()).containsExactly(0, 1);
  }

  @Test
  void aChoiceWithItsTextElsewhereOrNoMessageButAReason() throws Exception {
    assertThat(
            read("{\"choices\":[{\"delta\":{\"content\":\"d\"},\"finish_reason\":\"stop\"}]}")
                .content())
        .isEqualTo("d");
    assertThat(read("{\"choices\":[{\"text\":\"t\",\"finish_reason\":\"stop\"}]}").content())
        .isEqualTo("t");
    ChatResult filtered =
        read("{\"choices\":[{\"index\":0,\"message\":null,\"finish_reason\":\"content_filter\"}]}");
    assertThat(filtered.content()).isEmpty();
    assertThat(filtered.finishReason()).isEqualTo(FinishReason.CONTENT_FILTER);
  }

  @Test
  void answersWithoutAnyChoiceAreRejected() {
    for (String json :
        new String[] {
          "{\"choices\":[]}",
          "{\"choices\":null}",
          "{\"choices\":{}}",
          "{}",
          "[]",
          "{\"choices\":[{\"index\":0}]}",
          "{\"choices\":[42]}",
        }) {
      assertThatThrownBy(() -> read(json)).as(json).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
