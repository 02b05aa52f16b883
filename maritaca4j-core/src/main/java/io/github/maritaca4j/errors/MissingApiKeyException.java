package io.github.maritaca4j.errors;

/**
 * No API key to send: none given to the builder and {@code MARITACA_API_KEY} unset or blank. A
 * {@link ConfigurationException} of its own so that a wrapper with its own builder (the LangChain4j
 * adapter) can tell the user where the key goes in its terms. Not retryable.
 */
public class MissingApiKeyException extends ConfigurationException {
  public MissingApiKeyException(String message) {
    super(message);
  }
}
