package io.github.maritaca4j.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code maritaca batch}: JSONL jobs. */
@Command(
    name = "batch",
    mixinStandardHelpOptions = true,
    description = {
      "JSONL jobs: a file of requests in, a file of answers out.",
      "Real time through the rate-limited engine (run), or on the Batch API at half price"
          + " (submit, status, results, cancel)."
    },
    subcommands = {
      BatchRunCommand.class,
      BatchEstimateCommand.class,
      BatchPlanCommand.class,
      BatchSubmitCommand.class,
      BatchStatusCommand.class,
      BatchResultsCommand.class,
      BatchCancelCommand.class
    })
final class BatchCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
