package io.github.maritaca4j.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.maritaca4j.ChatRequest;
import io.github.maritaca4j.ContentPart;
import io.github.maritaca4j.Message;
import io.github.maritaca4j.ResponseFormat;
import io.github.maritaca4j.Role;
import io.github.maritaca4j.ServiceTier;
import io.github.maritaca4j.Tool;
import io.github.maritaca4j.ToolCall;
import io.github.maritaca4j.ToolChoice;
import io.github.maritaca4j.cost.PriceTable;
import io.github.maritaca4j.internal.Json;
import io.github.maritaca4j.jobs.InputProblem.Kind;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads one line of a JSONL job into a {@link JobRequest}. Three shapes are accepted:
 *
 * <ul>
 *   <li>the Batch API's input line: {@code {"custom_id": "r1", "method": "POST", "url":
 *       "/v1/chat/completions", "body": {"model": "sabia-4", "messages": [...], ...}}};
 *   <li>the body's fields at the top level: {@code {"custom_id": "r1", "messages": [...]}};
 *   <li>a bare prompt: {@code {"prompt": "Qual é a capital do Brasil?"}} (optionally with {@code
 *       "system": "..."} and other body fields).
 * </ul>
 *
 * A missing {@code custom_id} defaults to the line number (as text). Fields a line does not set
 * (model, max_tokens, service tier...) come from the template request given to the constructor.
 * Body fields this library does not model (e.g. {@code seed}, {@code user}, {@code logprobs}) are
 * sent as they are ({@link ChatRequest#extraBody()}); fields of a Batch API line beside {@code
 * custom_id}, {@code method}, {@code url} and {@code body} are not part of the request: they are
 * ignored and reported through {@link #ignoredFields()}.
 *
 * <p>Not thread-safe (it remembers ignored fields); use one per thread.
 */
final class JobLineParser {

  /** The only endpoint a job line may name (with or without {@code /v1}). */
  static final String CHAT_ENDPOINT = "/v1/chat/completions";

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private static final Set<String> LINE_FIELDS = Set.of("custom_id", "method", "url", "body");

  private final ChatRequest template;
  private final PriceTable prices;
  private final Map<String, Long> ignored = new LinkedHashMap<>();

  /**
   * @param template defaults for what a line does not set (its messages are ignored); e.g. {@code
   *     client.defaults()}
   * @param prices the models a line may use; null to accept any model
   */
  JobLineParser(ChatRequest template, PriceTable prices) {
    this.template = Objects.requireNonNull(template, "template");
    this.prices = prices;
  }

  /** Line fields that were ignored (not sent), each with the first line it was seen on. */
  Map<String, Long> ignoredFields() {
    return Map.copyOf(ignored);
  }

  /**
   * Parses one line.
   *
   * @param text the line, without its line terminator
   * @param line its 1-based number
   * @return the request, or null for a blank line
   * @throws InputLineException when the line cannot be run
   */
  JobRequest parse(String text, long line) {
    if (text.isBlank()) {
      return null;
    }
    int bad = text.indexOf(ResultFile.MALFORMED_INPUT);
    if (bad >= 0) {
      throw problem(
          line,
          Kind.MALFORMED_JSON,
          null,
          "not valid UTF-8 (at character "
              + (bad + 1)
              + "); save the file as UTF-8 (was it written as Latin-1 / Windows-1252?)");
    }
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw problem(line, Kind.MALFORMED_JSON, null, "malformed JSON: " + jsonError(e));
    }
    if (root == null || !root.isObject()) {
      throw problem(
          line,
          Kind.MALFORMED_JSON,
          null,
          "malformed JSON: expected an object, got " + describe(root));
    }
    String customId = customId(root.get("custom_id"), line);
    JsonNode body;
    if (root.has("body")) {
      body = root.get("body");
      if (!body.isObject()) {
        throw problem(line, Kind.INVALID_REQUEST, customId, "\"body\" must be an object");
      }
      JsonNode method = root.get("method");
      if (method != null && !method.isNull() && !"POST".equalsIgnoreCase(method.asText())) {
        throw problem(
            line,
            Kind.INVALID_REQUEST,
            customId,
            "\"method\" must be POST, was " + method.asText());
      }
      JsonNode url = root.get("url");
      if (url != null && !url.isNull() && !isChatEndpoint(url.asText())) {
        throw problem(
            line,
            Kind.INVALID_REQUEST,
            customId,
            "\"url\" must be " + CHAT_ENDPOINT + ", was " + url.asText());
      }
      noteIgnored(root, LINE_FIELDS, line);
    } else if (root.has("method") || root.has("url")) {
      throw problem(
          line,
          Kind.MISSING_MESSAGES,
          customId,
          "no \"body\" (a line with \"method\" and \"url\" carries the request in \"body\")");
    } else {
      body = root;
    }
    return new JobRequest(line, customId, request(body, root != body, line, customId));
  }

  /** Whether {@code url} names the chat completions endpoint. */
  static boolean isChatEndpoint(String url) {
    return url.equals(CHAT_ENDPOINT) || url.equals("/chat/completions");
  }

  private String customId(JsonNode node, long line) {
    if (node == null || node.isNull()) {
      return Long.toString(line);
    }
    if (node.isTextual() || node.isIntegralNumber()) {
      String id = node.asText();
      if (id.isEmpty()) {
        throw problem(line, Kind.INVALID_REQUEST, null, "\"custom_id\" must not be empty");
      }
      return id;
    }
    throw problem(
        line, Kind.INVALID_REQUEST, null, "\"custom_id\" must be a string, was " + describe(node));
  }

  private ChatRequest request(JsonNode body, boolean nested, long line, String id) {
    ChatRequest.Builder b = template.toBuilder();
    try {
      List<Message> messages = new ArrayList<>();
      if (!nested && body.has("prompt")) {
        JsonNode system = body.get("system");
        if (system != null && !system.isNull()) {
          if (!system.isTextual()) {
            throw invalid("\"system\" must be a string");
          }
          messages.add(Message.system(system.asText()));
        }
        JsonNode prompt = body.get("prompt");
        if (!prompt.isTextual()) {
          throw invalid("\"prompt\" must be a string, was " + describe(prompt));
        }
        if (body.has("messages")) {
          throw invalid("give either \"prompt\" or \"messages\", not both");
        }
        messages.add(Message.user(prompt.asText()));
      } else {
        JsonNode ms = body.get("messages");
        if (ms == null || ms.isNull()) {
          throw problem(
              line,
              Kind.MISSING_MESSAGES,
              id,
              nested ? "the body has no \"messages\"" : "no \"messages\" or \"prompt\"");
        }
        if (!ms.isArray()) {
          throw invalid("\"messages\" must be a list, was " + describe(ms));
        }
        int i = 0;
        for (JsonNode m : ms) {
          messages.add(message(m, i++));
        }
      }
      if (messages.isEmpty()) {
        throw problem(line, Kind.MISSING_MESSAGES, id, "\"messages\" is empty");
      }
      b.messages(messages);
      for (Map.Entry<String, JsonNode> f : body.properties()) {
        JsonNode v = f.getValue();
        String name = f.getKey();
        if (v.isNull()) {
          continue;
        }
        try {
          field(b, name, v);
        } catch (InputLineException e) {
          throw e;
        } catch (IllegalArgumentException e) {
          throw invalid(fieldMessage(name, e.getMessage()));
        }
      }
      ChatRequest r = b.build();
      if (prices != null && !prices.contains(r.model())) {
        throw problem(
            line,
            Kind.UNKNOWN_MODEL,
            id,
            "unknown model '"
                + r.model()
                + "' (known: "
                + String.join(", ", prices.models())
                + ")");
      }
      return r;
    } catch (InputLineException e) {
      throw e;
    } catch (RuntimeException e) {
      throw problem(line, Kind.INVALID_REQUEST, id, e.getMessage());
    }
  }

  /** Applies one body field to the request. */
  private static void field(ChatRequest.Builder b, String name, JsonNode v) {
    switch (name) {
      case "model" -> b.model(text(name, v));
      case "temperature" -> b.temperature(number(name, v));
      case "top_p" -> b.topP(number(name, v));
      case "max_tokens", "max_completion_tokens" -> b.maxTokens(integer(name, v));
      case "frequency_penalty" -> b.frequencyPenalty(number(name, v));
      case "presence_penalty" -> b.presencePenalty(number(name, v));
      case "n" -> b.n(integer(name, v));
      case "stop" -> b.stop(stop(v));
      case "service_tier" -> b.serviceTier(tier(v));
      case "tools" -> b.tools(tools(v));
      case "tool_choice" -> b.toolChoice(toolChoice(v));
      case "response_format" -> b.responseFormat(responseFormat(v));
      case "stream" -> {
        if (v.asBoolean(false)) {
          throw invalid("\"stream\": true is not supported in a job");
        }
      }
      case "messages", "stream_options", "custom_id", "prompt", "system" -> {}
      default -> b.putExtraBody(name, v); // sent as it is: the server judges it
    }
  }

  /**
   * A field's error in the line's terms: the request builder names fields as in Java ({@code
   * maxTokens must be between 1 and 32768, was -3}); the line has {@code "max_tokens"}.
   */
  private static String fieldMessage(String name, String message) {
    String m = String.valueOf(message);
    if (m.matches("[a-z][A-Za-z]* (must|is) .*")) {
      return "\"" + name + "\"" + m.substring(m.indexOf(' '));
    }
    return m;
  }

  /**
   * Jackson's message without its location, which counts lines within this one line and says
   * "Source: REDACTED": the column is given instead.
   */
  static String jsonError(JsonProcessingException e) {
    String m = e.getOriginalMessage();
    if (m == null) {
      m = "unreadable";
    }
    int cut = m.indexOf("\n at [");
    if (cut >= 0) {
      m = m.substring(0, cut);
    }
    m = m.replaceAll(" ?\\(start marker at \\[Source:[^)]*\\)[^)]*\\]\\)", "");
    m = m.replaceAll("\\[Source:[^\\]]*\\]", "");
    m = m.strip();
    if (e.getLocation() != null && e.getLocation().getColumnNr() > 0) {
      m = m + " (column " + e.getLocation().getColumnNr() + ")";
    }
    return m;
  }

  private void noteIgnored(JsonNode root, Set<String> known, long line) {
    Iterator<String> names = root.fieldNames();
    while (names.hasNext()) {
      String n = names.next();
      if (!known.contains(n)) {
        ignored.putIfAbsent(n, line);
      }
    }
  }

  private static Message message(JsonNode m, int i) {
    String at = "messages[" + i + "]";
    if (!m.isObject()) {
      throw invalid(at + " must be an object, was " + describe(m));
    }
    JsonNode roleNode = m.get("role");
    if (roleNode == null || !roleNode.isTextual()) {
      throw invalid(at + " has no \"role\"");
    }
    String roleName = roleNode.asText();
    Role role;
    try {
      role = "developer".equals(roleName) ? Role.SYSTEM : Role.fromWire(roleName);
    } catch (IllegalArgumentException e) {
      throw invalid(at + ": " + e.getMessage());
    }
    List<ContentPart> parts = content(m.get("content"), at);
    List<ToolCall> calls = toolCalls(m.get("tool_calls"), at);
    JsonNode toolCallId = m.get("tool_call_id");
    JsonNode name = m.get("name");
    if (role != Role.ASSISTANT && parts.isEmpty()) {
      throw invalid(at + " (" + roleName + ") has no content");
    }
    Message msg =
        new Message(
            role,
            parts,
            null,
            calls,
            toolCallId == null || toolCallId.isNull() ? null : toolCallId.asText());
    if (name != null && !name.isNull()) {
      msg = msg.withName(name.asText());
    }
    if (role == Role.ASSISTANT && parts.isEmpty() && calls.isEmpty()) {
      throw invalid(at + " (assistant) has neither content nor tool_calls");
    }
    return msg;
  }

  private static List<ContentPart> content(JsonNode c, String at) {
    if (c == null || c.isNull()) {
      return List.of();
    }
    if (c.isTextual()) {
      return List.of(ContentPart.text(c.asText()));
    }
    if (!c.isArray()) {
      throw invalid(at + ".content must be a string or a list of parts, was " + describe(c));
    }
    List<ContentPart> parts = new ArrayList<>();
    for (JsonNode p : c) {
      String type = p.path("type").asText("");
      if (p.isTextual()) {
        parts.add(ContentPart.text(p.asText()));
      } else if (type.equals("text")) {
        parts.add(ContentPart.text(p.path("text").asText("")));
      } else if (type.equals("image_url")) {
        JsonNode iu = p.path("image_url");
        String url = iu.isTextual() ? iu.asText() : iu.path("url").asText("");
        ContentPart.Image img = ContentPart.imageUrl(url);
        if (iu.hasNonNull("detail")) {
          img = img.withDetail(iu.get("detail").asText());
        }
        parts.add(img);
      } else {
        throw invalid(at + ".content has a part of unknown type '" + type + "'");
      }
    }
    return parts;
  }

  private static List<ToolCall> toolCalls(JsonNode n, String at) {
    if (n == null || n.isNull()) {
      return List.of();
    }
    if (!n.isArray()) {
      throw invalid(at + ".tool_calls must be a list");
    }
    List<ToolCall> calls = new ArrayList<>();
    for (JsonNode c : n) {
      JsonNode fn = c.path("function");
      if (!fn.path("name").isTextual()) {
        throw invalid(at + ".tool_calls has a call without function.name");
      }
      JsonNode args = fn.get("arguments");
      calls.add(
          new ToolCall(
              c.hasNonNull("id") ? c.get("id").asText() : null,
              fn.get("name").asText(),
              args == null || args.isNull()
                  ? ""
                  : args.isTextual() ? args.asText() : args.toString()));
    }
    return calls;
  }

  private static List<String> stop(JsonNode v) {
    if (v.isTextual()) {
      return List.of(v.asText());
    }
    if (!v.isArray()) {
      throw invalid("\"stop\" must be a string or a list of strings");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode s : v) {
      if (!s.isTextual()) {
        throw invalid("\"stop\" must be a string or a list of strings");
      }
      out.add(s.asText());
    }
    return out;
  }

  private static ServiceTier tier(JsonNode v) {
    String t = v.asText();
    return switch (t) {
      case "flex" -> ServiceTier.FLEX;
      case "auto", "default", "standard" -> ServiceTier.STANDARD;
      default -> throw invalid("\"service_tier\" must be \"flex\" or \"default\", was " + t);
    };
  }

  private static List<Tool> tools(JsonNode v) {
    if (!v.isArray()) {
      throw invalid("\"tools\" must be a list");
    }
    List<Tool> tools = new ArrayList<>();
    for (JsonNode t : v) {
      JsonNode fn = t.path("function");
      if (!fn.path("name").isTextual()) {
        throw invalid("a tool has no function.name");
      }
      tools.add(
          Tool.function(
              fn.get("name").asText(),
              fn.hasNonNull("description") ? fn.get("description").asText() : null,
              fn.hasNonNull("parameters") ? map(fn.get("parameters")) : Map.of()));
    }
    return tools;
  }

  private static ToolChoice toolChoice(JsonNode v) {
    if (v.isTextual()) {
      return new ToolChoice(v.asText(), null);
    }
    String name = v.path("function").path("name").asText(null);
    if (name == null) {
      throw invalid("\"tool_choice\" must be none, auto, required or {function: {name}}");
    }
    return ToolChoice.function(name);
  }

  private static ResponseFormat responseFormat(JsonNode v) {
    String type = v.path("type").asText("");
    return switch (type) {
      case "text" -> ResponseFormat.TEXT;
      case "json_object" -> ResponseFormat.JSON_OBJECT;
      case "json_schema" -> {
        JsonNode js = v.path("json_schema");
        if (!js.path("schema").isObject()) {
          throw invalid("response_format json_schema needs json_schema.schema");
        }
        yield new ResponseFormat(
            "json_schema",
            js.path("name").asText("schema"),
            map(js.get("schema")),
            js.path("strict").asBoolean(false));
      }
      default -> throw invalid("unknown response_format type '" + type + "'");
    };
  }

  private static Map<String, Object> map(JsonNode n) {
    if (!n.isObject()) {
      throw invalid("expected an object, was " + describe(n));
    }
    return Json.MAPPER.convertValue(n, MAP);
  }

  private static String text(String name, JsonNode v) {
    if (!v.isTextual()) {
      throw invalid("\"" + name + "\" must be a string, was " + describe(v));
    }
    return v.asText();
  }

  private static Double number(String name, JsonNode v) {
    if (!v.isNumber()) {
      throw invalid("\"" + name + "\" must be a number, was " + describe(v));
    }
    return v.asDouble();
  }

  private static Integer integer(String name, JsonNode v) {
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw invalid("\"" + name + "\" must be an integer, was " + describe(v));
    }
    return v.asInt();
  }

  private static String describe(JsonNode n) {
    if (n == null || n.isNull()) {
      return "null";
    }
    if (n.isTextual()) {
      return "a string";
    }
    if (n.isNumber()) {
      return "a number";
    }
    if (n.isArray()) {
      return "a list";
    }
    if (n.isBoolean()) {
      return "a boolean";
    }
    return "an object";
  }

  private static IllegalArgumentException invalid(String message) {
    return new IllegalArgumentException(message);
  }

  private static InputLineException problem(long line, Kind kind, String id, String message) {
    return new InputLineException(new InputProblem(line, kind, id, message));
  }
}
