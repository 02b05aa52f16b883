package io.github.maritaca4j.cost;

import io.github.maritaca4j.ChatRequest;
import io.github.maritaca4j.Message;
import io.github.maritaca4j.errors.ConfigurationException;
import io.github.maritaca4j.internal.tokens.Cl100kDigitEstimator;
import io.github.maritaca4j.internal.tokens.DefaultTokenCounter;
import io.github.maritaca4j.internal.tokens.PromptCounting;
import java.nio.file.Path;
import java.util.List;

/**
 * Counts Sabiá tokens. Implementations are thread-safe.
 *
 * <p>Two implementations come with the library:
 *
 * <ul>
 *   <li>{@link #estimator()}: cl100k_base with one token per digit; needs no file and is typically
 *       within 1 % of the exact count on Portuguese text, closer on English (see {@code
 *       docs/cost.md});
 *   <li>{@link #fromVocabulary(Path)}: exact, from a tiktoken-format vocabulary file with Sabiá's
 *       split pattern.
 * </ul>
 *
 * {@link #countMessages(List)} and {@link #countRequest(ChatRequest)} add the framing tokens
 * described in {@link TokenOverhead}, which are documented assumptions.
 */
public interface TokenCounter {

  /** The environment variable naming a tiktoken-format vocabulary file for {@link #defaults()}. */
  String TOKENIZER_FILE_ENV = "MARITACA_TOKENIZER_FILE";

  /** The system property that, when set, takes precedence over {@link #TOKENIZER_FILE_ENV}. */
  String TOKENIZER_FILE_PROPERTY = "maritaca.tokenizer.file";

  /** Tokens of {@code text}, without any message framing. */
  int count(String text);

  /**
   * Tokens of the messages: their text, participant names, tool calls (name and arguments), tool
   * call ids, images (a flat figure each) and {@link TokenOverhead#PER_MESSAGE} per message.
   */
  default long countMessages(List<Message> messages) {
    return PromptCounting.messages(this, messages);
  }

  /**
   * Tokens of the whole prompt of {@code request}: {@link #countMessages(List)}, the tools' JSON
   * schemas, a {@code json_schema} response format, and the reply priming.
   */
  default long countRequest(ChatRequest request) {
    return PromptCounting.request(this, request);
  }

  /** The estimator: cl100k_base with one token per digit. Shared; needs no file. */
  static TokenCounter estimator() {
    return Cl100kDigitEstimator.INSTANCE;
  }

  /**
   * The exact counter for a tiktoken-format vocabulary file ({@code base64(token) rank} a line)
   * with Sabiá's split pattern. Reads the file (a few MB, well under a second); keep and share the
   * result.
   *
   * @throws ConfigurationException when the file cannot be read or is not such a vocabulary
   */
  static BpeTokenCounter fromVocabulary(Path tiktokenFile) {
    return BpeTokenCounter.load(tiktokenFile);
  }

  /**
   * The exact counter for the file named by the system property {@value #TOKENIZER_FILE_PROPERTY}
   * or else the environment variable {@value #TOKENIZER_FILE_ENV}, when one is set; otherwise
   * {@link #estimator()}. Resolved once and shared.
   *
   * @throws ConfigurationException when a file is named but cannot be read
   */
  static TokenCounter defaults() {
    return DefaultTokenCounter.get();
  }
}
