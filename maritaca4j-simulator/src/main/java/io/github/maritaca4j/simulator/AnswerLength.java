package io.github.maritaca4j.simulator;

/**
 * The distribution of the length, in tokens, of a generated (templated) answer before {@code
 * max_tokens} caps it. The simulator draws from it with a generator seeded by the simulator's seed
 * and the request, so the same request gets the same length. Immutable.
 */
public final class AnswerLength {
  private enum Kind {
    FIXED,
    UNIFORM,
    LOGNORMAL
  }

  private final Kind kind;
  private final int a;
  private final int b;
  private final double sigma;

  private AnswerLength(Kind kind, int a, int b, double sigma) {
    this.kind = kind;
    this.a = a;
    this.b = b;
    this.sigma = sigma;
  }

  /** The default: lognormal with median 60 tokens and sigma 0.5. */
  public static AnswerLength defaultDistribution() {
    return lognormal(60, 0.5);
  }

  /** Always {@code tokens} tokens (rounded up to the end of a sentence). */
  public static AnswerLength fixed(int tokens) {
    check(tokens, "tokens");
    return new AnswerLength(Kind.FIXED, tokens, tokens, 0);
  }

  /** Uniform between {@code min} and {@code max} tokens, both inclusive. */
  public static AnswerLength uniform(int min, int max) {
    check(min, "min");
    check(max, "max");
    if (max < min) {
      throw new IllegalArgumentException("max (" + max + ") must be >= min (" + min + ")");
    }
    return new AnswerLength(Kind.UNIFORM, min, max, 0);
  }

  /** Lognormal with the given median (tokens) and sigma of the logarithm. */
  public static AnswerLength lognormal(int median, double sigma) {
    check(median, "median");
    if (!(sigma >= 0 && sigma <= 3)) {
      throw new IllegalArgumentException("sigma must be in [0, 3]: " + sigma);
    }
    return new AnswerLength(Kind.LOGNORMAL, median, median, sigma);
  }

  private static void check(int v, String name) {
    if (v < 1 || v > 32768) {
      throw new IllegalArgumentException(name + " must be in [1, 32768]: " + v);
    }
  }

  /**
   * Draws a length from {@code uniform01} and {@code gaussian} (one standard normal value).
   *
   * @return a length in [1, 32768]
   */
  public int sample(double uniform01, double gaussian) {
    double v =
        switch (kind) {
          case FIXED -> a;
          case UNIFORM -> a + Math.floor(uniform01 * (b - a + 1));
          case LOGNORMAL -> a * Math.exp(sigma * gaussian);
        };
    return (int) Math.max(1, Math.min(32768, Math.round(v)));
  }

  @Override
  public String toString() {
    return switch (kind) {
      case FIXED -> "fixed(" + a + ")";
      case UNIFORM -> "uniform(" + a + ", " + b + ")";
      case LOGNORMAL -> "lognormal(median=" + a + ", sigma=" + sigma + ")";
    };
  }
}
