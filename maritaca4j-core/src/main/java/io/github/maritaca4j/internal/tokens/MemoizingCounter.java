package io.github.maritaca4j.internal.tokens;

import io.github.maritaca4j.cost.BpeTokenCounter;
import io.github.maritaca4j.cost.TokenCounter;
import java.util.HashMap;
import java.util.Map;

/**
 * Remembers the counts of long texts for the length of one batch estimate, so a system prompt
 * shared by 100,000 requests is tokenised once. Bounded: after {@link #MAX_ENTRIES} texts it stops
 * remembering new ones. Not thread-safe (one per estimate call). Internal API.
 */
public final class MemoizingCounter implements TokenCounter {

  static final int MIN_LENGTH = 64;
  static final int MAX_ENTRIES = 4096;

  private final TokenCounter delegate;
  private final Map<String, Integer> counts = new HashMap<>();

  private MemoizingCounter(TokenCounter delegate) {
    this.delegate = delegate;
  }

  /**
   * A memoizing wrapper for this library's own counters. Other counters are returned unchanged, as
   * they may count messages and requests their own way.
   */
  public static TokenCounter forBatch(TokenCounter counter) {
    if (counter instanceof Cl100kDigitEstimator || counter instanceof BpeTokenCounter) {
      return new MemoizingCounter(counter);
    }
    return counter;
  }

  @Override
  public int count(String text) {
    if (text.length() < MIN_LENGTH) {
      return delegate.count(text);
    }
    Integer c = counts.get(text);
    if (c != null) {
      return c;
    }
    int n = delegate.count(text);
    if (counts.size() < MAX_ENTRIES) {
      counts.put(text, n);
    }
    return n;
  }
}
