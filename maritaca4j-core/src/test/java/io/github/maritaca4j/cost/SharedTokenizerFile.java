package io.github.maritaca4j.cost;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds Sabiá's tiktoken vocabulary for tests without committing it: the system property {@code
 * maritaca.test.vocabulary}, else the environment variable {@code MARITACA_TOKENIZER_FILE}, else
 * {@code shared/tokenizers/sabia.tiktoken} in the working directory or any parent (in CI the shared
 * folder sits beside the clone). Tests that need it skip when it is absent.
 */
final class SharedTokenizerFile {

  private static final Optional<Path> PATH = locate();
  private static BpeTokenCounter counter;

  private SharedTokenizerFile() {}

  static Optional<Path> path() {
    return PATH;
  }

  /** The exact counter, loaded once; skips the calling test when the file is absent. */
  static synchronized BpeTokenCounter require() {
    Assumptions.assumeTrue(
        PATH.isPresent(), "Sabiá vocabulary not found (shared/tokenizers/sabia.tiktoken)");
    if (counter == null) {
      counter = TokenCounter.fromVocabulary(PATH.get());
    }
    return counter;
  }

  private static Optional<Path> locate() {
    if ("none".equals(System.getProperty("maritaca.test.vocabulary"))) {
      return Optional.empty(); // to check that the tests pass without it
    }
    for (String named :
        new String[] {
          System.getProperty("maritaca.test.vocabulary"), System.getenv("MARITACA_TOKENIZER_FILE")
        }) {
      if (named != null && !named.isBlank() && Files.isRegularFile(Path.of(named.strip()))) {
        return Optional.of(Path.of(named.strip()));
      }
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path p = dir.resolve("shared").resolve("tokenizers").resolve("sabia.tiktoken");
      if (Files.isRegularFile(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
