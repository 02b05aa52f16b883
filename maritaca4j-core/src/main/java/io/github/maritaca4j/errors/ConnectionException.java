package io.github.maritaca4j.errors;

/** The connection could not be made or broke before the answer was complete (IO). Retryable. */
public class ConnectionException extends MaritacaException {
  public ConnectionException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public boolean isRetryable() {
    return true;
  }
}
