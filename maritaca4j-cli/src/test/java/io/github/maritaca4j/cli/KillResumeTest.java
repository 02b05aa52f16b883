package io.github.maritaca4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.maritaca4j.jobs.JobFiles;
import io.github.maritaca4j.simulator.Latency;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job run in a child JVM, killed mid-run, then resumed in-process: every custom_id ends in the
 * output or errors file exactly once, and the simulator saw only the requests in flight at the kill
 * twice.
 */
class KillResumeTest {
  static final int LINES = 300;
  static final int CONCURRENCY = 8;

  @TempDir Path dir;

  private Process start(MaritacaSimulator sim, Path in, Path out) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.add("-Xmx128m");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.addAll(
        List.of(
            "batch",
            "run",
            in.toString(),
            "-o",
            out.toString(),
            "--base-url",
            sim.baseUrl(),
            "--concurrency",
            Integer.toString(CONCURRENCY),
            "--max-tokens",
            "30",
            "--progress",
            "none"));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("MARITACA_API_KEY", "test-key");
    pb.redirectErrorStream(true);
    pb.redirectOutput(dir.resolve("child.log").toFile());
    return pb.start();
  }

  private static long lines(Path f) throws Exception {
    if (!Files.exists(f)) {
      return 0;
    }
    try (var s = Files.lines(f)) {
      return s.count();
    }
  }

  private void waitForLines(Process p, Path out, long n) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (lines(out) < n) {
      if (!p.isAlive()) {
        throw new AssertionError(
            "the child ended early: " + Files.readString(dir.resolve("child.log")));
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no progress: " + Files.readString(dir.resolve("child.log")));
      }
      Thread.sleep(20);
    }
  }

  @Test
  void aKilledRunResumesWithEveryIdExactlyOnce() throws Exception {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder().latency(Latency.fixed(Duration.ofMillis(60))).start()) {
      Path in = dir.resolve("in.jsonl");
      Path out = dir.resolve("out.jsonl");
      CliRun.writeInput(in, LINES);
      Process p = start(sim, in, out);
      waitForLines(p, out, 60);
      p.destroyForcibly(); // SIGKILL: no shutdown hook, no flush, no close
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      long sentBeforeKill = sim.stats().requests();
      long doneBeforeKill = lines(out);
      assertThat(doneBeforeKill).isLessThan(LINES);

      CliRun.Result r =
          CliRun.run(
              CliRun.env(dir),
              "batch",
              "run",
              in.toString(),
              "-o",
              out.toString(),
              "--base-url",
              sim.baseUrl(),
              "--concurrency",
              Integer.toString(CONCURRENCY),
              "--max-tokens",
              "30",
              "--progress",
              "none");
      assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
      Map<String, Integer> ids = CliRun.ids(out, JobFiles.defaultErrors(out));
      assertThat(ids).hasSize(LINES).allSatisfy((k, v) -> assertThat(v).isEqualTo(1));
      long total = sim.stats().requests();
      long resent = total - LINES;
      System.out.printf(
          "kill -9 after %d lines written, %d requests sent; resumed: %d requests in all, %d"
              + " sent twice%n",
          doneBeforeKill, sentBeforeKill, total, resent);
      // only what was in flight at the kill (sent, answer not yet written) was sent again
      assertThat(resent)
          .isLessThanOrEqualTo(sentBeforeKill - Math.min(doneBeforeKill, sentBeforeKill));
      assertThat(resent).isLessThanOrEqualTo(CONCURRENCY);
      assertThat(r.err()).contains("resuming: ");
    }
  }

  @Test
  void ctrlCStopsSendingWaitsForTheRequestsInFlightAndTellsHowToResume() throws Exception {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder().latency(Latency.fixed(Duration.ofMillis(60))).start()) {
      Path in = dir.resolve("in.jsonl");
      Path out = dir.resolve("out.jsonl");
      CliRun.writeInput(in, LINES);
      Process p = start(sim, in, out);
      waitForLines(p, out, 40);
      p.destroy(); // SIGTERM: the shutdown hook runs, like Ctrl-C
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      String log = Files.readString(dir.resolve("child.log"));
      assertThat(log).contains("stopping: no new requests").contains("Resume with:");
      long sent = sim.stats().requests();
      assertThat(lines(out)).isEqualTo(sent); // every answer that came back was written

      CliRun.Result r =
          CliRun.run(
              CliRun.env(dir),
              "batch",
              "run",
              in.toString(),
              "-o",
              out.toString(),
              "--base-url",
              sim.baseUrl(),
              "--progress",
              "none");
      assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
      assertThat(CliRun.ids(out)).hasSize(LINES).allSatisfy((k, v) -> assertThat(v).isEqualTo(1));
      assertThat(sim.stats().requests()).isEqualTo(LINES); // nothing sent twice
    }
  }
}
