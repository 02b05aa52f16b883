package io.github.maritaca4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code batch submit | status | results | cancel} against the simulator's Batch API. */
class BatchApiCommandsTest {
  @TempDir Path dir;
  MaritacaSimulator sim;
  Path in;
  Path out;
  Path state;

  @BeforeEach
  void start() {
    sim = MaritacaSimulator.builder().batchPace(Duration.ofMillis(30)).start();
    in = dir.resolve("in.jsonl");
    out = dir.resolve("out.jsonl");
    state = dir.resolve("state");
    CliRun.writeInput(in, 12);
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  private CliRun.Result cli(String... args) {
    return CliRun.run(CliRun.env(dir), args);
  }

  @Test
  void submitsThenReportsStatusThenDownloadsResults() {
    CliRun.Result submit =
        cli(
            "batch",
            "submit",
            in.toString(),
            "-o",
            out.toString(),
            "--base-url",
            sim.baseUrl(),
            "--state-dir",
            state.toString(),
            "--max-tokens",
            "30");
    assertThat(submit.code()).as(submit.toString()).isEqualTo(ExitCodes.OK);
    assertThat(submit.err()).contains("at batch prices").contains("uploaded part 0");
    assertThat(submit.out()).contains("submitted job job_");
    String job = submit.out().replaceAll("(?s).*submitted job (job_[0-9a-f]{12}).*", "$1");

    CliRun.Result status = cli("batch", "status", job, "--state-dir", state.toString(), "--json");
    assertThat(status.code()).isIn(ExitCodes.OK, ExitCodes.PENDING);
    JsonNode j = status.json();
    assertThat(j.path("job_id").asText()).isEqualTo(job);
    assertThat(j.path("batches").get(0).path("batch_id").asText()).startsWith("batch_");

    CliRun.Result waited =
        cli(
            "batch",
            "status",
            in.toString(),
            "--wait",
            "--poll",
            "0.05",
            "--state-dir",
            state.toString());
    assertThat(waited.code()).as(waited.toString()).isEqualTo(ExitCodes.OK);
    assertThat(waited.out()).contains("completed").contains("batch results " + job);

    CliRun.Result results = cli("batch", "results", job, "--state-dir", state.toString());
    assertThat(results.code()).as(results.toString()).isEqualTo(ExitCodes.OK);
    assertThat(results.out()).contains("results: 12 answers appended");
    assertThat(CliRun.ids(out)).hasSize(12).allSatisfy((k, v) -> assertThat(v).isEqualTo(1));

    CliRun.Result again = cli("batch", "results", job, "--state-dir", state.toString(), "--json");
    assertThat(again.code()).isEqualTo(ExitCodes.OK);
    assertThat(again.json().path("succeeded").asInt()).isZero();
    assertThat(CliRun.ids(out)).hasSize(12);

    CliRun.Result list = cli("batch", "status", "--state-dir", state.toString());
    assertThat(list.out()).contains(job);
  }

  @Test
  void submitWaitDoesItAllInOneCommand() {
    CliRun.Result r =
        cli(
            "batch",
            "submit",
            in.toString(),
            "-o",
            out.toString(),
            "--base-url",
            sim.baseUrl(),
            "--state-dir",
            state.toString(),
            "--wait",
            "--poll",
            "0.05",
            "--json");
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
    assertThat(r.json().path("succeeded").asInt()).isEqualTo(12);
    assertThat(CliRun.ids(out)).hasSize(12);
  }

  @Test
  void cancelsAndReportsAPendingJob() {
    sim.close();
    sim = MaritacaSimulator.builder().batchPace(Duration.ofSeconds(10)).start();
    CliRun.Result submit =
        cli(
            "batch",
            "submit",
            in.toString(),
            "-o",
            out.toString(),
            "--base-url",
            sim.baseUrl(),
            "--state-dir",
            state.toString());
    assertThat(submit.code()).isEqualTo(ExitCodes.OK);
    CliRun.Result results = cli("batch", "results", in.toString(), "--state-dir", state.toString());
    assertThat(results.code()).isEqualTo(ExitCodes.PENDING);
    CliRun.Result cancel = cli("batch", "cancel", in.toString(), "--state-dir", state.toString());
    assertThat(cancel.code()).as(cancel.toString()).isEqualTo(ExitCodes.OK);
    assertThat(cancel.out()).containsAnyOf("cancelling", "cancelled");
  }

  @Test
  void anUnknownJobIsAClearError() {
    CliRun.Result r = cli("batch", "status", "job_000000000000", "--state-dir", state.toString());
    assertThat(r.code()).isEqualTo(ExitCodes.ERROR);
    assertThat(r.err()).contains("no Batch API job job_000000000000");
  }
}
