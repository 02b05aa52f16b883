package io.github.maritaca4j.cli;

import io.github.maritaca4j.cost.PriceTable;
import io.github.maritaca4j.jobs.JsonlJob;
import io.github.maritaca4j.jobs.OffPeakScheduler;
import io.github.maritaca4j.jobs.OffPeakWindow;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * {@code batch run --off-peak}: waits for the off-peak window (22:00 Brasília), runs the job, stops
 * sending at 06:00 (the requests in flight finish and are written), then waits for the next night
 * and resumes, in the same process; with {@code --exit-at-window-end} it exits at 06:00 with the
 * command that resumes it. Each night is one run of the durable job, so nothing is sent twice. A
 * {@code --budget} is for the whole job: each night gets what the earlier nights left.
 */
final class OffPeakRun {
  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("EEE dd/MM HH:mm", Locale.ROOT);

  private final CliEnvironment env;
  private final PrintWriter err;
  private final boolean exitAtWindowEnd;
  private final boolean quiet;
  private final String resumeCommand;

  OffPeakRun(
      CliEnvironment env,
      PrintWriter err,
      boolean exitAtWindowEnd,
      boolean quiet,
      String resumeCommand) {
    this.env = env;
    this.err = err;
    this.exitAtWindowEnd = exitAtWindowEnd;
    this.quiet = quiet;
    this.resumeCommand = resumeCommand;
  }

  /**
   * Validates the input before any waiting, so that a bad line is reported now and not at 22:00;
   * returns an exit code to stop with, or null to go on. (The budget is checked each night, as a
   * plain run checks it, against what is left to do then.)
   */
  Integer precheck(
      io.github.maritaca4j.ChatMaritaca client,
      io.github.maritaca4j.jobs.JobFiles files,
      int outputTokens,
      io.github.maritaca4j.jobs.JobShard shard) {
    io.github.maritaca4j.jobs.InputEstimate e =
        JsonlJob.estimate(
            client,
            files.input(),
            outputTokens,
            io.github.maritaca4j.cost.PricingMode.OFF_PEAK,
            shard);
    if (!e.isValid()) {
      err.println(e.input().describe());
      err.flush();
      return ExitCodes.INVALID_INPUT;
    }
    return null;
  }

  /**
   * Runs night after night until the job is done (or stops for another reason).
   *
   * @param night makes the runner of one night, given the budget left (null: no budget)
   * @param budget the whole job's budget, or null
   */
  int run(Function<BigDecimal, JobRunner> night, BigDecimal budget) {
    OffPeakScheduler scheduler = new OffPeakScheduler(env.clock(), env.sleeper());
    BigDecimal left = budget;
    for (int n = 1; ; n++) {
      OffPeakWindow w;
      if (!scheduler.inWindow()) {
        OffPeakWindow next = scheduler.window();
        say(
            "off-peak: waiting for the window at "
                + when(next.start())
                + " (Brasília); Ctrl-C to stop, nothing is in flight");
      }
      try {
        w = scheduler.awaitWindow();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CliException(ExitCodes.INTERRUPTED, "interrupted while waiting for 22:00");
      }
      say(
          "off-peak: night "
              + n
              + ": sending until "
              + when(w.end())
              + " (Brasília), then the requests in flight finish");
      AtomicReference<JsonlJob> job = new AtomicReference<>();
      AtomicBoolean paused = new AtomicBoolean();
      JobRunner runner =
          night.apply(left).pricingMode(io.github.maritaca4j.cost.PricingMode.OFF_PEAK);
      runner.onJob(job::set, paused::get);
      int code;
      try (OffPeakScheduler.Watch watch =
          scheduler.watch(
              w,
              () -> {
                paused.set(true);
                JsonlJob j = job.get();
                if (j != null) {
                  j.stop();
                }
              })) {
        code = runner.run();
      }
      if (runner.summary != null && left != null) {
        left = left.subtract(runner.summary.cost().total());
      }
      if (!(paused.get() && code == ExitCodes.INTERRUPTED)) {
        return code; // done, failed, out of budget or interrupted: as a plain run
      }
      if (left != null && left.signum() <= 0) {
        err.println("off-peak: the budget is spent; not resuming");
        return ExitCodes.BUDGET;
      }
      long notRun = runner.summary == null ? 0 : runner.summary.notRun();
      if (exitAtWindowEnd) {
        err.println(
            "off-peak: the window ended at "
                + when(w.end())
                + " with "
                + Fmt.n(notRun)
                + " request(s) to go; everything that came back was written. Resume tonight"
                + " with:");
        err.println("  " + resumeCommand);
        err.flush();
        return ExitCodes.PENDING;
      }
      say(
          "off-peak: the window ended with "
              + Fmt.n(notRun)
              + " request(s) to go; resuming at "
              + when(w.next().start())
              + " (Brasília)");
    }
  }

  private void say(String s) {
    if (!quiet) {
      err.println(s);
      err.flush();
    }
  }

  private static String when(Instant t) {
    return WHEN.format(t.atZone(PriceTable.OFF_PEAK_ZONE));
  }
}
