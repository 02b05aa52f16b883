package io.github.maritaca4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.maritaca4j.jobs.ResultFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

  static Result run(CliEnvironment env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = Cli.commandLine(env);
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int code = cmd.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  static CliEnvironment env(Path home) {
    return CliEnvironment.of(Map.of("MARITACA_API_KEY", "test-key"), home);
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

  /** custom_id → times seen across the files. */
  static Map<String, Integer> ids(Path... files) {
    Map<String, Integer> m = new HashMap<>();
    for (Path f : files) {
      ResultFile.scan(f, false, s -> m.merge(s.customId(), 1, Integer::sum));
    }
    return m;
  }
}
