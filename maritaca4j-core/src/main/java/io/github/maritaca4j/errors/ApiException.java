package io.github.maritaca4j.errors;

import java.time.Duration;
import java.util.Optional;

/**
 * The server answered with an HTTP error status. Carries the status, the server's error message,
 * type and code (from an OpenAI-style {@code {"error": {...}}} body, when there is one), and the
 * request id header when the server sent one. Statuses without a subclass of their own (408, 409,
 * 402, ...) are thrown as this class; 408 and 409 are retryable.
 */
public class ApiException extends MaritacaException {
  private final int statusCode;
  private final String serverMessage;
  private final String errorType;
  private final String errorCode;
  private final String requestId;
  private final Duration retryAfter;

  public ApiException(
      int statusCode,
      String serverMessage,
      String errorType,
      String errorCode,
      String requestId,
      Duration retryAfter) {
    super(describe(statusCode, serverMessage, errorType, errorCode, requestId));
    this.retryAfter = retryAfter;
    this.statusCode = statusCode;
    this.serverMessage = serverMessage;
    this.errorType = errorType;
    this.errorCode = errorCode;
    this.requestId = requestId;
  }

  private static String describe(
      int status, String message, String type, String code, String requestId) {
    StringBuilder sb = new StringBuilder("HTTP ").append(status);
    if (message != null && !message.isBlank()) {
      sb.append(": ").append(message);
    } else {
      String reason = reasonPhrase(status);
      if (reason != null) {
        sb.append(' ').append(reason);
      }
    }
    if (code != null) {
      sb.append(" [").append(code).append(']');
    } else if (type != null) {
      sb.append(" [").append(type).append(']');
    }
    if (requestId != null) {
      sb.append(" (request id ").append(requestId).append(')');
    }
    return sb.toString();
  }

  /** The standard reason phrase of common error statuses, for messages of bodiless answers. */
  private static String reasonPhrase(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 402 -> "Payment Required";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 408 -> "Request Timeout";
      case 409 -> "Conflict";
      case 413 -> "Content Too Large";
      case 415 -> "Unsupported Media Type";
      case 422 -> "Unprocessable Content";
      case 429 -> "Too Many Requests";
      case 500 -> "Internal Server Error";
      case 501 -> "Not Implemented";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> null;
    };
  }

  @Override
  public int statusCode() {
    return statusCode;
  }

  /** The server's error message, or null when the body had none. */
  public String serverMessage() {
    return serverMessage;
  }

  /** The error's {@code type}, e.g. {@code invalid_request_error}; may be null. */
  public String errorType() {
    return errorType;
  }

  /** The error's {@code code}, e.g. {@code model_not_found}; may be null. */
  public String errorCode() {
    return errorCode;
  }

  /** The request id header of the failed response, or null. */
  public String requestId() {
    return requestId;
  }

  /**
   * How long the server asked the client to wait before trying again ({@code Retry-After} and
   * friends), when it said so.
   */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  @Override
  public boolean isRetryable() {
    return statusCode == 408 || statusCode == 409 || statusCode == 429 || statusCode >= 500;
  }
}
