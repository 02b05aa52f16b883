package io.github.maritaca4j.errors;

/** The model or resource does not exist (HTTP 404). Not retryable. */
public class NotFoundException extends ApiException {
  public NotFoundException(
      int statusCode,
      String serverMessage,
      String errorType,
      String errorCode,
      String requestId,
      java.time.Duration retryAfter) {
    super(statusCode, serverMessage, errorType, errorCode, requestId, retryAfter);
  }
}
