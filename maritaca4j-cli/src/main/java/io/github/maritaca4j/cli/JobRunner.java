package io.github.maritaca4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.ChatRequest;
import io.github.maritaca4j.batch.BatchItem;
import io.github.maritaca4j.batch.BatchOptions;
import io.github.maritaca4j.cost.CostEstimate;
import io.github.maritaca4j.cost.CostEstimator;
import io.github.maritaca4j.jobs.InputProblem;
import io.github.maritaca4j.jobs.JobFiles;
import io.github.maritaca4j.jobs.JobListener;
import io.github.maritaca4j.jobs.JobLock;
import io.github.maritaca4j.jobs.JobPlan;
import io.github.maritaca4j.jobs.JobShard;
import io.github.maritaca4j.jobs.JobSummary;
import io.github.maritaca4j.jobs.JsonlJob;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a {@link JsonlJob} for a command: validation report, estimate, budget check or prompt,
 * progress, Ctrl-C handling, summary, exit code. Shared by {@code batch run} and {@code demo}.
 */
final class JobRunner {
  /** How long Ctrl-C waits for the requests in flight before the process ends. */
  static final Duration GRACE = Duration.ofSeconds(10);

  private final PrintWriter out;
  private final PrintWriter err;
  private final CliEnvironment env;
  private final ChatMaritaca client;
  private final JobFiles files;
  private final OutputOptions output;
  private boolean retryFailed;
  private BatchOptions options = BatchOptions.defaults();
  private BigDecimal budget;
  private boolean yes;
  private int estimateOutputTokens = CostEstimator.DEFAULT_OUTPUT_TOKENS;
  private String command;
  private java.util.List<String> args;
  private JobListener onItem;
  private JobShard shard;
  private java.util.function.Consumer<JsonlJob> onJob;
  private java.util.function.BooleanSupplier paused;
  private io.github.maritaca4j.cost.PricingMode pricingMode;
  private java.util.function.Consumer<JsonlJob.Builder> configure = b -> {};
  private long fromCache;
  private long duplicates;

  /** What the run did, for callers that print more (the demo). */
  JobPlan plan;

  JobSummary summary;

  JobRunner(
      PrintWriter out,
      PrintWriter err,
      CliEnvironment env,
      ChatMaritaca client,
      JobFiles files,
      OutputOptions output) {
    this.out = out;
    this.err = err;
    this.env = env;
    this.client = client;
    this.files = files;
    this.output = output;
  }

  JobRunner retryFailed(boolean v) {
    this.retryFailed = v;
    return this;
  }

  JobRunner options(BatchOptions v) {
    this.options = v;
    this.budget = v.budget();
    return this;
  }

  JobRunner yes(boolean v) {
    this.yes = v;
    return this;
  }

  JobRunner estimateOutputTokens(int v) {
    this.estimateOutputTokens = v;
    return this;
  }

  /** The command that resumes this job, shown after an interruption. */
  JobRunner command(String v) {
    this.command = v;
    return this;
  }

  /** The command line as given (after {@code maritaca}), repeated in resume hints. */
  JobRunner args(java.util.List<String> v) {
    this.args = v;
    return this;
  }

  /** Only the lines of this shard of the input (null: all). */
  JobRunner shard(JobShard v) {
    this.shard = v;
    return this;
  }

  /**
   * Given the job once built (the off-peak run stops it at the window's end); {@code paused} tells,
   * when the job stops, that it was paused that way and not interrupted (no resume hint then).
   */
  JobRunner onJob(
      java.util.function.Consumer<JsonlJob> v, java.util.function.BooleanSupplier paused) {
    this.onJob = v;
    this.paused = paused;
    return this;
  }

  /** The prices of the estimate (default: the client's: flex or standard). */
  JobRunner pricingMode(io.github.maritaca4j.cost.PricingMode v) {
    this.pricingMode = v;
    return this;
  }

  /** More settings of the job (cache, order, validation...), applied before it is built. */
  JobRunner configure(java.util.function.Consumer<JsonlJob.Builder> v) {
    this.configure = v;
    return this;
  }

  /** Told of each written item, with its request (the demo shows the questions answered). */
  JobRunner onItem(JobListener v) {
    this.onItem = v;
    return this;
  }

  private boolean talk() {
    return !output.quiet;
  }

  @SuppressWarnings("try") // the lock is held by being open
  int run() {
    Progress[] progress = new Progress[1];
    JsonlJob.Builder builder = JsonlJob.builder(client, files);
    if (pricingMode != null) {
      builder.pricingMode(pricingMode);
    }
    configure.accept(builder);
    JsonlJob job =
        builder
            .retryFailed(retryFailed)
            .options(options)
            .estimateOutputTokens(estimateOutputTokens)
            .shard(shard)
            .listener(
                new JobListener() {
                  @Override
                  public void onItemWritten(String id, ChatRequest request, BatchItem item) {
                    if (progress[0] != null) {
                      progress[0].onItemWritten(id, request, item);
                    }
                  }

                  @Override
                  public void onItemReused(
                      String id,
                      ChatRequest request,
                      io.github.maritaca4j.ChatResult result,
                      String duplicateOf) {
                    if (duplicateOf == null) {
                      fromCache++;
                    } else {
                      duplicates++;
                    }
                  }

                  @Override
                  public void onProgress(io.github.maritaca4j.batch.BatchProgress p) {
                    if (progress[0] != null) {
                      progress[0].onProgress(p);
                    }
                  }
                })
            .build();
    if (onJob != null) {
      onJob.accept(job);
    }
    // held from prepare to the end of the run: no other command appends to these files meanwhile
    try (JobLock lock = job.lock()) {
      return runLocked(job, progress);
    }
  }

  private int runLocked(JsonlJob job, Progress[] progress) {
    plan = job.prepare();
    if (plan.repairedBytes() > 0 && talk()) {
      err.println(
          "repaired: cut "
              + plan.repairedBytes()
              + " bytes of a partial last line (left by an interrupted run) off the output files");
    }
    if (!plan.isValid()) {
      if (output.json) {
        out.println(Json.write(invalidJson(plan)));
      }
      err.println(plan.input().describe());
      err.flush();
      return ExitCodes.INVALID_INPUT;
    }
    checkSameJob(plan, files);
    if (talk()) {
      noteIgnoredFields(err, plan.input().ignoredFields());
    }
    long outstandingBefore =
        plan.retryFailed() && !plan.retryInterrupted() ? 0 : plan.errorsScan().lines();
    if (talk() && plan.shard() != null) {
      long mine = plan.alreadyDone() + plan.remaining();
      long all = mine + plan.input().otherShards();
      err.println(
          "shard "
              + plan.shard()
              + ": "
              + Fmt.n(mine)
              + " of the "
              + Fmt.n(all)
              + " requests of "
              + files.input().getFileName()
              + " (the other "
              + Fmt.n(plan.input().otherShards())
              + " are other shards')");
    }
    if (talk()) {
      if (plan.retryInterrupted()) {
        err.println(
            "finishing an interrupted --retry-failed run (" + files.retrying().getFileName() + ")");
      }
      if (plan.retryFailed()) {
        err.println(
            "retrying "
                + Fmt.n(plan.remaining())
                + " failed request(s) from "
                + files.errors().getFileName());
      } else if (plan.alreadyDone() > 0) {
        err.println(
            "resuming: "
                + Fmt.n(plan.alreadyDone())
                + " of "
                + Fmt.n(plan.alreadyDone() + plan.remaining())
                + " requests done already ("
                + Fmt.n(plan.outputScan().lines())
                + " in "
                + files.output().getFileName()
                + ", "
                + Fmt.n(plan.errorsScan().lines())
                + " in "
                + files.errors().getFileName()
                + "); "
                + Fmt.n(plan.remaining())
                + " to go");
      }
    }
    CostEstimate estimate = plan.estimate();
    if (plan.remaining() == 0) {
      summary = null;
      int code = outstandingBefore > 0 ? ExitCodes.ITEMS_FAILED : ExitCodes.OK;
      if (output.json) {
        out.println(Json.write(summaryJson(null, estimate, code, outstandingBefore)));
      } else if (talk() && plan.retryFailed()) {
        out.println(
            "nothing to retry: "
                + files.errors().getFileName()
                + " holds no failure of "
                + files.input().getFileName());
      } else if (talk() && plan.alreadyDone() == 0 && plan.input().otherShards() > 0) {
        out.println(
            "nothing to do: none of the "
                + Fmt.n(plan.input().otherShards())
                + " requests of "
                + files.input()
                + " falls in shard "
                + plan.shard());
      } else if (talk() && plan.alreadyDone() == 0) {
        out.println(
            "nothing to do: "
                + files.input()
                + " holds no requests (it is empty or has only blank lines)");
      } else if (talk()) {
        out.println(
            "nothing to do: every request of "
                + files.input().getFileName()
                + (plan.shard() != null ? " in shard " + plan.shard() : "")
                + " is in "
                + files.output().getFileName()
                + " or "
                + files.errors().getFileName()
                + (outstandingBefore > 0
                    ? " (" + Fmt.n(outstandingBefore) + " failed: add --retry-failed to retry them)"
                    : ""));
      }
      return code;
    }
    if (talk()) {
      err.println("estimate: " + describe(estimate));
      String note = PricingText.offPeakNote(client, env.clock(), estimate.pricingMode());
      if (note != null) {
        err.println("note: " + note);
      }
    }
    if (budget != null && estimate.totalCost().compareTo(budget) > 0) {
      String msg =
          "the estimate ("
              + Fmt.brl(estimate.totalCost())
              + ") exceeds the budget ("
              + Fmt.brl(budget)
              + ")";
      if (!yes) {
        if (!env.interactive()) {
          throw new CliException(
              ExitCodes.BUDGET,
              msg
                  + "; nothing was sent. Raise --budget, set --max-tokens lower, or add --yes to"
                  + " run until the budget is spent");
        }
        err.print(msg + ". Run anyway? Spending stops at the budget. [y/N] ");
        err.flush();
        String answer = env.readLine();
        if (answer == null || !answer.strip().toLowerCase(Locale.ROOT).startsWith("y")) {
          throw new CliException(ExitCodes.BUDGET, "not started; nothing was sent");
        }
      } else if (talk()) {
        err.println(msg + "; going on (--yes): spending stops at the budget");
      }
    }
    Progress p =
        new Progress(
            err,
            output.style(env),
            !env.noColor(),
            plan.remaining(),
            output.progressInterval,
            onItem);
    progress[0] = p;
    CountDownLatch finished = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    Thread hook =
        new Thread(
            () -> {
              interrupted.set(true);
              job.stop();
              err.println();
              err.println(
                  "maritaca: stopping: no new requests; waiting up to "
                      + GRACE.toSeconds()
                      + " s for those in flight...");
              err.flush();
              try {
                finished.await(GRACE.toMillis(), TimeUnit.MILLISECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "maritaca-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      p.start();
      try {
        summary = job.run(plan);
      } finally {
        p.close();
      }
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // shutting down: the hook is running
      }
      long outstanding = outstandingBefore + summary.failed();
      int code;
      if (interrupted.get() || summary.stopped()) {
        code = ExitCodes.INTERRUPTED;
      } else if (summary.budgetExhausted()) {
        code = ExitCodes.BUDGET;
      } else if (outstanding > 0) {
        code = ExitCodes.ITEMS_FAILED;
      } else {
        code = ExitCodes.OK;
      }
      if (output.json) {
        out.println(Json.write(summaryJson(summary, estimate, code, outstanding)));
      } else if (talk()) {
        printSummary(summary, estimate, outstanding);
      }
      if (code == ExitCodes.INTERRUPTED
          && !interrupted.get()
          && paused != null
          && paused.getAsBoolean()) {
        return code; // the off-peak window ended; the caller says what comes next
      }
      if (code == ExitCodes.INTERRUPTED) {
        err.println(
            "interrupted: "
                + Fmt.n(summary.notRun())
                + " request(s) not done; everything that came back was written. Resume with:");
        err.println("  " + resumeCommand());
      } else if (code == ExitCodes.BUDGET) {
        err.println(
            "budget reached: "
                + Fmt.n(summary.notRun())
                + " request(s) not sent; run again with a larger --budget to go on:");
        err.println("  " + resumeCommand());
      }
      out.flush();
      err.flush();
      return code;
    } finally {
      finished.countDown();
    }
  }

  /**
   * Refuses output files written for another input: when OUTPUT and the errors file hold results
   * whose custom_id is not in INPUT, appending this input's answers would mix two jobs.
   */
  static void checkSameJob(JobPlan plan, JobFiles files) {
    if (plan.otherShardResults() > 0) {
      throw new CliException(
          ExitCodes.ERROR,
          files.output()
              + " (with "
              + files.errors().getFileName()
              + ") holds "
              + Fmt.n(plan.otherShardResults())
              + " result(s) whose custom_id is not in shard "
              + plan.shard()
              + " of "
              + files.input()
              + ": it is the output of another shard (or of the whole input). Nothing was sent;"
              + " give each shard its own -o");
    }
    if (plan.retryFailed() || plan.retryInterrupted()) {
      return; // the errors file is being replaced; its ids are those of the retry
    }
    long results = plan.outputScan().lines() + plan.errorsScan().lines();
    long foreign = results - plan.alreadyDone();
    if (foreign > 0) {
      throw new CliException(
          ExitCodes.ERROR,
          files.output()
              + " (with "
              + files.errors().getFileName()
              + ") holds "
              + Fmt.n(foreign)
              + " result(s) whose custom_id is not in "
              + files.input()
              + ": it is the output of another input. Nothing was sent; use another -o (or"
              + " remove those lines) to go on");
    }
  }

  /** A note naming the input fields that are not sent, each with the first line it is on. */
  static void noteIgnoredFields(PrintWriter err, Map<String, Long> ignored) {
    if (ignored.isEmpty()) {
      return;
    }
    StringBuilder sb = new StringBuilder();
    ignored.entrySet().stream()
        .sorted(
            Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
        .forEach(
            e ->
                sb.append(sb.length() == 0 ? "" : ", ")
                    .append(e.getKey())
                    .append(" (line ")
                    .append(e.getValue())
                    .append(')'));
    err.println("note: fields not supported are not sent: " + sb);
  }

  private String resumeCommand() {
    if (command != null) {
      return command;
    }
    if (args != null && !args.isEmpty()) {
      return shellCommand(args);
    }
    return "maritaca batch run "
        + files.input()
        + " -o "
        + files.output()
        + (retryFailed ? " --retry-failed" : "");
  }

  /** The command that retries the failures: the same options plus {@code --retry-failed}. */
  private String retryCommand() {
    if (command == null && args != null && !args.isEmpty()) {
      java.util.List<String> a = new java.util.ArrayList<>(args);
      if (!a.contains("--retry-failed")) {
        a.add("--retry-failed");
      }
      return shellCommand(a);
    }
    return "maritaca batch run " + files.input() + " -o " + files.output() + " --retry-failed";
  }

  /** {@code maritaca} and the arguments, quoted for a POSIX shell where needed. */
  static String shellCommand(java.util.List<String> args) {
    StringBuilder sb = new StringBuilder("maritaca");
    for (String a : args) {
      sb.append(' ');
      if (!a.isEmpty() && a.matches("[A-Za-z0-9_@%+=:,./-]+")) {
        sb.append(a);
      } else {
        sb.append('\'').append(a.replace("'", "'\\''")).append('\'');
      }
    }
    return sb.toString();
  }

  static String describe(CostEstimate e) {
    String model =
        e.model() != null ? e.model() : e.totalRequests() == 0 ? "no model" : "several models";
    return Fmt.n(e.totalRequests())
        + " requests to "
        + model
        + " at "
        + PricingText.name(e.pricingMode())
        + " prices: "
        + Fmt.n(e.totalInputTokens())
        + " input + up to "
        + Fmt.n(e.totalOutputTokens())
        + " output tokens, at most "
        + Fmt.brl(e.totalCost());
  }

  private void printSummary(JobSummary s, CostEstimate e, long outstanding) {
    double secs = Math.max(1e-9, s.wallTime().toNanos() / 1e9);
    long done = s.succeeded() + s.failed();
    out.println(
        "done: "
            + Fmt.n(s.succeeded())
            + " ok, "
            + Fmt.n(s.failed())
            + " failed"
            + (s.notRun() > 0 ? ", " + Fmt.n(s.notRun()) + " not run" : "")
            + " of "
            + Fmt.n(s.planned())
            + " in "
            + Fmt.duration(s.wallTime())
            + " ("
            + Fmt.rate(done / secs)
            + " req/s)");
    out.println(
        "tokens: "
            + Fmt.n(s.usage().promptTokens())
            + " in / "
            + Fmt.n(s.usage().completionTokens())
            + " out");
    String actualMode = PricingText.actual(s.cost());
    out.println(
        "cost: "
            + Fmt.brl(s.cost().total())
            + " actual"
            + (actualMode == null ? "" : " (" + actualMode + ")")
            + " vs "
            + Fmt.brl(e.totalCost())
            + " estimated at most ("
            + PricingText.name(e.pricingMode())
            + " prices)");
    if (fromCache + duplicates > 0) {
      out.println(
          "reused: "
              + Fmt.n(fromCache)
              + " answered from the cache, "
              + Fmt.n(duplicates)
              + " duplicate(s) of requests sent once (free)");
    }
    out.println(
        "429s: "
            + Fmt.n(s.rateLimited())
            + (s.rateLimited() > 0 ? " (paced and retried)" : "")
            + " · retries: "
            + Fmt.n(s.retries()));
    out.println(
        "output: "
            + files.output()
            + (outstanding > 0
                ? " · errors: " + files.errors() + " (" + Fmt.n(outstanding) + ")"
                : ""));
    if (outstanding > 0 && s.notRun() == 0) {
      out.println(Fmt.n(outstanding) + " request(s) failed; retry them with: " + retryCommand());
    }
  }

  private ObjectNode invalidJson(JobPlan plan) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("valid", false);
    o.put("input", files.input().toString());
    o.put("problem_count", plan.input().problemCount());
    ObjectNode kinds = o.putObject("problems_by_kind");
    for (Map.Entry<InputProblem.Kind, Long> k : plan.input().problemsByKind().entrySet()) {
      kinds.put(k.getKey().name().toLowerCase(Locale.ROOT), k.getValue());
    }
    var arr = o.putArray("problems");
    for (InputProblem p : plan.input().problems()) {
      ObjectNode n = arr.addObject();
      n.put("line", p.line());
      n.put("kind", p.kind().name().toLowerCase(Locale.ROOT));
      if (p.customId() != null) {
        n.put("custom_id", p.customId());
      }
      n.put("message", p.message());
    }
    o.put("exit_code", ExitCodes.INVALID_INPUT);
    return o;
  }

  private ObjectNode summaryJson(JobSummary s, CostEstimate e, int code, long outstanding) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("valid", true);
    o.put("input", files.input().toString());
    o.put("output", files.output().toString());
    o.put("errors", files.errors().toString());
    if (plan.shard() != null) {
      o.put("shard", plan.shard().toString());
      o.put("other_shards", plan.input().otherShards());
    }
    o.put("already_done", plan.alreadyDone());
    o.put("planned", s == null ? 0 : s.planned());
    o.put("succeeded", s == null ? 0 : s.succeeded());
    o.put("failed", s == null ? 0 : s.failed());
    o.put("not_run", s == null ? 0 : s.notRun());
    o.put("failures_in_errors_file", outstanding);
    o.put("input_tokens", s == null ? 0 : s.usage().promptTokens());
    o.put("output_tokens", s == null ? 0 : s.usage().completionTokens());
    o.put("cached_tokens", s == null ? 0 : s.usage().cachedPromptTokens());
    o.put("cost_brl", s == null ? BigDecimal.ZERO : s.cost().total());
    String costMode = s == null ? null : PricingText.actualJson(s.cost());
    if (costMode != null) {
      o.put("cost_pricing_mode", costMode);
    }
    if (e != null) {
      o.set("estimate", Json.estimate(e));
    }
    o.put("from_cache", fromCache);
    o.put("duplicates", duplicates);
    o.put("rate_limited", s == null ? 0 : s.rateLimited());
    o.put("retries", s == null ? 0 : s.retries());
    o.put("wall_time_ms", s == null ? 0 : s.wallTime().toMillis());
    o.put("stopped", s != null && s.stopped());
    o.put("budget_exhausted", s != null && s.budgetExhausted());
    o.put("exit_code", code);
    return o;
  }
}
