package io.github.maritaca4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.ServiceTier;
import io.github.maritaca4j.Usage;
import io.github.maritaca4j.batch.BatchOptions;
import io.github.maritaca4j.batchapi.ResultLine;
import io.github.maritaca4j.cost.PriceTable;
import io.github.maritaca4j.cost.PricingMode;
import io.github.maritaca4j.jobs.JobFiles;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Set;

/**
 * {@code batch submit --fallback flex|realtime}: after the Batch API's results are downloaded, the
 * requests it did not answer — failed with a retryable error, expired, or missing from both result
 * files — run again in real time (flex or standard), so that the output ends with every {@code
 * custom_id} once. Failures that are not retryable (the request itself is wrong) stay in the errors
 * file. The retryable failure lines are first taken out of the errors file (rewritten whole, then
 * renamed over it), so the real-time job, which skips every id already in the output or errors
 * file, runs exactly the ids not answered; a kill in between leaves them in neither file, and any
 * later {@code batch run} does them.
 */
final class BatchFallback {
  /** Error codes of a request that may succeed when sent again. */
  static final Set<String> RETRYABLE_CODES =
      Set.of(
          "batch_expired",
          "expired",
          "server_error",
          "internal_error",
          "service_unavailable",
          "timeout",
          "rate_limit_exceeded",
          "rate_limited",
          "overloaded",
          "batch_cancelled",
          "cancelled");

  enum Way {
    FLEX,
    REALTIME
  }

  private final CliEnvironment env;
  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean quiet;
  private final boolean json;

  BatchFallback(CliEnvironment env, PrintWriter out, PrintWriter err, boolean quiet, boolean json) {
    this.env = env;
    this.out = out;
    this.err = err;
    this.quiet = quiet;
    this.json = json;
  }

  /** Whether a line of the errors file is worth sending again. */
  static boolean retryable(ResultLine line) {
    if (line == null || line.isSuccess()) {
      return false;
    }
    int s = line.statusCode();
    if (s == 408 || s == 409 || s == 429 || s >= 500) {
      return true;
    }
    JsonNode e = line.error();
    String code = e.path("code").asText("");
    if (code.isEmpty()) {
      code = line.body().path("error").path("code").asText("");
    }
    return RETRYABLE_CODES.contains(code.toLowerCase(Locale.ROOT));
  }

  /**
   * The Batch API's cost of the answers appended to {@code output} from byte {@code from} on, at
   * Batch API prices, with the count of those answers.
   */
  static Object[] batchCost(Path output, long from, PriceTable prices) {
    BigDecimal total = BigDecimal.ZERO;
    long n = 0;
    if (!Files.exists(output)) {
      return new Object[] {total, n};
    }
    try (FileChannel ch = FileChannel.open(output, StandardOpenOption.READ)) {
      ch.position(Math.min(from, ch.size()));
      InputStream in = Channels.newInputStream(ch);
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String s;
      while ((s = r.readLine()) != null) {
        ResultLine l = ResultLine.parse(s);
        if (l == null || !l.isSuccess()) {
          continue;
        }
        String model = l.body().path("model").asText(null);
        if (model == null || !prices.contains(model)) {
          continue;
        }
        Usage u = l.result().usage();
        total = total.add(prices.cost(model, u, PricingMode.BATCH).total());
        n++;
      }
    } catch (IOException e) {
      throw new CliException(ExitCodes.ERROR, "cannot read " + output + ": " + e.getMessage());
    }
    return new Object[] {total, n};
  }

  /**
   * Takes the retryable failures out of the errors file; returns how many.
   *
   * @throws CliException when the file cannot be rewritten
   */
  static long takeOutRetryable(Path errors) {
    if (!Files.exists(errors)) {
      return 0;
    }
    Path tmp = errors.resolveSibling(errors.getFileName() + ".fallback.tmp");
    long taken = 0;
    try (BufferedReader r = Files.newBufferedReader(errors, StandardCharsets.UTF_8);
        BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      String s;
      while ((s = r.readLine()) != null) {
        if (s.isBlank()) {
          continue;
        }
        if (retryable(ResultLine.parse(s))) {
          taken++;
          continue;
        }
        w.write(s);
        w.write('\n');
      }
    } catch (IOException e) {
      throw new CliException(ExitCodes.ERROR, "cannot rewrite " + errors + ": " + e.getMessage());
    }
    try {
      if (taken == 0) {
        Files.deleteIfExists(tmp);
      } else {
        Files.move(
            tmp, errors, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new CliException(ExitCodes.ERROR, "cannot replace " + errors + ": " + e.getMessage());
    }
    return taken;
  }

  /**
   * Runs the requests the Batch API did not answer in real time, then prints the cost by mode.
   *
   * @param builder the client's builder (connection and model options applied)
   * @param batchCost the Batch API's cost of the answers it gave, and their count
   */
  int run(Way way, ChatMaritaca.Builder builder, JobFiles files, Object[] batchCost) {
    long retry = takeOutRetryable(files.errors());
    if (way == Way.FLEX) {
      builder.serviceTier(ServiceTier.FLEX);
    }
    ChatMaritaca client = builder.clock(env.clock()).build();
    String name = way == Way.FLEX ? "flex" : "real time";
    if (!quiet) {
      err.println(
          "fallback: running in "
              + name
              + " the requests the Batch API did not answer ("
              + Fmt.n(retry)
              + " retryable failure(s) taken out of "
              + files.errors().getFileName()
              + ", and any missing)");
      err.flush();
    }
    OutputOptions o = new OutputOptions();
    o.quiet = quiet;
    o.json = json;
    o.progress = OutputOptions.ProgressStyle.NONE;
    o.progressInterval = 5;
    JobRunner runner =
        new JobRunner(out, err, env, client, files, o)
            .options(BatchOptions.defaults())
            .command(
                "maritaca batch run "
                    + files.input()
                    + " -o "
                    + files.output()
                    + (way == Way.FLEX ? " --flex" : ""));
    int code = runner.run();
    BigDecimal bc = (BigDecimal) batchCost[0];
    long bn = (Long) batchCost[1];
    BigDecimal rc = runner.summary == null ? BigDecimal.ZERO : runner.summary.cost().total();
    long rn = runner.summary == null ? 0 : runner.summary.succeeded();
    if (json) {
      ObjectNode j = Json.MAPPER.createObjectNode();
      j.put("fallback", way == Way.FLEX ? "flex" : "realtime");
      j.put("batch_api_answers", bn);
      j.put("batch_api_cost_brl", bc);
      j.put("fallback_answers", rn);
      j.put("fallback_cost_brl", rc);
      j.put(
          "fallback_pricing_mode",
          runner.summary == null ? null : PricingText.actualJson(runner.summary.cost()));
      j.put("total_cost_brl", bc.add(rc));
      j.put("exit_code", code);
      out.println(Json.write(j));
    } else if (!quiet) {
      String mode = runner.summary == null ? null : PricingText.actual(runner.summary.cost());
      out.println(
          "cost by mode: Batch API "
              + Fmt.brl(bc)
              + " ("
              + Fmt.n(bn)
              + " answers) + "
              + name
              + " "
              + Fmt.brl(rc)
              + " ("
              + Fmt.n(rn)
              + " answers"
              + (mode == null ? "" : ", " + mode)
              + ") = "
              + Fmt.brl(bc.add(rc)));
    }
    out.flush();
    return code;
  }
}
