package io.github.maritaca4j;

import java.util.Objects;

/**
 * Whether and which tool the model must call. Immutable.
 *
 * <p>{@link #NONE}, {@link #AUTO}, {@link #REQUIRED}, or {@link #function(String)} to force one.
 */
public record ToolChoice(String mode, String functionName) {

  /** The model must not call tools. */
  public static final ToolChoice NONE = new ToolChoice("none", null);

  /** The model decides (the server's default when tools are given). */
  public static final ToolChoice AUTO = new ToolChoice("auto", null);

  /** The model must call at least one tool. */
  public static final ToolChoice REQUIRED = new ToolChoice("required", null);

  public ToolChoice {
    Objects.requireNonNull(mode, "mode");
    switch (mode) {
      case "none", "auto", "required" -> {
        if (functionName != null) {
          throw new IllegalArgumentException("mode '" + mode + "' takes no function name");
        }
      }
      case "function" -> Objects.requireNonNull(functionName, "functionName");
      default ->
          throw new IllegalArgumentException(
              "unknown tool choice mode '" + mode + "' (none, auto, required or function)");
    }
  }

  /** Forces a call of the named function. */
  public static ToolChoice function(String name) {
    return new ToolChoice("function", name);
  }
}
