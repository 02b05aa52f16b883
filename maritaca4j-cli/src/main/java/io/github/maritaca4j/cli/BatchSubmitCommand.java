package io.github.maritaca4j.cli;

import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.cost.CostEstimator;
import io.github.maritaca4j.jobs.BatchApiJob;
import io.github.maritaca4j.jobs.BatchApiJobState;
import io.github.maritaca4j.jobs.BatchApiSubmitListener;
import io.github.maritaca4j.jobs.JobFiles;
import io.github.maritaca4j.jobs.JobPlan;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code maritaca batch submit INPUT -o OUTPUT}: the job on the Batch API at half price. */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    description = {
      "Submits INPUT to Maritaca's Batch API (half price, results within 24 h).",
      "Validates and estimates first; splits by model and at 50,000 lines / 200 MB; uploads and"
          + " creates one batch per part; records the job (its id is printed) so that status,"
          + " results and cancel work from INPUT or the id. Requests already in OUTPUT or the"
          + " errors file are not submitted."
    })
final class BatchSubmitCommand implements Callable<Integer> {
  private final CliEnvironment env;

  @Spec CommandSpec spec;

  @Mixin JobFileOptions jobFiles;

  @Option(
      names = "--wait",
      description = "Wait for the batches to finish (with progress) and download the results.")
  boolean await;

  @Option(
      names = "--budget",
      paramLabel = "BRL",
      description = "Do not submit when the estimate (at Batch API prices) is higher.")
  BigDecimal budget;

  @Option(
      names = {"-y", "--yes"},
      description = "Do not ask on a terminal (an estimate over --budget then stops).")
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
      names = "--fallback",
      paramLabel = "WAY",
      description =
          "flex or realtime: wait (as --wait), then run the requests the Batch API did not answer"
              + " (retryable failures, expired, missing) that way, so OUTPUT ends with every"
              + " custom_id once; the summary splits the cost by mode.")
  BatchFallback.Way fallback;

  @Mixin BatchApiOptions batchApi;
  @Mixin ConnectionOptions connection;
  @Mixin ModelOptions model;

  @Option(
      names = {"-q", "--quiet"},
      description = "Errors only.")
  boolean quiet;

  @Option(names = "--json", description = "Print the job as one JSON object.")
  boolean json;

  BatchSubmitCommand(CliEnvironment env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ConnectionOptions.requireKey(env);
    if (estimateOutputTokens < 0) {
      throw new CliException(ExitCodes.USAGE, "--max-output-tokens must not be negative");
    }
    if (budget != null && budget.signum() <= 0) {
      throw new CliException(ExitCodes.USAGE, "--budget must be positive");
    }
    jobFiles.check();
    ChatMaritaca.Builder b = connection.builder(env);
    model.apply(b);
    ChatMaritaca client = b.build();
    BatchApiJob jobs = new BatchApiJob(client, batchApi.stateDir(env));
    JobFiles files = jobFiles.files();
    JobPlan plan = jobs.prepare(files);
    if (!plan.isValid()) {
      err.println(plan.input().describe());
      return ExitCodes.INVALID_INPUT;
    }
    JobRunner.checkSameJob(plan, files);
    if (!quiet) {
      JobRunner.noteIgnoredFields(err, plan.input().ignoredFields());
    }
    if (plan.remaining() == 0) {
      if (!quiet) {
        out.println(
            plan.alreadyDone() == 0
                ? "nothing to submit: "
                    + files.input()
                    + " holds no requests (it is empty or has only blank lines)"
                : "nothing to submit: every request of "
                    + files.input()
                    + " is in the output files");
      }
      return ExitCodes.OK;
    }
    if (!quiet) {
      err.println("estimate: " + JobRunner.describe(plan.estimate()));
    }
    if (budget != null && plan.estimate().totalCost().compareTo(budget) > 0) {
      String msg =
          "the estimate ("
              + Fmt.brl(plan.estimate().totalCost())
              + ") exceeds the budget ("
              + Fmt.brl(budget)
              + "); the Batch API cannot be stopped at a budget";
      if (yes || !env.interactive()) {
        throw new CliException(ExitCodes.BUDGET, msg + ", so nothing was submitted");
      }
      err.print(msg + ". Submit anyway? [y/N] ");
      err.flush();
      String a = env.readLine();
      if (a == null || !a.strip().toLowerCase(Locale.ROOT).startsWith("y")) {
        throw new CliException(ExitCodes.BUDGET, "not submitted");
      }
    }
    BatchApiJobState state =
        jobs.submit(
            plan,
            new BatchApiSubmitListener() {
              @Override
              public void onUploaded(BatchApiJobState.Part p) {
                if (!quiet) {
                  err.println(
                      "uploaded part "
                          + p.index()
                          + " ("
                          + p.model()
                          + ", "
                          + Fmt.n(p.lines())
                          + " requests, "
                          + Fmt.compact(p.bytes())
                          + "B) as "
                          + p.inputFileId());
                  err.flush();
                }
              }

              @Override
              public void onBatchCreated(BatchApiJobState.Part p, boolean adopted) {
                if (!quiet) {
                  err.println(
                      (adopted ? "found batch " : "created batch ")
                          + p.batchId()
                          + " for part "
                          + p.index());
                  err.flush();
                }
              }
            });
    if (!await && fallback == null) {
      if (json) {
        out.println(Json.write(BatchApiSupport.stateJson(state)));
      } else if (!quiet) {
        out.println(
            "submitted job "
                + state.jobId()
                + ": "
                + Fmt.n(state.totalLines())
                + " requests in "
                + state.parts().size()
                + " batch(es)");
        out.println("  status:  maritaca batch status " + state.jobId());
        out.println("  results: maritaca batch results " + state.jobId() + " --wait");
      }
      return ExitCodes.OK;
    }
    state =
        BatchApiSupport.waitFor(
            jobs, state, batchApi.pollMillis(), err, env.interactive(), quiet || json);
    long before = sizeOf(files.output());
    int code = BatchApiSupport.results(jobs, state, out, err, json, fallback == null);
    if (fallback == null || code == ExitCodes.PENDING) {
      return code;
    }
    Object[] batchCost = BatchFallback.batchCost(files.output(), before, client.priceTable());
    ChatMaritaca.Builder fb = connection.builder(env);
    model.apply(fb);
    return new BatchFallback(env, out, err, quiet, json).run(fallback, fb, files, batchCost);
  }

  private static long sizeOf(java.nio.file.Path p) {
    try {
      return java.nio.file.Files.exists(p) ? java.nio.file.Files.size(p) : 0;
    } catch (java.io.IOException e) {
      return 0;
    }
  }
}
