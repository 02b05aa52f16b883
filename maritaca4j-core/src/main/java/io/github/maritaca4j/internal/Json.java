package io.github.maritaca4j.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/** The shared Jackson mapper and small JSON helpers. Internal API. */
public final class Json {
  /** Thread-safe once configured; never reconfigured. */
  public static final ObjectMapper MAPPER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private Json() {}

  /**
   * Parses a JSON object into maps and lists.
   *
   * @throws IllegalArgumentException when the text is not a JSON object
   */
  public static Map<String, Object> parseObject(String json) {
    if (json == null) {
      throw new IllegalArgumentException("JSON text is null");
    }
    try {
      Map<String, Object> m = MAPPER.readValue(json, MAP);
      if (m == null) {
        throw new IllegalArgumentException("expected a JSON object, got null");
      }
      return m;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a JSON object: " + e.getOriginalMessage(), e);
    }
  }

  /** Writes a value as compact JSON. */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write as JSON: " + e.getOriginalMessage(), e);
    }
  }
}
