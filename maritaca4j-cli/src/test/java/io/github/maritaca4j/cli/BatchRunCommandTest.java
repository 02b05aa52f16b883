package io.github.maritaca4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.maritaca4j.batchapi.ResultLine;
import io.github.maritaca4j.jobs.JobFiles;
import io.github.maritaca4j.simulator.Faults;
import io.github.maritaca4j.simulator.Latency;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code maritaca batch run} and {@code batch estimate} against the in-process simulator. */
class BatchRunCommandTest {
  @TempDir Path dir;
  MaritacaSimulator sim;
  Path in;
  Path out;

  @BeforeEach
  void start() {
    sim = MaritacaSimulator.builder().latency(Latency.fixed(Duration.ofMillis(5))).start();
    in = dir.resolve("in.jsonl");
    out = dir.resolve("out.jsonl");
    CliRun.writeInput(in, 25);
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  private CliRun.Result run(String... extra) {
    String[] base = {
      "batch",
      "run",
      in.toString(),
      "-o",
      out.toString(),
      "--base-url",
      sim.baseUrl(),
      "--max-tokens",
      "40",
      "--progress",
      "lines",
      "--progress-interval",
      "0.1"
    };
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    return CliRun.run(CliRun.env(dir), args);
  }

  @Test
  void runsEveryRequestOnceAndSummarises() {
    CliRun.Result r = run();
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
    assertThat(r.out()).contains("done: 25 ok, 0 failed of 25");
    assertThat(r.out()).contains("cost: R$");
    assertThat(r.err()).contains("estimate: 25 requests to sabia-4").contains("progress: ");
    assertThat(CliRun.ids(out)).hasSize(25).allSatisfy((k, v) -> assertThat(v).isEqualTo(1));
    assertThat(sim.stats().requests()).isEqualTo(25);

    CliRun.Result again = run();
    assertThat(again.code()).isEqualTo(ExitCodes.OK);
    assertThat(again.out()).contains("nothing to do");
    assertThat(sim.stats().requests()).isEqualTo(25);
  }

  @Test
  void printsTheSummaryAsJson() {
    CliRun.Result r = run("--json", "--quiet");
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
    JsonNode j = r.json();
    assertThat(j.path("valid").asBoolean()).isTrue();
    assertThat(j.path("succeeded").asLong()).isEqualTo(25);
    assertThat(j.path("failed").asLong()).isZero();
    assertThat(j.path("planned").asLong()).isEqualTo(25);
    assertThat(j.path("estimate").path("total_requests").asLong()).isEqualTo(25);
    assertThat(j.path("estimate").path("total_output_tokens").asLong()).isEqualTo(25 * 40);
    assertThat(j.path("cost_brl").decimalValue()).isPositive();
    assertThat(j.path("exit_code").asInt()).isZero();
    assertThat(r.err()).isEmpty();
  }

  @Test
  void reportsEveryBadLineAndSendsNothing() throws Exception {
    Files.writeString(
        in,
        "{\"custom_id\":\"a\",\"prompt\":\"oi\"}\n"
            + "{\"custom_id\":\"b\",\"prompt\":\n"
            + "{\"custom_id\":\"c\",\"temperature\":0.1}\n"
            + "{\"custom_id\":\"a\",\"prompt\":\"de novo\"}\n"
            + "{\"custom_id\":\"d\",\"prompt\":\"oi\",\"model\":\"gpt-4o\"}\n"
            + "{\"custom_id\":\"e\",\"prompt\":\"oi\",\"max_tokens\":-3}\n",
        StandardCharsets.UTF_8);
    CliRun.Result r = run();
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(r.err())
        .contains("5 problems (nothing was sent)")
        .contains("line 2: malformed JSON")
        .contains("line 3: no \"messages\" or \"prompt\"")
        .contains("line 4: duplicate custom_id 'a' (first on line 1)")
        .contains("line 5: unknown model 'gpt-4o'")
        .contains("line 6: \"max_tokens\" must be between 1 and 32768");
    assertThat(sim.stats().requests()).isZero();
    assertThat(Files.exists(out)).isFalse();

    CliRun.Result j = run("--json");
    assertThat(j.code()).isEqualTo(ExitCodes.INVALID_INPUT);
    JsonNode node = j.json();
    assertThat(node.path("valid").asBoolean()).isFalse();
    assertThat(node.path("problem_count").asInt()).isEqualTo(5);
    assertThat(node.path("problems").get(0).path("line").asInt()).isEqualTo(2);
    assertThat(node.path("problems").get(0).path("kind").asText()).isEqualTo("malformed_json");
    assertThat(node.path("problems_by_kind").path("duplicate_custom_id").asInt()).isEqualTo(1);
    assertThat(sim.stats().requests()).isZero();
  }

  @Test
  void stopsBeforeSendingWhenTheEstimateExceedsTheBudget() {
    CliRun.Result r = run("--budget", "0.0001");
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.BUDGET);
    assertThat(r.err()).contains("exceeds the budget").contains("nothing was sent");
    assertThat(sim.stats().requests()).isZero();
  }

  @Test
  void asksAtATerminalWhenTheEstimateExceedsTheBudget() {
    CliEnvironment tty = CliRun.terminal(Map.of("MARITACA_API_KEY", "k"), dir, "n\n");
    CliRun.Result r =
        CliRun.run(
            tty,
            "batch",
            "run",
            in.toString(),
            "-o",
            out.toString(),
            "--base-url",
            sim.baseUrl(),
            "--budget",
            "0.0001",
            "--progress",
            "none");
    assertThat(r.code()).isEqualTo(ExitCodes.BUDGET);
    assertThat(r.err()).contains("Run anyway?");
    assertThat(sim.stats().requests()).isZero();
  }

  @Test
  void goesOnUntilTheBudgetIsSpentWithYes() {
    CliRun.Result r = run("--budget", "0.002", "--yes", "--concurrency", "1");
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.BUDGET);
    assertThat(r.err()).contains("budget reached");
    long sent = sim.stats().requests();
    assertThat(sent).isBetween(1L, 24L);
    assertThat(CliRun.ids(out)).hasSize((int) sent);

    CliRun.Result rest = run();
    assertThat(rest.code()).isEqualTo(ExitCodes.OK);
    assertThat(CliRun.ids(out)).hasSize(25).allSatisfy((k, v) -> assertThat(v).isEqualTo(1));
  }

  @Test
  void repairsATornLastLineLeftByAKill() throws Exception {
    assertThat(run().code()).isEqualTo(ExitCodes.OK);
    List<String> lines = Files.readAllLines(out);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      sb.append(lines.get(i)).append('\n');
    }
    sb.append(lines.get(20), 0, 40);
    Files.writeString(out, sb.toString());
    sim.reset();
    CliRun.Result r = run();
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
    assertThat(r.err()).contains("repaired: cut 40 bytes").contains("resuming: 20 of 25");
    assertThat(sim.stats().requests()).isEqualTo(5);
    assertThat(CliRun.ids(out)).hasSize(25).allSatisfy((k, v) -> assertThat(v).isEqualTo(1));
  }

  @Test
  void writesFailuresToTheErrorsFileAndRetriesThem() throws Exception {
    sim.close();
    sim =
        MaritacaSimulator.builder()
            .faults(Faults.builder().serverErrorRate(1.0, 500).build())
            .start();
    CliRun.Result r = run("--max-retries", "0");
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.ITEMS_FAILED);
    Path errors = JobFiles.defaultErrors(out);
    assertThat(errors.getFileName().toString()).isEqualTo("out.errors.jsonl");
    assertThat(CliRun.ids(errors)).hasSize(25);
    JsonNode first = CliRun.JSON.readTree(Files.readAllLines(errors).get(0));
    assertThat(first.path("response").isNull()).isTrue();
    assertThat(first.path("error").path("code").asText()).isNotBlank();
    assertThat(first.path("error").path("status").asInt()).isEqualTo(500);
    assertThat(first.path("error").path("attempts").asInt()).isEqualTo(1);
    assertThat(r.out()).contains("--retry-failed");

    sim.close();
    sim = MaritacaSimulator.builder().start();
    CliRun.Result retry = run("--retry-failed");
    assertThat(retry.code()).as(retry.toString()).isEqualTo(ExitCodes.OK);
    assertThat(retry.err()).contains("retrying 25 failed request(s)");
    assertThat(CliRun.ids(out)).hasSize(25);
    assertThat(Files.readString(errors)).isEmpty();
    assertThat(Files.exists(new JobFiles(in, out, null).retrying())).isFalse();
  }

  @Test
  void retriesOnlyTheFailures() throws Exception {
    JobFiles files = JobFiles.of(in, out);
    // a failure line as a run writes it
    Files.writeString(
        files.errors(),
        "{\"id\":\"x\",\"custom_id\":\"q3\",\"response\":null,\"error\":{\"code\":"
            + "\"rate_limit_exceeded\",\"message\":\"busy\",\"status\":429,\"attempts\":21}}\n");
    assertThat(ResultLine.parse(Files.readString(files.errors()).strip()).isSuccess()).isFalse();
    CliRun.Result r = run("--retry-failed");
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
    assertThat(sim.stats().requests()).isEqualTo(1);
    assertThat(CliRun.ids(out)).containsOnlyKeys("q3");
  }

  @Test
  void needsAKey() {
    CliRun.Result r =
        CliRun.run(
            CliRun.env(Map.of(), dir),
            "batch",
            "run",
            in.toString(),
            "-o",
            out.toString(),
            "--base-url",
            sim.baseUrl());
    assertThat(r.code()).isEqualTo(ExitCodes.API);
    assertThat(r.err()).contains("MARITACA_API_KEY").doesNotContain("Exception");
    assertThat(sim.stats().requests()).isZero();
  }

  @Test
  void stopsWithoutRecordingFailuresWhenTheKeyIsRejected() {
    sim.close();
    sim = MaritacaSimulator.builder().requireApiKey("the-right-key").start();
    CliRun.Result r = run();
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.API);
    assertThat(
            Files.exists(JobFiles.defaultErrors(out))
                ? CliRun.ids(JobFiles.defaultErrors(out))
                : Map.of())
        .isEmpty();
  }

  @Test
  void estimatesWithoutAKeyOrANetwork() {
    CliRun.Result r =
        CliRun.run(
            CliRun.env(Map.of(), dir),
            "batch",
            "estimate",
            in.toString(),
            "--max-output-tokens",
            "100",
            "--json");
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
    JsonNode j = r.json();
    assertThat(j.path("total_requests").asLong()).isEqualTo(25);
    assertThat(j.path("total_output_tokens").asLong()).isEqualTo(2500);
    assertThat(j.path("total_input_tokens").asLong()).isPositive();
    assertThat(j.path("total_cost").decimalValue()).isPositive();
    assertThat(j.path("pricing_mode").asText()).isEqualTo("standard");
    assertThat(j.path("requests_by_model").path("sabia-4").asLong()).isEqualTo(25);

    CliRun.Result human =
        CliRun.run(CliRun.env(Map.of(), dir), "batch", "estimate", in.toString(), "--flex");
    assertThat(human.out()).contains("25 valid requests").contains("at flex prices");
  }

  @Test
  void badUsageIsExitCodeTwo() {
    CliRun.Result r = CliRun.run(CliRun.env(dir), "batch", "run", in.toString());
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("Missing required option");
    assertThat(CliRun.run(CliRun.env(dir), "--help").code()).isZero();
  }
}
