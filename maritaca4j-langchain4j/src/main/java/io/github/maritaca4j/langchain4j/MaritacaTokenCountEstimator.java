package io.github.maritaca4j.langchain4j;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.model.TokenCountEstimator;
import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.Message;
import io.github.maritaca4j.cost.TokenCounter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * LangChain4j's {@link TokenCountEstimator} on maritaca4j's Sabiá token counter: the estimator
 * calibrated for Portuguese by default, exact counts with Sabiá's vocabulary file. Use it for
 * {@code TokenWindowChatMemory}, document splitters, or to check a prompt against the context
 * window. Message counts include the per-message framing tokens (see maritaca4j's {@code
 * TokenOverhead}); content the API cannot take (audio, video, PDF) is not counted.
 *
 * <pre>{@code
 * ChatMemory memory = TokenWindowChatMemory.withMaxTokens(4_000, MaritacaTokenCountEstimator.create());
 * }</pre>
 *
 * Immutable and thread-safe.
 */
public final class MaritacaTokenCountEstimator implements TokenCountEstimator {
  private final TokenCounter counter;

  private MaritacaTokenCountEstimator(TokenCounter counter) {
    this.counter = Objects.requireNonNull(counter, "counter");
  }

  /**
   * The default counter ({@link TokenCounter#defaults()}: exact when {@code
   * MARITACA_TOKENIZER_FILE} names Sabiá's vocabulary, else the estimator).
   */
  public static MaritacaTokenCountEstimator create() {
    return new MaritacaTokenCountEstimator(TokenCounter.defaults());
  }

  /** Counts with {@code counter}. */
  public static MaritacaTokenCountEstimator of(TokenCounter counter) {
    return new MaritacaTokenCountEstimator(counter);
  }

  /** Counts with the client's counter (the one its cost estimates use). */
  public static MaritacaTokenCountEstimator of(ChatMaritaca client) {
    return new MaritacaTokenCountEstimator(client.tokenCounter());
  }

  /** Exact counts with a tiktoken-format vocabulary file (Sabiá's). */
  public static MaritacaTokenCountEstimator fromVocabulary(Path tiktokenFile) {
    return new MaritacaTokenCountEstimator(TokenCounter.fromVocabulary(tiktokenFile));
  }

  /** The maritaca4j counter behind this estimator. */
  public TokenCounter counter() {
    return counter;
  }

  @Override
  public int estimateTokenCountInText(String text) {
    return text == null || text.isEmpty() ? 0 : counter.count(text);
  }

  @Override
  public int estimateTokenCountInMessage(ChatMessage message) {
    return saturate(counter.countMessages(List.of(Mapping.toMessage(message, true))));
  }

  @Override
  public int estimateTokenCountInMessages(Iterable<ChatMessage> messages) {
    List<Message> converted = new ArrayList<>();
    for (ChatMessage m : messages) {
      converted.add(Mapping.toMessage(m, true));
    }
    return saturate(counter.countMessages(converted));
  }

  private static int saturate(long v) {
    return v > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) v;
  }

  @Override
  public String toString() {
    return "MaritacaTokenCountEstimator[" + counter + "]";
  }
}
