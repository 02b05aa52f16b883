package io.github.maritaca4j.batchapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.maritaca4j.ChatResult;
import io.github.maritaca4j.errors.InvalidResponseException;
import io.github.maritaca4j.internal.Json;
import io.github.maritaca4j.internal.WireFormat;
import java.io.IOException;
import java.time.Duration;

/**
 * One line of a Batch API output or error file, read leniently and judged strictly: the one rule
 * for every reader of those files (JSONL jobs, the LangChain4j adapter). Immutable.
 *
 * <p>A body sent as a JSON string holding an object is unwrapped. The line is a success when its
 * {@code response} is an object with a 2xx {@code status_code} (or none), a chat completion object
 * as {@code body} with no {@code error} in it, and the line has no {@code error}. Any other line is
 * a failure, and when the server gave no {@code error} one is made from the response: {@code code}
 * (the body's error code, else {@code http_NNN}, {@code no_response} or {@code invalid_response}),
 * {@code message} and, when known, {@code status}.
 */
public final class ResultLine {
  private final String original;
  private final JsonNode json;
  private final String customId;
  private final boolean success;
  private final int statusCode;
  private final boolean changed;

  private ResultLine(
      String original,
      JsonNode json,
      String customId,
      boolean success,
      int statusCode,
      boolean changed) {
    this.original = original;
    this.json = json;
    this.customId = customId;
    this.success = success;
    this.statusCode = statusCode;
    this.changed = changed;
  }

  /**
   * Reads a line (without the file's byte order mark, if it had one); null when it is not a JSON
   * object.
   */
  public static ResultLine parse(String line) {
    JsonNode n;
    try {
      n = Json.MAPPER.readTree(line);
    } catch (IOException e) {
      return null;
    }
    return n != null && n.isObject() ? judge(line, (ObjectNode) n) : null;
  }

  private static ResultLine judge(String line, ObjectNode o) {
    JsonNode idNode = o.get("custom_id");
    String customId =
        idNode == null || !idNode.isValueNode() || idNode.isNull() ? null : idNode.asText();
    boolean changed = false;
    JsonNode resp = o.get("response");
    boolean hasResponse = resp != null && resp.isObject();
    JsonNode body = hasResponse ? resp.get("body") : null;
    if (body != null && body.isTextual()) {
      try {
        JsonNode parsed = Json.MAPPER.readTree(body.asText());
        if (parsed != null && parsed.isObject()) {
          ((ObjectNode) resp).set("body", parsed);
          body = parsed;
          changed = true;
        }
      } catch (IOException e) {
        // a text body that is not JSON: a failure, kept as sent
      }
    }
    int status =
        hasResponse && resp.path("status_code").canConvertToInt()
            ? resp.path("status_code").asInt()
            : 0;
    JsonNode error = o.get("error");
    boolean hasError = error != null && !error.isNull();
    boolean ok =
        hasResponse
            && !hasError
            && (status == 0 || status / 100 == 2)
            && body != null
            && body.isObject()
            && !body.hasNonNull("error");
    if (!ok && !hasError) {
      o.set("error", madeError(hasResponse, status, body));
      changed = true;
    }
    return new ResultLine(line, o, customId, ok, status, changed);
  }

  private static ObjectNode madeError(boolean hasResponse, int status, JsonNode body) {
    JsonNode be = body != null && body.isObject() ? body.get("error") : null;
    String code = null;
    String message = null;
    if (be != null && be.isObject()) {
      code = be.hasNonNull("code") ? be.get("code").asText() : null;
      message = be.hasNonNull("message") ? be.get("message").asText() : null;
    } else if (be != null && be.isTextual()) {
      message = be.asText();
    }
    boolean httpError = status != 0 && status / 100 != 2;
    if (code == null || code.isBlank()) {
      code = !hasResponse ? "no_response" : httpError ? "http_" + status : "invalid_response";
    }
    if (message == null || message.isBlank()) {
      message =
          !hasResponse
              ? "the server gave no response for this request"
              : httpError
                  ? "the request was answered with HTTP " + status
                  : "the response has no chat completion object as its body";
    }
    ObjectNode e = Json.MAPPER.createObjectNode();
    e.put("code", code);
    e.put("message", message);
    if (status != 0) {
      e.put("status", status);
    }
    return e;
  }

  /** The line's {@code custom_id}; null when it has none. */
  public String customId() {
    return customId;
  }

  /** Whether the line holds a successful answer (see the class comment). */
  public boolean isSuccess() {
    return success;
  }

  /** The response's {@code status_code}; 0 when there is none. */
  public int statusCode() {
    return statusCode;
  }

  /** The chat completion of a success ({@code response.body}); a missing node otherwise. */
  public JsonNode body() {
    return json.path("response").path("body");
  }

  /**
   * The answer of a successful line as a {@link ChatResult} (no cost attached: the caller knows the
   * pricing mode, {@link io.github.maritaca4j.cost.PricingMode#BATCH} for the Batch API).
   *
   * @throws IllegalStateException when the line is not a success
   * @throws InvalidResponseException when its body is not a readable chat completion
   */
  public ChatResult result() {
    if (!success) {
      throw new IllegalStateException("the line of " + customId + " is not a success");
    }
    try {
      return WireFormat.readResult(body(), requestId(), Duration.ZERO);
    } catch (IllegalArgumentException e) {
      throw new InvalidResponseException(
          "unreadable result for " + customId + ": " + e.getMessage(), statusCode, e);
    }
  }

  /** The response's {@code request_id}, or null. */
  public String requestId() {
    return json.path("response").path("request_id").asText(null);
  }

  /** The failure's {@code error} object ({@code code}, {@code message}...); missing on success. */
  public JsonNode error() {
    return json.path("error");
  }

  /**
   * The line as it should be stored: as read (stripped) when nothing was unwrapped or added, else
   * the judged JSON.
   */
  public String text() {
    return changed ? Json.write(json) : original.strip();
  }
}
