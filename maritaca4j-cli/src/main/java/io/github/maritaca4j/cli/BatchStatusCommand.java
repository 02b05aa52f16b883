package io.github.maritaca4j.cli;

import io.github.maritaca4j.jobs.BatchApiJob;
import io.github.maritaca4j.jobs.BatchApiJobState;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code maritaca batch status JOB|INPUT}. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Shows how a Batch API job is doing. Without JOB, lists the known jobs.",
      "Exit code 0 when every batch is finished, 7 while some are still running."
    })
final class BatchStatusCommand implements Callable<Integer> {
  private final CliEnvironment env;

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "JOB",
      description = "A job id (job_...) or the job's input file.")
  String job;

  @Option(names = "--wait", description = "Wait until every batch is finished, with progress.")
  boolean await;

  @Option(names = "--json", description = "Print the job as one JSON object.")
  boolean json;

  @Mixin BatchApiOptions batchApi;
  @Mixin ConnectionOptions connection;

  BatchStatusCommand(CliEnvironment env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (job == null) {
      BatchApiJob local = new BatchApiJob(connection.builder(env).build(), batchApi.stateDir(env));
      var jobs = local.list();
      if (json) {
        var arr = Json.MAPPER.createArrayNode();
        jobs.forEach(s -> arr.add(BatchApiSupport.stateJson(s)));
        out.println(Json.write(arr));
      } else if (jobs.isEmpty()) {
        out.println("no Batch API jobs in " + batchApi.stateDir(env));
      } else {
        jobs.forEach(s -> BatchApiSupport.printState(out, s));
      }
      return ExitCodes.OK;
    }
    ConnectionOptions.requireKey(env);
    BatchApiJob finder = new BatchApiJob(connection.builder(env).build(), batchApi.stateDir(env));
    BatchApiJobState state = finder.find(job);
    BatchApiJob jobs =
        new BatchApiJob(BatchApiSupport.client(env, connection, state), batchApi.stateDir(env));
    state =
        await
            ? BatchApiSupport.waitFor(
                jobs, state, batchApi.pollMillis(), err, env.interactive(), json)
            : jobs.refresh(state);
    if (json) {
      out.println(Json.write(BatchApiSupport.stateJson(state)));
    } else {
      BatchApiSupport.printState(out, state);
      if (state.isTerminal() && !state.isFinished()) {
        out.println("finished: get the results with: maritaca batch results " + state.jobId());
      }
    }
    return state.isTerminal() ? ExitCodes.OK : ExitCodes.PENDING;
  }
}
