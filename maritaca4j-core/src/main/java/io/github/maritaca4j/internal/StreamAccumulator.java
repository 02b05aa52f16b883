package io.github.maritaca4j.internal;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.maritaca4j.ChatResult;
import io.github.maritaca4j.Choice;
import io.github.maritaca4j.FinishReason;
import io.github.maritaca4j.Message;
import io.github.maritaca4j.StreamHandler;
import io.github.maritaca4j.ToolCall;
import io.github.maritaca4j.Usage;
import io.github.maritaca4j.errors.InvalidResponseException;
import io.github.maritaca4j.errors.MaritacaException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;

/**
 * Assembles a streamed completion from its {@code data:} events and forwards deltas to a {@link
 * StreamHandler}. Not thread-safe: events of one stream arrive one at a time.
 *
 * <p>Tolerated: unknown fields, {@code null} deltas and contents, chunks with empty {@code choices}
 * (the usage chunk), {@code usage: null} on every chunk, tool-call pieces spread over chunks
 * (matched by {@code index}; a piece without an index continues the call with the same id, else the
 * last call), events after {@code [DONE]} (ignored), and an event whose {@code data:} lines each
 * hold a whole chunk (a server that forgot the blank lines between events). An {@code error}
 * member, or an object that has no {@code choices}/{@code usage}/{@code id} but a {@code message}
 * or {@code detail}, is the server reporting a failure mid-stream: it is thrown as the matching
 * {@link io.github.maritaca4j.errors.ApiException}.
 *
 * <p>End of stream: {@code [DONE]} completes it; without {@code [DONE]} a stream is accepted when
 * every choice has its {@code finish_reason} (OpenAI's SDKs accept any clean end; we also require
 * the finish reason so a cut stream is not taken for a whole answer), otherwise {@link #result}
 * throws {@link InvalidResponseException}.
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
  private final String secret;

  public StreamAccumulator(StreamHandler handler) {
    this(handler, null);
  }

  /**
   * @param secret a value error messages from the stream must never repeat (the API key), or null
   */
  public StreamAccumulator(StreamHandler handler, String secret) {
    this.handler = handler;
    this.secret = secret;
  }

  /** Whether any text or tool call has reached the handler (then the call must not be retried). */
  public boolean delivered() {
    return delivered;
  }

  /**
   * Whether {@code [DONE]} was seen: the answer is complete and later events are ignored, so a
   * reader may stop reading (a server may keep the connection open after it).
   */
  public boolean done() {
    return done;
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
    if (done) {
      return; // nothing after the end marker counts
    }
    String d = data.strip();
    if (d.equals("[DONE]")) {
      done = true;
      return;
    }
    if (d.isEmpty()) {
      return;
    }
    List<JsonNode> chunks;
    try {
      chunks = parse(d);
    } catch (IOException e) {
      throw new InvalidResponseException(
          "malformed JSON in the event stream: " + describe(e), status, e);
    }
    for (JsonNode chunk : chunks) {
      if (done) {
        return;
      }
      chunk(chunk, status);
    }
  }

  /**
   * The chunks in one event's data: normally one JSON value; if more follow it, each data line is
   * read as a chunk of its own (and {@code [DONE]} among them ends the stream).
   */
  private List<JsonNode> parse(String d) throws IOException {
    try (JsonParser p = Json.MAPPER.getFactory().createParser(d)) {
      JsonNode first = Json.MAPPER.readTree(p);
      if (p.nextToken() == null) {
        return Collections.singletonList(first);
      }
    }
    List<JsonNode> out = new ArrayList<>();
    for (String line : d.split("\n")) {
      String l = line.strip();
      if (l.equals("[DONE]")) {
        out.add(DONE);
        break;
      }
      if (!l.isEmpty()) {
        try (JsonParser p = Json.MAPPER.getFactory().createParser(l)) {
          out.add(Json.MAPPER.readTree(p));
          if (p.nextToken() != null) {
            throw new JsonParseException(p, "unexpected content after a JSON value");
          }
        }
      }
    }
    return out;
  }

  private static String describe(IOException e) {
    String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m;
  }

  private void chunk(JsonNode chunk, int status) {
    if (chunk == DONE) {
      done = true;
      return;
    }
    if (chunk == null || !chunk.isObject()) {
      throw new InvalidResponseException(
          "an event in the stream is not a JSON object", status, null);
    }
    JsonNode error = chunk.get("error");
    if (error != null && !error.isNull() && !(error.isBoolean() && !error.asBoolean())) {
      throw ErrorMapper.streamError(error, secret);
    }
    if (!chunk.has("choices")
        && !chunk.has("usage")
        && !chunk.has("id")
        && (chunk.hasNonNull("message") || chunk.hasNonNull("detail"))) {
      throw ErrorMapper.streamError(chunk, secret);
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
          String callId = WireFormat.textOrNull(call.get("id"));
          int ci = toolIndex(st, call.get("index"), callId);
          ToolState ts = st.calls.computeIfAbsent(ci, k -> new ToolState());
          String name = WireFormat.textOrNull(call.path("function").get("name"));
          JsonNode argsNode = call.path("function").get("arguments");
          String args =
              argsNode == null || argsNode.isNull()
                  ? ""
                  : argsNode.isTextual() ? argsNode.asText() : argsNode.toString();
          // the handler gets the id and the name once, with the first piece that has them
          String newId = null;
          String newName = null;
          if (callId != null && ts.id == null) {
            ts.id = callId;
            newId = callId;
          }
          if (name != null && ts.name == null) {
            ts.name = name;
            newName = name;
          }
          ts.args.append(args);
          if (index == 0 && (newId != null || newName != null || !args.isEmpty())) {
            delivered = true;
            handler.onToolCallDelta(ci, newId, newName, args);
          }
        }
      }
      String fr = WireFormat.textOrNull(c.get("finish_reason"));
      if (fr != null) {
        st.finishReason = fr;
      }
    }
  }

  /**
   * Which call a tool-call piece belongs to: its {@code index}; without one, the call with the same
   * id, else a new call when the id is new, else (no id) the last call.
   */
  private static int toolIndex(ChoiceState st, JsonNode index, String callId) {
    if (index != null && index.isIntegralNumber() && index.canConvertToInt()) {
      return index.asInt();
    }
    if (index != null && index.isTextual() && index.asText().strip().matches("\\d{1,9}")) {
      return Integer.parseInt(index.asText().strip());
    }
    if (callId != null) {
      for (var e : st.calls.entrySet()) {
        if (callId.equals(e.getValue().id)) {
          return e.getKey();
        }
      }
      return st.calls.isEmpty() ? 0 : st.calls.lastKey() + 1;
    }
    return st.calls.isEmpty() ? 0 : st.calls.lastKey();
  }

  /** Replays a complete (non-streamed) answer to the handler. */
  void replay(ChatResult r) {
    delivered = true;
    if (!r.content().isEmpty()) {
      handler.onText(r.content());
    }
    List<ToolCall> calls = r.toolCalls();
    for (int i = 0; i < calls.size(); i++) {
      ToolCall c = calls.get(i);
      handler.onToolCallDelta(i, c.id(), c.name(), c.arguments());
    }
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

  /** Stands for a {@code [DONE]} line found among several chunks of one event. */
  private static final JsonNode DONE =
      com.fasterxml.jackson.databind.node.TextNode.valueOf("[DONE]");

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
