package io.github.maritaca4j.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.image.Image;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.CustomMessage;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import io.github.maritaca4j.ChatRequest;
import io.github.maritaca4j.ChatResult;
import io.github.maritaca4j.ContentPart;
import io.github.maritaca4j.Message;
import io.github.maritaca4j.ResponseFormat;
import io.github.maritaca4j.ServiceTier;
import io.github.maritaca4j.Tool;
import io.github.maritaca4j.ToolCall;
import io.github.maritaca4j.ToolChoice;
import java.util.ArrayList;
import java.util.List;

/**
 * Converts between LangChain4j's types and maritaca4j's: messages, request parameters, tools,
 * response formats and responses. Stateless.
 */
final class Mapping {
  /** The schema name sent when a LangChain4j {@code JsonSchema} has none. */
  static final String DEFAULT_SCHEMA_NAME = "response";

  private Mapping() {}

  // ---- messages

  /**
   * The messages in maritaca4j's form.
   *
   * @throws UnsupportedFeatureException for content the API cannot take (audio, video, PDF, custom
   *     messages)
   * @throws IllegalArgumentException for a message the API would reject (a tool result without id)
   */
  static List<Message> toMessages(List<ChatMessage> messages) {
    List<Message> out = new ArrayList<>(messages.size());
    for (ChatMessage m : messages) {
      out.add(toMessage(m, false));
    }
    return out;
  }

  /**
   * One message in maritaca4j's form. When {@code lenient} (for token counting), content the API
   * cannot take is skipped instead of rejected.
   */
  static Message toMessage(ChatMessage m, boolean lenient) {
    if (m instanceof SystemMessage s) {
      return Message.system(s.text());
    }
    if (m instanceof UserMessage u) {
      List<ContentPart> parts = new ArrayList<>();
      for (Content c : u.contents()) {
        if (c instanceof TextContent t) {
          parts.add(ContentPart.text(t.text()));
        } else if (c instanceof ImageContent i) {
          parts.add(image(i));
        } else if (!lenient) {
          throw new UnsupportedFeatureException(
              "Maritaca does not accept " + c.type() + " content in user messages");
        }
      }
      if (parts.isEmpty()) {
        parts.add(ContentPart.text(""));
      }
      Message msg = Message.user(parts);
      return u.name() == null ? msg : msg.withName(u.name());
    }
    if (m instanceof AiMessage a) {
      List<ToolCall> calls = new ArrayList<>();
      for (ToolExecutionRequest r : a.toolExecutionRequests()) {
        calls.add(new ToolCall(r.id(), r.name(), r.arguments()));
      }
      if (calls.isEmpty()) {
        return Message.assistant(a.text() == null ? "" : a.text());
      }
      return Message.assistant(a.text() == null || a.text().isEmpty() ? null : a.text(), calls);
    }
    if (m instanceof ToolExecutionResultMessage t) {
      String id = t.id();
      if (id == null || id.isBlank()) {
        if (!lenient) {
          throw new IllegalArgumentException(
              "the tool result for '" + t.toolName() + "' has no id of the call it answers");
        }
        id = "unknown";
      }
      return Message.tool(id, toolResultText(t, lenient));
    }
    if (m instanceof CustomMessage c && lenient) {
      return Message.user(String.valueOf(c.attributes()));
    }
    throw new UnsupportedFeatureException(
        "Maritaca does not accept messages of type "
            + (m == null ? "null" : m.type() + " (" + m.getClass().getName() + ")"));
  }

  private static String toolResultText(ToolExecutionResultMessage t, boolean lenient) {
    if (t.hasSingleText()) {
      return t.text();
    }
    StringBuilder sb = new StringBuilder();
    for (Content c : t.contents()) {
      if (c instanceof TextContent tc) {
        sb.append(tc.text());
      } else if (!lenient) {
        throw new UnsupportedFeatureException(
            "Maritaca accepts only text in tool results, not " + c.type());
      }
    }
    return sb.toString();
  }

  private static ContentPart.Image image(ImageContent content) {
    Image image = content.image();
    ContentPart.Image part;
    if (image.url() != null) {
      part = ContentPart.imageUrl(image.url().toString());
    } else if (image.base64Data() != null) {
      String mime = image.mimeType() == null ? "image/png" : image.mimeType();
      part = ContentPart.imageUrl("data:" + mime + ";base64," + image.base64Data());
    } else {
      throw new IllegalArgumentException("an image needs a URL or base64 data");
    }
    if (content.detailLevel() != null) {
      switch (content.detailLevel()) {
        case LOW -> part = part.withDetail("low");
        case HIGH -> part = part.withDetail("high");
        case AUTO -> part = part.withDetail("auto");
        default -> {
          // MEDIUM, ULTRA_HIGH: no OpenAI-style equivalent; let the server decide
        }
      }
    }
    return part;
  }

  // ---- request parameters

  /**
   * Applies the non-null LangChain4j parameters onto {@code b} (which holds the client's defaults)
   * and builds the request.
   *
   * @throws UnsupportedFeatureException for {@code topK}, which the API does not have
   * @throws IllegalArgumentException or IllegalStateException for a value the request rejects
   */
  static ChatRequest toRequest(
      ChatRequest.Builder b, ChatRequestParameters p, boolean strictJsonSchema) {
    if (p == null) {
      return b.build();
    }
    if (p.topK() != null) {
      throw new UnsupportedFeatureException("'topK' parameter is not supported by Maritaca");
    }
    if (p.modelName() != null) {
      b.model(p.modelName());
    }
    if (p.temperature() != null) {
      b.temperature(p.temperature());
    }
    if (p.topP() != null) {
      b.topP(p.topP());
    }
    if (p.maxOutputTokens() != null) {
      b.maxTokens(p.maxOutputTokens());
    }
    if (p.stopSequences() != null && !p.stopSequences().isEmpty()) {
      b.stop(p.stopSequences());
    }
    if (p.frequencyPenalty() != null) {
      b.frequencyPenalty(p.frequencyPenalty());
    }
    if (p.presencePenalty() != null) {
      b.presencePenalty(p.presencePenalty());
    }
    if (p instanceof MaritacaChatRequestParameters mp && mp.serviceTier() != null) {
      b.serviceTier(mp.serviceTier());
    }
    if (p.toolSpecifications() != null && !p.toolSpecifications().isEmpty()) {
      b.tools(toTools(p.toolSpecifications()));
    }
    if (p.responseFormat() != null) {
      b.responseFormat(toResponseFormat(p.responseFormat(), strictJsonSchema));
    }
    if (p.toolChoice() != null) {
      b.toolChoice(toToolChoice(p.toolChoice()));
    }
    ChatRequest r = b.build();
    if (r.toolChoice() != null && r.tools().isEmpty()) {
      // OpenAI-style servers reject a tool_choice without tools: "required" is an error, the
      // others mean nothing without tools
      if (ToolChoice.REQUIRED.equals(r.toolChoice())) {
        throw new IllegalStateException("tool choice REQUIRED needs at least one tool");
      }
      r = r.toBuilder().toolChoice(null).build();
    }
    return r;
  }

  static List<Tool> toTools(List<ToolSpecification> specs) {
    List<Tool> tools = new ArrayList<>(specs.size());
    for (ToolSpecification s : specs) {
      tools.add(Tool.function(s.name(), s.description(), JsonSchemas.parameters(s.parameters())));
    }
    return tools;
  }

  static ToolChoice toToolChoice(dev.langchain4j.model.chat.request.ToolChoice choice) {
    return switch (choice) {
      case AUTO -> ToolChoice.AUTO;
      case REQUIRED -> ToolChoice.REQUIRED;
      case NONE -> ToolChoice.NONE;
    };
  }

  /** The response format; null for plain text. */
  static ResponseFormat toResponseFormat(
      dev.langchain4j.model.chat.request.ResponseFormat format, boolean strict) {
    if (format.type() == ResponseFormatType.TEXT) {
      return null;
    }
    JsonSchema schema = format.jsonSchema();
    if (schema == null) {
      return ResponseFormat.JSON_OBJECT;
    }
    String name =
        schema.name() == null || schema.name().isBlank() ? DEFAULT_SCHEMA_NAME : schema.name();
    return new ResponseFormat(
        "json_schema", name, JsonSchemas.toMap(schema.rootElement(), strict), strict);
  }

  /**
   * The LangChain4j view of a client's default request (model, sampling parameters, stop sequences,
   * service tier). Tools, tool choice and response format are not included: they are not
   * convertible back.
   */
  static MaritacaChatRequestParameters fromDefaults(ChatRequest d) {
    return MaritacaChatRequestParameters.builder()
        .modelName(d.model())
        .temperature(d.temperature())
        .topP(d.topP())
        .maxOutputTokens(d.maxTokens())
        .stopSequences(d.stop().isEmpty() ? null : d.stop())
        .frequencyPenalty(d.frequencyPenalty())
        .presencePenalty(d.presencePenalty())
        .serviceTier(d.serviceTier() == ServiceTier.STANDARD ? null : d.serviceTier())
        .build();
  }

  /** Parameters of any kind as {@link MaritacaChatRequestParameters}. */
  static MaritacaChatRequestParameters maritaca(ChatRequestParameters p) {
    if (p instanceof MaritacaChatRequestParameters mp) {
      return mp;
    }
    return MaritacaChatRequestParameters.builder()
        .overrideWith(p == null ? DefaultChatRequestParameters.EMPTY : p)
        .build();
  }

  // ---- responses

  /** The LangChain4j response for a result of {@code request}. */
  static ChatResponse toResponse(ChatResult r, ChatRequest request) {
    return toResponse(r, request.model(), request.serviceTier());
  }

  /** The LangChain4j response for a result of a request to {@code model} in {@code tier}. */
  static ChatResponse toResponse(ChatResult r, String model, ServiceTier tier) {
    return ChatResponse.builder()
        .aiMessage(toAiMessage(r))
        .metadata(metadata(r, model, tier))
        .build();
  }

  static AiMessage toAiMessage(ChatResult r) {
    List<ToolExecutionRequest> calls = new ArrayList<>();
    for (ToolCall c : r.toolCalls()) {
      calls.add(toToolExecutionRequest(c));
    }
    String text = r.content();
    if (text.isEmpty() && !calls.isEmpty()) {
      text = null;
    }
    return AiMessage.builder().text(text).toolExecutionRequests(calls).build();
  }

  static ToolExecutionRequest toToolExecutionRequest(ToolCall c) {
    return ToolExecutionRequest.builder()
        .id(c.id())
        .name(c.name())
        .arguments(c.arguments())
        .build();
  }

  static MaritacaChatResponseMetadata metadata(ChatResult r, String model, ServiceTier tier) {
    return MaritacaChatResponseMetadata.builder()
        .id(r.id())
        .modelName(r.model() != null ? r.model() : model)
        .tokenUsage(MaritacaTokenUsage.from(r.usage()))
        .finishReason(finishReason(r.finishReason()))
        .created(r.created() == 0 ? null : r.created())
        .systemFingerprint(r.systemFingerprint())
        .requestId(r.requestId())
        .attempts(r.attempts())
        .latency(r.latency())
        .serviceTier(tier)
        .cost(r.cost().orElse(null))
        .rateLimitStatus(r.rateLimitStatus().orElse(null))
        .build();
  }

  static FinishReason finishReason(io.github.maritaca4j.FinishReason f) {
    if (f == null) {
      return null;
    }
    return switch (f) {
      case STOP -> FinishReason.STOP;
      case LENGTH -> FinishReason.LENGTH;
      case TOOL_CALLS -> FinishReason.TOOL_EXECUTION;
      case CONTENT_FILTER -> FinishReason.CONTENT_FILTER;
      case OTHER -> FinishReason.OTHER;
    };
  }
}
