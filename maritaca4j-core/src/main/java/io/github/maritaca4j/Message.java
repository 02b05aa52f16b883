package io.github.maritaca4j;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One chat message. Immutable and thread-safe.
 *
 * <p>Create messages with the factory methods: {@link #system(String)}, {@link #user(String)},
 * {@link #user(List)} (text and images), {@link #assistant(String)}, {@link #assistant(String,
 * List)} (with tool calls) and {@link #tool(String, String)} (a tool's result).
 *
 * @param role who wrote it
 * @param content the content parts; empty for an assistant message that only calls tools
 * @param name optional participant name; may be null
 * @param toolCalls the tool calls of an assistant message; empty otherwise
 * @param toolCallId for a {@link Role#TOOL} message, the id of the call it answers; null otherwise
 */
public record Message(
    Role role,
    List<ContentPart> content,
    String name,
    List<ToolCall> toolCalls,
    String toolCallId) {

  public Message {
    Objects.requireNonNull(role, "role");
    content = content == null ? List.of() : List.copyOf(content);
    toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    if (role == Role.TOOL && (toolCallId == null || toolCallId.isBlank())) {
      throw new IllegalArgumentException("a tool message needs the toolCallId it answers");
    }
    if (!toolCalls.isEmpty() && role != Role.ASSISTANT) {
      throw new IllegalArgumentException("only assistant messages carry tool calls, not " + role);
    }
    if (role != Role.USER) {
      for (ContentPart p : content) {
        if (p instanceof ContentPart.Image) {
          throw new IllegalArgumentException("only user messages may carry images, not " + role);
        }
      }
    }
  }

  /** A system message. */
  public static Message system(String text) {
    return new Message(Role.SYSTEM, List.of(ContentPart.text(text)), null, null, null);
  }

  /** A user message with plain text. */
  public static Message user(String text) {
    return new Message(Role.USER, List.of(ContentPart.text(text)), null, null, null);
  }

  /** A user message with several parts (text and images, for vision). */
  public static Message user(List<ContentPart> parts) {
    if (parts == null || parts.isEmpty()) {
      throw new IllegalArgumentException("a user message needs at least one content part");
    }
    return new Message(Role.USER, parts, null, null, null);
  }

  /** An assistant message with text (a previous answer, for multi-turn conversations). */
  public static Message assistant(String text) {
    return new Message(Role.ASSISTANT, List.of(ContentPart.text(text)), null, null, null);
  }

  /** An assistant message that calls tools; {@code text} may be null. */
  public static Message assistant(String text, List<ToolCall> toolCalls) {
    return new Message(
        Role.ASSISTANT,
        text == null ? List.of() : List.of(ContentPart.text(text)),
        null,
        toolCalls,
        null);
  }

  /** A tool's result, answering the call with id {@code toolCallId}. */
  public static Message tool(String toolCallId, String result) {
    return new Message(Role.TOOL, List.of(ContentPart.text(result)), null, null, toolCallId);
  }

  /** A copy with the given participant name. */
  public Message withName(String name) {
    return new Message(role, content, name, toolCalls, toolCallId);
  }

  /** The text parts joined together; an empty string when there are none. */
  public String text() {
    if (content.size() == 1 && content.get(0) instanceof ContentPart.Text t) {
      return t.text();
    }
    return content.stream()
        .filter(ContentPart.Text.class::isInstance)
        .map(p -> ((ContentPart.Text) p).text())
        .collect(Collectors.joining());
  }

  /** Whether any part is an image. */
  public boolean hasImages() {
    for (ContentPart p : content) {
      if (p instanceof ContentPart.Image) {
        return true;
      }
    }
    return false;
  }
}
