package io.github.maritaca4j.cli;

import io.github.maritaca4j.batch.BatchOptions;
import io.github.maritaca4j.batch.RateLimits;
import java.math.BigDecimal;
import picocli.CommandLine.Option;

/** How fast a job may go and how much it may spend. */
final class LimitOptions {
  @Option(
      names = {"-c", "--concurrency"},
      paramLabel = "N",
      description = "Most requests in flight at once (default: ${DEFAULT-VALUE}).",
      defaultValue = "5")
  int concurrency;

  @Option(
      names = "--tier",
      paramLabel = "N",
      description = "Your account's tier (0-5): paces to its published limits for the model.")
  Integer tier;

  @Option(names = "--rpm", paramLabel = "N", description = "Requests per minute allowed.")
  Long rpm;

  @Option(names = "--tpm-in", paramLabel = "N", description = "Input tokens per minute allowed.")
  Long tpmIn;

  @Option(names = "--tpm-out", paramLabel = "N", description = "Output tokens per minute allowed.")
  Long tpmOut;

  @Option(
      names = "--budget",
      paramLabel = "BRL",
      description =
          "Most this run may spend, in reais: stops before starting when the estimate is higher,"
              + " and no request is sent that could exceed it.")
  BigDecimal budget;

  /** The rate limits: the tier's, with each explicit value replacing its dimension. */
  RateLimits rateLimits(String model) {
    RateLimits base = RateLimits.UNKNOWN;
    if (tier != null) {
      try {
        base = RateLimits.tier(tier, model);
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCodes.USAGE, "--tier: " + e.getMessage());
      }
    }
    long r = rpm != null ? rpm : base.rpm();
    long in = tpmIn != null ? tpmIn : base.tpmIn();
    long out = tpmOut != null ? tpmOut : base.tpmOut();
    if (r < 0 || in < 0 || out < 0) {
      throw new CliException(ExitCodes.USAGE, "rate limits must not be negative");
    }
    return RateLimits.of(r, in, out);
  }

  BatchOptions.Builder options(String model) {
    if (concurrency < 1) {
      throw new CliException(ExitCodes.USAGE, "--concurrency must be at least 1");
    }
    if (budget != null && budget.signum() <= 0) {
      throw new CliException(ExitCodes.USAGE, "--budget must be positive");
    }
    return BatchOptions.builder()
        .maxConcurrency(concurrency)
        .rateLimits(rateLimits(model))
        .budget(budget);
  }
}
