package io.github.maritaca4j.internal.tokens;

import io.github.maritaca4j.cost.TokenCounter;
import io.github.maritaca4j.errors.ConfigurationException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resolves {@link TokenCounter#defaults()} once. Internal API. */
public final class DefaultTokenCounter {
  private static volatile TokenCounter instance;

  private DefaultTokenCounter() {}

  /** The shared default counter, resolved on first call. */
  public static TokenCounter get() {
    TokenCounter c = instance;
    if (c == null) {
      synchronized (DefaultTokenCounter.class) {
        c = instance;
        if (c == null) {
          c =
              resolve(
                  System.getProperty(TokenCounter.TOKENIZER_FILE_PROPERTY),
                  System.getenv(TokenCounter.TOKENIZER_FILE_ENV));
          instance = c;
        }
      }
    }
    return c;
  }

  /** The counter for a file named by the property or else the variable; the estimator if none. */
  public static TokenCounter resolve(String property, String env) {
    boolean fromProperty = property != null && !property.isBlank();
    String file = fromProperty ? property : env;
    if (file == null || file.isBlank()) {
      return TokenCounter.estimator();
    }
    Path p = Path.of(file.strip());
    if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
      throw new ConfigurationException(
          (fromProperty ? TokenCounter.TOKENIZER_FILE_PROPERTY : TokenCounter.TOKENIZER_FILE_ENV)
              + " names "
              + p
              + ", which is not a readable file");
    }
    return TokenCounter.fromVocabulary(p);
  }
}
