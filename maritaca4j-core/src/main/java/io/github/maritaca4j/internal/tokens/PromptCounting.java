package io.github.maritaca4j.internal.tokens;

import io.github.maritaca4j.ChatRequest;
import io.github.maritaca4j.ContentPart;
import io.github.maritaca4j.Message;
import io.github.maritaca4j.ResponseFormat;
import io.github.maritaca4j.Tool;
import io.github.maritaca4j.ToolCall;
import io.github.maritaca4j.cost.TokenCounter;
import io.github.maritaca4j.cost.TokenOverhead;
import io.github.maritaca4j.internal.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How requests and messages are counted, on top of a text counter. Internal API. */
public final class PromptCounting {

  private PromptCounting() {}

  /** Tokens of the messages: text, names, tool calls, images, and the per-message framing. */
  public static long messages(TokenCounter counter, List<Message> messages) {
    long total = 0;
    for (Message m : messages) {
      total += message(counter, m);
    }
    return total;
  }

  /** Tokens of one message. */
  public static long message(TokenCounter counter, Message m) {
    long t = TokenOverhead.PER_MESSAGE;
    for (ContentPart p : m.content()) {
      if (p instanceof ContentPart.Text text) {
        t += counter.count(text.text());
      } else if (p instanceof ContentPart.Image image) {
        t +=
            "low".equalsIgnoreCase(image.detail())
                ? TokenOverhead.IMAGE_LOW_DETAIL
                : TokenOverhead.IMAGE;
      }
    }
    if (m.name() != null && !m.name().isEmpty()) {
      t += TokenOverhead.PER_NAME + counter.count(m.name());
    }
    for (ToolCall call : m.toolCalls()) {
      t +=
          TokenOverhead.PER_TOOL_CALL
              + counter.count(call.name())
              + counter.count(call.arguments());
    }
    if (m.toolCallId() != null) {
      t += TokenOverhead.PER_TOOL_RESULT + counter.count(m.toolCallId());
    }
    return t;
  }

  /** Tokens of the whole prompt: messages, tools, response schema and the reply priming. */
  public static long request(TokenCounter counter, ChatRequest request) {
    long t = counter.countMessages(request.messages()) + TokenOverhead.REPLY_PRIMING;
    List<Tool> tools = request.tools();
    if (!tools.isEmpty()) {
      t += TokenOverhead.TOOLS_PREAMBLE;
      for (Tool tool : tools) {
        t += TokenOverhead.PER_TOOL + counter.count(toolJson(tool));
      }
    }
    ResponseFormat rf = request.responseFormat();
    if (rf != null && "json_schema".equals(rf.type())) {
      Map<String, Object> js = new LinkedHashMap<>();
      js.put("name", rf.name());
      js.put("schema", rf.schema());
      js.put("strict", rf.strict());
      t += TokenOverhead.RESPONSE_SCHEMA + counter.count(Json.write(js));
    }
    return t;
  }

  /** The tool as it is sent: {@code {"type":"function","function":{...}}}. */
  static String toolJson(Tool tool) {
    Map<String, Object> fn = new LinkedHashMap<>();
    fn.put("name", tool.name());
    if (tool.description() != null) {
      fn.put("description", tool.description());
    }
    fn.put("parameters", tool.parameters());
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("type", "function");
    t.put("function", fn);
    return Json.write(t);
  }
}
