package io.github.maritaca4j.simulator;

/**
 * Per-model rate limits: requests per minute, input (prompt) tokens per minute and output
 * (completion) tokens per minute. Zero means unlimited. Immutable.
 *
 * @param rpm requests per minute, 0 = unlimited
 * @param tpmIn prompt tokens per minute, 0 = unlimited
 * @param tpmOut completion tokens per minute, 0 = unlimited
 */
public record RateLimit(long rpm, long tpmIn, long tpmOut) {

  /** No limit on anything. */
  public static final RateLimit UNLIMITED = new RateLimit(0, 0, 0);

  public RateLimit {
    if (rpm < 0) {
      throw new IllegalArgumentException("rpm must be >= 0 (0 = unlimited): " + rpm);
    }
    if (tpmIn < 0) {
      throw new IllegalArgumentException("tpmIn must be >= 0 (0 = unlimited): " + tpmIn);
    }
    if (tpmOut < 0) {
      throw new IllegalArgumentException("tpmOut must be >= 0 (0 = unlimited): " + tpmOut);
    }
  }

  /** Limits of {@code rpm} requests, {@code tpmIn} and {@code tpmOut} tokens per minute. */
  public static RateLimit of(long rpm, long tpmIn, long tpmOut) {
    return new RateLimit(rpm, tpmIn, tpmOut);
  }

  /** Only a requests-per-minute limit. */
  public static RateLimit rpm(long rpm) {
    return new RateLimit(rpm, 0, 0);
  }

  /** True when no limit is set. */
  public boolean isUnlimited() {
    return rpm == 0 && tpmIn == 0 && tpmOut == 0;
  }
}
