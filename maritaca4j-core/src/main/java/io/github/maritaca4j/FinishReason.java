package io.github.maritaca4j;

/** Why the model stopped generating. */
public enum FinishReason {
  /** A natural end or a stop sequence. */
  STOP,
  /** The {@code max_tokens} limit was reached: the answer is cut. */
  LENGTH,
  /** The model called tools. */
  TOOL_CALLS,
  /** Content was filtered. */
  CONTENT_FILTER,
  /** The server sent no reason, or one this library does not know. */
  OTHER;

  /** Maps a wire value ({@code "stop"}, {@code "length"}, ...); unknown or null gives OTHER. */
  public static FinishReason fromWire(String value) {
    if (value == null) {
      return OTHER;
    }
    return switch (value) {
      case "stop" -> STOP;
      case "length" -> LENGTH;
      case "tool_calls", "function_call" -> TOOL_CALLS;
      case "content_filter" -> CONTENT_FILTER;
      default -> OTHER;
    };
  }
}
