package io.github.maritaca4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.maritaca4j.jobs.JobFiles;
import io.github.maritaca4j.simulator.Latency;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a job with duplicates, a response cache and prefix groups, at a point in the run:
 * resumed, every custom_id ends in the output exactly once.
 */
class KillResumeReuseTest {
  static final int DISTINCT = 100;
  static final int COPIES = 3;

  @TempDir Path dir;

  private List<String> args(MaritacaSimulator sim, Path in, Path out, Path db) {
    return List.of(
        "batch",
        "run",
        in.toString(),
        "-o",
        out.toString(),
        "--base-url",
        sim.baseUrl(),
        "--concurrency",
        "8",
        "--max-tokens",
        "30",
        "--progress",
        "none",
        "--cache",
        db.toString());
  }

  private static long lines(Path f) throws Exception {
    if (!Files.exists(f)) {
      return 0;
    }
    try (var s = Files.lines(f)) {
      return s.count();
    }
  }

  @Test
  void aKilledRunWithDuplicatesAndACacheResumesWithEveryIdExactlyOnce() throws Exception {
    List<String> lines = new ArrayList<>();
    String system = "Você responde sobre geografia do Brasil com uma frase curta. ".repeat(30);
    for (int d = 0; d < DISTINCT; d++) {
      for (int c = 0; c < COPIES; c++) {
        String body =
            d % 2 == 0
                ? "{\"messages\":[{\"role\":\"user\",\"content\":\"Pergunta " + d + "\"}]}"
                : "{\"messages\":[{\"role\":\"system\",\"content\":\""
                    + system
                    + "\"},{\"role\":\"user\",\"content\":\"Pergunta "
                    + d
                    + "\"}]}";
        lines.add(body);
      }
    }
    Collections.shuffle(lines, new Random(9));
    List<String> withIds = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      withIds.add("{\"custom_id\":\"k" + i + "\",\"body\":" + lines.get(i) + "}");
    }
    Path in = Files.write(dir.resolve("in.jsonl"), withIds);
    Path out = dir.resolve("out.jsonl");
    Path db = dir.resolve("answers.db");
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder().latency(Latency.fixed(Duration.ofMillis(60))).start()) {
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.add("-Xmx128m");
      cmd.add("-cp");
      cmd.add(System.getProperty("java.class.path"));
      cmd.add(Main.class.getName());
      cmd.addAll(args(sim, in, out, db));
      ProcessBuilder pb = new ProcessBuilder(cmd);
      pb.environment().put("MARITACA_API_KEY", "test-key");
      pb.redirectErrorStream(true);
      pb.redirectOutput(dir.resolve("child.log").toFile());
      Process p = pb.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (lines(out) < 90) {
        assertThat(p.isAlive()).as(() -> readLog()).isTrue();
        assertThat(System.nanoTime()).as("no progress").isLessThan(deadline);
        Thread.sleep(10);
      }
      p.destroyForcibly();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(lines(out)).isLessThan(DISTINCT * COPIES);

      CliRun.Result r = CliRun.run(CliRun.env(dir), args(sim, in, out, db).toArray(String[]::new));
      assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
      Map<String, Integer> ids = CliRun.ids(out, JobFiles.defaultErrors(out));
      assertThat(ids).hasSize(DISTINCT * COPIES).allSatisfy((k, v) -> assertThat(v).isEqualTo(1));
      // sent again after the kill: what was in flight (8 at most), and answers the cache had not
      // committed yet (it commits at most SqliteResponseCache.COMMIT_MS after an answer: about 13
      // answers at 8 in flight and 60 ms each) whose duplicates were still to be written. Without
      // the cache every answered body with a duplicate left would be sent again (dozens here)
      assertThat(sim.stats().ok()).isLessThanOrEqualTo(DISTINCT + 8 + 16);
    }
  }

  private String readLog() {
    try {
      return Files.readString(dir.resolve("child.log"));
    } catch (Exception e) {
      return e.toString();
    }
  }
}
