package io.github.maritaca4j.errors;

/** The request was rejected as invalid (HTTP 400 or 422). Not retryable: fix the request. */
public class BadRequestException extends ApiException {
  public BadRequestException(
      int statusCode,
      String serverMessage,
      String errorType,
      String errorCode,
      String requestId,
      java.time.Duration retryAfter) {
    super(statusCode, serverMessage, errorType, errorCode, requestId, retryAfter);
  }
}
