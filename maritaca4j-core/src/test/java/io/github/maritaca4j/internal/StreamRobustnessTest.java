package io.github.maritaca4j.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.maritaca4j.ChatResult;
import io.github.maritaca4j.FinishReason;
import io.github.maritaca4j.StreamHandler;
import io.github.maritaca4j.ToolCall;
import io.github.maritaca4j.errors.BadRequestException;
import io.github.maritaca4j.errors.InvalidResponseException;
import io.github.maritaca4j.errors.RateLimitException;
import io.github.maritaca4j.errors.ServerException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Event streams in every shape the SSE spec and OpenAI-style servers allow. */
class StreamRobustnessTest {

  /** Records what the handler saw. */
  private static final class Recorder implements StreamHandler {
    final StringBuilder text = new StringBuilder();
    final List<String> tools = new ArrayList<>();

    @Override
    public void onText(String delta) {
      text.append(delta);
    }

    @Override
    public void onToolCallDelta(int index, String id, String name, String args) {
      tools.add(index + "|" + id + "|" + name + "|" + args);
    }
  }

  private static String text(String content) {
    return "{\"id\":\"s\",\"object\":\"chat.completion.chunk\",\"model\":\"sabia-4\","
        + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\""
        + content
        + "\"},\"finish_reason\":null}],\"usage\":null}";
  }

  private static String finish(String reason) {
    return "{\"id\":\"s\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\""
        + reason
        + "\"}]}";
  }

  private static final String USAGE =
      "{\"id\":\"s\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2,"
          + "\"total_tokens\":11,\"prompt_tokens_details\":null}}";

  /** Feeds raw SSE text (any line endings) through the parser into an accumulator. */
  private static StreamAccumulator feed(Recorder rec, String sse) {
    StreamAccumulator acc = new StreamAccumulator(rec);
    SseLineParser p = new SseLineParser(d -> acc.event(d, 200));
    for (String line : sse.split("\r\n|\r|\n", -1)) {
      p.line(line);
    }
    p.end();
    return acc;
  }

  private static ChatResult result(StreamAccumulator acc) {
    return acc.result("rid", Duration.ZERO, 200);
  }

  @Test
  void dataWithAndWithoutTheSpaceAfterTheColon() {
    Recorder rec = new Recorder();
    StreamAccumulator acc =
        feed(
            rec,
            "data: "
                + text("Bra")
                + "\n\ndata:"
                + text("sília")
                + "\n\ndata:"
                + finish("stop")
                + "\n\ndata:[DONE]\n\n");
    assertThat(result(acc).content()).isEqualTo("Brasília");
    assertThat(rec.text.toString()).isEqualTo("Brasília");
  }

  @Test
  void crlfAndLoneCrLineEndings() {
    for (String nl : List.of("\r\n", "\r")) {
      Recorder rec = new Recorder();
      String sse =
          "data: "
              + text("a")
              + nl
              + nl
              + "data: "
              + text("b")
              + nl
              + nl
              + "data: "
              + finish("stop")
              + nl
              + nl
              + "data: [DONE]"
              + nl
              + nl;
      assertThat(result(feed(rec, sse)).content()).isEqualTo("ab");
    }
  }

  @Test
  void commentsEventAndIdLinesAndExtraBlankLines() {
    Recorder rec = new Recorder();
    String sse =
        ": keep-alive\n\n"
            + ":\n"
            + "event: message\nid: 1\nretry: 3000\ndata: "
            + text("x")
            + "\n\n\n\n"
            + ": ping\n"
            + "id: 2\nevent: completion\ndata: "
            + finish("stop")
            + "\n\n"
            + "event: done\ndata: [DONE]\n\n";
    assertThat(result(feed(rec, sse)).content()).isEqualTo("x");
  }

  @Test
  void anEventWhoseDataSpansSeveralLines() {
    Recorder rec = new Recorder();
    String sse =
        "data: {\"id\":\"s\",\n"
            + "data:  \"choices\":[{\"index\":0,\"delta\":{\"content\":\"oi\"},\n"
            + "data: \"finish_reason\":\"stop\"}]}\n\n"
            + "data: [DONE]\n\n";
    assertThat(result(feed(rec, sse)).content()).isEqualTo("oi");
  }

  @Test
  void severalChunksInOneEventAreAllRead() {
    // a server that forgets the blank line between events: every data line is a whole chunk
    Recorder rec = new Recorder();
    String sse =
        "data: "
            + text("um ")
            + "\ndata: "
            + text("dois")
            + "\ndata: "
            + finish("stop")
            + "\ndata: [DONE]\n\n";
    StreamAccumulator acc = feed(rec, sse);
    assertThat(result(acc).content()).isEqualTo("um dois");
    assertThat(rec.text.toString()).isEqualTo("um dois");
  }

  @Test
  void aByteOrderMarkAtTheStartIsSkipped() {
    Recorder rec = new Recorder();
    String sse = "\uFEFFdata: " + text("a") + "\n\ndata: " + finish("stop") + "\n\n";
    assertThat(result(feed(rec, sse)).content()).isEqualTo("a");
  }

  @Test
  void aUsageOnlyChunkWithEmptyChoices() {
    Recorder rec = new Recorder();
    StreamAccumulator acc =
        feed(
            rec,
            "data: "
                + text("a")
                + "\n\ndata: "
                + finish("stop")
                + "\n\ndata: "
                + USAGE
                + "\n\ndata: [DONE]\n\n");
    ChatResult r = result(acc);
    assertThat(r.usage().totalTokens()).isEqualTo(11);
    assertThat(r.usage().cachedPromptTokens()).isZero();
    assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
  }

  @Test
  void aCleanEndWithoutDoneIsAcceptedWhenEveryChoiceFinished() {
    Recorder rec = new Recorder();
    assertThat(
            result(feed(rec, "data: " + text("a") + "\n\ndata: " + finish("stop") + "\n\n"))
                .content())
        .isEqualTo("a");
    // ...and the usage chunk may still follow the finish reason
    Recorder rec2 = new Recorder();
    ChatResult r =
        result(
            feed(
                rec2,
                "data: " + text("a") + "\n\ndata: " + finish("length") + "\n\ndata: " + USAGE));
    assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);
    assertThat(r.usage().totalTokens()).isEqualTo(11);
  }

  @Test
  void aStreamCutBeforeAnyFinishReasonFails() {
    Recorder rec = new Recorder();
    StreamAccumulator acc = feed(rec, "data: " + text("a") + "\n\ndata: " + text("b"));
    assertThatThrownBy(() -> result(acc))
        .isInstanceOf(InvalidResponseException.class)
        .hasMessageContaining("ended before");
    assertThat(acc.delivered()).isTrue();
  }

  @Test
  void anEmptyStreamFails() {
    assertThatThrownBy(() -> result(feed(new Recorder(), "")))
        .isInstanceOf(InvalidResponseException.class);
    assertThatThrownBy(() -> result(feed(new Recorder(), "data: [DONE]\n\n")))
        .isInstanceOf(InvalidResponseException.class)
        .hasMessageContaining("no choices");
  }

  @Test
  void eventsAfterDoneAreIgnored() {
    StreamAccumulator acc = new StreamAccumulator(new Recorder());
    acc.event(text("a"), 200);
    assertThat(acc.done()).isFalse();
    acc.event(" [DONE] ", 200);
    assertThat(acc.done()).isTrue();
    acc.event("not json", 200);
    assertThat(result(acc).content()).isEqualTo("a");
    Recorder rec = new Recorder();
    ChatResult r =
        result(
            feed(
                rec,
                "data: "
                    + text("a")
                    + "\n\ndata: "
                    + finish("stop")
                    + "\n\ndata: [DONE]\n\ndata: not json at all\n\ndata: "
                    + text("zzz")));
    assertThat(r.content()).isEqualTo("a");
    assertThat(rec.text.toString()).isEqualTo("a");
  }

  @Test
  void finishReasonsBeyondTheUsualOnes() {
    assertThat(result(feed(new Recorder(), "data: " + finish("content_filter"))).finishReason())
        .isEqualTo(FinishReason.CONTENT_FILTER);
    assertThat(
            result(feed(new Recorder(), "data: " + finish("eos") + "\n\ndata: [DONE]"))
                .finishReason())
        .isEqualTo(FinishReason.OTHER);
    assertThat(
            result(feed(new Recorder(), "data: " + text("a") + "\n\ndata: [DONE]")).finishReason())
        .isEqualTo(FinishReason.OTHER);
  }

  @Test
  void nullAndMissingDeltasAndContents() {
    Recorder rec = new Recorder();
    String sse =
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null}}]}\n\n"
            + "data: {\"choices\":[{\"index\":0,\"delta\":null}]}\n\n"
            + "data: {\"choices\":[{\"index\":0}]}\n\n"
            + "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"},\"logprobs\":{\"content\":[]}}]}\n\n"
            + "data: {\"choices\":null}\n\n"
            + "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ok\"},\"finish_reason\":\"stop\"}]}\n\n";
    StreamAccumulator acc = feed(rec, sse);
    assertThat(result(acc).content()).isEqualTo("ok");
    assertThat(rec.text.toString()).isEqualTo("ok");
  }

  @Test
  void toolCallDeltasSplitAcrossChunksByIndex() {
    Recorder rec = new Recorder();
    String sse =
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null,"
            + "\"tool_calls\":[{\"index\":0,\"id\":\"call_a\",\"type\":\"function\","
            + "\"function\":{\"name\":\"clima\",\"arguments\":\"\"}}]}}]}\n\n"
            + "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,"
            + "\"function\":{\"arguments\":\"{\\\"cidade\\\":\"}}]}}]}\n\n"
            + "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,"
            + "\"id\":\"call_b\",\"type\":\"function\",\"function\":{\"name\":\"hora\","
            + "\"arguments\":\"{}\"}}]}}]}\n\n"
            + "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,"
            + "\"function\":{\"arguments\":\"\\\"Recife\\\"}\"}}]}}]}\n\n"
            + "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}\n\n"
            + "data: [DONE]\n\n";
    ChatResult r = result(feed(rec, sse));
    assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(r.toolCalls())
        .containsExactly(
            new ToolCall("call_a", "clima", "{\"cidade\":\"Recife\"}"),
            new ToolCall("call_b", "hora", "{}"));
    assertThat(r.message().content()).isEmpty(); // content: null with tool calls
    assertThat(rec.tools)
        .containsExactly(
            "0|call_a|clima|",
            "0|null|null|{\"cidade\":",
            "1|call_b|hora|{}",
            "0|null|null|\"Recife\"}");
  }

  @Test
  void toolCallPiecesWithoutAnIndexOrRepeatingTheirIdAndName() {
    Recorder rec = new Recorder();
    String sse =
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"id\":\"c1\","
            + "\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\"\"}}]}}]}\n\n"
            + "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"id\":\"c1\","
            + "\"function\":{\"name\":\"f\",\"arguments\":\":1}\"}}]}}]}\n\n"
            + "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"id\":\"c2\","
            + "\"function\":{\"name\":\"g\",\"arguments\":\"{}\"}}]}}]}\n\n"
            + "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{"
            + "\"function\":{\"arguments\":\"\"}}]},\"finish_reason\":\"tool_calls\"}]}\n\n";
    ChatResult r = result(feed(rec, sse));
    assertThat(r.toolCalls())
        .containsExactly(new ToolCall("c1", "f", "{\"a\":1}"), new ToolCall("c2", "g", "{}"));
    // the handler gets each id and name once
    assertThat(rec.tools).containsExactly("0|c1|f|{\"a\"", "0|null|null|:1}", "1|c2|g|{}");
  }

  @Test
  void anErrorInsideTheStream() {
    Recorder rec = new Recorder();
    assertThatThrownBy(
            () ->
                feed(
                    rec,
                    "data: {\"error\":{\"message\":\"limite\",\"type\":\"rate_limit_error\","
                        + "\"code\":null}}\n\n"))
        .isInstanceOf(RateLimitException.class)
        .hasMessageContaining("limite");
    assertThatThrownBy(
            () ->
                feed(
                    new Recorder(),
                    "data: "
                        + text("a")
                        + "\n\ndata: {\"error\":{\"message\":\"prompt too long\","
                        + "\"type\":\"invalid_request_error\",\"code\":\"context_length_exceeded\"}}"))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("context_length_exceeded");
    // "event: error" with a bare message, as some servers send
    assertThatThrownBy(
            () -> feed(new Recorder(), "event: error\ndata: {\"message\":\"Overloaded\"}\n\n"))
        .isInstanceOf(ServerException.class)
        .hasMessageContaining("Overloaded");
    assertThatThrownBy(() -> feed(new Recorder(), "data: {\"detail\":\"Not authenticated\"}\n\n"))
        .isInstanceOf(ServerException.class)
        .hasMessageContaining("Not authenticated");
  }

  @Test
  void malformedEventsFailClearly() {
    assertThatThrownBy(() -> feed(new Recorder(), "data: {\"choices\":[\n\n"))
        .isInstanceOf(InvalidResponseException.class)
        .hasMessageContaining("malformed JSON");
    assertThatThrownBy(() -> feed(new Recorder(), "data: {\"a\":1} trailing\n\n"))
        .isInstanceOf(InvalidResponseException.class);
    assertThatThrownBy(() -> feed(new Recorder(), "data: 42\n\n"))
        .isInstanceOf(InvalidResponseException.class)
        .hasMessageContaining("not a JSON object");
  }

  @Test
  void aPlainCompletionReplayedToTheHandlerIncludesToolCalls() {
    Recorder rec = new Recorder();
    StreamAccumulator acc = new StreamAccumulator(rec);
    ChatResult r =
        WireFormat.readResult(
            io.github.maritaca4j.internal.Json.MAPPER.valueToTree(
                java.util.Map.of(
                    "choices",
                    List.of(
                        java.util.Map.of(
                            "index",
                            0,
                            "finish_reason",
                            "tool_calls",
                            "message",
                            java.util.Map.of(
                                "role", "assistant",
                                "content", "vou ver",
                                "tool_calls",
                                    List.of(
                                        java.util.Map.of(
                                            "id", "c1",
                                            "type", "function",
                                            "function",
                                                java.util.Map.of(
                                                    "name", "f", "arguments", "{}")))))))),
            null,
            Duration.ZERO);
    acc.replay(r);
    assertThat(rec.text.toString()).isEqualTo("vou ver");
    assertThat(rec.tools).containsExactly("0|c1|f|{}");
    assertThat(acc.delivered()).isTrue();
  }
}
