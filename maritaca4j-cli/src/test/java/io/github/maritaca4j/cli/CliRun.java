package io.github.maritaca4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.maritaca4j.TestClocks;
import io.github.maritaca4j.batchapi.ResultLine;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** Runs the CLI in-process with captured writers. */
final class CliRun {
  static final ObjectMapper JSON = new ObjectMapper();

  record Result(int code, String out, String err) {
    /** The last non-empty line of stdout, parsed. */
    JsonNode json() {
      List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
      try {
        return JSON.readTree(lines.get(lines.size() - 1));
      } catch (Exception e) {
        throw new AssertionError("stdout is not JSON: " + out + "\nstderr: " + err, e);
      }
    }

    @Override
    public String toString() {
      return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
    }
  }

  private CliRun() {}

  /**
   * Runs the command line in {@code env}, which must have a pinned clock ({@link #env}): the
   * pricing window must never depend on when the tests run.
   */
  static Result run(CliEnvironment env, String... args) {
    if (env.clock().equals(Clock.systemUTC()) || env.clock().equals(Clock.systemDefaultZone())) {
      throw new AssertionError(
          "the environment has the real clock: use CliRun.env(...), or withClock(...)");
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = Cli.commandLine(env);
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int code = cmd.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  /** A key, no terminal, at noon in Brasília (standard prices). */
  static CliEnvironment env(Path home) {
    return env(Map.of("MARITACA_API_KEY", "test-key"), home);
  }

  /** These variables, no terminal, at noon in Brasília (standard prices). */
  static CliEnvironment env(Map<String, String> vars, Path home) {
    return CliEnvironment.of(vars, home).withClock(TestClocks.peak());
  }

  /** These variables, a terminal where {@code typed} is typed, at noon in Brasília. */
  static CliEnvironment terminal(Map<String, String> vars, Path home, String typed) {
    return CliEnvironment.interactive(vars, home, typed).withClock(TestClocks.peak());
  }

  static void writeInput(Path in, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append("{\"custom_id\":\"q")
          .append(i)
          .append("\",\"prompt\":\"Pergunta número ")
          .append(i)
          .append("?\"}\n");
    }
    try {
      Files.writeString(in, sb.toString());
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * custom_id → times seen across the files (a missing file is empty). Each complete line must be a
   * result line ({@link ResultLine}, with a custom_id); a partial last line (no newline: a process
   * killed while writing it) is left out, as a resumed job cuts it off.
   */
  static Map<String, Integer> ids(Path... files) {
    Map<String, Integer> m = new HashMap<>();
    for (Path f : files) {
      if (!Files.exists(f)) {
        continue;
      }
      String text;
      try {
        text = Files.readString(f);
      } catch (java.io.IOException e) {
        throw new UncheckedIOException(e);
      }
      int end = text.lastIndexOf('\n') + 1; // past the last whole line
      for (String line : text.substring(0, end).split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        ResultLine r = ResultLine.parse(line);
        if (r == null || r.customId() == null) {
          throw new AssertionError(f + " holds a line that is not a result line: " + line);
        }
        m.merge(r.customId(), 1, Integer::sum);
      }
    }
    return m;
  }
}
