package io.github.maritaca4j.cli;

import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.cost.CostEstimate;
import io.github.maritaca4j.cost.CostEstimator;
import io.github.maritaca4j.cost.PricingMode;
import io.github.maritaca4j.jobs.InputEstimate;
import io.github.maritaca4j.jobs.InputReport;
import io.github.maritaca4j.jobs.JobShard;
import io.github.maritaca4j.jobs.JsonlJob;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code maritaca batch estimate INPUT}: validates and estimates, sends nothing. */
@Command(
    name = "estimate",
    mixinStandardHelpOptions = true,
    description = {
      "Validates INPUT and estimates its tokens and cost. Sends nothing; needs no key.",
      "Input tokens are counted; output tokens are each request's max_tokens, else"
          + " --max-output-tokens."
    })
final class BatchEstimateCommand implements Callable<Integer> {
  private final CliEnvironment env;

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "INPUT", description = "The requests, one JSON a line.")
  Path input;

  @Option(
      names = "--max-output-tokens",
      paramLabel = "N",
      description =
          "Output tokens assumed for a request without max_tokens (default: ${DEFAULT-VALUE}).",
      defaultValue = "" + CostEstimator.DEFAULT_OUTPUT_TOKENS)
  int maxOutputTokens;

  @Option(
      names = "--pricing",
      paramLabel = "MODE",
      description =
          "standard, flex, batch (the Batch API) or off_peak (default: flex with --flex, else"
              + " standard).")
  PricingMode pricing;

  @Option(names = "--json", description = "Print the estimate as one JSON object.")
  boolean json;

  @Option(
      names = "--shard",
      paramLabel = "K/N",
      description =
          "Estimate only shard K of N, as `batch run --shard K/N` would run it (the whole file"
              + " is validated).")
  JobShard shard;

  @Mixin ConnectionOptions connection;
  @Mixin ModelOptions model;

  BatchEstimateCommand(CliEnvironment env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    if (maxOutputTokens < 0) {
      throw new CliException(ExitCodes.USAGE, "--max-output-tokens must not be negative");
    }
    Inputs.requireInput(input);
    ChatMaritaca.Builder b = connection.builder(env);
    model.apply(b);
    ChatMaritaca client = b.build();
    PricingMode mode =
        pricing != null ? pricing : model.flex ? PricingMode.FLEX : PricingMode.STANDARD;
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    InputEstimate estimated = JsonlJob.estimate(client, input, maxOutputTokens, mode, shard);
    InputReport report = estimated.input();
    CostEstimate e = estimated.estimate();
    if (!report.isValid()) {
      if (json) {
        var o = Json.MAPPER.createObjectNode();
        o.put("valid", false);
        o.put("problem_count", report.problemCount());
        var arr = o.putArray("problems");
        report
            .problems()
            .forEach(
                p -> {
                  var n = arr.addObject();
                  n.put("line", p.line());
                  n.put("kind", p.kind().name().toLowerCase(java.util.Locale.ROOT));
                  if (p.customId() != null) {
                    n.put("custom_id", p.customId());
                  }
                  n.put("message", p.message());
                });
        out.println(Json.write(o));
      }
      err.println(report.describe());
      return ExitCodes.INVALID_INPUT;
    }
    if (json) {
      var o = Json.estimate(e);
      o.put("valid", true);
      var models = o.putObject("requests_by_model");
      for (Map.Entry<String, Long> m : report.models().entrySet()) {
        models.put(m.getKey(), m.getValue());
      }
      o.put("assumed_output_tokens", maxOutputTokens);
      if (shard != null) {
        o.put("shard", shard.toString());
        o.put("other_shards", report.otherShards());
      }
      o.put("pricing_mode_now", PricingText.jsonName(PricingText.now(client, env.clock())));
      out.println(Json.write(o));
      return ExitCodes.OK;
    }
    JobRunner.noteIgnoredFields(err, report.ignoredFields());
    out.println(
        input
            + ": "
            + Fmt.n(report.requests())
            + (report.requests() == 1 ? " valid request" : " valid requests")
            + (shard != null
                ? " in shard "
                    + shard
                    + " (of "
                    + Fmt.n(report.requests() + report.otherShards())
                    + " in the file)"
                : report.requests() == 0 ? " (the file is empty or has only blank lines)" : ""));
    for (Map.Entry<String, Long> m : report.models().entrySet()) {
      out.println("  " + m.getKey() + ": " + Fmt.n(m.getValue()));
    }
    out.println(
        "input tokens:  " + Fmt.n(e.totalInputTokens()) + "  " + Fmt.brl(e.totalInputCost()));
    out.println(
        "output tokens: "
            + Fmt.n(e.totalOutputTokens())
            + "  "
            + Fmt.brl(e.totalOutputCost())
            + "  (max_tokens, else "
            + Fmt.n(maxOutputTokens)
            + " a request)");
    out.println(
        "total:         " + Fmt.brl(e.totalCost()) + " at " + PricingText.name(mode) + " prices");
    String note = PricingText.offPeakNote(client, env.clock(), mode);
    if (note != null) {
      out.println("note:          " + note);
    }
    return ExitCodes.OK;
  }
}
