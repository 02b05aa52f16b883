package io.github.maritaca4j.simulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.maritaca4j.simulator.AnswerLength;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Produces the (deterministic) answer to a chat request. Thread-safe. */
public final class Generator {

  /** One function call. */
  public record ToolCall(String id, String name, String arguments) {}

  /** One choice of the answer. */
  public record Choice(
      int index, String content, List<ToolCall> toolCalls, String finishReason, int tokens) {}

  /** The whole answer. */
  public record Completion(List<Choice> choices, int completionTokens) {}

  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final Pattern PLACE =
      Pattern.compile(
          "(?:\\b(?:em|no|na|de|do|da|in|at|for|of)\\s+)(\\p{Lu}[\\p{L}]+(?:\\s+(?:d[aeo]s?\\s+)?\\p{Lu}[\\p{L}]+)*)");

  private final long seed;
  private final AnswerLength answerLength;
  private final TokenCounter tokens;

  public Generator(long seed, AnswerLength answerLength, TokenCounter tokens) {
    this.seed = seed;
    this.answerLength = answerLength;
    this.tokens = tokens;
  }

  /** The answer to {@code req}; the same request and seed always give the same answer. */
  public Completion complete(ChatRequest req) {
    long h = req.contentHash() ^ (seed * 0x9E3779B97F4A7C15L);
    List<Choice> choices = new ArrayList<>();
    int total = 0;
    for (int i = 0; i < req.n; i++) {
      Random rnd = new Random(h + 0x5DEECE66DL * i);
      Choice c = choice(req, i, rnd);
      choices.add(c);
      total += c.tokens();
    }
    return new Completion(choices, total);
  }

  private Choice choice(ChatRequest req, int index, Random rnd) {
    List<ChatRequest.Message> msgs = req.messages;
    ChatRequest.Message last = msgs.get(msgs.size() - 1);
    int cap = req.maxTokens != null ? req.maxTokens : Models.MAX_OUTPUT;
    // tool calls
    if (req.tools != null && !last.role().equals("tool")) {
      JsonNode tool = chooseTool(req, last);
      if (tool != null) {
        JsonNode fn = tool.path("function");
        String name = fn.path("name").asText();
        JsonNode v = value("", fn.path("parameters"), req.lastUserText(), rnd, true, 0);
        ObjectNode args = v.isObject() ? (ObjectNode) v : F.objectNode();
        String argJson = Json.string(args);
        String id = "call_" + Long.toHexString(rnd.nextLong() & Long.MAX_VALUE);
        int count = tokens.count(name) + tokens.count(argJson);
        return new Choice(
            index, null, List.of(new ToolCall(id, name, argJson)), "tool_calls", count);
      }
    }
    String text;
    if (last.role().equals("tool")) {
      text = "De acordo com o resultado da ferramenta: " + last.text();
    } else {
      String canned = Answers.canned(last.text());
      if (canned != null) {
        text = canned;
      } else {
        int target = answerLength.sample(rnd.nextDouble(), rnd.nextGaussian());
        text = Answers.templated(Math.min(target, cap + 1), rnd, tokens);
      }
      String rfType =
          req.responseFormat == null ? "text" : req.responseFormat.path("type").asText();
      if (rfType.equals("json_object")) {
        ObjectNode o = F.objectNode();
        o.put("resposta", text);
        text = Json.string(o);
      } else if (rfType.equals("json_schema")) {
        JsonNode schema = req.responseFormat.path("json_schema").path("schema");
        text =
            Json.string(
                value("", schema, canned != null ? canned : firstSentence(text), rnd, false, 0));
      }
    }
    return finish(index, text, req.stop, cap);
  }

  private static String firstSentence(String text) {
    int dot = text.indexOf('.', 20);
    return dot < 0 ? text : text.substring(0, dot + 1);
  }

  /** Applies stop sequences and the max_tokens cap. */
  Choice finish(int index, String text, List<String> stop, int cap) {
    int cut = -1;
    for (String s : stop) {
      int at = text.indexOf(s);
      if (at >= 0 && (cut < 0 || at < cut)) {
        cut = at;
      }
    }
    if (cut >= 0) {
      String head = text.substring(0, cut);
      int t = tokens.count(head);
      if (t <= cap) {
        return new Choice(index, head, null, "stop", t);
      }
    }
    int t = tokens.count(text);
    if (t <= cap) {
      return new Choice(index, text, null, "stop", t);
    }
    return new Choice(index, tokens.truncate(text, cap), null, "length", cap);
  }

  private static JsonNode chooseTool(ChatRequest req, ChatRequest.Message last) {
    JsonNode tc = req.toolChoice;
    if (tc != null && tc.isObject()) {
      String name = tc.path("function").path("name").asText();
      for (JsonNode t : req.tools) {
        if (name.equals(t.path("function").path("name").asText())) {
          return t;
        }
      }
      return null;
    }
    String mode = tc == null || tc.isNull() ? "auto" : tc.asText();
    if (mode.equals("none")) {
      return null;
    }
    JsonNode matched = matchingTool(req.tools, last.role().equals("user") ? last.text() : "");
    if (mode.equals("required")) {
      return matched != null ? matched : req.tools.get(0);
    }
    return last.role().equals("user") ? matched : null;
  }

  /**
   * The first tool one of whose name or description words (4+ letters) occurs in {@code text};
   * names are split at {@code _}, {@code -} and camelCase humps ({@code getWeather} → get,
   * weather).
   */
  private static JsonNode matchingTool(JsonNode tools, String text) {
    Set<String> words = new HashSet<>(List.of(Answers.normalize(text).split(" ")));
    for (JsonNode t : tools) {
      JsonNode fn = t.path("function");
      String src =
          fn.path("name")
                  .asText()
                  .replace('_', ' ')
                  .replace('-', ' ')
                  .replaceAll("(?<=\\p{Ll})(?=\\p{Lu})", " ")
              + " "
              + fn.path("description").asText("");
      for (String w : Answers.normalize(src).split(" ")) {
        if (w.length() >= 4 && words.contains(w)) {
          return t;
        }
      }
    }
    return null;
  }

  /**
   * A value valid against the (simple) JSON schema: objects (all properties, or only the required
   * ones when {@code requiredOnly}), arrays, strings, numbers, integers, booleans, enums, consts.
   */
  static JsonNode value(
      String name, JsonNode schema, String context, Random rnd, boolean requiredOnly, int depth) {
    if (schema == null || !schema.isObject()) {
      return F.textNode(stringFor(name, context));
    }
    if (schema.has("const")) {
      return schema.get("const");
    }
    if (schema.path("enum").isArray() && !schema.path("enum").isEmpty()) {
      return schema.get("enum").get(0);
    }
    for (String k : List.of("anyOf", "oneOf", "allOf")) {
      if (schema.path(k).isArray() && !schema.path(k).isEmpty()) {
        for (JsonNode alt : schema.get(k)) {
          if (!"null".equals(alt.path("type").asText())) {
            return value(name, alt, context, rnd, requiredOnly, depth + 1);
          }
        }
      }
    }
    String type = schema.path("type").asText("");
    if (schema.path("type").isArray()) {
      type = "";
      for (JsonNode t : schema.get("type")) {
        if (!t.asText().equals("null")) {
          type = t.asText();
          break;
        }
      }
    }
    if (type.isEmpty()) {
      type = schema.has("properties") ? "object" : schema.has("items") ? "array" : "string";
    }
    switch (type) {
      case "object" -> {
        ObjectNode o = F.objectNode();
        if (depth > 8) {
          return o;
        }
        JsonNode props = schema.path("properties");
        Set<String> required = new HashSet<>();
        schema.path("required").forEach(r -> required.add(r.asText()));
        props
            .fieldNames()
            .forEachRemaining(
                p -> {
                  if (!requiredOnly || required.contains(p) || required.isEmpty()) {
                    o.set(p, value(p, props.get(p), context, rnd, requiredOnly, depth + 1));
                  }
                });
        for (String r : required) {
          if (!o.has(r)) {
            o.put(r, stringFor(r, context));
          }
        }
        return o;
      }
      case "array" -> {
        ArrayNode a = F.arrayNode();
        int min = Math.max(1, schema.path("minItems").asInt(1));
        int max = schema.has("maxItems") ? schema.get("maxItems").asInt() : Integer.MAX_VALUE;
        int count = Math.min(Math.min(min, max), 16);
        for (int i = 0; i < count && depth <= 8; i++) {
          a.add(value(singular(name), schema.path("items"), context, rnd, requiredOnly, depth + 1));
        }
        return a;
      }
      case "integer" -> {
        long v = 1;
        if (schema.has("minimum")) {
          v = Math.max(v, (long) Math.ceil(schema.get("minimum").asDouble()));
        }
        if (schema.has("exclusiveMinimum") && schema.get("exclusiveMinimum").isNumber()) {
          v = Math.max(v, (long) Math.floor(schema.get("exclusiveMinimum").asDouble()) + 1);
        }
        if (schema.has("maximum")) {
          v = Math.min(v, (long) Math.floor(schema.get("maximum").asDouble()));
        }
        return F.numberNode(v);
      }
      case "number" -> {
        double v = 1.5;
        if (schema.has("minimum")) {
          v = Math.max(v, schema.get("minimum").asDouble());
        }
        if (schema.has("maximum")) {
          v = Math.min(v, schema.get("maximum").asDouble());
        }
        return F.numberNode(v);
      }
      case "boolean" -> {
        return F.booleanNode(true);
      }
      case "null" -> {
        return F.nullNode();
      }
      default -> {
        String s = stringFor(name, context);
        String fmt = schema.path("format").asText("");
        if (fmt.equals("date")) {
          s = "2026-01-06";
        } else if (fmt.equals("date-time")) {
          s = "2026-01-06T12:00:00Z";
        } else if (fmt.equals("email")) {
          s = "usuario@example.com";
        } else if (fmt.equals("uri") || fmt.equals("url")) {
          s = "https://example.com";
        }
        int minLen = schema.path("minLength").asInt(0);
        StringBuilder sb = new StringBuilder(s);
        while (sb.length() < minLen) {
          sb.append(' ').append(s);
        }
        s = sb.toString();
        if (schema.has("maxLength")) {
          int maxLen = schema.get("maxLength").asInt();
          if (s.length() > maxLen) {
            s = s.substring(0, maxLen);
          }
        }
        return F.textNode(s);
      }
    }
  }

  private static String singular(String name) {
    return name.endsWith("s") ? name.substring(0, name.length() - 1) : name;
  }

  /** A plausible string for a property called {@code name}. */
  static String stringFor(String name, String context) {
    String n = Answers.normalize(name.replace('_', ' ')).replace(" ", "");
    if (n.matches(".*(city|cidade|location|local|place|lugar|destin|address|endereco).*")) {
      String place = place(context);
      return place != null ? place : "São Paulo";
    }
    if (n.matches(".*(country|pais).*")) {
      return "Brasil";
    }
    if (n.matches(".*(email).*")) {
      return "usuario@example.com";
    }
    if (n.matches(".*(date|data|dia|day).*")) {
      return "2026-01-06";
    }
    if (n.matches(".*(time|hora).*")) {
      return "12:00";
    }
    if (n.matches(".*(url|link|site).*")) {
      return "https://example.com";
    }
    if (n.matches(".*(unit|unidade).*")) {
      return "celsius";
    }
    if (n.matches(".*(lang|idioma|lingua).*")) {
      return "pt-BR";
    }
    if (n.matches(".*(currency|moeda).*")) {
      return "BRL";
    }
    if (n.matches(".*(name|nome|author|autor|person|pessoa).*")) {
      return "Maria Silva";
    }
    if (n.matches(
        ".*(query|question|pergunta|search|busca|text|texto|prompt|term|termo|q|input|"
            + "answer|resposta|content|conteudo|summary|resumo|message|mensagem|description|descricao).*")) {
      return context == null || context.isBlank() ? "exemplo" : context;
    }
    if (n.matches(".*(capital).*")) {
      Matcher m = Pattern.compile("é ([^.]+)\\.").matcher(context == null ? "" : context);
      return m.find() ? m.group(1) : "Brasília";
    }
    if (n.equals("id") || n.endsWith("id")) {
      return "1";
    }
    return "exemplo";
  }

  /** A capitalised place name after a preposition in {@code text}, or null. */
  static String place(String text) {
    if (text == null) {
      return null;
    }
    Matcher m = PLACE.matcher(text);
    String found = null;
    while (m.find()) {
      found = m.group(1);
    }
    return found;
  }
}
