package io.github.maritaca4j.langchain4j;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.model.chat.request.json.JsonAnyOfSchema;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonBooleanSchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonNullSchema;
import dev.langchain4j.model.chat.request.json.JsonNumberSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonReferenceSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts LangChain4j's JSON schema elements to JSON Schema as nested maps and lists (what
 * maritaca4j's {@code Tool} and {@code ResponseFormat} take). Stateless.
 *
 * <p>In strict mode (OpenAI-style structured outputs) every property is listed as required, an
 * optional one becomes nullable ({@code "type": ["string", "null"]}), and objects forbid additional
 * properties, as strict structured outputs demand.
 */
final class JsonSchemas {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonSchemas() {}

  /** The schema of a tool's parameters; an empty object schema when there are none. */
  static Map<String, Object> parameters(JsonObjectSchema schema) {
    if (schema == null) {
      Map<String, Object> empty = new LinkedHashMap<>();
      empty.put("type", "object");
      empty.put("properties", new LinkedHashMap<>());
      return empty;
    }
    return toMap(schema, false, true);
  }

  /** {@code element} as a JSON Schema map. */
  static Map<String, Object> toMap(JsonSchemaElement element, boolean strict) {
    return toMap(element, strict, true);
  }

  private static Map<String, Object> toMap(
      JsonSchemaElement element, boolean strict, boolean required) {
    Map<String, Object> map = new LinkedHashMap<>();
    if (element instanceof JsonObjectSchema o) {
      map.put("type", type("object", strict, required));
      description(map, o.description());
      Map<String, Object> properties = new LinkedHashMap<>();
      List<String> req = o.required() == null ? List.of() : o.required();
      o.properties().forEach((k, v) -> properties.put(k, toMap(v, strict, req.contains(k))));
      map.put("properties", properties);
      if (strict) {
        map.put("required", new ArrayList<>(o.properties().keySet()));
        map.put("additionalProperties", false);
      } else {
        if (!req.isEmpty()) {
          map.put("required", new ArrayList<>(req));
        }
        if (o.additionalProperties() != null) {
          map.put("additionalProperties", o.additionalProperties());
        }
      }
      if (o.definitions() != null && !o.definitions().isEmpty()) {
        Map<String, Object> defs = new LinkedHashMap<>();
        o.definitions().forEach((k, v) -> defs.put(k, toMap(v, strict, true)));
        map.put("$defs", defs);
      }
    } else if (element instanceof JsonArraySchema a) {
      map.put("type", type("array", strict, required));
      description(map, a.description());
      map.put("items", a.items() == null ? new LinkedHashMap<>() : toMap(a.items(), strict, true));
    } else if (element instanceof JsonEnumSchema e) {
      map.put("type", type("string", strict, required));
      description(map, e.description());
      List<Object> values = new ArrayList<>(e.enumValues());
      if (strict && !required) {
        values.add(null);
      }
      map.put("enum", values);
    } else if (element instanceof JsonStringSchema s) {
      map.put("type", type("string", strict, required));
      description(map, s.description());
    } else if (element instanceof JsonIntegerSchema i) {
      map.put("type", type("integer", strict, required));
      description(map, i.description());
    } else if (element instanceof JsonNumberSchema n) {
      map.put("type", type("number", strict, required));
      description(map, n.description());
    } else if (element instanceof JsonBooleanSchema b) {
      map.put("type", type("boolean", strict, required));
      description(map, b.description());
    } else if (element instanceof JsonNullSchema) {
      map.put("type", "null");
    } else if (element instanceof JsonAnyOfSchema any) {
      description(map, any.description());
      List<Object> alternatives = new ArrayList<>();
      for (JsonSchemaElement alt : any.anyOf()) {
        alternatives.add(toMap(alt, strict, true));
      }
      map.put("anyOf", alternatives);
    } else if (element instanceof JsonReferenceSchema r) {
      if (r.reference() != null) {
        map.put("$ref", "#/$defs/" + r.reference());
      }
    } else if (element instanceof JsonRawSchema raw) {
      try {
        map.putAll(MAPPER.readValue(raw.schema(), new TypeReference<Map<String, Object>>() {}));
      } catch (JsonProcessingException ex) {
        throw new IllegalArgumentException("a raw JSON schema is not a JSON object", ex);
      }
    } else {
      throw new IllegalArgumentException(
          "unsupported JSON schema element: "
              + (element == null ? "null" : element.getClass().getName()));
    }
    return map;
  }

  private static Object type(String type, boolean strict, boolean required) {
    return strict && !required ? List.of(type, "null") : type;
  }

  private static void description(Map<String, Object> map, String description) {
    if (description != null) {
      map.put("description", description);
    }
  }
}
