package io.github.maritaca4j.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.maritaca4j.ChatResult;
import io.github.maritaca4j.FinishReason;
import io.github.maritaca4j.StreamHandler;
import io.github.maritaca4j.errors.InvalidResponseException;
import io.github.maritaca4j.errors.RateLimitException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseLineParserTest {

  @Test
  void joinsMultiLineDataAndSkipsCommentsAndOtherFields() {
    List<String> events = new ArrayList<>();
    SseLineParser p = new SseLineParser(events::add);
    for (String line :
        List.of(
            ": keep-alive",
            "event: message",
            "id: 7",
            "data: {\"a\":",
            "data: 1}",
            "",
            "data:[DONE]",
            "")) {
      p.line(line);
    }
    p.end();
    assertThat(events).containsExactly("{\"a\":\n1}", "[DONE]");
  }

  @Test
  void deliversAnEventThatLacksItsClosingBlankLine() {
    List<String> events = new ArrayList<>();
    SseLineParser p = new SseLineParser(events::add);
    p.line("data: last");
    p.end();
    assertThat(events).containsExactly("last");
  }

  private static final String C1 =
      "{\"id\":\"c1\",\"model\":\"sabia-4\",\"created\":5,\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Bra\"}}]}";
  private static final String C2 =
      "{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"sília\"},\"finish_reason\":\"stop\"}]}";
  private static final String USAGE =
      "{\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3,\"total_tokens\":15,\"prompt_tokens_details\":{\"cached_tokens\":0}}}";

  @Test
  void assemblesTextAndUsageFromChunks() {
    StringBuilder seen = new StringBuilder();
    StreamAccumulator acc =
        new StreamAccumulator(
            new StreamHandler() {
              @Override
              public void onText(String delta) {
                seen.append(delta);
              }
            });
    acc.event(C1, 200);
    assertThat(acc.delivered()).isTrue();
    acc.event(C2, 200);
    acc.event(USAGE, 200);
    acc.event("[DONE]", 200);
    ChatResult r = acc.result("rid", Duration.ofMillis(5), 200);
    assertThat(seen.toString()).isEqualTo("Brasília");
    assertThat(r.content()).isEqualTo("Brasília");
    assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(r.usage().promptTokens()).isEqualTo(12);
    assertThat(r.usage().completionTokens()).isEqualTo(3);
    assertThat(r.model()).isEqualTo("sabia-4");
    assertThat(r.requestId()).isEqualTo("rid");
  }

  @Test
  void assemblesToolCallsFromPieces() {
    List<String> pieces = new ArrayList<>();
    StreamAccumulator acc =
        new StreamAccumulator(
            new StreamHandler() {
              @Override
              public void onToolCallDelta(int index, String id, String name, String args) {
                pieces.add(index + ":" + id + ":" + name + ":" + args);
              }
            });
    acc.event(
        "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"clima\",\"arguments\":\"{\\\"cidade\\\":\"}}]}}]}",
        200);
    acc.event(
        "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Recife\\\"}\"}}]},\"finish_reason\":\"tool_calls\"}]}",
        200);
    acc.event("[DONE]", 200);
    ChatResult r = acc.result(null, Duration.ZERO, 200);
    assertThat(r.toolCalls()).hasSize(1);
    assertThat(r.toolCalls().get(0).id()).isEqualTo("call_1");
    assertThat(r.toolCalls().get(0).name()).isEqualTo("clima");
    assertThat(r.toolCalls().get(0).arguments()).isEqualTo("{\"cidade\":\"Recife\"}");
    assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(pieces).containsExactly("0:call_1:clima:{\"cidade\":", "0:null:null:\"Recife\"}");
  }

  @Test
  void aStreamThatEndsEarlyIsAnInvalidResponse() {
    StreamAccumulator acc = new StreamAccumulator(new StreamHandler() {});
    acc.event(C1, 200);
    assertThatThrownBy(() -> acc.result(null, Duration.ZERO, 200))
        .isInstanceOf(InvalidResponseException.class)
        .hasMessageContaining("ended before");
  }

  @Test
  void aFinishReasonWithoutDoneMarkerIsAccepted() {
    StreamAccumulator acc = new StreamAccumulator(new StreamHandler() {});
    acc.event(C1, 200);
    acc.event(C2, 200);
    assertThat(acc.result(null, Duration.ZERO, 200).content()).isEqualTo("Brasília");
  }

  @Test
  void malformedChunkAndErrorEventsFailClearly() {
    StreamAccumulator acc = new StreamAccumulator(new StreamHandler() {});
    assertThatThrownBy(() -> acc.event("{\"choices\": [", 200))
        .isInstanceOf(InvalidResponseException.class)
        .hasMessageContaining("malformed JSON");
    assertThatThrownBy(
            () ->
                acc.event(
                    "{\"error\":{\"message\":\"too many\",\"type\":\"rate_limit_error\"}}", 200))
        .isInstanceOf(RateLimitException.class)
        .hasMessageContaining("too many");
  }
}
