package io.github.maritaca4j.langchain4j;

import dev.langchain4j.model.output.TokenUsage;
import io.github.maritaca4j.Usage;
import java.util.Objects;

/**
 * Token usage with the part of the input served from Maritaca's prompt cache (billed at a quarter
 * of the input price). Immutable.
 */
public class MaritacaTokenUsage extends TokenUsage {
  private final Integer cachedInputTokenCount;

  /**
   * Creates a usage.
   *
   * @param inputTokenCount input tokens, cached ones included
   * @param outputTokenCount output tokens
   * @param totalTokenCount total tokens
   * @param cachedInputTokenCount input tokens served from the cache; may be null when unknown
   */
  public MaritacaTokenUsage(
      Integer inputTokenCount,
      Integer outputTokenCount,
      Integer totalTokenCount,
      Integer cachedInputTokenCount) {
    super(inputTokenCount, outputTokenCount, totalTokenCount);
    this.cachedInputTokenCount = cachedInputTokenCount;
  }

  /** The usage reported by maritaca4j, in LangChain4j's terms. */
  public static MaritacaTokenUsage from(Usage usage) {
    return new MaritacaTokenUsage(
        toInt(usage.promptTokens()),
        toInt(usage.completionTokens()),
        toInt(usage.totalTokens()),
        toInt(usage.cachedPromptTokens()));
  }

  private static int toInt(long v) {
    return v > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) v;
  }

  /** Input tokens served from the prompt cache; null when unknown. */
  public Integer cachedInputTokenCount() {
    return cachedInputTokenCount;
  }

  @Override
  public MaritacaTokenUsage add(TokenUsage that) {
    if (that == null) {
      return this;
    }
    Integer cached =
        that instanceof MaritacaTokenUsage m
            ? sum(cachedInputTokenCount, m.cachedInputTokenCount)
            : cachedInputTokenCount;
    return new MaritacaTokenUsage(
        sum(inputTokenCount(), that.inputTokenCount()),
        sum(outputTokenCount(), that.outputTokenCount()),
        sum(totalTokenCount(), that.totalTokenCount()),
        cached);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (o == null || getClass() != o.getClass() || !super.equals(o)) {
      return false;
    }
    return Objects.equals(cachedInputTokenCount, ((MaritacaTokenUsage) o).cachedInputTokenCount);
  }

  @Override
  public int hashCode() {
    return Objects.hash(super.hashCode(), cachedInputTokenCount);
  }

  @Override
  public String toString() {
    return "MaritacaTokenUsage{inputTokenCount="
        + inputTokenCount()
        + ", cachedInputTokenCount="
        + cachedInputTokenCount
        + ", outputTokenCount="
        + outputTokenCount()
        + ", totalTokenCount="
        + totalTokenCount()
        + "}";
  }
}
