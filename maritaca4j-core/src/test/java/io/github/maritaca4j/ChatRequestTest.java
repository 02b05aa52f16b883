package io.github.maritaca4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChatRequestTest {

  @Test
  void settersRejectOutOfRangeValuesNamingThem() {
    ChatRequest.Builder b = ChatRequest.builder();
    assertThatThrownBy(() -> b.temperature(2.5))
        .hasMessageContaining("temperature")
        .hasMessageContaining("2.5");
    assertThatThrownBy(() -> b.topP(-0.1)).hasMessageContaining("topP");
    assertThatThrownBy(() -> b.maxTokens(0))
        .hasMessageContaining("maxTokens")
        .hasMessageContaining("0");
    assertThatThrownBy(() -> b.maxTokens(40_000)).hasMessageContaining("40000");
    assertThatThrownBy(() -> b.frequencyPenalty(3.0)).hasMessageContaining("frequencyPenalty");
    assertThatThrownBy(() -> b.presencePenalty(-2.1)).hasMessageContaining("presencePenalty");
    assertThatThrownBy(() -> b.n(0)).hasMessageContaining("n must");
    assertThatThrownBy(() -> b.stop(List.of(""))).hasMessageContaining("stop");
    assertThatThrownBy(() -> b.model(" ")).hasMessageContaining("model");
    assertThatThrownBy(() -> b.temperature(Double.NaN)).hasMessageContaining("NaN");
  }

  @Test
  void needsMessagesAndAKnownForcedTool() {
    assertThatThrownBy(() -> ChatRequest.builder().build())
        .hasMessageContaining("at least one message");
    assertThatThrownBy(
            () ->
                ChatRequest.builder()
                    .addMessage(Message.user("oi"))
                    .toolChoice(ToolChoice.function("nope"))
                    .build())
        .hasMessageContaining("nope");
  }

  @Test
  void toBuilderCopiesEverything() {
    ChatRequest r =
        ChatRequest.builder()
            .model("sabiazinho-4")
            .addMessage(Message.user("oi"))
            .maxTokens(10)
            .stop(List.of("X"))
            .tools(List.of(Tool.function("f", null, Map.of())))
            .build();
    ChatRequest copy = r.toBuilder().temperature(0.1).build();
    assertThat(copy.model()).isEqualTo("sabiazinho-4");
    assertThat(copy.maxTokens()).isEqualTo(10);
    assertThat(copy.stop()).containsExactly("X");
    assertThat(copy.tools()).hasSize(1);
    assertThat(copy.temperature()).isEqualTo(0.1);
    assertThat(r.temperature()).isNull();
  }

  @Test
  void messagesValidateTheirShape() {
    assertThatThrownBy(
            () -> new Message(Role.TOOL, List.of(ContentPart.text("x")), null, null, null))
        .hasMessageContaining("toolCallId");
    assertThatThrownBy(
            () ->
                new Message(
                    Role.USER,
                    List.of(ContentPart.text("x")),
                    null,
                    List.of(new ToolCall("1", "f", "{}")),
                    null))
        .hasMessageContaining("only assistant");
    assertThatThrownBy(
            () ->
                new Message(
                    Role.SYSTEM,
                    List.of(ContentPart.imageUrl("https://a/b.png")),
                    null,
                    null,
                    null))
        .hasMessageContaining("images");
    assertThatThrownBy(() -> Tool.function("bad name", null, null))
        .hasMessageContaining("bad name");
    assertThatThrownBy(() -> Tool.functionJson("f", null, "[1]"))
        .hasMessageContaining("JSON object");
    assertThat(Message.user(List.of(ContentPart.text("a"), ContentPart.text("b"))).text())
        .isEqualTo("ab");
  }
}
