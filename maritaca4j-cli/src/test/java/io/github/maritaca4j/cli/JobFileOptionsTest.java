package io.github.maritaca4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code batch run} and {@code batch submit} take INPUT, -o and --errors from one mixin. */
class JobFileOptionsTest {
  @TempDir Path dir;

  @Test
  void runAndSubmitDescribeTheJobFilesAlike() {
    for (String command : new String[] {"run", "submit"}) {
      CliRun.Result r = CliRun.run(CliRun.env(dir), "batch", command, "--help");
      assertThat(r.code()).as(r.toString()).isZero();
      assertThat(r.out().replaceAll("\\s+", " "))
          .as(command)
          .contains("INPUT The requests, one JSON a line.")
          .contains(
              "-o, --output=OUTPUT Where the answers are appended, one JSON a line (Batch API"
                  + " output format).")
          .contains(
              "--errors=FILE Where the failures are appended (default: OUTPUT with"
                  + " .errors.jsonl).");
    }
  }

  @Test
  void bothCheckTheFilesBeforeAnyWork() {
    for (String command : new String[] {"run", "submit"}) {
      CliRun.Result r =
          CliRun.run(
              CliRun.env(Map.of("MARITACA_API_KEY", "k"), dir),
              "batch",
              command,
              dir.resolve("missing.jsonl").toString(),
              "-o",
              dir.resolve("out.jsonl").toString());
      assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.ERROR);
      assertThat(r.err()).contains("input file not found");
      CliRun.Result noOutput = CliRun.run(CliRun.env(dir), "batch", command, "in.jsonl");
      assertThat(noOutput.code()).as(noOutput.toString()).isEqualTo(ExitCodes.USAGE);
      assertThat(noOutput.err()).contains("--output");
    }
  }
}
