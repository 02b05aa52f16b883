package io.github.maritaca4j.cost;

import io.github.maritaca4j.errors.ConfigurationException;
import io.github.maritaca4j.internal.tokens.BytePairEncoder;
import io.github.maritaca4j.internal.tokens.Vocabulary;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Exact Sabiá token counting from a tiktoken-format vocabulary: NFC normalisation, Sabiá's split
 * pattern (compiled with {@link java.util.regex.Pattern#UNICODE_CHARACTER_CLASS}), then byte-level
 * BPE merging by rank, as tiktoken does. Special tokens are not recognised: {@code <|endoftext|>}
 * in the text counts as ordinary text. Immutable and thread-safe.
 *
 * <p>The vocabulary is not distributed with this library; point at a file with {@link
 * TokenCounter#fromVocabulary(Path)} or the {@code MARITACA_TOKENIZER_FILE} environment variable.
 */
public final class BpeTokenCounter implements TokenCounter {

  private final BytePairEncoder encoder;
  private final String source;

  private BpeTokenCounter(BytePairEncoder encoder, String source) {
    this.encoder = encoder;
    this.source = source;
  }

  /**
   * Reads the vocabulary file.
   *
   * @throws ConfigurationException when the file cannot be read or is malformed
   */
  static BpeTokenCounter load(Path tiktokenFile) {
    Objects.requireNonNull(tiktokenFile, "tiktokenFile");
    Vocabulary v;
    try (Reader r = Files.newBufferedReader(tiktokenFile, StandardCharsets.US_ASCII)) {
      v = Vocabulary.read(r);
    } catch (IOException e) {
      throw new ConfigurationException(
          "cannot read tokenizer vocabulary " + tiktokenFile + ": " + e);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(
          tiktokenFile + " is not a tiktoken-format vocabulary: " + e.getMessage());
    }
    return new BpeTokenCounter(BytePairEncoder.sabia(v), tiktokenFile.toString());
  }

  @Override
  public int count(String text) {
    return encoder.count(Objects.requireNonNull(text, "text"));
  }

  /** The token ids of {@code text}. */
  public int[] encode(String text) {
    return encoder.encode(Objects.requireNonNull(text, "text"));
  }

  /** The text the token ids stand for (invalid UTF-8 sequences become U+FFFD). */
  public String decode(int[] ids) {
    return new String(encoder.decode(ids), StandardCharsets.UTF_8);
  }

  /** The number of tokens in the vocabulary. */
  public int vocabularySize() {
    return encoder.vocabulary().size();
  }

  @Override
  public String toString() {
    return "TokenCounter.fromVocabulary(" + source + ", " + vocabularySize() + " tokens)";
  }
}
