package io.github.maritaca4j.jsonschema;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import io.github.maritaca4j.ChatRequest;
import io.github.maritaca4j.ChatResult;
import io.github.maritaca4j.ResponseFormat;
import io.github.maritaca4j.batch.ResponseValidator;
import io.github.maritaca4j.errors.JobException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link ResponseValidator} for structured output: the answer must be JSON (the whole content,
 * nothing around it) that a JSON Schema accepts. The schema is the request's own {@code
 * response_format} of type {@code json_schema} when it has one, else the schema this validator was
 * made with ({@link #of(Path)}); a request with neither is not checked. Each problem names the
 * place in the answer as a JSON pointer: {@code "/items/0/price: must be a number"}.
 *
 * <pre>{@code
 * JsonSchemaValidator v = JsonSchemaValidator.of(Path.of("answer.schema.json"));
 * ChatMaritaca client = ChatMaritaca.builder().responseFormat(v.responseFormat()).build();
 * BatchOptions options = BatchOptions.builder().validator(v).maxRepairs(2).build();
 * }</pre>
 *
 * <p>Schemas follow the draft named by their {@code $schema}, or 2020-12 without one. A schema file
 * is checked against its draft's meta-schema when read: a mistake is reported with its JSON pointer
 * in the file. Formats ({@code "format": "date"}...) are asserted.
 *
 * <p>Thread-safe; compiled schemas of requests are kept (the last 256 distinct ones).
 */
public final class JsonSchemaValidator implements ResponseValidator {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private static final SchemaRegistryConfig CONFIG =
      SchemaRegistryConfig.builder()
          .pathType(PathType.JSON_POINTER)
          .formatAssertionsEnabled(true)
          .build();

  private static final SchemaRegistry REGISTRY =
      SchemaRegistry.withDefaultDialect(
          SpecificationVersion.DRAFT_2020_12, b -> b.schemaRegistryConfig(CONFIG));

  private static final int MAX_PROBLEMS = 20;

  private final Schema schema;
  private final JsonNode schemaNode;
  private final String name;
  private final Map<Map<String, Object>, Schema> compiled =
      Collections.synchronizedMap(
          new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Map<String, Object>, Schema> e) {
              return size() > 256;
            }
          });

  private JsonSchemaValidator(Schema schema, JsonNode schemaNode, String name) {
    this.schema = schema;
    this.schemaNode = schemaNode;
    this.name = name;
  }

  /** A validator of the requests that carry their own {@code json_schema} response format. */
  public static JsonSchemaValidator forRequests() {
    return new JsonSchemaValidator(null, null, null);
  }

  /**
   * A validator with the schema of {@code file} for requests without their own.
   *
   * @throws JobException when the file cannot be read, is not JSON (line and column named) or is
   *     not a valid JSON Schema (the JSON pointer of each mistake named)
   */
  public static JsonSchemaValidator of(Path file) {
    Objects.requireNonNull(file, "file");
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new JobException("cannot read the JSON Schema " + file + ": " + e, e);
    }
    String base = file.getFileName() == null ? "schema" : file.getFileName().toString();
    return of(text, file.toString(), base.replaceFirst("(\\.schema)?\\.json$", ""));
  }

  /**
   * A validator with the schema {@code json}; {@code where} names it in messages, {@code name} in
   * {@link #responseFormat()}.
   *
   * @throws JobException when the text is not JSON or not a valid JSON Schema
   */
  public static JsonSchemaValidator of(String json, String where, String name) {
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new JobException(
          where
              + " is not JSON"
              + (at == null
                  ? ""
                  : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")")
              + ": "
              + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new JobException(where + " is not a JSON Schema: its top level must be an object");
    }
    List<String> mistakes = metaProblems(node);
    if (!mistakes.isEmpty()) {
      throw new JobException(where + " is not a valid JSON Schema: " + String.join("; ", mistakes));
    }
    Schema s;
    try {
      s = REGISTRY.getSchema(node);
      s.initializeValidators();
    } catch (SchemaException e) {
      throw new JobException(where + " is not a valid JSON Schema: " + e.getMessage(), e);
    }
    return new JsonSchemaValidator(s, node, sanitize(name));
  }

  /** The mistakes of a schema against its draft's meta-schema, each with its JSON pointer. */
  private static List<String> metaProblems(JsonNode schema) {
    String dialect = schema.path("$schema").asText("https://json-schema.org/draft/2020-12/schema");
    Schema meta;
    try {
      meta = REGISTRY.getSchema(SchemaLocation.of(dialect));
    } catch (SchemaException e) {
      return List.of("at /$schema: unknown draft " + dialect);
    }
    List<String> out = new ArrayList<>();
    for (Error e : meta.validate(schema)) {
      out.add("at " + pointer(e) + ": " + e.getMessage());
      if (out.size() == 5) {
        break;
      }
    }
    return out;
  }

  private static String sanitize(String name) {
    String n = name == null ? "" : name.replaceAll("[^A-Za-z0-9_-]", "_");
    return n.isEmpty() ? "answer" : n.length() > 64 ? n.substring(0, 64) : n;
  }

  /**
   * The structured-output format of this validator's schema, to send with requests ({@code
   * ChatMaritaca.Builder.responseFormat}) so that the model is asked for it.
   *
   * @throws IllegalStateException for {@link #forRequests()}, which has no schema of its own
   */
  public ResponseFormat responseFormat() {
    if (schemaNode == null) {
      throw new IllegalStateException("this validator has no schema of its own");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> map = MAPPER.convertValue(schemaNode, Map.class);
    return ResponseFormat.jsonSchema(name, map);
  }

  @Override
  public List<String> validate(ChatRequest request, ChatResult result) {
    Schema s = schemaFor(request);
    if (s == null) {
      return List.of();
    }
    String content = result.content();
    if (content == null || content.isBlank()) {
      return List.of("the answer is empty: a JSON value following the schema was expected");
    }
    JsonNode answer;
    try {
      answer = MAPPER.readTree(content);
    } catch (JsonProcessingException e) {
      return List.of("the answer is not JSON: " + e.getOriginalMessage());
    }
    List<Error> errors = s.validate(answer);
    if (errors.isEmpty()) {
      return List.of();
    }
    List<String> out = new ArrayList<>(Math.min(errors.size(), MAX_PROBLEMS));
    for (Error e : errors) {
      if (out.size() == MAX_PROBLEMS) {
        break;
      }
      out.add(pointer(e) + ": " + e.getMessage());
    }
    return out;
  }

  private Schema schemaFor(ChatRequest request) {
    ResponseFormat rf = request.responseFormat();
    if (rf != null && "json_schema".equals(rf.type()) && rf.schema() != null) {
      if (schemaNode != null && MAPPER.valueToTree(rf.schema()).equals(schemaNode)) {
        return schema;
      }
      return compiled.computeIfAbsent(rf.schema(), m -> REGISTRY.getSchema(MAPPER.valueToTree(m)));
    }
    return schema;
  }

  /** Where an error is, as a JSON pointer ({@code "/"} for the whole document). */
  private static String pointer(Error e) {
    String p = e.getInstanceLocation() == null ? "" : e.getInstanceLocation().toString();
    return p.isEmpty() ? "/" : p;
  }

  @Override
  public String toString() {
    return schemaNode == null
        ? "JsonSchemaValidator[requests' own]"
        : "JsonSchemaValidator[" + name + "]";
  }
}
