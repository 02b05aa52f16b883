package io.github.maritaca4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.batchapi.BatchStatus;
import io.github.maritaca4j.jobs.BatchApiJob;
import io.github.maritaca4j.jobs.BatchApiJobState;
import io.github.maritaca4j.jobs.BatchApiResults;
import io.github.maritaca4j.jobs.JobFiles;
import java.io.PrintWriter;
import java.util.Locale;

/** What the Batch API commands share: finding jobs, waiting, printing states and results. */
final class BatchApiSupport {
  private BatchApiSupport() {}

  /** A client for an existing job: --base-url, else $MARITACA_API_BASE, else the job's own. */
  static ChatMaritaca client(
      CliEnvironment env, ConnectionOptions connection, BatchApiJobState state) {
    ChatMaritaca.Builder b = connection.builder(env);
    if (connection.baseUrl == null
        && env.get(ChatMaritaca.BASE_URL_ENV) == null
        && state.baseUrl() != null) {
      b.baseUrl(state.baseUrl());
    }
    return b.build();
  }

  /** Polls until every batch of the job is final, showing progress; returns the final state. */
  static BatchApiJobState waitFor(
      BatchApiJob jobs,
      BatchApiJobState state,
      long pollMillis,
      PrintWriter err,
      boolean bar,
      boolean quiet) {
    BatchApiJobState s = jobs.refresh(state);
    long lastLine = 0;
    while (!s.isTerminal()) {
      if (!quiet) {
        long now = System.nanoTime();
        if (bar) {
          err.print("\r" + progressLine(s) + "   ");
          err.flush();
        } else if (now - lastLine >= 5_000_000_000L || lastLine == 0) {
          err.println(progressLine(s));
          err.flush();
          lastLine = now;
        }
      }
      try {
        Thread.sleep(pollMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CliException(ExitCodes.INTERRUPTED, "interrupted while waiting");
      }
      s = jobs.refresh(s);
    }
    if (!quiet) {
      if (bar) {
        err.println("\r" + progressLine(s) + "   ");
      } else {
        err.println(progressLine(s));
      }
      err.flush();
    }
    return s;
  }

  static String progressLine(BatchApiJobState s) {
    long total = 0;
    long done = 0;
    long failed = 0;
    int finished = 0;
    for (BatchApiJobState.Part p : s.parts()) {
      total += p.total() > 0 ? p.total() : p.lines();
      done += p.completed();
      failed += p.failed();
      if (p.downloaded() || (p.batchStatus() != null && p.batchStatus().isTerminal())) {
        finished++;
      }
    }
    int pct = total == 0 ? 0 : (int) (100 * (done + failed) / total);
    return "batch api: "
        + Fmt.n(done + failed)
        + "/"
        + Fmt.n(total)
        + " ("
        + pct
        + "%) · "
        + Fmt.n(failed)
        + " failed · batches finished "
        + finished
        + "/"
        + s.parts().size();
  }

  static void printState(PrintWriter out, BatchApiJobState s) {
    out.println(
        "job "
            + s.jobId()
            + ": "
            + s.input()
            + " -> "
            + s.output()
            + " ("
            + Fmt.n(s.totalLines())
            + " requests in "
            + s.parts().size()
            + (s.parts().size() == 1 ? " batch)" : " batches)"));
    for (BatchApiJobState.Part p : s.parts()) {
      BatchStatus st = p.batchStatus();
      out.println(
          String.format(
              Locale.ROOT,
              "  part %d  %-14s %-22s %-12s %s/%s done, %s failed%s%s",
              p.index(),
              p.model(),
              p.batchId() == null ? "(not created)" : p.batchId(),
              st == null ? (p.inputFileId() == null ? "not uploaded" : "uploaded") : st.wireName(),
              Fmt.n(p.completed()),
              Fmt.n(p.total() > 0 ? p.total() : p.lines()),
              Fmt.n(p.failed()),
              p.downloaded() ? ", results downloaded" : "",
              p.message() == null ? "" : " (" + p.message() + ")"));
    }
  }

  static ObjectNode stateJson(BatchApiJobState s) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("job_id", s.jobId());
    o.put("input", s.input());
    o.put("output", s.output());
    o.put("errors", s.errors());
    o.put("requests", s.totalLines());
    o.put("terminal", s.isTerminal());
    o.put("downloaded", s.isFinished());
    var parts = o.putArray("batches");
    for (BatchApiJobState.Part p : s.parts()) {
      ObjectNode n = parts.addObject();
      n.put("part", p.index());
      n.put("model", p.model());
      n.put("lines", p.lines());
      n.put("input_file_id", p.inputFileId());
      n.put("batch_id", p.batchId());
      n.put("status", p.status());
      n.put("total", p.total());
      n.put("completed", p.completed());
      n.put("failed", p.failed());
      n.put("downloaded", p.downloaded());
      n.put("message", p.message());
    }
    return o;
  }

  /** Downloads what is ready and reports it; returns the exit code. */
  static int results(
      BatchApiJob jobs, BatchApiJobState state, PrintWriter out, PrintWriter err, boolean json) {
    return results(jobs, state, out, err, json, true);
  }

  /**
   * {@link #results(BatchApiJob, BatchApiJobState, PrintWriter, PrintWriter, boolean)}; without
   * {@code hints}, the commands that would run the failed and missing requests are not printed (a
   * {@code --fallback} runs them next).
   */
  static int results(
      BatchApiJob jobs,
      BatchApiJobState state,
      PrintWriter out,
      PrintWriter err,
      boolean json,
      boolean hints) {
    BatchApiResults r = jobs.downloadResults(state);
    int code =
        r.pendingParts() > 0
            ? ExitCodes.PENDING
            : r.failed() > 0 || r.missing() > 0 ? ExitCodes.ITEMS_FAILED : ExitCodes.OK;
    if (json) {
      ObjectNode o = stateJson(r.state());
      o.put("succeeded", r.succeeded());
      o.put("failed", r.failed());
      o.put("duplicates_skipped", r.duplicates());
      o.put("pending_batches", r.pendingParts());
      o.put("missing", r.missing());
      o.put("ignored", r.ignored());
      var w = o.putArray("warnings");
      r.warnings().forEach(w::add);
      o.put("exit_code", code);
      out.println(Json.write(o));
      return code;
    }
    out.println(
        "results: "
            + Fmt.n(r.succeeded())
            + " answers appended to "
            + r.state().output()
            + ", "
            + Fmt.n(r.failed())
            + " failures to "
            + r.state().errors()
            + (r.duplicates() > 0
                ? " (" + Fmt.n(r.duplicates()) + " already there, skipped)"
                : ""));
    for (String w : r.warnings()) {
      err.println("warning: " + w);
    }
    if (r.ignored() > 0) {
      err.println(
          Fmt.n(r.ignored())
              + " line(s) of the server's result files skipped (unreadable, or for a custom_id"
              + " that was not submitted)");
    }
    if (r.pendingParts() > 0) {
      err.println(
          r.pendingParts()
              + " batch(es) still running: run `maritaca batch results "
              + r.state().jobId()
              + " --wait` to wait for them");
    }
    if (r.failed() > 0 && hints) {
      err.println(
          Fmt.n(r.failed())
              + " request(s) failed or expired (in "
              + r.state().errors()
              + "); run them again in real time with: maritaca batch run "
              + r.state().input()
              + " -o "
              + r.state().output()
              + errorsOption(r.state())
              + " --retry-failed");
    }
    if (r.missing() > 0 && hints) {
      err.println(
          Fmt.n(r.missing())
              + " request(s) got no result (batch cancelled or failed); run them in real"
              + " time with: maritaca batch run "
              + r.state().input()
              + " -o "
              + r.state().output()
              + errorsOption(r.state()));
    }
    return code;
  }

  /** {@code " --errors FILE"} when the job's errors file is not the output's default one. */
  private static String errorsOption(BatchApiJobState s) {
    java.nio.file.Path out = java.nio.file.Path.of(s.output());
    java.nio.file.Path def = JobFiles.defaultErrors(out).toAbsolutePath().normalize();
    return def.equals(java.nio.file.Path.of(s.errors()).toAbsolutePath().normalize())
        ? ""
        : " --errors " + s.errors();
  }
}
