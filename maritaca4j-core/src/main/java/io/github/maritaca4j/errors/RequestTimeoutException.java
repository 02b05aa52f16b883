package io.github.maritaca4j.errors;

/** No complete answer arrived within the configured timeout. Retryable. */
public class RequestTimeoutException extends MaritacaException {
  public RequestTimeoutException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public boolean isRetryable() {
    return true;
  }
}
