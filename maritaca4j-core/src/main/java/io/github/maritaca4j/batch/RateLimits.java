package io.github.maritaca4j.batch;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An account's rate limits for one model: requests per minute, input tokens per minute and output
 * tokens per minute, as Maritaca publishes them per tier. Zero means unknown (or unlimited): that
 * dimension is not paced by the client. Immutable.
 *
 * <p>Servers enforce per-minute limits over a shorter window with some burst: a token bucket that
 * holds {@code limit × burst / 60 s} and refills at {@code limit / 60 s}. When {@code burst} is
 * known, pass it ({@link #withBurst(Duration)}); when it is {@code null} the batch engine starts
 * optimistic and learns the server's burst from the first 429 (see {@code docs/batch.md}).
 *
 * <pre>{@code
 * RateLimits.tier(2, "sabia-4");                 // 1,500 RPM, 4M TPM in, 350k TPM out
 * RateLimits.of(1_000, 2_000_000, 200_000);      // explicit
 * RateLimits.rpm(60).withBurst(Duration.ofSeconds(6));
 * }</pre>
 *
 * @param rpm requests per minute, 0 = unknown
 * @param tpmIn input (prompt) tokens per minute, 0 = unknown
 * @param tpmOut output (completion) tokens per minute, 0 = unknown
 * @param burst the server's burst window (its bucket holds {@code limit × burst / 60 s}); null when
 *     unknown
 */
public record RateLimits(long rpm, long tpmIn, long tpmOut, Duration burst) {

  /** Nothing known: the engine relies on 429s and adaptive concurrency alone. */
  public static final RateLimits UNKNOWN = new RateLimits(0, 0, 0, null);

  public RateLimits {
    if (rpm < 0) {
      throw new IllegalArgumentException("rpm must be >= 0 (0 = unknown), was " + rpm);
    }
    if (tpmIn < 0) {
      throw new IllegalArgumentException("tpmIn must be >= 0 (0 = unknown), was " + tpmIn);
    }
    if (tpmOut < 0) {
      throw new IllegalArgumentException("tpmOut must be >= 0 (0 = unknown), was " + tpmOut);
    }
    if (burst != null && (burst.isNegative() || burst.isZero())) {
      throw new IllegalArgumentException(
          "burst must be positive (or null = unknown), was " + burst);
    }
    if (burst != null && burst.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new IllegalArgumentException("burst must be at most one minute, was " + burst);
    }
  }

  /** Limits with an unknown burst. */
  public static RateLimits of(long rpm, long tpmIn, long tpmOut) {
    return new RateLimits(rpm, tpmIn, tpmOut, null);
  }

  /** Only a requests-per-minute limit. */
  public static RateLimits rpm(long rpm) {
    return new RateLimits(rpm, 0, 0, null);
  }

  /** A copy with the server's burst window known. */
  public RateLimits withBurst(Duration burst) {
    if (burst == null) {
      throw new IllegalArgumentException("burst must not be null (use the record constructor)");
    }
    return new RateLimits(rpm, tpmIn, tpmOut, burst);
  }

  /** The burst window, when known. */
  public Optional<Duration> burstWindow() {
    return Optional.ofNullable(burst);
  }

  /** True when no dimension is known. */
  public boolean isUnknown() {
    return rpm == 0 && tpmIn == 0 && tpmOut == 0;
  }

  /**
   * The published limits of {@code tier} (0 to 5) for {@code model}, from Maritaca's rate-limit
   * table: {@code sabia-4} and its aliases, and the legacy {@code sabia-3.1} and {@code sabia-3},
   * follow sabia-4's row; {@code sabiazinho-4} and its aliases ({@code sabia-4-small}, {@code
   * sabiazim-4}) and the legacy {@code sabiazinho-3} and {@code sabiazinho-3.1} follow
   * sabiazinho-4's. The burst is unknown.
   *
   * @throws IllegalArgumentException for a tier outside 0..5 or a model without published limits
   *     (e.g. {@code sabia-4-thinking}): pass {@link #of(long, long, long)} instead
   */
  public static RateLimits tier(int tier, String model) {
    if (tier < 0 || tier > 5) {
      throw new IllegalArgumentException("tier must be between 0 and 5, was " + tier);
    }
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("model must not be blank");
    }
    String row = TABLE_ROW.get(model.strip().toLowerCase(Locale.ROOT));
    if (row == null) {
      throw new IllegalArgumentException(
          "no published rate limits for model '"
              + model
              + "' (known: "
              + TABLE_ROW.keySet().stream().sorted().toList()
              + "); pass RateLimits.of(rpm, tpmIn, tpmOut) instead");
    }
    long[] v = (row.equals("sabia-4") ? SABIA_4 : SABIAZINHO_4).get(tier);
    return new RateLimits(v[0], v[1], v[2], null);
  }

  private static final Map<String, String> TABLE_ROW =
      Map.ofEntries(
          Map.entry("sabia-4", "sabia-4"),
          Map.entry("sabia-4-2026-01-06", "sabia-4"),
          Map.entry("sabia-3.1", "sabia-4"),
          Map.entry("sabia-3", "sabia-4"),
          Map.entry("sabiazinho-4", "sabiazinho-4"),
          Map.entry("sabiazinho-4-2026-01-06", "sabiazinho-4"),
          Map.entry("sabia-4-small", "sabiazinho-4"),
          Map.entry("sabiazim-4", "sabiazinho-4"),
          Map.entry("sabiazinho-3", "sabiazinho-4"),
          Map.entry("sabiazinho-3.1", "sabiazinho-4"));

  private static final List<long[]> SABIA_4 =
      List.of(
          new long[] {60, 128_000, 10_000},
          new long[] {1_000, 2_000_000, 200_000},
          new long[] {1_500, 4_000_000, 350_000},
          new long[] {2_000, 6_000_000, 500_000},
          new long[] {5_000, 10_000_000, 1_000_000},
          new long[] {10_000, 20_000_000, 2_000_000});

  private static final List<long[]> SABIAZINHO_4 =
      List.of(
          new long[] {60, 128_000, 10_000},
          new long[] {1_000, 2_000_000, 200_000},
          new long[] {2_000, 4_000_000, 400_000},
          new long[] {5_000, 20_000_000, 800_000},
          new long[] {10_000, 50_000_000, 2_000_000},
          new long[] {30_000, 100_000_000, 10_000_000});
}
