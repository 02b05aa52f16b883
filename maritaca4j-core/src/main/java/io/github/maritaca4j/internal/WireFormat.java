package io.github.maritaca4j.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.maritaca4j.ChatRequest;
import io.github.maritaca4j.ChatResult;
import io.github.maritaca4j.Choice;
import io.github.maritaca4j.ContentPart;
import io.github.maritaca4j.FinishReason;
import io.github.maritaca4j.Message;
import io.github.maritaca4j.ResponseFormat;
import io.github.maritaca4j.Role;
import io.github.maritaca4j.ServiceTier;
import io.github.maritaca4j.Tool;
import io.github.maritaca4j.ToolCall;
import io.github.maritaca4j.Usage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * JSON mapping between our types and the OpenAI-compatible wire format, both ways. Requests are
 * written with the streaming generator (no intermediate tree); responses are read from a tree and
 * tolerate unknown fields, {@code null} collections and content given as a list of parts. Internal
 * API; stateless and thread-safe.
 */
public final class WireFormat {
  private static final JsonFactory FACTORY = Json.MAPPER.getFactory();

  private WireFormat() {}

  /** The request body for {@code POST /chat/completions}. */
  public static byte[] writeRequest(ChatRequest r, boolean stream) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("model", r.model());
      g.writeArrayFieldStart("messages");
      for (Message m : r.messages()) {
        writeMessage(g, m);
      }
      g.writeEndArray();
      if (r.temperature() != null) {
        g.writeNumberField("temperature", r.temperature());
      }
      if (r.topP() != null) {
        g.writeNumberField("top_p", r.topP());
      }
      if (r.maxTokens() != null) {
        g.writeNumberField("max_tokens", r.maxTokens());
      }
      if (!r.stop().isEmpty()) {
        g.writeArrayFieldStart("stop");
        for (String s : r.stop()) {
          g.writeString(s);
        }
        g.writeEndArray();
      }
      if (r.frequencyPenalty() != null) {
        g.writeNumberField("frequency_penalty", r.frequencyPenalty());
      }
      if (r.presencePenalty() != null) {
        g.writeNumberField("presence_penalty", r.presencePenalty());
      }
      if (r.n() != null) {
        g.writeNumberField("n", r.n());
      }
      if (r.serviceTier() == ServiceTier.FLEX) {
        g.writeStringField("service_tier", "flex");
      }
      if (!r.tools().isEmpty()) {
        g.writeArrayFieldStart("tools");
        for (Tool t : r.tools()) {
          g.writeStartObject();
          g.writeStringField("type", "function");
          g.writeObjectFieldStart("function");
          g.writeStringField("name", t.name());
          if (t.description() != null) {
            g.writeStringField("description", t.description());
          }
          g.writeFieldName("parameters");
          Json.MAPPER.writeValue(
              g,
              t.parameters().isEmpty()
                  ? Map.of("type", "object", "properties", Map.of())
                  : t.parameters());
          g.writeEndObject();
          g.writeEndObject();
        }
        g.writeEndArray();
      }
      if (r.toolChoice() != null) {
        if ("function".equals(r.toolChoice().mode())) {
          g.writeObjectFieldStart("tool_choice");
          g.writeStringField("type", "function");
          g.writeObjectFieldStart("function");
          g.writeStringField("name", r.toolChoice().functionName());
          g.writeEndObject();
          g.writeEndObject();
        } else {
          g.writeStringField("tool_choice", r.toolChoice().mode());
        }
      }
      ResponseFormat rf = r.responseFormat();
      if (rf != null) {
        g.writeObjectFieldStart("response_format");
        g.writeStringField("type", rf.type());
        if ("json_schema".equals(rf.type())) {
          g.writeObjectFieldStart("json_schema");
          g.writeStringField("name", rf.name());
          g.writeBooleanField("strict", rf.strict());
          g.writeFieldName("schema");
          Json.MAPPER.writeValue(g, rf.schema());
          g.writeEndObject();
        }
        g.writeEndObject();
      }
      for (Map.Entry<String, Object> e : r.extraBody().entrySet()) {
        g.writeFieldName(e.getKey());
        Json.MAPPER.writeValue(g, e.getValue());
      }
      if (stream) {
        g.writeBooleanField("stream", true);
        g.writeObjectFieldStart("stream_options");
        g.writeBooleanField("include_usage", true);
        g.writeEndObject();
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void writeMessage(JsonGenerator g, Message m) throws IOException {
    g.writeStartObject();
    g.writeStringField("role", m.role().wireName());
    List<ContentPart> parts = m.content();
    if (parts.isEmpty()) {
      g.writeNullField("content");
    } else if (!m.hasImages()) {
      g.writeStringField("content", m.text());
    } else {
      g.writeArrayFieldStart("content");
      for (ContentPart p : parts) {
        g.writeStartObject();
        if (p instanceof ContentPart.Text t) {
          g.writeStringField("type", "text");
          g.writeStringField("text", t.text());
        } else if (p instanceof ContentPart.Image i) {
          g.writeStringField("type", "image_url");
          g.writeObjectFieldStart("image_url");
          g.writeStringField("url", i.url());
          if (i.detail() != null) {
            g.writeStringField("detail", i.detail());
          }
          g.writeEndObject();
        }
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    if (m.name() != null) {
      g.writeStringField("name", m.name());
    }
    if (!m.toolCalls().isEmpty()) {
      g.writeArrayFieldStart("tool_calls");
      for (ToolCall c : m.toolCalls()) {
        g.writeStartObject();
        if (c.id() != null) {
          g.writeStringField("id", c.id());
        }
        g.writeStringField("type", "function");
        g.writeObjectFieldStart("function");
        g.writeStringField("name", c.name());
        g.writeStringField("arguments", c.arguments());
        g.writeEndObject();
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    if (m.toolCallId() != null) {
      g.writeStringField("tool_call_id", m.toolCallId());
    }
    g.writeEndObject();
  }

  /**
   * Reads a chat completion. Throws {@link IllegalArgumentException} with a description when the
   * JSON lacks what every completion must have (at least one choice). Tolerated: unknown fields,
   * {@code tool_calls: null}, {@code content: null}, {@code logprobs}, missing or partial {@code
   * usage}, any {@code finish_reason} (unknown or null ones read as {@link FinishReason#OTHER}),
   * choices out of index order (they are sorted), and a choice that carries its text in {@code
   * delta} or {@code text} instead of {@code message}, or no message at all when it has a {@code
   * finish_reason} (an empty answer).
   */
  public static ChatResult readResult(JsonNode root, String requestId, Duration latency) {
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("the response is not a JSON object");
    }
    JsonNode choicesNode = root.path("choices");
    if (!choicesNode.isArray() || choicesNode.isEmpty()) {
      throw new IllegalArgumentException("the response has no choices");
    }
    List<Choice> choices = new ArrayList<>(choicesNode.size());
    for (JsonNode c : choicesNode) {
      if (!c.isObject()) {
        throw new IllegalArgumentException("a choice is not a JSON object");
      }
      String finish = textOrNull(c.get("finish_reason"));
      JsonNode msg = c.path("message");
      Message message;
      if (msg.isObject()) {
        message = readMessage(msg);
      } else if (c.path("delta").isObject()) {
        message = readMessage(c.path("delta"));
      } else if (c.path("text").isTextual()) {
        message = Message.assistant(c.path("text").asText());
      } else if (finish != null) {
        message = Message.assistant("");
      } else {
        throw new IllegalArgumentException("a choice has no message");
      }
      choices.add(
          new Choice(
              index(c.get("index"), choices.size()), message, FinishReason.fromWire(finish)));
    }
    choices.sort(java.util.Comparator.comparingInt(Choice::index));
    return new ChatResult(
        textOrNull(root.get("id")),
        textOrNull(root.get("model")),
        root.path("created").asLong(0),
        choices,
        readUsage(root.get("usage")),
        textOrNull(root.get("system_fingerprint")),
        requestId,
        1,
        latency,
        null);
  }

  private static int index(JsonNode n, int fallback) {
    return n != null && n.isIntegralNumber() && n.canConvertToInt() ? n.asInt() : fallback;
  }

  /** An assistant message from a response (content may be a string, null or a list of parts). */
  static Message readMessage(JsonNode msg) {
    String roleName = textOrNull(msg.get("role"));
    Role role = roleName == null ? Role.ASSISTANT : safeRole(roleName);
    String text = contentText(msg.get("content"));
    List<ToolCall> calls = readToolCalls(msg.get("tool_calls"));
    if (role != Role.ASSISTANT) {
      role = Role.ASSISTANT; // a completion's message is the assistant's, whatever it says
    }
    return Message.assistant(
        text == null || (text.isEmpty() && !calls.isEmpty()) ? null : text, calls);
  }

  private static Role safeRole(String name) {
    try {
      return Role.fromWire(name);
    } catch (IllegalArgumentException e) {
      return Role.ASSISTANT;
    }
  }

  /** Text of a content node: a string, null, or a list of {type:text,text} parts. */
  static String contentText(JsonNode content) {
    if (content == null || content.isNull() || content.isMissingNode()) {
      return null;
    }
    if (content.isTextual()) {
      return content.asText();
    }
    if (content.isArray()) {
      StringBuilder sb = new StringBuilder();
      for (JsonNode part : content) {
        if (part.isTextual()) {
          sb.append(part.asText());
        } else if (part.hasNonNull("text")) {
          sb.append(part.get("text").asText());
        }
      }
      return sb.toString();
    }
    return content.toString();
  }

  static List<ToolCall> readToolCalls(JsonNode node) {
    if (node == null || !node.isArray() || node.isEmpty()) {
      return List.of();
    }
    List<ToolCall> calls = new ArrayList<>(node.size());
    for (JsonNode c : node) {
      JsonNode fn = c.path("function");
      String name = textOrNull(fn.get("name"));
      if (name == null) {
        continue;
      }
      JsonNode args = fn.get("arguments");
      String arguments =
          args == null || args.isNull() ? "" : args.isTextual() ? args.asText() : args.toString();
      calls.add(new ToolCall(textOrNull(c.get("id")), name, arguments));
    }
    return calls;
  }

  /**
   * Usage, or null when absent. Partial usage is accepted: a missing or null count is 0, a missing
   * total is prompt + completion, a missing or null {@code prompt_tokens_details} means no cached
   * tokens; counts sent as numeric strings or floats are read, negative ones clamp to 0.
   */
  static Usage readUsage(JsonNode u) {
    if (u == null || !u.isObject()) {
      return null;
    }
    long prompt = Math.max(0, count(u.get("prompt_tokens")));
    long completion = Math.max(0, count(u.get("completion_tokens")));
    JsonNode t = u.get("total_tokens");
    long total = t == null || t.isNull() ? prompt + completion : Math.max(0, count(t));
    long cached = Math.max(0, count(u.path("prompt_tokens_details").get("cached_tokens")));
    return new Usage(prompt, completion, total, Math.min(cached, prompt));
  }

  private static long count(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return 0;
    }
    return n.asLong(0);
  }

  static String textOrNull(JsonNode n) {
    return n == null || n.isNull() || n.isMissingNode() ? null : n.asText();
  }
}
