package io.github.maritaca4j.cli;

import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.batch.BatchOptions;
import io.github.maritaca4j.batch.RateLimits;
import java.math.BigDecimal;
import picocli.CommandLine.Option;

/**
 * How fast a job may go and how much it may spend. {@code --tier} and {@code
 * --rpm/--tpm-in/--tpm-out} are the account's limits, given to the client ({@link #apply}): every
 * request of the account in this process (and, with {@code --shared-limits}, in every process
 * sharing the store) is paced by them. {@code --concurrency} and {@code --budget} are this run's
 * own.
 */
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
      description =
          "Your account's tier (0-5): paces to its published limits for each model (default:"
              + " learnt from the server's answers).")
  Integer tier;

  @Option(
      names = "--rpm",
      paramLabel = "N",
      description = "The account's requests per minute for --model (replaces the tier's).")
  Long rpm;

  @Option(
      names = "--tpm-in",
      paramLabel = "N",
      description = "The account's input tokens per minute for --model (replaces the tier's).")
  Long tpmIn;

  @Option(
      names = "--tpm-out",
      paramLabel = "N",
      description = "The account's output tokens per minute for --model (replaces the tier's).")
  Long tpmOut;

  @Option(
      names = "--budget",
      paramLabel = "BRL",
      description =
          "Most this run may spend, in reais: stops before starting when the estimate is higher,"
              + " and no request is sent that could exceed it.")
  BigDecimal budget;

  /**
   * The account's rate limits for {@code model}: the tier's, with each explicit value replacing its
   * dimension. A tier without published limits for the model is a usage error unless all three
   * limits are given.
   */
  RateLimits rateLimits(String model) {
    RateLimits base = RateLimits.UNKNOWN;
    if (tier != null) {
      try {
        base = RateLimits.tier(tier, model);
      } catch (IllegalArgumentException e) {
        if (tier < 0 || tier > 5 || rpm == null || tpmIn == null || tpmOut == null) {
          throw new CliException(ExitCodes.USAGE, "--tier: " + e.getMessage());
        }
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

  /**
   * Gives the client the account's limits: {@code --tier} for every model it lists, the merged tier
   * and explicit limits for {@code model} (the default model). Without any, the client learns the
   * limits from the server's {@code x-ratelimit-*} headers and its 429s.
   */
  void apply(ChatMaritaca.Builder b, String model) {
    RateLimits limits = rateLimits(model);
    if (tier != null) {
      b.tier(tier);
    }
    if (!limits.isUnknown()) {
      b.rateLimits(limits);
    }
  }

  /** This run's options: its concurrency and budget (the account's limits are the client's). */
  BatchOptions.Builder options() {
    if (concurrency < 1) {
      throw new CliException(ExitCodes.USAGE, "--concurrency must be at least 1");
    }
    if (budget != null && budget.signum() <= 0) {
      throw new CliException(ExitCodes.USAGE, "--budget must be positive");
    }
    return BatchOptions.builder().maxConcurrency(concurrency).budget(budget);
  }
}
