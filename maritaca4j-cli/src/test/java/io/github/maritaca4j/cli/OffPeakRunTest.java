package io.github.maritaca4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.maritaca4j.jobs.OffPeakScheduler;
import io.github.maritaca4j.simulator.Latency;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code batch run --off-peak} over real HTTP, with a wall clock the test moves: the hours between
 * windows, and the end of a window, pass in milliseconds. No test waits for real hours.
 */
class OffPeakRunTest {
  /** Wednesday 21:00 in Brasília: one hour before the window. */
  static final Instant NINE_PM = Instant.parse("2026-01-08T00:00:00Z");

  @TempDir Path dir;

  /** A clock ticking at the real rate from an instant the test can move forward. */
  static final class MovableClock extends Clock {
    private volatile Instant base;
    private volatile long mark = System.nanoTime();

    MovableClock(Instant start) {
      this.base = start;
    }

    synchronized void advance(Duration d) {
      base = instant().plus(d);
      mark = System.nanoTime();
    }

    @Override
    public synchronized Instant instant() {
      return base.plusNanos(System.nanoTime() - mark);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }

  /**
   * Jumps the clock over the waits for a window; in a window's watch, lets the job write {@code
   * firstNight} answers, then jumps to the window's end; in later watches, waits until the job
   * finishes (the watch is then interrupted).
   */
  static final class FakeSleeper implements OffPeakScheduler.Sleeper {
    final MovableClock clock;
    final Path output;
    final int firstNight;
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    int watches;

    FakeSleeper(MovableClock clock, Path output, int firstNight) {
      this.clock = clock;
      this.output = output;
      this.firstNight = firstNight;
    }

    @Override
    public void sleep(Duration d) throws InterruptedException {
      boolean watch = Thread.currentThread().getName().equals("maritaca-off-peak-watch");
      long minutes = Math.round(d.toMillis() / 60_000.0);
      calls.add((watch ? "watch " : "wait ") + minutes + " min");
      if (!watch) {
        clock.advance(d);
        return;
      }
      if (watches++ == 0 && firstNight > 0) {
        long until = System.nanoTime() + 30_000_000_000L;
        while (lines() < firstNight && System.nanoTime() < until) {
          Thread.sleep(5);
        }
        clock.advance(d); // 06:00
        return;
      }
      new CountDownLatch(1).await(); // until the run ends and closes the watch
    }

    long lines() {
      try {
        return Files.exists(output) ? Files.readAllLines(output).size() : 0;
      } catch (java.io.IOException e) {
        return 0;
      }
    }
  }

  private CliRun.Result run(
      MaritacaSimulator sim, MovableClock clock, FakeSleeper sleeper, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "batch",
                "run",
                dir.resolve("in.jsonl").toString(),
                "-o",
                dir.resolve("out.jsonl").toString(),
                "--base-url",
                sim.baseUrl(),
                "--max-tokens",
                "20",
                "-c",
                "2",
                "--progress",
                "none",
                "--off-peak"));
    args.addAll(List.of(extra));
    CliEnvironment env = CliRun.env(dir).withClock(clock).withSleeper(sleeper);
    return CliRun.run(env, args.toArray(String[]::new));
  }

  @Test
  void waitsForTheWindowPausesAtItsEndAndResumesTheNextNight() throws Exception {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder().latency(Latency.fixed(Duration.ofMillis(40))).start()) {
      CliRun.writeInput(dir.resolve("in.jsonl"), 100);
      MovableClock clock = new MovableClock(NINE_PM);
      FakeSleeper sleeper = new FakeSleeper(clock, dir.resolve("out.jsonl"), 20);

      CliRun.Result r = run(sim, clock, sleeper, "--json");

      assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
      // 21:00 -> 22:00; the first night until 06:00; 06:00 -> 22:00; the second night
      assertThat(sleeper.calls)
          .containsExactly("wait 60 min", "watch 480 min", "wait 960 min", "watch 480 min");
      Map<String, Integer> ids =
          CliRun.ids(dir.resolve("out.jsonl"), dir.resolve("out.errors.jsonl"));
      assertThat(ids).hasSize(100);
      assertThat(ids.values()).containsOnly(1);
      List<JsonNode> nights =
          r.out().lines().filter(l -> l.startsWith("{")).map(OffPeakRunTest::json).toList();
      assertThat(nights).hasSize(2);
      long first = nights.get(0).path("succeeded").asLong();
      // the first night stopped sending after 20 answers (and a few more finished meanwhile)
      assertThat(first).isBetween(20L, 99L);
      assertThat(nights.get(0).path("stopped").asBoolean()).isTrue();
      assertThat(nights.get(1).path("succeeded").asLong()).isEqualTo(100 - first);
      // every answer of the second night was produced off-peak and priced so
      assertThat(nights.get(1).path("cost_pricing_mode").asText()).isEqualTo("off_peak");
      assertThat(nights.get(1).path("estimate").path("pricing_mode").asText())
          .isEqualTo("off_peak");
      assertThat(r.err())
          .contains("off-peak: waiting for the window at Wed 07/01 22:00")
          .contains("resuming at Thu 08/01 22:00");
      // nothing was sent outside the windows: 60 requests, each once
      assertThat(sim.stats().requests()).isEqualTo(100);
    }
  }

  @Test
  void exitsAtTheWindowsEndWithTheCommandThatResumes() throws Exception {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder().latency(Latency.fixed(Duration.ofMillis(40))).start()) {
      CliRun.writeInput(dir.resolve("in.jsonl"), 100);
      MovableClock clock = new MovableClock(NINE_PM);
      FakeSleeper sleeper = new FakeSleeper(clock, dir.resolve("out.jsonl"), 10);

      CliRun.Result r = run(sim, clock, sleeper, "--exit-at-window-end");

      assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.PENDING);
      assertThat(sleeper.calls).containsExactly("wait 60 min", "watch 480 min");
      assertThat(r.err()).contains("Resume tonight with:").contains("--exit-at-window-end");
      long done = CliRun.ids(dir.resolve("out.jsonl")).size();
      assertThat(done).isBetween(10L, 99L);

      // the same command the next morning waits for 22:00 and finishes the job
      FakeSleeper second = new FakeSleeper(clock, dir.resolve("out.jsonl"), 0);
      CliRun.Result again = run(sim, clock, second, "--exit-at-window-end");
      assertThat(again.code()).as(again.toString()).isEqualTo(ExitCodes.OK);
      assertThat(second.calls).containsExactly("wait 960 min", "watch 480 min");
      Map<String, Integer> ids = CliRun.ids(dir.resolve("out.jsonl"));
      assertThat(ids).hasSize(100);
      assertThat(ids.values()).containsOnly(1);
      assertThat(sim.stats().requests()).isEqualTo(100);
    }
  }

  @Test
  void startsAtOnceInsideTheWindow() throws Exception {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder().latency(Latency.fixed(Duration.ofMillis(5))).start()) {
      CliRun.writeInput(dir.resolve("in.jsonl"), 5);
      MovableClock clock = new MovableClock(Instant.parse("2026-01-08T02:00:00Z")); // 23:00
      FakeSleeper sleeper = new FakeSleeper(clock, dir.resolve("out.jsonl"), 0);
      CliRun.Result r = run(sim, clock, sleeper);
      assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
      assertThat(sleeper.calls).containsExactly("watch 420 min"); // until 06:00, then closed
      assertThat(r.err()).doesNotContain("waiting for the window");
    }
  }

  @Test
  void aBadInputIsReportedAtOnceNotAt22() throws Exception {
    try (MaritacaSimulator sim = MaritacaSimulator.builder().start()) {
      Files.writeString(
          dir.resolve("in.jsonl"), "{\"custom_id\":\"a\",\"prompt\":\"x\"}\nnot json\n");
      MovableClock clock = new MovableClock(NINE_PM);
      FakeSleeper sleeper = new FakeSleeper(clock, dir.resolve("out.jsonl"), 0);
      CliRun.Result r = run(sim, clock, sleeper);
      assertThat(r.code()).isEqualTo(ExitCodes.INVALID_INPUT);
      assertThat(r.err()).contains("line 2");
      assertThat(sleeper.calls).isEmpty(); // no waiting
      assertThat(sim.stats().requests()).isZero();
    }
  }

  @Test
  void offPeakWithFlexIsRefusedBeforeAnythingIsSent() throws Exception {
    CliRun.writeInput(dir.resolve("in.jsonl"), 3);
    CliRun.Result r =
        CliRun.run(
            CliRun.env(dir),
            "batch",
            "run",
            dir.resolve("in.jsonl").toString(),
            "-o",
            dir.resolve("out.jsonl").toString(),
            "--off-peak",
            "--flex");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--off-peak with --flex: the discounts do not add up");
    assertThat(dir.resolve("out.jsonl")).doesNotExist();

    CliRun.Result alone =
        CliRun.run(
            CliRun.env(dir),
            "batch",
            "run",
            dir.resolve("in.jsonl").toString(),
            "-o",
            dir.resolve("out.jsonl").toString(),
            "--exit-at-window-end");
    assertThat(alone.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(alone.err()).contains("--exit-at-window-end needs --off-peak");
  }

  private static JsonNode json(String line) {
    try {
      return CliRun.JSON.readTree(line);
    } catch (Exception e) {
      throw new AssertionError(line, e);
    }
  }
}
