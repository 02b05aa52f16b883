package io.github.maritaca4j.errors;

/** The key is missing, wrong or lacks permission (HTTP 401 or 403). Not retryable. */
public class AuthenticationException extends ApiException {
  public AuthenticationException(
      int statusCode,
      String serverMessage,
      String errorType,
      String errorCode,
      String requestId,
      java.time.Duration retryAfter) {
    super(statusCode, serverMessage, errorType, errorCode, requestId, retryAfter);
  }
}
