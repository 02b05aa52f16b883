package io.github.maritaca4j;

import java.util.Map;
import java.util.Objects;

/**
 * A function the model may call (OpenAI-style function calling). Immutable.
 *
 * @param name the function name ({@code [a-zA-Z0-9_-]}, at most 64 characters)
 * @param description what the function does, for the model; may be null
 * @param parameters a JSON Schema for the arguments, as nested maps and lists (as Jackson would
 *     read it); an empty map means no parameters
 */
public record Tool(String name, String description, Map<String, Object> parameters) {
  public Tool {
    Objects.requireNonNull(name, "name");
    if (!name.matches("[a-zA-Z0-9_-]{1,64}")) {
      throw new IllegalArgumentException(
          "tool name '" + name + "' must be 1-64 characters of a-z, A-Z, 0-9, _ or -");
    }
    parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
  }

  /** A function tool whose parameters schema is given as maps. */
  public static Tool function(String name, String description, Map<String, Object> parameters) {
    return new Tool(name, description, parameters);
  }

  /**
   * A function tool whose parameters schema is given as JSON text.
   *
   * @throws IllegalArgumentException if {@code parametersJson} is not a JSON object
   */
  public static Tool functionJson(String name, String description, String parametersJson) {
    return new Tool(
        name, description, io.github.maritaca4j.internal.Json.parseObject(parametersJson));
  }
}
