package io.github.maritaca4j.springai;

import io.github.maritaca4j.ChatRequest;
import io.github.maritaca4j.ChatResult;
import io.github.maritaca4j.Choice;
import io.github.maritaca4j.ContentPart;
import io.github.maritaca4j.FinishReason;
import io.github.maritaca4j.Message;
import io.github.maritaca4j.ResponseFormat;
import io.github.maritaca4j.ServiceTier;
import io.github.maritaca4j.Tool;
import io.github.maritaca4j.ToolCall;
import io.github.maritaca4j.ToolChoice;
import java.net.URI;
import java.net.URL;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.metadata.EmptyRateLimit;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.content.Media;
import org.springframework.ai.model.tool.ToolCallingManager;
import org.springframework.ai.tool.definition.ToolDefinition;

/**
 * Converts between Spring AI's types and maritaca4j's: messages, options, tool definitions and
 * responses. Stateless.
 */
final class Mapping {
  /** The schema name sent with a structured-output schema from {@code ChatClient}. */
  static final String SCHEMA_NAME = "response";

  /** Keys of the response metadata this module adds beside id, model, usage and rate limit. */
  static final String CREATED = "created";

  static final String SYSTEM_FINGERPRINT = "system-fingerprint";
  static final String REQUEST_ID = "request-id";
  static final String ATTEMPTS = "attempts";
  static final String LATENCY = "latency";
  static final String COST = "cost";
  static final String SERVICE_TIER = "service-tier";

  private Mapping() {}

  // ---- messages

  /**
   * The messages in maritaca4j's form (a tool response message becomes one tool message per
   * response).
   *
   * @throws IllegalArgumentException for a message or media the API cannot take
   */
  static List<Message> toMessages(List<org.springframework.ai.chat.messages.Message> messages) {
    List<Message> out = new ArrayList<>(messages.size());
    for (org.springframework.ai.chat.messages.Message m : messages) {
      if (m instanceof SystemMessage s) {
        out.add(Message.system(text(s.getText())));
      } else if (m instanceof UserMessage u) {
        out.add(user(u));
      } else if (m instanceof AssistantMessage a) {
        out.add(assistant(a));
      } else if (m instanceof ToolResponseMessage t) {
        for (ToolResponseMessage.ToolResponse r : t.getResponses()) {
          if (r.id() == null || r.id().isBlank()) {
            throw new IllegalArgumentException(
                "the tool response of '" + r.name() + "' has no id of the call it answers");
          }
          out.add(Message.tool(r.id(), text(r.responseData())));
        }
      } else {
        throw new IllegalArgumentException(
            "Maritaca does not accept messages of type "
                + (m == null ? "null" : m.getMessageType() + " (" + m.getClass().getName() + ")"));
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("a prompt needs at least one message");
    }
    return out;
  }

  private static String text(String s) {
    return s == null ? "" : s;
  }

  private static Message user(UserMessage u) {
    if (u.getMedia().isEmpty()) {
      return Message.user(text(u.getText()));
    }
    List<ContentPart> parts = new ArrayList<>();
    if (u.getText() != null && !u.getText().isEmpty()) {
      parts.add(ContentPart.text(u.getText()));
    }
    for (Media media : u.getMedia()) {
      parts.add(image(media));
    }
    return Message.user(parts);
  }

  private static ContentPart image(Media media) {
    String mime = media.getMimeType().toString();
    if (!"image".equals(media.getMimeType().getType())) {
      throw new IllegalArgumentException(
          "Maritaca accepts only images in user messages, not " + mime);
    }
    Object data = media.getData();
    if (data instanceof byte[] bytes) {
      return ContentPart.imageBase64(mime, bytes);
    }
    if (data instanceof String || data instanceof URI || data instanceof URL) {
      return ContentPart.imageUrl(data.toString());
    }
    throw new IllegalArgumentException(
        "an image needs bytes or a URL, not " + (data == null ? "null" : data.getClass()));
  }

  private static Message assistant(AssistantMessage a) {
    String text = a.getText();
    if (!a.hasToolCalls()) {
      return Message.assistant(text(text));
    }
    List<ToolCall> calls = new ArrayList<>(a.getToolCalls().size());
    for (AssistantMessage.ToolCall c : a.getToolCalls()) {
      calls.add(new ToolCall(c.id(), c.name(), c.arguments()));
    }
    return Message.assistant(text == null || text.isEmpty() ? null : text, calls);
  }

  // ---- requests

  /**
   * The request: the client's defaults, then every option {@code options} sets, the tool
   * definitions the manager resolves from its callbacks, and the messages.
   *
   * @throws IllegalArgumentException or IllegalStateException for a request the API would reject
   */
  static ChatRequest toRequest(
      ChatRequest defaults,
      List<Message> messages,
      MaritacaChatOptions options,
      ToolCallingManager toolCallingManager) {
    ChatRequest.Builder b = defaults.toBuilder().messages(messages);
    if (options.getModel() != null) {
      b.model(options.getModel());
    }
    if (options.getTemperature() != null) {
      b.temperature(options.getTemperature());
    }
    if (options.getMaxTokens() != null) {
      b.maxTokens(options.getMaxTokens());
    }
    if (options.getTopP() != null) {
      b.topP(options.getTopP());
    }
    if (options.getStopSequences() != null) {
      b.stop(options.getStopSequences());
    }
    if (options.getFrequencyPenalty() != null) {
      b.frequencyPenalty(options.getFrequencyPenalty());
    }
    if (options.getPresencePenalty() != null) {
      b.presencePenalty(options.getPresencePenalty());
    }
    if (options.getServiceTier() != null) {
      b.serviceTier(options.getServiceTier());
    }
    if (options.getOutputSchema() != null && !options.getOutputSchema().isBlank()) {
      b.responseFormat(ResponseFormat.jsonSchema(SCHEMA_NAME, options.getOutputSchema()));
    } else if (options.getResponseFormat() != null) {
      b.responseFormat(options.getResponseFormat());
    }
    List<ToolDefinition> definitions = toolCallingManager.resolveToolDefinitions(options);
    if (!definitions.isEmpty()) {
      List<Tool> tools = new ArrayList<>(definitions.size());
      for (ToolDefinition d : definitions) {
        tools.add(Tool.functionJson(d.name(), d.description(), d.inputSchema()));
      }
      b.tools(tools);
    }
    if (options.getToolChoice() != null) {
      b.toolChoice(options.getToolChoice());
    }
    ChatRequest r = b.build();
    if (r.toolChoice() != null && r.tools().isEmpty()) {
      // OpenAI-style servers reject a tool_choice without tools
      if (ToolChoice.REQUIRED.equals(r.toolChoice())) {
        throw new IllegalStateException("tool choice 'required' needs at least one tool");
      }
      r = r.toBuilder().toolChoice(null).build();
    }
    return r;
  }

  /** The client's defaults as options (model, sampling, stop, penalties, tier, format). */
  static MaritacaChatOptions fromDefaults(ChatRequest d) {
    return MaritacaChatOptions.builder()
        .model(d.model())
        .temperature(d.temperature())
        .maxTokens(d.maxTokens())
        .topP(d.topP())
        .stopSequences(d.stop().isEmpty() ? null : d.stop())
        .frequencyPenalty(d.frequencyPenalty())
        .presencePenalty(d.presencePenalty())
        .serviceTier(d.serviceTier() == ServiceTier.STANDARD ? null : d.serviceTier())
        .responseFormat(d.responseFormat())
        .toolChoice(d.toolChoice())
        .build();
  }

  // ---- responses

  /** The Spring AI response for a result of {@code request}: one generation per choice. */
  static ChatResponse toResponse(ChatResult r, ChatRequest request) {
    List<Generation> generations = new ArrayList<>(r.choices().size());
    for (Choice c : r.choices()) {
      generations.add(generation(c.message(), c.finishReason(), r.id(), c.index(), true));
    }
    if (generations.isEmpty()) {
      generations.add(generation(r.message(), r.finishReason(), r.id(), 0, true));
    }
    return new ChatResponse(generations, metadata(r, request));
  }

  /**
   * The last response of a stream of {@code request}: no text (the pieces carried it), the first
   * choice's complete tool calls and finish reason, and the metadata.
   */
  static ChatResponse toLastChunk(ChatResult r, ChatRequest request) {
    return new ChatResponse(
        List.of(generation(r.message(), r.finishReason(), r.id(), 0, false)), metadata(r, request));
  }

  static Generation generation(
      Message m, FinishReason finish, String id, int index, boolean withText) {
    Map<String, Object> properties = new LinkedHashMap<>();
    if (id != null) {
      properties.put("id", id);
    }
    properties.put("index", index);
    if (finish != null) {
      properties.put("finishReason", finishReason(finish));
    }
    List<AssistantMessage.ToolCall> calls = new ArrayList<>(m == null ? 0 : m.toolCalls().size());
    if (m != null) {
      for (ToolCall c : m.toolCalls()) {
        calls.add(new AssistantMessage.ToolCall(c.id(), "function", c.name(), c.arguments()));
      }
    }
    AssistantMessage message =
        AssistantMessage.builder()
            .content(m == null || !withText ? "" : m.text())
            .properties(properties)
            .toolCalls(calls)
            .build();
    return new Generation(
        message, ChatGenerationMetadata.builder().finishReason(finishReason(finish)).build());
  }

  /** Spring AI's finish reason names, as OpenAI's providers report them ({@code STOP}...). */
  static String finishReason(FinishReason f) {
    return f == null ? null : f.name().toUpperCase(Locale.ROOT);
  }

  static ChatResponseMetadata metadata(ChatResult r, ChatRequest request) {
    ChatResponseMetadata.Builder b =
        ChatResponseMetadata.builder()
            .id(r.id() == null ? "" : r.id())
            .model(r.model() != null ? r.model() : request.model())
            .usage(usage(r.usage()))
            .rateLimit(
                r.rateLimitStatus()
                    .<org.springframework.ai.chat.metadata.RateLimit>map(MaritacaRateLimit::new)
                    .orElseGet(EmptyRateLimit::new))
            .keyValue(ATTEMPTS, r.attempts())
            .keyValue(SERVICE_TIER, request.serviceTier().name().toLowerCase(Locale.ROOT));
    if (r.created() != 0) {
      b.keyValue(CREATED, r.created());
    }
    b.keyValue(SYSTEM_FINGERPRINT, r.systemFingerprint());
    b.keyValue(REQUEST_ID, r.requestId());
    b.keyValue(LATENCY, r.latency());
    r.cost().ifPresent(c -> b.keyValue(COST, c));
    return b.build();
  }

  /**
   * Spring AI's usage: token counts, cached input tokens as {@code cacheReadInputTokens}, and the
   * maritaca4j {@link io.github.maritaca4j.Usage} as the native usage.
   */
  static DefaultUsage usage(io.github.maritaca4j.Usage u) {
    return new DefaultUsage(
        toInt(u.promptTokens()),
        toInt(u.completionTokens()),
        toInt(u.totalTokens()),
        u,
        u.cachedPromptTokens(),
        null);
  }

  private static int toInt(long v) {
    return (int) Math.min(Integer.MAX_VALUE, v);
  }
}
