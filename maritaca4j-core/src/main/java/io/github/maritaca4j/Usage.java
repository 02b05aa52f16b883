package io.github.maritaca4j;

/**
 * Token usage reported by the server for one response (or summed over many). Immutable.
 *
 * @param promptTokens input tokens, cached ones included
 * @param completionTokens output tokens
 * @param totalTokens as reported (normally prompt + completion)
 * @param cachedPromptTokens the part of {@code promptTokens} served from the prompt cache
 */
public record Usage(
    long promptTokens, long completionTokens, long totalTokens, long cachedPromptTokens) {

  /** No tokens. */
  public static final Usage ZERO = new Usage(0, 0, 0, 0);

  public Usage {
    if (promptTokens < 0 || completionTokens < 0 || totalTokens < 0 || cachedPromptTokens < 0) {
      throw new IllegalArgumentException("token counts must not be negative");
    }
  }

  /** Usage without cached tokens, total computed. */
  public static Usage of(long promptTokens, long completionTokens) {
    return new Usage(promptTokens, completionTokens, promptTokens + completionTokens, 0);
  }

  /** Prompt tokens not served from the cache. */
  public long uncachedPromptTokens() {
    return Math.max(0, promptTokens - cachedPromptTokens);
  }

  /** The sum of this and {@code other}. */
  public Usage plus(Usage other) {
    return new Usage(
        promptTokens + other.promptTokens,
        completionTokens + other.completionTokens,
        totalTokens + other.totalTokens,
        cachedPromptTokens + other.cachedPromptTokens);
  }
}
