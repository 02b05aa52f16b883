package io.github.maritaca4j.cli;

import io.github.maritaca4j.jobs.BatchApiJob;
import io.github.maritaca4j.jobs.BatchApiJobState;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code maritaca batch results JOB|INPUT}. */
@Command(
    name = "results",
    mixinStandardHelpOptions = true,
    description = {
      "Downloads the results of a Batch API job's finished batches into its OUTPUT and errors"
          + " files (the same format as `batch run`), each custom_id exactly once.",
      "Safe to interrupt and run again. Exit code 7 while batches are still running."
    })
final class BatchResultsCommand implements Callable<Integer> {
  private final CliEnvironment env;

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "JOB",
      description = "A job id (job_...) or the job's input file.")
  String job;

  @Option(names = "--wait", description = "Wait until every batch is finished first.")
  boolean await;

  @Option(names = "--json", description = "Print the outcome as one JSON object.")
  boolean json;

  @Mixin BatchApiOptions batchApi;
  @Mixin ConnectionOptions connection;

  BatchResultsCommand(CliEnvironment env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    ConnectionOptions.requireKey(env);
    BatchApiJob finder = new BatchApiJob(connection.builder(env).build(), batchApi.stateDir(env));
    BatchApiJobState state = finder.find(job);
    BatchApiJob jobs =
        new BatchApiJob(BatchApiSupport.client(env, connection, state), batchApi.stateDir(env));
    if (await) {
      state =
          BatchApiSupport.waitFor(
              jobs,
              state,
              batchApi.pollMillis(),
              spec.commandLine().getErr(),
              env.interactive(),
              json);
    }
    return BatchApiSupport.results(
        jobs, state, spec.commandLine().getOut(), spec.commandLine().getErr(), json);
  }
}
