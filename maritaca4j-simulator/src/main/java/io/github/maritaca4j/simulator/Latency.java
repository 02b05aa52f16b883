package io.github.maritaca4j.simulator;

import java.time.Duration;
import java.util.Objects;

/**
 * Service time of a chat completion: {@code (base + perOutputToken x completion_tokens) x J}, where
 * {@code J = exp(sigma x N(0,1))} is lognormal jitter with median 1 drawn from the seeded
 * generator. For a streamed answer the first chunk comes after {@code base x J} and each next chunk
 * after {@code perOutputToken x its tokens x J}. Immutable.
 */
public final class Latency {
  private static final Latency NONE = new Latency(Duration.ZERO, Duration.ZERO, 0);

  private final Duration base;
  private final Duration perOutputToken;
  private final double sigma;

  private Latency(Duration base, Duration perOutputToken, double sigma) {
    this.base = base;
    this.perOutputToken = perOutputToken;
    this.sigma = sigma;
  }

  /** Answer at once (the default). */
  public static Latency none() {
    return NONE;
  }

  /** Always exactly {@code base}, whatever the answer's length. */
  public static Latency fixed(Duration base) {
    return of(base, Duration.ZERO, 0);
  }

  /**
   * {@code base} plus {@code perOutputToken} for each generated token, times lognormal jitter.
   *
   * @param lognormalSigma sigma of the jitter's logarithm, 0 for none, at most 3
   */
  public static Latency of(Duration base, Duration perOutputToken, double lognormalSigma) {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(perOutputToken, "perOutputToken");
    if (base.isNegative()) {
      throw new IllegalArgumentException("base latency must be >= 0: " + base);
    }
    if (perOutputToken.isNegative()) {
      throw new IllegalArgumentException("perOutputToken latency must be >= 0: " + perOutputToken);
    }
    if (!(lognormalSigma >= 0 && lognormalSigma <= 3)) {
      throw new IllegalArgumentException("lognormalSigma must be in [0, 3]: " + lognormalSigma);
    }
    return new Latency(base, perOutputToken, lognormalSigma);
  }

  public Duration base() {
    return base;
  }

  public Duration perOutputToken() {
    return perOutputToken;
  }

  public double sigma() {
    return sigma;
  }

  @Override
  public String toString() {
    return "Latency[base=" + base + ", perOutputToken=" + perOutputToken + ", sigma=" + sigma + "]";
  }
}
