package io.github.maritaca4j.errors;

/**
 * The client cannot send as configured: no API key, a key over plain HTTP to a remote host, an
 * unknown model in the price table, a request that cannot fit the model's context window. Not
 * retryable.
 */
public class ConfigurationException extends MaritacaException {
  public ConfigurationException(String message) {
    super(message);
  }
}
