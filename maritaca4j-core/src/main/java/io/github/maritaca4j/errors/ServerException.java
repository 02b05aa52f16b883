package io.github.maritaca4j.errors;

/** The server failed (HTTP 5xx). Retryable. */
public class ServerException extends ApiException {
  public ServerException(
      int statusCode,
      String serverMessage,
      String errorType,
      String errorCode,
      String requestId,
      java.time.Duration retryAfter) {
    super(statusCode, serverMessage, errorType, errorCode, requestId, retryAfter);
  }
}
