package io.github.maritaca4j.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * S6: a JSONL file of N lines (Batch API input format) run through the jobs API by {@code JobMain}
 * in a child JVM with {@code -Xmx256m}, against a simulator in a JVM of its own (no latency, no
 * limits). Runs only when the jobs API ({@code io.github.maritaca4j.jobs.JsonlJob}) and {@code
 * JobMain} are on the classpath; otherwise it says so and is skipped.
 */
final class JobScenario {
  static final String JOB_MAIN = "io.github.maritaca4j.bench.JobMain";
  static final int HEAP_MB = 256;

  private JobScenario() {}

  static void run(Scenario s, Bench.Options options, PrintStream out, Bench.Report report)
      throws IOException, InterruptedException {
    Class<?> jobMain;
    try {
      Class.forName("io.github.maritaca4j.jobs.JsonlJob");
      jobMain = Class.forName(JOB_MAIN);
    } catch (ClassNotFoundException e) {
      String note =
          "S6 skipped: the jobs API (io.github.maritaca4j.jobs.JsonlJob) is not available";
      out.println("   " + note);
      report.notes.add(note);
      return;
    }
    Path dir = Files.createTempDirectory("maritaca4j-bench-s6-");
    try {
      Path input = dir.resolve("input.jsonl");
      long t0 = System.nanoTime();
      writeInput(input, s.n(), s.promptWords());
      out.printf(
          "   input: %,d lines, %,d MB, written in %.1f s%n",
          s.n(), Files.size(input) >> 20, (System.nanoTime() - t0) / 1e9);
      List<String> simArgs = List.of("--latency-ms", "0");
      try (Child sim = Child.start("simulator", List.of("-Xmx512m"), SimMain.class, simArgs)) {
        String[] urls = Bench.readUrls(sim);
        out.println(JobRow.HEADER);
        for (int rep = 1; rep <= options.reps; rep++) {
          Path work = Files.createDirectories(dir.resolve("run-" + rep));
          int r = rep;
          List<String> args =
              List.of(
                  "--input", input.toString(),
                  "--work", work.toString(),
                  "--main", urls[0],
                  "--warm", urls[1],
                  "--c", Integer.toString(s.c()),
                  "--warmup", Integer.toString(Math.min(options.warmup * 4, 20_000)),
                  "--words", Integer.toString(s.promptWords()));
          try (Child c = Child.start("job", List.of("-Xmx" + HEAP_MB + "m"), jobMain, args)) {
            int code =
                c.drain(
                    json -> {
                      try {
                        JsonNode j = SimHttp.JSON.readTree(json);
                        JobRow row =
                            new JobRow(
                                r,
                                s.n(),
                                HEAP_MB,
                                j.path("prepareNanos").asLong() / 1e9,
                                j.path("runNanos").asLong() / 1e9,
                                j.path("succeeded").asLong(),
                                j.path("failed").asLong(),
                                j.path("peakHeapBytes").asLong() / 1048576.0,
                                j.path("liveHeapBytes").asLong() / 1048576.0,
                                j.path("cpuNanos").asLong() / 1e9);
                        report.jobRows.add(row);
                        out.println(row.format());
                      } catch (IOException e) {
                        throw new IllegalStateException(e);
                      }
                    },
                    3600);
            if (code != 0) {
              String note = "S6 rep " + rep + ": the job JVM exited with " + code;
              out.println("   " + note);
              report.notes.add(note);
            }
          }
          deleteTree(work);
        }
      }
    } finally {
      deleteTree(dir);
    }
  }

  /** N lines of the Batch API's input format, one short Portuguese prompt each. */
  static void writeInput(Path file, int n, int words) throws IOException {
    String filler = Prompts.filler(words);
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int i = 0; i < n; i++) {
        ObjectNode line = SimHttp.JSON.createObjectNode();
        line.put("custom_id", "request-" + i);
        line.put("method", "POST");
        line.put("url", "/v1/chat/completions");
        ObjectNode body = line.putObject("body");
        body.put("model", Scenario.MODEL);
        ObjectNode m = body.putArray("messages").addObject();
        m.put("role", "user");
        m.put("content", Prompts.prompt(i, filler));
        body.put("max_tokens", Scenario.MAX_TOKENS);
        w.write(SimHttp.JSON.writeValueAsString(line));
        w.write('\n');
      }
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
