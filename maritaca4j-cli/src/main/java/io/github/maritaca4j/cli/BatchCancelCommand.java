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

/** {@code maritaca batch cancel JOB|INPUT}. */
@Command(
    name = "cancel",
    mixinStandardHelpOptions = true,
    description = {
      "Cancels the running batches of a Batch API job. What finished before is kept: get it with"
          + " `batch results`."
    })
final class BatchCancelCommand implements Callable<Integer> {
  private final CliEnvironment env;

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "JOB",
      description = "A job id (job_...) or the job's input file.")
  String job;

  @Option(names = "--json", description = "Print the job as one JSON object.")
  boolean json;

  @Mixin BatchApiOptions batchApi;
  @Mixin ConnectionOptions connection;

  BatchCancelCommand(CliEnvironment env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    ConnectionOptions.requireKey(env);
    BatchApiJob finder = new BatchApiJob(connection.builder(env).build(), batchApi.stateDir(env));
    BatchApiJobState state = finder.find(job);
    BatchApiJob jobs =
        new BatchApiJob(BatchApiSupport.client(env, connection, state), batchApi.stateDir(env));
    state = jobs.refresh(state);
    boolean running = !state.isTerminal();
    if (running) {
      state = jobs.cancel(state);
    }
    if (json) {
      spec.commandLine().getOut().println(Json.write(BatchApiSupport.stateJson(state)));
    } else {
      BatchApiSupport.printState(spec.commandLine().getOut(), state);
      spec.commandLine()
          .getOut()
          .println(
              (running
                      ? "cancel requested; get what finished with: "
                      : "nothing to cancel: every batch of the job has ended; get the results"
                          + " with: ")
                  + "maritaca batch results "
                  + state.jobId());
    }
    return ExitCodes.OK;
  }
}
