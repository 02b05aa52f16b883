package io.github.maritaca4j.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.maritaca4j.ApiException;
import io.github.maritaca4j.AuthenticationException;
import io.github.maritaca4j.BadRequestException;
import io.github.maritaca4j.ConnectionException;
import io.github.maritaca4j.MaritacaException;
import io.github.maritaca4j.NotFoundException;
import io.github.maritaca4j.RateLimitException;
import io.github.maritaca4j.RequestTimeoutException;
import io.github.maritaca4j.ServerException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Maps HTTP error responses and transport failures to the exception tree. The one place that
 * decides status → exception. Internal API; stateless.
 */
public final class ErrorMapper {
  private static final int MAX_MESSAGE = 1000;

  private ErrorMapper() {}

  /**
   * The exception for an error response.
   *
   * @param secret a value that must never appear in the message (the API key), or null
   */
  public static ApiException fromResponse(
      int status, HttpHeaders headers, byte[] body, Instant now, String secret) {
    String message = null;
    String type = null;
    String code = null;
    String text = body == null ? "" : new String(body, StandardCharsets.UTF_8);
    JsonNode root = null;
    try {
      if (!text.isBlank()) {
        root = Json.MAPPER.readTree(text);
      }
    } catch (IOException e) {
      root = null;
    }
    if (root != null && root.isObject()) {
      JsonNode err = root.get("error");
      if (err != null && err.isObject()) {
        message = WireFormat.textOrNull(err.get("message"));
        type = WireFormat.textOrNull(err.get("type"));
        JsonNode c = err.get("code");
        code = c == null || c.isNull() ? null : c.asText();
      } else if (err != null && err.isTextual()) {
        message = err.asText();
      }
      if (message == null && root.hasNonNull("message")) {
        message = root.get("message").asText();
      }
      if (message == null && root.has("detail")) {
        JsonNode d = root.get("detail");
        message = d.isTextual() ? d.asText() : d.toString();
      }
    }
    if (message == null && !text.isBlank()) {
      message = text.strip();
    }
    message = clean(message, secret);
    String requestId =
        headers.firstValue("x-request-id").or(() -> headers.firstValue("request-id")).orElse(null);
    Duration retryAfter = RetryHints.parse(headers, now).orElse(null);
    return of(status, message, type, code, requestId, retryAfter);
  }

  /** The exception for a status and parsed fields (the status → class table). */
  public static ApiException of(
      int status, String message, String type, String code, String requestId, Duration retryAfter) {
    if (status == 401 || status == 403) {
      return new AuthenticationException(status, message, type, code, requestId, retryAfter);
    }
    if (status == 400 || status == 422) {
      return new BadRequestException(status, message, type, code, requestId, retryAfter);
    }
    if (status == 404) {
      return new NotFoundException(status, message, type, code, requestId, retryAfter);
    }
    if (status == 429) {
      return new RateLimitException(message, type, code, requestId, retryAfter);
    }
    if (status >= 500 && status <= 599) {
      return new ServerException(status, message, type, code, requestId, retryAfter);
    }
    return new ApiException(status, message, type, code, requestId, retryAfter);
  }

  /** An {@code error} object sent inside an event stream. */
  static MaritacaException streamError(JsonNode err) {
    String message = err.isObject() ? WireFormat.textOrNull(err.get("message")) : err.asText();
    String type = err.isObject() ? WireFormat.textOrNull(err.get("type")) : null;
    String code = err.isObject() ? WireFormat.textOrNull(err.get("code")) : null;
    int status = 500;
    if (err.isObject() && err.path("status").isInt()) {
      status = err.path("status").asInt();
    } else if ("rate_limit_error".equals(type) || "rate_limit_exceeded".equals(code)) {
      status = 429;
    }
    return of(status, clean(message, null), type, code, null, null);
  }

  /**
   * The exception for a transport-level failure (from a future), unwrapped. MaritacaExceptions pass
   * through; cancellations are rethrown as they are.
   */
  public static RuntimeException fromThrowable(Throwable t, String host) {
    Throwable c = unwrap(t);
    if (c instanceof MaritacaException m) {
      return m;
    }
    if (c instanceof CancellationException ce) {
      return ce;
    }
    if (c instanceof HttpTimeoutException) {
      return new RequestTimeoutException(
          "no answer from " + host + " in time: " + c.getMessage(), c);
    }
    if (c instanceof ConnectException) {
      return new ConnectionException("cannot connect to " + host + ": " + describe(c), c);
    }
    if (c instanceof IOException) {
      return new ConnectionException("connection to " + host + " failed: " + describe(c), c);
    }
    if (c instanceof RuntimeException r) {
      return r;
    }
    return new MaritacaException("request to " + host + " failed: " + describe(c), c);
  }

  /** Strips CompletionException / ExecutionException layers. */
  public static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }

  private static String describe(Throwable t) {
    String m = t.getMessage();
    return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
  }

  private static String clean(String message, String secret) {
    if (message == null) {
      return null;
    }
    String m = message;
    if (secret != null && secret.length() >= 4 && m.contains(secret)) {
      m = m.replace(secret, "***");
    }
    if (m.length() > MAX_MESSAGE) {
      m = m.substring(0, MAX_MESSAGE) + "...";
    }
    return m;
  }
}
