package io.github.maritaca4j.cli;

import io.github.maritaca4j.ChatRequest;
import io.github.maritaca4j.batch.BatchItem;
import io.github.maritaca4j.batch.BatchProgress;
import io.github.maritaca4j.jobs.JobListener;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Shows a job's progress on stderr: a bar redrawn in place on a terminal, a plain line every few
 * seconds otherwise, nothing when quiet. Counts done/total, rate, ETA, tokens, R$ spent, 429s and
 * the current concurrency. Rendering runs on its own daemon thread; events only store the latest
 * totals.
 */
final class Progress implements JobListener, AutoCloseable {
  private static final int BAR_WIDTH = 24;

  private final PrintWriter err;
  private final OutputOptions.ProgressStyle style;
  private final boolean color;
  private final long total;
  private final long intervalMillis;
  private final JobListener onItem;
  private final long started = System.nanoTime();
  private volatile BatchProgress last;
  private ScheduledExecutorService timer;
  private int lastWidth;
  private boolean drawn;

  /**
   * The rate shown and the ETA come from the last 30 s, not from the start: a batch paced by rate
   * limits runs its first burst far faster than the rest, and an average since the start would
   * promise an early end.
   */
  private final RecentRate recent;

  Progress(
      PrintWriter err,
      OutputOptions.ProgressStyle style,
      boolean color,
      long total,
      double intervalSeconds,
      JobListener onItem) {
    this.err = err;
    this.style = style;
    this.color = color;
    this.total = total;
    this.intervalMillis =
        style == OutputOptions.ProgressStyle.BAR
            ? 200
            : Math.max(100, (long) (intervalSeconds * 1000));
    this.onItem = onItem;
    this.recent = new RecentRate(started);
  }

  void start() {
    if (style == OutputOptions.ProgressStyle.NONE || style == OutputOptions.ProgressStyle.AUTO) {
      return;
    }
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "maritaca-progress");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleAtFixedRate(this::render, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void onItemWritten(String customId, ChatRequest request, BatchItem item) {
    if (onItem != null) {
      onItem.onItemWritten(customId, request, item);
    }
  }

  @Override
  public void onProgress(BatchProgress progress) {
    last = progress;
  }

  /** Stops rendering; draws the final state once (and ends the bar's line). */
  @Override
  public void close() {
    if (timer == null) {
      return;
    }
    timer.shutdownNow();
    try {
      timer.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    timer = null;
    synchronized (this) {
      if (last != null || style == OutputOptions.ProgressStyle.BAR) {
        renderNow();
      }
      if (style == OutputOptions.ProgressStyle.BAR && drawn) {
        err.println();
      }
      err.flush();
    }
  }

  private void render() {
    synchronized (this) {
      renderNow();
    }
  }

  private void renderNow() {
    BatchProgress p = last;
    long done = p == null ? 0 : p.completed();
    long failed = p == null ? 0 : p.failed();
    // wall time, not the last event's: during a shared 429 pause the rate falls and the ETA grows
    long now = System.nanoTime();
    double secs = (now - started) / 1e9;
    double rate = recent.update(now, done);
    long eta = rate > 0 ? (long) Math.ceil((total - done) / rate) : -1;
    Duration elapsed = Duration.ofNanos((long) (secs * 1e9));
    long tokens = p == null ? 0 : p.inputTokens() + p.outputTokens();
    BigDecimal spent = p == null ? BigDecimal.ZERO : p.spent();
    long limited = p == null ? 0 : p.rateLimited();
    int pct = total <= 0 ? 100 : (int) (100 * done / total);
    String tail =
        " · "
            + Fmt.rate(rate)
            + "/s · ETA "
            + (done >= total ? "0:00" : Fmt.clock(eta))
            + " · "
            + Fmt.compact(tokens)
            + " tok · "
            + Fmt.brl(spent)
            + " · 429s "
            + paint(Long.toString(limited), limited > 0 ? "33" : null)
            + (failed > 0 ? " · failed " + paint(Long.toString(failed), "31") : "")
            + " · conc "
            + (p == null ? "-" : p.inFlight() + "/" + p.concurrencyLimit());
    if (style == OutputOptions.ProgressStyle.BAR) {
      int filled = total <= 0 ? BAR_WIDTH : (int) (BAR_WIDTH * done / total);
      StringBuilder bar = new StringBuilder("[");
      for (int i = 0; i < BAR_WIDTH; i++) {
        bar.append(i < filled ? '=' : i == filled ? '>' : ' ');
      }
      bar.append("] ");
      String line = bar + Fmt.n(done) + "/" + Fmt.n(total) + " " + pct + "%" + tail;
      int pad = Math.max(0, lastWidth - line.length());
      err.print("\r" + line + " ".repeat(pad));
      lastWidth = line.length();
      drawn = true;
    } else {
      err.println(
          "progress: "
              + Fmt.n(done)
              + "/"
              + Fmt.n(total)
              + " ("
              + pct
              + "%) · elapsed "
              + Fmt.duration(elapsed)
              + tail);
    }
    err.flush();
  }

  private String paint(String s, String ansi) {
    return color && ansi != null ? "\033[" + ansi + "m" + s + "\033[0m" : s;
  }
}
