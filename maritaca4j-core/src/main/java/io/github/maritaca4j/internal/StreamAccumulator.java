package io.github.maritaca4j.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.maritaca4j.ChatResult;
import io.github.maritaca4j.Choice;
import io.github.maritaca4j.FinishReason;
import io.github.maritaca4j.InvalidResponseException;
import io.github.maritaca4j.MaritacaException;
import io.github.maritaca4j.Message;
import io.github.maritaca4j.StreamHandler;
import io.github.maritaca4j.ToolCall;
import io.github.maritaca4j.Usage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Assembles a streamed completion from its {@code data:} events and forwards deltas to a {@link
 * StreamHandler}. Not thread-safe: events of one stream arrive one at a time.
 */
public final class StreamAccumulator {
  private final StreamHandler handler;
  private final TreeMap<Integer, ChoiceState> choices = new TreeMap<>();
  private String id;
  private String model;
  private long created;
  private String fingerprint;
  private Usage usage;
  private boolean done;
  private boolean delivered;

  public StreamAccumulator(StreamHandler handler) {
    this.handler = handler;
  }

  /** Whether any text or tool call has reached the handler (then the call must not be retried). */
  public boolean delivered() {
    return delivered;
  }

  /** Whether the stream's end marker (or a final reason for every choice) was seen. */
  public boolean complete() {
    if (done) {
      return true;
    }
    if (choices.isEmpty()) {
      return false;
    }
    for (ChoiceState c : choices.values()) {
      if (c.finishReason == null) {
        return false;
      }
    }
    return true;
  }

  /**
   * Handles one event's data.
   *
   * @throws MaritacaException for malformed JSON or an error event
   */
  public void event(String data, int status) {
    String d = data.strip();
    if (d.equals("[DONE]")) {
      done = true;
      return;
    }
    if (d.isEmpty()) {
      return;
    }
    JsonNode chunk;
    try {
      chunk = Json.MAPPER.readTree(d);
    } catch (JsonProcessingException e) {
      throw new InvalidResponseException(
          "malformed JSON in the event stream: " + e.getOriginalMessage(), status, e);
    }
    if (chunk == null || !chunk.isObject()) {
      throw new InvalidResponseException(
          "an event in the stream is not a JSON object", status, null);
    }
    if (chunk.has("error") && !chunk.get("error").isNull()) {
      throw ErrorMapper.streamError(chunk.get("error"));
    }
    if (id == null) {
      id = WireFormat.textOrNull(chunk.get("id"));
    }
    if (model == null) {
      model = WireFormat.textOrNull(chunk.get("model"));
    }
    if (created == 0) {
      created = chunk.path("created").asLong(0);
    }
    if (fingerprint == null) {
      fingerprint = WireFormat.textOrNull(chunk.get("system_fingerprint"));
    }
    Usage u = WireFormat.readUsage(chunk.get("usage"));
    if (u != null) {
      usage = u;
    }
    JsonNode cs = chunk.get("choices");
    if (cs == null || !cs.isArray()) {
      return;
    }
    for (JsonNode c : cs) {
      int index = c.path("index").asInt(0);
      ChoiceState st = choices.computeIfAbsent(index, k -> new ChoiceState());
      JsonNode delta = c.path("delta");
      String text = WireFormat.contentText(delta.get("content"));
      if (text != null && !text.isEmpty()) {
        st.text.append(text);
        if (index == 0) {
          delivered = true;
          handler.onText(text);
        }
      }
      JsonNode calls = delta.get("tool_calls");
      if (calls != null && calls.isArray()) {
        for (JsonNode call : calls) {
          int ci = call.path("index").asInt(st.calls.size());
          ToolState ts = st.calls.computeIfAbsent(ci, k -> new ToolState());
          String callId = WireFormat.textOrNull(call.get("id"));
          String name = WireFormat.textOrNull(call.path("function").get("name"));
          JsonNode argsNode = call.path("function").get("arguments");
          String args =
              argsNode == null || argsNode.isNull()
                  ? ""
                  : argsNode.isTextual() ? argsNode.asText() : argsNode.toString();
          if (callId != null && ts.id == null) {
            ts.id = callId;
          }
          if (name != null && ts.name == null) {
            ts.name = name;
          }
          ts.args.append(args);
          if (index == 0) {
            delivered = true;
            handler.onToolCallDelta(ci, callId, name, args);
          }
        }
      }
      String fr = WireFormat.textOrNull(c.get("finish_reason"));
      if (fr != null) {
        st.finishReason = fr;
      }
    }
  }

  /** Replays a complete (non-streamed) answer to the handler. */
  void replay(ChatResult r) {
    delivered = true;
    handler.onText(r.content());
  }

  /**
   * The assembled result.
   *
   * @throws InvalidResponseException when the stream ended before it was complete
   */
  public ChatResult result(String requestId, Duration latency, int status) {
    if (!complete()) {
      throw new InvalidResponseException(
          "the event stream ended before it was complete (no [DONE] and no finish_reason)",
          status,
          null);
    }
    if (choices.isEmpty()) {
      throw new InvalidResponseException("the event stream carried no choices", status, null);
    }
    List<Choice> out = new ArrayList<>(choices.size());
    for (var e : choices.entrySet()) {
      ChoiceState st = e.getValue();
      List<ToolCall> calls = new ArrayList<>();
      for (ToolState ts : st.calls.values()) {
        if (ts.name != null) {
          calls.add(new ToolCall(ts.id, ts.name, ts.args.toString()));
        }
      }
      String text = st.text.length() == 0 && !calls.isEmpty() ? null : st.text.toString();
      out.add(
          new Choice(
              e.getKey(), Message.assistant(text, calls), FinishReason.fromWire(st.finishReason)));
    }
    return new ChatResult(id, model, created, out, usage, fingerprint, requestId, 1, latency, null);
  }

  private static final class ChoiceState {
    final StringBuilder text = new StringBuilder();
    final TreeMap<Integer, ToolState> calls = new TreeMap<>();
    String finishReason;
  }

  private static final class ToolState {
    String id;
    String name;
    final StringBuilder args = new StringBuilder();
  }
}
