package io.github.maritaca4j.simulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.knuddels.jtokkit.api.IntArrayList;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** A validated chat completion request. Immutable after {@link #parse}. */
public final class ChatRequest {
  static final Set<String> ROLES = Set.of("system", "user", "assistant", "tool");

  /** Output tokens charged against TPM-out at admission when max_tokens is absent. */
  public static final int DEFAULT_OUTPUT_RESERVATION = 1024;

  /** One message: role and its text (content parts joined). */
  public record Message(String role, String text, String toolCallsText) {}

  final ObjectNode root;
  final String modelName;
  final Models.Model model;
  final List<Message> messages;
  final Integer maxTokens;
  final int n;
  final List<String> stop;
  final boolean stream;
  final boolean includeUsage;
  final JsonNode tools;
  final JsonNode toolChoice;
  final JsonNode responseFormat;
  final boolean flex;

  private ChatRequest(ObjectNode root, Models.Model model, List<Message> messages) {
    this.root = root;
    this.modelName = root.get("model").asText();
    this.model = model;
    this.messages = messages;
    JsonNode mt =
        root.has("max_completion_tokens")
            ? root.get("max_completion_tokens")
            : root.get("max_tokens");
    this.maxTokens = mt == null || mt.isNull() ? null : mt.intValue();
    JsonNode nn = root.get("n");
    this.n = nn == null || nn.isNull() ? 1 : nn.intValue();
    List<String> st = new ArrayList<>();
    JsonNode s = root.get("stop");
    if (s != null && s.isTextual()) {
      st.add(s.asText());
    } else if (s != null && s.isArray()) {
      s.forEach(x -> st.add(x.asText()));
    }
    st.removeIf(String::isEmpty);
    this.stop = List.copyOf(st);
    this.stream = root.path("stream").asBoolean(false);
    this.includeUsage =
        stream && root.path("stream_options").path("include_usage").asBoolean(false);
    this.tools =
        root.get("tools") != null && root.get("tools").isArray() && root.get("tools").size() > 0
            ? root.get("tools")
            : null;
    this.toolChoice = root.get("tool_choice");
    JsonNode rf = root.get("response_format");
    this.responseFormat = rf == null || rf.isNull() ? null : rf;
    this.flex = "flex".equals(root.path("service_tier").asText(""));
  }

  /** The model name as sent. */
  public String modelName() {
    return modelName;
  }

  public Models.Model model() {
    return model;
  }

  public boolean stream() {
    return stream;
  }

  public boolean flex() {
    return flex;
  }

  /** What admission charges against TPM-out. */
  public int outputReservation() {
    return (maxTokens != null ? maxTokens : DEFAULT_OUTPUT_RESERVATION) * n;
  }

  /**
   * Parses and validates {@code body}.
   *
   * @throws ApiError 400 for a malformed or invalid request, 404 for an unknown model
   */
  public static ChatRequest parse(byte[] body) {
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(body);
    } catch (IOException e) {
      throw new ApiError(
          400,
          "invalid_request_error",
          "invalid_json",
          null,
          "We could not parse the JSON body of your request: " + firstLine(e.getMessage()));
    }
    if (node == null || !node.isObject()) {
      throw new ApiError(
          400,
          "invalid_request_error",
          "invalid_json",
          null,
          "The request body must be a JSON object.");
    }
    ObjectNode root = (ObjectNode) node;
    JsonNode model = root.get("model");
    if (model == null || !model.isTextual() || model.asText().isBlank()) {
      throw ApiError.badRequest("model", "You must provide a model parameter.");
    }
    JsonNode msgs = root.get("messages");
    if (msgs == null || !msgs.isArray() || msgs.isEmpty()) {
      throw ApiError.badRequest(
          "messages", "'messages' is required and must be a non-empty array of messages.");
    }
    List<Message> messages = new ArrayList<>();
    for (int i = 0; i < msgs.size(); i++) {
      messages.add(message(msgs.get(i), i));
    }
    range(root, "temperature", 0, 2);
    range(root, "top_p", 0, 1);
    range(root, "frequency_penalty", -2, 2);
    range(root, "presence_penalty", -2, 2);
    JsonNode n = root.get("n");
    if (n != null
        && !n.isNull()
        && (!n.canConvertToInt()
            || !n.isIntegralNumber()
            || n.intValue() < 1
            || n.intValue() > 16)) {
      throw ApiError.badRequest(
          "n", n + " is not valid for 'n': it must be an integer in [1, 16].");
    }
    for (String f : List.of("max_tokens", "max_completion_tokens")) {
      JsonNode mt = root.get(f);
      if (mt != null && !mt.isNull()) {
        if (!mt.isIntegralNumber()
            || !mt.canConvertToInt()
            || mt.intValue() < 1
            || mt.intValue() > Models.MAX_OUTPUT) {
          throw ApiError.badRequest(
              f,
              mt
                  + " is not valid for '"
                  + f
                  + "': it must be an integer in [1, "
                  + Models.MAX_OUTPUT
                  + "].");
        }
      }
    }
    JsonNode stop = root.get("stop");
    if (stop != null && !stop.isNull()) {
      boolean okStop = stop.isTextual();
      if (stop.isArray()) {
        okStop = stop.size() <= 16;
        for (JsonNode s : stop) {
          okStop &= s.isTextual();
        }
      }
      if (!okStop) {
        throw ApiError.badRequest(
            "stop", "'stop' must be a string or an array of at most 16 strings.");
      }
    }
    JsonNode stream = root.get("stream");
    if (stream != null && !stream.isNull() && !stream.isBoolean()) {
      throw ApiError.badRequest("stream", "'stream' must be a boolean.");
    }
    JsonNode tools = root.get("tools");
    if (tools != null && !tools.isNull()) {
      if (!tools.isArray()) {
        throw ApiError.badRequest("tools", "'tools' must be an array.");
      }
      for (int i = 0; i < tools.size(); i++) {
        JsonNode fn = tools.get(i).path("function");
        if (!fn.path("name").isTextual() || fn.path("name").asText().isBlank()) {
          throw ApiError.badRequest(
              "tools[" + i + "].function.name", "tools[" + i + "].function.name is required.");
        }
      }
    }
    JsonNode tc = root.get("tool_choice");
    if (tc != null && !tc.isNull()) {
      boolean hasTools = tools != null && tools.isArray() && !tools.isEmpty();
      if (tc.isTextual()) {
        String v = tc.asText();
        if (!Set.of("none", "auto", "required").contains(v)) {
          throw ApiError.badRequest(
              "tool_choice", "'tool_choice' must be none, auto, required or a function: " + v);
        }
        if (v.equals("required") && !hasTools) {
          throw ApiError.badRequest("tool_choice", "tool_choice 'required' needs 'tools'.");
        }
      } else if (tc.isObject()) {
        String name = tc.path("function").path("name").asText("");
        boolean found = false;
        if (hasTools) {
          for (JsonNode t : tools) {
            found |= name.equals(t.path("function").path("name").asText());
          }
        }
        if (!found) {
          throw ApiError.badRequest(
              "tool_choice", "tool_choice names a function that is not in 'tools': '" + name + "'");
        }
      } else {
        throw ApiError.badRequest("tool_choice", "'tool_choice' must be a string or an object.");
      }
    }
    JsonNode rf = root.get("response_format");
    if (rf != null && !rf.isNull()) {
      String type = rf.path("type").asText("");
      switch (type) {
        case "text", "json_object" -> {}
        case "json_schema" -> {
          if (!rf.path("json_schema").path("schema").isObject()) {
            throw ApiError.badRequest(
                "response_format",
                "response_format json_schema needs json_schema.schema (an object).");
          }
        }
        default ->
            throw ApiError.badRequest(
                "response_format.type",
                "response_format.type must be text, json_object or json_schema: '" + type + "'");
      }
    }
    Models.Model m = Models.find(model.asText());
    if (m == null) {
      throw ApiError.notFound("model_not_found", "Model '" + model.asText() + "' not found");
    }
    return new ChatRequest(root, m, messages);
  }

  private static Message message(JsonNode m, int i) {
    if (!m.isObject()) {
      throw ApiError.badRequest("messages[" + i + "]", "messages[" + i + "] must be an object.");
    }
    JsonNode role = m.get("role");
    if (role == null || !role.isTextual() || !ROLES.contains(role.asText())) {
      throw ApiError.badRequest(
          "messages[" + i + "].role",
          "Invalid role "
              + (role == null ? "(missing)" : role.toString())
              + " in messages["
              + i
              + "]: expected one of system, user, assistant, tool.");
    }
    String r = role.asText();
    JsonNode content = m.get("content");
    String text;
    if (content == null || content.isNull()) {
      boolean toolCalls = m.path("tool_calls").isArray() && !m.path("tool_calls").isEmpty();
      if (!(r.equals("assistant") && toolCalls)) {
        throw ApiError.badRequest(
            "messages[" + i + "].content", "messages[" + i + "].content is required.");
      }
      text = "";
    } else if (content.isTextual()) {
      text = content.asText();
    } else if (content.isArray()) {
      StringBuilder sb = new StringBuilder();
      for (JsonNode part : content) {
        if (part.isTextual()) {
          sb.append(part.asText());
        } else if ("text".equals(part.path("type").asText())) {
          sb.append(part.path("text").asText());
        }
      }
      text = sb.toString();
    } else {
      throw ApiError.badRequest(
          "messages[" + i + "].content",
          "messages[" + i + "].content must be a string or an array of parts.");
    }
    if (r.equals("tool") && !m.path("tool_call_id").isTextual()) {
      throw ApiError.badRequest(
          "messages[" + i + "].tool_call_id",
          "messages[" + i + "] has role 'tool' and needs a tool_call_id.");
    }
    StringBuilder calls = new StringBuilder();
    if (m.path("tool_calls").isArray()) {
      for (JsonNode c : m.get("tool_calls")) {
        calls.append(c.path("function").path("name").asText());
        calls.append(c.path("function").path("arguments").asText());
      }
    }
    return new Message(r, text, calls.toString());
  }

  private static void range(ObjectNode root, String field, double min, double max) {
    JsonNode v = root.get(field);
    if (v == null || v.isNull()) {
      return;
    }
    if (!v.isNumber() || v.doubleValue() < min || v.doubleValue() > max) {
      throw ApiError.badRequest(
          field,
          v
              + " is not valid for '"
              + field
              + "': it must be a number in ["
              + fmt(min)
              + ", "
              + fmt(max)
              + "].");
    }
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "malformed JSON";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /**
   * The prompt as token ids, used for counting and the prefix cache: each message is 4 marker ids
   * (negative, encoding its role) followed by its content tokens (and its tool calls' names and
   * arguments); then the tools' JSON when tools are given. {@code promptTokens = ids + 3}.
   */
  IntArrayList promptIds(TokenCounter tokens) {
    IntArrayList ids = new IntArrayList();
    for (Message m : messages) {
      int roleId = -1 - List.of("system", "user", "assistant", "tool").indexOf(m.role());
      ids.add(-100);
      ids.add(roleId);
      ids.add(-101);
      ids.add(-102);
      tokens.encode(m.text(), ids);
      tokens.encode(m.toolCallsText(), ids);
    }
    if (tools != null) {
      tokens.encode(Json.string(tools), ids);
    }
    return ids;
  }

  /** Text of the last message with role user, or "". */
  String lastUserText() {
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (messages.get(i).role().equals("user")) {
        return messages.get(i).text();
      }
    }
    return "";
  }

  /** The request as it determines the answer: the body without stream and tier fields. */
  long contentHash() {
    ObjectNode copy = root.deepCopy();
    copy.remove(List.of("stream", "stream_options", "service_tier", "user", "metadata"));
    String s = Json.string(copy);
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= 0x100000001b3L;
    }
    return h;
  }
}
