package io.github.maritaca4j.simulator;

import java.util.Arrays;
import java.util.List;

/**
 * Injected failures, each with a probability per admitted chat request, drawn from the simulator's
 * seeded generator. One uniform draw per request picks at most one fault, in this order: hang,
 * connection reset, server error, malformed JSON, mid-stream reset, truncated stream; the last two
 * only apply to streamed requests (for other requests their share of the draw means "no fault").
 * The rates must therefore add up to at most 1. Immutable.
 */
public final class Faults {
  private static final Faults NONE = builder().build();

  private final double serverErrorRate;
  private final int[] serverErrorCodes;
  private final double connectionResetRate;
  private final double midStreamResetRate;
  private final double malformedJsonRate;
  private final double truncatedStreamRate;
  private final double hangRate;

  private Faults(Builder b) {
    this.serverErrorRate = b.serverErrorRate;
    this.serverErrorCodes = b.serverErrorCodes.clone();
    this.connectionResetRate = b.connectionResetRate;
    this.midStreamResetRate = b.midStreamResetRate;
    this.malformedJsonRate = b.malformedJsonRate;
    this.truncatedStreamRate = b.truncatedStreamRate;
    this.hangRate = b.hangRate;
  }

  /** No faults (the default). */
  public static Faults none() {
    return NONE;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Probability of a 5xx answer with a JSON error body. */
  public double serverErrorRate() {
    return serverErrorRate;
  }

  /** The 5xx codes a server error is drawn from (uniformly). */
  public List<Integer> serverErrorCodes() {
    return Arrays.stream(serverErrorCodes).boxed().toList();
  }

  /** Probability that the connection is reset (TCP RST) before any response byte. */
  public double connectionResetRate() {
    return connectionResetRate;
  }

  /** Probability that a streamed answer is reset after about half its chunks. */
  public double midStreamResetRate() {
    return midStreamResetRate;
  }

  /** Probability of a 200 whose JSON body (or one SSE chunk) is broken. */
  public double malformedJsonRate() {
    return malformedJsonRate;
  }

  /** Probability that a stream ends without finish_reason and without {@code [DONE]}. */
  public double truncatedStreamRate() {
    return truncatedStreamRate;
  }

  /** Probability that the server never answers (until the client or the server closes). */
  public double hangRate() {
    return hangRate;
  }

  /** Sum of all rates. */
  public double totalRate() {
    return serverErrorRate
        + connectionResetRate
        + midStreamResetRate
        + malformedJsonRate
        + truncatedStreamRate
        + hangRate;
  }

  @Override
  public String toString() {
    return "Faults[serverError="
        + serverErrorRate
        + " "
        + Arrays.toString(serverErrorCodes)
        + ", connectionReset="
        + connectionResetRate
        + ", midStreamReset="
        + midStreamResetRate
        + ", malformedJson="
        + malformedJsonRate
        + ", truncatedStream="
        + truncatedStreamRate
        + ", hang="
        + hangRate
        + "]";
  }

  /** Builder of {@link Faults}; each setter validates at once. Not thread-safe. */
  public static final class Builder {
    private double serverErrorRate;
    private int[] serverErrorCodes = {500};
    private double connectionResetRate;
    private double midStreamResetRate;
    private double malformedJsonRate;
    private double truncatedStreamRate;
    private double hangRate;

    private Builder() {}

    /**
     * 5xx answers with probability {@code rate}, the status drawn uniformly from {@code codes} (500
     * when none are given).
     */
    public Builder serverErrorRate(double rate, int... codes) {
      this.serverErrorRate = rate(rate, "serverErrorRate");
      if (codes.length > 0) {
        for (int c : codes) {
          if (c < 500 || c > 599) {
            throw new IllegalArgumentException("server error code must be 5xx: " + c);
          }
        }
        this.serverErrorCodes = codes.clone();
      }
      return this;
    }

    public Builder connectionResetRate(double rate) {
      this.connectionResetRate = rate(rate, "connectionResetRate");
      return this;
    }

    public Builder midStreamResetRate(double rate) {
      this.midStreamResetRate = rate(rate, "midStreamResetRate");
      return this;
    }

    public Builder malformedJsonRate(double rate) {
      this.malformedJsonRate = rate(rate, "malformedJsonRate");
      return this;
    }

    public Builder truncatedStreamRate(double rate) {
      this.truncatedStreamRate = rate(rate, "truncatedStreamRate");
      return this;
    }

    public Builder hangRate(double rate) {
      this.hangRate = rate(rate, "hangRate");
      return this;
    }

    /**
     * Builds the faults.
     *
     * @throws IllegalArgumentException when the rates add up to more than 1
     */
    public Faults build() {
      Faults f = new Faults(this);
      if (f.totalRate() > 1.0 + 1e-9) {
        throw new IllegalArgumentException("fault rates add up to more than 1: " + f.totalRate());
      }
      return f;
    }

    private static double rate(double rate, String name) {
      if (!(rate >= 0 && rate <= 1)) {
        throw new IllegalArgumentException(name + " must be in [0, 1]: " + rate);
      }
      return rate;
    }
  }
}
