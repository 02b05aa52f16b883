package io.github.maritaca4j.cli;

import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.batch.BatchOptions;
import io.github.maritaca4j.batch.SharedLimits;
import io.github.maritaca4j.cost.CostEstimator;
import io.github.maritaca4j.jobs.JobFiles;
import io.github.maritaca4j.jobs.JobShard;
import io.github.maritaca4j.jobs.ResponseCache;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code maritaca batch run INPUT -o OUTPUT}: a durable, resumable real-time job. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Runs every request of INPUT in real time and appends each answer to OUTPUT.",
      "The whole input is validated first (nothing is sent if a line is wrong). Interrupt it at"
          + " any moment (Ctrl-C, kill -9, a crash): the same command resumes, sending only what"
          + " is not in OUTPUT or the errors file yet.",
      "Several machines: give each the same INPUT, --shard K/N and its own OUTPUT, and"
          + " --shared-limits URL so that together they keep to the account's limits."
    })
final class BatchRunCommand implements Callable<Integer> {
  private final CliEnvironment env;

  @Spec CommandSpec spec;

  @Mixin JobFileOptions jobFiles;

  @Option(
      names = "--retry-failed",
      description = "Run only the failed requests of the errors file again.")
  boolean retryFailed;

  @Option(
      names = {"-y", "--yes"},
      description =
          "Do not ask: when the estimate exceeds --budget, run until the budget is spent.")
  boolean yes;

  @Option(
      names = "--max-output-tokens",
      paramLabel = "N",
      description =
          "Output tokens the estimate assumes for a request without max_tokens (default:"
              + " ${DEFAULT-VALUE}).",
      defaultValue = "" + CostEstimator.DEFAULT_OUTPUT_TOKENS)
  int estimateOutputTokens;

  @Option(
      names = "--shard",
      paramLabel = "K/N",
      description =
          "Run only shard K of N (1 to N) of INPUT: the lines whose custom_id hashes to K, so"
              + " that N runs with 1/N to N/N, each with its own OUTPUT, do every line once.")
  JobShard shard;

  @Option(
      names = "--off-peak",
      description =
          "Send only in the off-peak window (22:00-06:00 Brasília, 30 % off): wait for 22:00,"
              + " stop sending at 06:00 (what is in flight finishes) and go on the next night.")
  boolean offPeak;

  @Option(
      names = "--exit-at-window-end",
      description =
          "With --off-peak: exit at 06:00 (code 7) with the command that resumes, instead of"
              + " waiting for the next night.")
  boolean exitAtWindowEnd;

  @Mixin ReuseOptions reuse;
  @Mixin SchemaOptions schema;
  @Mixin SharedLimitsOptions sharedLimits;
  @Mixin ConnectionOptions connection;
  @Mixin ModelOptions model;
  @Mixin LimitOptions limits;
  @Mixin OutputOptions reporting;

  BatchRunCommand(CliEnvironment env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    ConnectionOptions.requireKey(env);
    if (estimateOutputTokens < 0) {
      throw new CliException(ExitCodes.USAGE, "--max-output-tokens must not be negative");
    }
    if (offPeak && model.flex) {
      throw new CliException(
          ExitCodes.USAGE,
          "--off-peak with --flex: the discounts do not add up (only one applies to a request:"
              + " flex is 50 % off at any hour, off-peak 30 %); choose one");
    }
    if (exitAtWindowEnd && !offPeak) {
      throw new CliException(ExitCodes.USAGE, "--exit-at-window-end needs --off-peak");
    }
    jobFiles.check();
    schema.load();
    ChatMaritaca.Builder b = connection.builder(env);
    model.apply(b);
    schema.apply(b);
    limits.apply(b, model.model.strip());
    BatchOptions options = schema.apply(limits.options()).build();
    JobFiles files = jobFiles.files();
    ResponseCache cache = reuse.openCache();
    // last of the checks: a store that cannot be used stops the command before anything is read
    SharedLimits store;
    try {
      store = sharedLimits.connect(env);
    } catch (RuntimeException e) {
      if (cache != null) {
        cache.close();
      }
      throw e;
    }
    try {
      if (store != null) {
        b.sharedLimits(store);
        if (!reporting.quiet) {
          spec.commandLine()
              .getErr()
              .println(
                  "shared limits: "
                      + SharedLimitsOptions.redact(sharedLimits.url(env))
                      + " (the account's limits and 429 pauses, with every process using it)");
        }
      }
      ChatMaritaca client = b.build();
      java.util.function.Function<java.math.BigDecimal, JobRunner> runner =
          budgetLeft ->
              new JobRunner(
                      spec.commandLine().getOut(),
                      spec.commandLine().getErr(),
                      env,
                      client,
                      files,
                      reporting)
                  .retryFailed(retryFailed)
                  .options(
                      budgetLeft == null || options.budget() == null
                          ? options
                          : schema.apply(limits.options().budget(budgetLeft)).build())
                  .shard(shard)
                  .yes(yes)
                  .args(spec.commandLine().getParseResult().originalArgs())
                  .estimateOutputTokens(estimateOutputTokens)
                  .configure(job -> reuse.apply(job, cache));
      if (offPeak) {
        OffPeakRun night =
            new OffPeakRun(
                env,
                spec.commandLine().getErr(),
                exitAtWindowEnd,
                reporting.quiet,
                JobRunner.shellCommand(spec.commandLine().getParseResult().originalArgs()));
        Integer stop = night.precheck(client, files, estimateOutputTokens, shard);
        return stop != null ? stop : night.run(runner, options.budget());
      }
      return runner.apply(null).run();
    } finally {
      if (cache != null) {
        cache.close();
      }
      if (store != null) {
        try {
          store.close();
        } catch (RuntimeException e) {
          // the run is over; nothing depends on the store any more
        }
      }
    }
  }
}
