package io.github.maritaca4j.spring.boot;

/**
 * Thrown at startup when the auto-configuration finds no Maritaca API key; {@link
 * MaritacaFailureAnalyzer} turns it into a message naming the property.
 */
public class MissingMaritacaApiKeyException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /** The exception. */
  public MissingMaritacaApiKeyException() {
    super(
        "no Maritaca API key: set "
            + MaritacaProperties.PREFIX
            + ".api-key or the MARITACA_API_KEY environment variable");
  }
}
