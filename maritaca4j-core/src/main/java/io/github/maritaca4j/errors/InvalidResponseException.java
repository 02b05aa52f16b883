package io.github.maritaca4j.errors;

/**
 * The server's answer could not be understood: malformed JSON, a missing required field, or a
 * stream that ended before its end marker. Retryable (a broken answer is usually a passing fault).
 */
public class InvalidResponseException extends MaritacaException {
  private final int statusCode;

  public InvalidResponseException(String message, int statusCode, Throwable cause) {
    super(message, cause);
    this.statusCode = statusCode;
  }

  @Override
  public int statusCode() {
    return statusCode;
  }

  @Override
  public boolean isRetryable() {
    return true;
  }
}
