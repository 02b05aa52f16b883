package io.github.maritaca4j.cli;

import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.cost.CostEstimator;
import io.github.maritaca4j.jobs.JobFiles;
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
          + " is not in OUTPUT or the errors file yet."
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
    jobFiles.check();
    ChatMaritaca.Builder b = connection.builder(env);
    model.apply(b);
    ChatMaritaca client = b.build();
    JobFiles files = jobFiles.files();
    return new JobRunner(
            spec.commandLine().getOut(), spec.commandLine().getErr(), env, client, files, reporting)
        .retryFailed(retryFailed)
        .options(limits.options(model.model).build())
        .yes(yes)
        .args(spec.commandLine().getParseResult().originalArgs())
        .estimateOutputTokens(estimateOutputTokens)
        .run();
  }
}
