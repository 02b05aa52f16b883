package io.github.maritaca4j.jobs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.github.maritaca4j.ChatResult;
import io.github.maritaca4j.Choice;
import io.github.maritaca4j.FinishReason;
import io.github.maritaca4j.Message;
import io.github.maritaca4j.ToolCall;
import io.github.maritaca4j.Usage;
import io.github.maritaca4j.errors.ApiException;
import io.github.maritaca4j.errors.AuthenticationException;
import io.github.maritaca4j.errors.BadRequestException;
import io.github.maritaca4j.errors.BudgetExceededException;
import io.github.maritaca4j.errors.ConfigurationException;
import io.github.maritaca4j.errors.ConnectionException;
import io.github.maritaca4j.errors.InvalidResponseException;
import io.github.maritaca4j.errors.MaritacaException;
import io.github.maritaca4j.errors.NotFoundException;
import io.github.maritaca4j.errors.RateLimitException;
import io.github.maritaca4j.errors.RequestTimeoutException;
import io.github.maritaca4j.errors.ServerException;
import io.github.maritaca4j.internal.ErrorMapper;
import io.github.maritaca4j.internal.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * Writes the lines of a job's output and errors files, in the Batch API's output format (how such
 * lines are judged when read is {@link io.github.maritaca4j.batchapi.ResultLine}'s rule; a resumed
 * job only reads their {@code custom_id}s, see {@link ResultFile#scan}).
 *
 * <p>A result: {@code {"id": "batch_req_...", "custom_id": "r1", "response": {"status_code": 200,
 * "request_id": "...", "body": {<chat completion>}}, "error": null}}.
 *
 * <p>A failure: {@code {"id": "batch_req_...", "custom_id": "r1", "response": null, "error":
 * {"code": "rate_limit_exceeded", "message": "...", "status": 429, "type": "...", "attempts": 3}}}.
 * An answer its validator rejected ({@code "code": "invalid_output"}) adds {@code "repairs"},
 * {@code "validation_errors"} (the problems, one a string) and {@code "last_content"}.
 *
 * <p>Each line is made whole in memory and ends with {@code '\n'}, so that it can be appended with
 * one write. Stateless and thread-safe.
 */
final class ResultLineWriter {
  private static final JsonFactory FACTORY = Json.MAPPER.getFactory();

  private ResultLineWriter() {}

  /** The output line for a successful answer, newline included. */
  static byte[] success(String lineId, String customId, ChatResult r) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("id", lineId);
      g.writeStringField("custom_id", customId);
      g.writeObjectFieldStart("response");
      g.writeNumberField("status_code", 200);
      g.writeStringField("request_id", r.requestId() != null ? r.requestId() : r.id());
      g.writeFieldName("body");
      writeCompletion(g, r);
      g.writeEndObject();
      g.writeNullField("error");
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.write('\n');
    return out.toByteArray();
  }

  /**
   * The output line of an answer not sent for: taken from the response cache ({@code duplicateOf}
   * null: {@code "from_cache": true}) or from the identical request {@code duplicateOf} of the same
   * run ({@code "duplicate_of": "<its custom_id>"}); {@code completionJson} is the chat completion
   * as stored. Newline included.
   */
  static byte[] reused(String lineId, String customId, String completionJson, String duplicateOf) {
    // the stored completion goes in as UTF-8 bytes, unparsed (it was checked when read)
    byte[] body = completionJson.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 200);
    out.writeBytes(ascii("{\"id\":\""));
    out.writeBytes(ESCAPE.quoteAsUTF8(lineId));
    out.writeBytes(ascii("\",\"custom_id\":\""));
    out.writeBytes(ESCAPE.quoteAsUTF8(customId));
    out.writeBytes(ascii("\",\"response\":{\"status_code\":200,\"request_id\":null,\"body\":"));
    out.writeBytes(body);
    out.writeBytes(REUSED_AFTER_BODY);
    if (duplicateOf == null) {
      out.writeBytes(FROM_CACHE);
    } else {
      out.writeBytes(ascii(",\"duplicate_of\":\""));
      out.writeBytes(ESCAPE.quoteAsUTF8(duplicateOf));
      out.writeBytes(ascii("\"}"));
    }
    out.write('\n');
    return out.toByteArray();
  }

  private static final com.fasterxml.jackson.core.io.JsonStringEncoder ESCAPE =
      com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance();

  private static byte[] ascii(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  private static final byte[] REUSED_AFTER_BODY =
      "},\"error\":null".getBytes(java.nio.charset.StandardCharsets.UTF_8);
  private static final byte[] FROM_CACHE =
      ",\"from_cache\":true}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  /** A chat completion object as JSON text, as the API would have sent it. */
  static String completionJson(ChatResult r) {
    java.io.StringWriter w = new java.io.StringWriter(512);
    try (JsonGenerator g = FACTORY.createGenerator(w)) {
      writeCompletion(g, r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  /** The errors-file line for a failure after {@code attempts} attempts, newline included. */
  static byte[] failure(String lineId, String customId, Throwable error, int attempts) {
    Throwable e = ErrorMapper.unwrap(error);
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("id", lineId);
      g.writeStringField("custom_id", customId);
      g.writeNullField("response");
      g.writeObjectFieldStart("error");
      g.writeStringField("code", errorCode(e));
      g.writeStringField("message", message(e));
      if (e instanceof MaritacaException m && m.statusCode() > 0) {
        g.writeNumberField("status", m.statusCode());
      }
      if (e instanceof ApiException api) {
        if (api.errorType() != null) {
          g.writeStringField("type", api.errorType());
        }
        if (api.requestId() != null) {
          g.writeStringField("request_id", api.requestId());
        }
      }
      g.writeNumberField("attempts", attempts);
      if (e instanceof io.github.maritaca4j.errors.InvalidOutputException invalid) {
        g.writeNumberField("repairs", invalid.repairs());
        g.writeArrayFieldStart("validation_errors");
        for (String p : invalid.problems()) {
          g.writeString(p);
        }
        g.writeEndArray();
        if (invalid.content() != null) {
          g.writeStringField("last_content", invalid.content());
        }
      }
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    out.write('\n');
    return out.toByteArray();
  }

  /** A short, stable code for a failure: the server's code when it gave one. */
  static String errorCode(Throwable error) {
    Throwable e = ErrorMapper.unwrap(error);
    if (e instanceof ApiException api && api.errorCode() != null && !api.errorCode().isBlank()) {
      return api.errorCode();
    }
    if (e instanceof RateLimitException) {
      return "rate_limit_exceeded";
    }
    if (e instanceof AuthenticationException) {
      return "authentication_error";
    }
    if (e instanceof BadRequestException) {
      return "invalid_request";
    }
    if (e instanceof NotFoundException) {
      return "not_found";
    }
    if (e instanceof ServerException) {
      return "server_error";
    }
    if (e instanceof ApiException api) {
      return "http_" + api.statusCode();
    }
    if (e instanceof RequestTimeoutException) {
      return "timeout";
    }
    if (e instanceof ConnectionException) {
      return "connection_error";
    }
    if (e instanceof InvalidResponseException) {
      return "invalid_response";
    }
    if (e instanceof io.github.maritaca4j.errors.InvalidOutputException) {
      return "invalid_output";
    }
    if (e instanceof BudgetExceededException) {
      return "budget_exceeded";
    }
    if (e instanceof ConfigurationException) {
      return "configuration_error";
    }
    return "error";
  }

  private static String message(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  /** Writes a chat completion object as the API would have sent it. */
  static void writeCompletion(JsonGenerator g, ChatResult r) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", r.id());
    g.writeStringField("object", "chat.completion");
    g.writeNumberField("created", r.created());
    g.writeStringField("model", r.model());
    g.writeArrayFieldStart("choices");
    for (Choice c : r.choices()) {
      g.writeStartObject();
      g.writeNumberField("index", c.index());
      g.writeObjectFieldStart("message");
      Message m = c.message();
      g.writeStringField("role", "assistant");
      if (m.content().isEmpty()) {
        g.writeNullField("content");
      } else {
        g.writeStringField("content", m.text());
      }
      if (m.toolCalls().isEmpty()) {
        g.writeNullField("tool_calls");
      } else {
        g.writeArrayFieldStart("tool_calls");
        for (ToolCall t : m.toolCalls()) {
          g.writeStartObject();
          g.writeStringField("id", t.id());
          g.writeStringField("type", "function");
          g.writeObjectFieldStart("function");
          g.writeStringField("name", t.name());
          g.writeStringField("arguments", t.arguments());
          g.writeEndObject();
          g.writeEndObject();
        }
        g.writeEndArray();
      }
      g.writeEndObject();
      g.writeNullField("logprobs");
      FinishReason f = c.finishReason();
      if (f == FinishReason.OTHER) {
        g.writeNullField("finish_reason");
      } else {
        g.writeStringField("finish_reason", f.name().toLowerCase(Locale.ROOT));
      }
      g.writeEndObject();
    }
    g.writeEndArray();
    Usage u = r.usage();
    g.writeObjectFieldStart("usage");
    g.writeNumberField("prompt_tokens", u.promptTokens());
    g.writeNumberField("completion_tokens", u.completionTokens());
    g.writeNumberField("total_tokens", u.totalTokens());
    g.writeObjectFieldStart("prompt_tokens_details");
    g.writeNumberField("cached_tokens", u.cachedPromptTokens());
    g.writeEndObject();
    g.writeEndObject();
    if (r.systemFingerprint() != null) {
      g.writeStringField("system_fingerprint", r.systemFingerprint());
    }
    g.writeEndObject();
  }
}
