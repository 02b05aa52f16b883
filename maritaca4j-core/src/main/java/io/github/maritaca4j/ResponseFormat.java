package io.github.maritaca4j;

import java.util.Map;
import java.util.Objects;

/**
 * The shape of the answer: plain text, any JSON object, or JSON that follows a schema (structured
 * outputs). Immutable.
 *
 * @param type {@code text}, {@code json_object} or {@code json_schema}
 * @param name the schema's name (json_schema only)
 * @param schema the JSON Schema as nested maps (json_schema only)
 * @param strict whether the server should follow the schema strictly (json_schema only)
 */
public record ResponseFormat(String type, String name, Map<String, Object> schema, boolean strict) {

  /** Plain text (the default). */
  public static final ResponseFormat TEXT = new ResponseFormat("text", null, null, false);

  /** Any JSON object. */
  public static final ResponseFormat JSON_OBJECT =
      new ResponseFormat("json_object", null, null, false);

  public ResponseFormat {
    Objects.requireNonNull(type, "type");
    switch (type) {
      case "text", "json_object" -> {}
      case "json_schema" -> {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(schema, "schema");
        schema = Map.copyOf(schema);
      }
      default ->
          throw new IllegalArgumentException(
              "unknown response format '" + type + "' (text, json_object or json_schema)");
    }
  }

  /** Structured output following {@code schema} (maps as Jackson reads JSON), strict. */
  public static ResponseFormat jsonSchema(String name, Map<String, Object> schema) {
    return new ResponseFormat("json_schema", name, schema, true);
  }

  /** Structured output following a schema given as JSON text, strict. */
  public static ResponseFormat jsonSchema(String name, String schemaJson) {
    return new ResponseFormat(
        "json_schema", name, io.github.maritaca4j.internal.Json.parseObject(schemaJson), true);
  }
}
