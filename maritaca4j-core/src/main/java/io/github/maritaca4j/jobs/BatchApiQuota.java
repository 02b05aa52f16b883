package io.github.maritaca4j.jobs;

import io.github.maritaca4j.batchapi.BatchApiClient;
import java.time.Duration;
import java.util.Objects;

/**
 * The Batch API's limits, as Maritaca publishes them: requests and bytes per input file (one model
 * per file), the completion window, and the daily quota of input characters, which depends on the
 * account's tier. Data, not rules: build another when Maritaca changes them. Immutable.
 *
 * @param maxRequestsPerFile the most lines an input file may hold (50,000)
 * @param maxBytesPerFile the largest input file (200 MB)
 * @param completionWindow the time the Batch API takes at most (24 h); a batch not done by then
 *     expires
 * @param charactersPerDay the input characters the account may submit a day (1.2 billion on tiers 1
 *     to 5, 4 million on tier 0)
 */
public record BatchApiQuota(
    long maxRequestsPerFile,
    long maxBytesPerFile,
    Duration completionWindow,
    long charactersPerDay) {

  /** Tier 0's daily characters. */
  public static final long TIER_0_CHARACTERS_PER_DAY = 4_000_000L;

  /** The daily characters of tiers 1 to 5. */
  public static final long PAID_TIER_CHARACTERS_PER_DAY = 1_200_000_000L;

  public BatchApiQuota {
    Objects.requireNonNull(completionWindow, "completionWindow");
    if (maxRequestsPerFile <= 0 || maxBytesPerFile <= 0 || charactersPerDay <= 0) {
      throw new IllegalArgumentException(
          "Batch API limits must be positive: "
              + maxRequestsPerFile
              + " requests, "
              + maxBytesPerFile
              + " bytes, "
              + charactersPerDay
              + " characters a day");
    }
    if (completionWindow.isNegative() || completionWindow.isZero()) {
      throw new IllegalArgumentException("completionWindow must be positive: " + completionWindow);
    }
  }

  /**
   * The published limits of {@code tier} (0 to 5); null (not known) is taken as a paid tier (1 to 5
   * share one quota).
   *
   * @throws IllegalArgumentException for a tier outside 0..5
   */
  public static BatchApiQuota forTier(Integer tier) {
    if (tier != null && (tier < 0 || tier > 5)) {
      throw new IllegalArgumentException("tier must be between 0 and 5, was " + tier);
    }
    return new BatchApiQuota(
        BatchApiClient.MAX_LINES_PER_FILE,
        BatchApiClient.MAX_FILE_BYTES,
        Duration.ofHours(24),
        tier != null && tier == 0 ? TIER_0_CHARACTERS_PER_DAY : PAID_TIER_CHARACTERS_PER_DAY);
  }
}
