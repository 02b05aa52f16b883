package io.github.maritaca4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.cost.CostEstimator;
import io.github.maritaca4j.cost.PriceTable;
import io.github.maritaca4j.jobs.BatchApiQuota;
import io.github.maritaca4j.jobs.JobPlanner;
import io.github.maritaca4j.jobs.JobPlannerResult;
import io.github.maritaca4j.jobs.JobProfile;
import io.github.maritaca4j.jobs.WayEstimate;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code maritaca batch plan INPUT}: compares the ways to run a job; sends nothing. */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description = {
      "Compares the ways to run INPUT: real time now, real time off-peak (22:00-06:00 Brasília,"
          + " 30 % off), flex (50 % off, subject to capacity) and the Batch API (50 % off, within"
          + " 24 h): cost (estimate and worst case), when each finishes at your account's limits"
          + " (--tier or --rpm/--tpm-in/--tpm-out), whether it meets --deadline and --budget; then"
          + " recommends one. Sends nothing; needs no key."
    })
final class BatchPlanCommand implements java.util.concurrent.Callable<Integer> {
  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("EEE dd/MM HH:mm", Locale.ROOT);

  private final CliEnvironment env;

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "INPUT", description = "The requests, one JSON a line.")
  Path input;

  @Option(
      names = "--deadline",
      paramLabel = "WHEN",
      description =
          "When the job must be done: a duration (8h, 90m, 1d12h), a time (06:00, the next one,"
              + " Brasília time) or a date and time (2026-01-08T06:00 Brasília, or with an"
              + " offset).")
  String deadline;

  @Option(
      names = "--max-output-tokens",
      paramLabel = "N",
      description =
          "Output tokens assumed for a request without max_tokens (default: ${DEFAULT-VALUE}).",
      defaultValue = "" + CostEstimator.DEFAULT_OUTPUT_TOKENS)
  int maxOutputTokens;

  @Option(
      names = "--answer-time",
      paramLabel = "SECONDS",
      description =
          "How long an answer takes: then -c (in flight at once) limits the real-time speed too"
              + " (at most c / SECONDS requests a second). Default: not counted.")
  Double answerTime;

  @Option(names = "--json", description = "Print the plan as one JSON object.")
  boolean json;

  @Mixin ConnectionOptions connection;
  @Mixin ModelOptions model;
  @Mixin LimitOptions limits;

  BatchPlanCommand(CliEnvironment env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    if (maxOutputTokens < 0) {
      throw new CliException(ExitCodes.USAGE, "--max-output-tokens must not be negative");
    }
    if (limits.budget != null && limits.budget.signum() <= 0) {
      throw new CliException(ExitCodes.USAGE, "--budget must be positive");
    }
    if (limits.tier != null && (limits.tier < 0 || limits.tier > 5)) {
      throw new CliException(ExitCodes.USAGE, "--tier must be between 0 and 5");
    }
    if (answerTime != null && !(answerTime > 0)) {
      throw new CliException(ExitCodes.USAGE, "--answer-time must be positive");
    }
    if (limits.concurrency < 1) {
      throw new CliException(ExitCodes.USAGE, "--concurrency must be at least 1");
    }
    Instant due = deadline == null ? null : Deadlines.parse(deadline, env.clock());
    Inputs.requireInput(input);
    ChatMaritaca.Builder b = connection.builder(env);
    model.apply(b);
    ChatMaritaca client = b.build();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    JobProfile profile = JobProfile.scan(client, input, maxOutputTokens);
    if (!profile.isValid()) {
      err.println(profile.input().describe());
      return ExitCodes.INVALID_INPUT;
    }
    boolean limitsGiven =
        limits.tier != null || limits.rpm != null || limits.tpmIn != null || limits.tpmOut != null;
    JobPlanner.Builder pb =
        JobPlanner.builder(client.priceTable())
            .clock(env.clock())
            .limits(m -> limitsGiven ? limits.rateLimits(m) : null)
            .batchQuota(BatchApiQuota.forTier(limits.tier))
            .deadline(due)
            .budget(limits.budget);
    if (answerTime != null) {
      pb.concurrency(limits.concurrency, Duration.ofMillis(Math.round(answerTime * 1000)));
    }
    JobPlannerResult plan = pb.build().plan(profile);
    if (json) {
      out.println(Json.write(json(plan)));
    } else {
      print(out, plan, limitsGiven);
    }
    return ExitCodes.OK;
  }

  private void print(PrintWriter out, JobPlannerResult plan, boolean limitsGiven) {
    JobProfile p = plan.profile();
    StringBuilder models = new StringBuilder();
    for (JobProfile.ModelWork m : p.models()) {
      models.append(models.length() == 0 ? "" : ", ").append(m.model()).append(": ");
      models.append(Fmt.n(m.requests()));
    }
    out.println(
        input
            + ": "
            + Fmt.n(p.requests())
            + " requests ("
            + models
            + "), "
            + Fmt.n(p.inputTokens())
            + " input tokens, "
            + Fmt.n(p.outputTokens())
            + " output tokens assumed (max_tokens, else "
            + Fmt.n(maxOutputTokens)
            + ")");
    if (limitsGiven) {
      for (JobProfile.ModelWork m : p.models()) {
        var l = limits.rateLimits(m.model());
        out.println(
            "limits: "
                + m.model()
                + ": "
                + (l.rpm() == 0 ? "?" : Fmt.n(l.rpm()))
                + " RPM, "
                + (l.tpmIn() == 0 ? "?" : Fmt.n(l.tpmIn()))
                + " TPM in, "
                + (l.tpmOut() == 0 ? "?" : Fmt.n(l.tpmOut()))
                + " TPM out"
                + (limits.tier != null ? " (tier " + limits.tier + ")" : ""));
      }
    } else {
      out.println(
          "limits: not given: the real-time ways' time is unknown (add --tier N, or --rpm,"
              + " --tpm-in, --tpm-out)");
    }
    if (plan.deadline() != null || plan.budget() != null) {
      out.println(
          (plan.deadline() != null ? "deadline: " + when(plan.deadline()) : "")
              + (plan.deadline() != null && plan.budget() != null ? " · " : "")
              + (plan.budget() != null ? "budget: " + Fmt.brl(plan.budget()) : ""));
    }
    out.println();
    out.println(
        String.format(
            Locale.ROOT,
            "%-20s %14s %14s %14s  %-16s %-18s %-8s %-6s",
            "way",
            "cost",
            "worst case",
            "cache saves",
            "starts",
            "finishes",
            "deadline",
            "budget"));
    for (WayEstimate w : plan.ways()) {
      out.println(
          String.format(
              Locale.ROOT,
              "%-20s %14s %14s %14s  %-16s %-18s %-8s %-6s",
              (w.way() == plan.recommended() ? "* " : "  ") + w.way().label(),
              Fmt.brl(w.cost()),
              Fmt.brl(w.worstCaseCost()),
              Fmt.brl(w.cacheSavings()),
              w.start().equals(plan.now()) ? "now" : when(w.start()),
              w.finish() == null
                  ? "unknown"
                  : (w.way() == io.github.maritaca4j.jobs.RunWay.BATCH_API ? "by " : "")
                      + when(w.finish()),
              yesNo(w.meetsDeadline()),
              yesNo(w.withinBudget())));
    }
    out.println();
    for (WayEstimate w : plan.ways()) {
      StringBuilder s = new StringBuilder("  " + w.way().label() + ": ");
      if (w.sendingTime() != null) {
        s.append(Fmt.duration(w.sendingTime()));
        s.append(
            w.way() == io.github.maritaca4j.jobs.RunWay.BATCH_API ? " at most" : " of sending");
        s.append(" (").append(w.limitedBy()).append(')');
      } else {
        s.append(w.limitedBy());
      }
      for (String n : w.notes()) {
        s.append("; ").append(n);
      }
      out.println(s);
    }
    out.println();
    out.println("recommended: " + plan.recommended().label() + ": " + plan.reason());
    out.println("  run it with: " + command(plan.recommended()));
    out.println(
        "times are Brasília's; costs in BRL; the cache column counts the requests after the first"
            + " with the same long system prompt as cached (Maritaca's prompt cache)");
  }

  private String command(io.github.maritaca4j.jobs.RunWay way) {
    String base = input + " -o OUTPUT";
    return switch (way) {
      case REALTIME_NOW -> "maritaca batch run " + base;
      case REALTIME_OFF_PEAK -> "maritaca batch run " + base + " --off-peak";
      case FLEX -> "maritaca batch run " + base + " --flex";
      case BATCH_API -> "maritaca batch submit " + base + " --wait --fallback realtime";
    };
  }

  private static String yesNo(Boolean b) {
    return b == null ? "-" : b ? "yes" : "no";
  }

  private static String when(Instant t) {
    return WHEN.format(t.atZone(PriceTable.OFF_PEAK_ZONE));
  }

  private ObjectNode json(JobPlannerResult plan) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("input", input.toString());
    o.put("now", plan.now().toString());
    o.put("deadline", plan.deadline() == null ? null : plan.deadline().toString());
    o.put("budget", plan.budget());
    JobProfile p = plan.profile();
    o.put("requests", p.requests());
    o.put("input_tokens", p.inputTokens());
    o.put("output_tokens", p.outputTokens());
    o.put("input_characters", p.inputCharacters());
    o.put("assumed_output_tokens", maxOutputTokens);
    var models = o.putArray("models");
    for (JobProfile.ModelWork m : p.models()) {
      ObjectNode n = models.addObject();
      n.put("model", m.model());
      n.put("requests", m.requests());
      n.put("input_tokens", m.inputTokens());
      n.put("output_tokens", m.outputTokens());
      n.put("max_output_tokens", m.maxOutputTokens());
      n.put("likely_cached_tokens", m.likelyCachedTokens());
      n.put("input_characters", m.inputCharacters());
      n.put("bytes", m.bytes());
    }
    var ways = o.putArray("ways");
    for (WayEstimate w : plan.ways()) {
      ObjectNode n = ways.addObject();
      n.put("way", w.way().jsonName());
      n.put("cost_brl", w.cost());
      n.put("worst_case_cost_brl", w.worstCaseCost());
      n.put("cache_savings_brl", w.cacheSavings());
      Duration t = w.sendingTime();
      if (t == null) {
        n.putNull("sending_time_ms");
      } else {
        n.put("sending_time_ms", t.toMillis());
      }
      n.put("limited_by", w.limitedBy());
      n.put("start", w.start().toString());
      n.put("finish", w.finish() == null ? null : w.finish().toString());
      n.put("meets_deadline", w.meetsDeadline());
      n.put("within_budget", w.withinBudget());
      var notes = n.putArray("notes");
      w.notes().forEach(notes::add);
    }
    o.put("recommended", plan.recommended().jsonName());
    o.put("reason", plan.reason());
    return o;
  }
}
