package io.github.maritaca4j;

import java.util.Objects;

/**
 * A function call requested by the model. Immutable.
 *
 * @param id the call id, echoed back in the {@link Message#tool(String, String) tool message}
 * @param name the function name
 * @param arguments the arguments as a JSON text, exactly as the model produced them (it may be
 *     invalid JSON: models make mistakes)
 */
public record ToolCall(String id, String name, String arguments) {
  public ToolCall {
    Objects.requireNonNull(name, "name");
    arguments = arguments == null ? "" : arguments;
  }
}
