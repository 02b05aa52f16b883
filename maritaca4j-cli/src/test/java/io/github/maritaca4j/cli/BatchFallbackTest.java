package io.github.maritaca4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.maritaca4j.batchapi.ResultLine;
import io.github.maritaca4j.simulator.BatchRowFaults;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code batch submit --fallback}: the rows the Batch API fails (retryable), lets expire or loses
 * are run again in real time over HTTP, and the output ends with every custom_id once.
 */
class BatchFallbackTest {
  @TempDir Path dir;

  private CliRun.Result submit(MaritacaSimulator sim, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "batch",
                "submit",
                dir.resolve("in.jsonl").toString(),
                "-o",
                dir.resolve("out.jsonl").toString(),
                "--base-url",
                sim.baseUrl(),
                "--state-dir",
                dir.resolve("state").toString(),
                "--poll",
                "0.05",
                "--max-tokens",
                "20"));
    args.addAll(List.of(extra));
    return CliRun.run(CliRun.env(dir), args.toArray(String[]::new));
  }

  private static List<JsonNode> jsonLines(String out) {
    List<JsonNode> l = new ArrayList<>();
    for (String s : out.lines().filter(x -> x.startsWith("{")).toList()) {
      try {
        l.add(CliRun.JSON.readTree(s));
      } catch (Exception e) {
        throw new AssertionError(s, e);
      }
    }
    return l;
  }

  @Test
  void failedAndMissingRowsRunAgainOnFlex() throws Exception {
    // of 20 rows, 5, 10, 15, 20 fail (server_error) and 7, 14 are lost
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder()
            .batchPace(Duration.ofMillis(30))
            .batchRowFaults(new BatchRowFaults(5, 7))
            .start()) {
      CliRun.writeInput(dir.resolve("in.jsonl"), 20);

      CliRun.Result r = submit(sim, "--fallback", "flex", "--json");

      assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
      Map<String, Integer> ids =
          CliRun.ids(dir.resolve("out.jsonl"), dir.resolve("out.errors.jsonl"));
      assertThat(ids).hasSize(20);
      assertThat(ids.values()).containsOnly(1);
      assertThat(CliRun.ids(dir.resolve("out.jsonl"))).hasSize(20); // all answered
      // exactly the 6 unanswered rows were sent in real time (billed as flex, below)
      assertThat(sim.stats().requests()).isEqualTo(6);
      List<JsonNode> lines = jsonLines(r.out());
      JsonNode results = lines.get(0);
      assertThat(results.path("failed").asInt()).isEqualTo(4);
      assertThat(results.path("missing").asInt()).isEqualTo(2);
      JsonNode summary = lines.get(lines.size() - 1);
      assertThat(summary.path("fallback").asText()).isEqualTo("flex");
      assertThat(summary.path("batch_api_answers").asLong()).isEqualTo(14);
      assertThat(summary.path("fallback_answers").asLong()).isEqualTo(6);
      assertThat(summary.path("fallback_pricing_mode").asText()).isEqualTo("flex");
      BigDecimal batch = summary.path("batch_api_cost_brl").decimalValue();
      BigDecimal flex = summary.path("fallback_cost_brl").decimalValue();
      assertThat(batch).isPositive();
      assertThat(flex).isPositive();
      assertThat(summary.path("total_cost_brl").decimalValue())
          .isEqualByComparingTo(batch.add(flex));
    }
  }

  @Test
  void expiredBatchesRunInRealTimeAndTheSummarySplitsTheCost() throws Exception {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder()
            .batchPace(Duration.ofMillis(30))
            .batchExpiry(Duration.ofMillis(1))
            .start()) {
      CliRun.writeInput(dir.resolve("in.jsonl"), 8);

      CliRun.Result r = submit(sim, "--fallback", "realtime");

      assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
      Map<String, Integer> ids = CliRun.ids(dir.resolve("out.jsonl"));
      assertThat(ids).hasSize(8);
      assertThat(ids.values()).containsOnly(1);
      assertThat(Files.readAllLines(dir.resolve("out.errors.jsonl"))).isEmpty();
      assertThat(sim.stats().requests()).isEqualTo(8);
      assertThat(r.out())
          .contains("cost by mode: Batch API R$ 0.0000 (0 answers) + real time R$ ")
          .contains("(8 answers, standard prices)");
      assertThat(r.err()).contains("fallback: running in real time");
      // the hints to run them by hand are not printed: the fallback runs them
      assertThat(r.err()).doesNotContain("run them again in real time with");
    }
  }

  @Test
  void onlyRetryableFailuresAreSentAgain() {
    assertThat(
            BatchFallback.retryable(
                ResultLine.parse(
                    "{\"custom_id\":\"a\",\"response\":null,"
                        + "\"error\":{\"code\":\"batch_expired\",\"message\":\"x\"}}")))
        .isTrue();
    assertThat(
            BatchFallback.retryable(
                ResultLine.parse(
                    "{\"custom_id\":\"a\",\"response\":null,"
                        + "\"error\":{\"code\":\"server_error\",\"message\":\"x\"}}")))
        .isTrue();
    assertThat(
            BatchFallback.retryable(
                ResultLine.parse(
                    "{\"custom_id\":\"a\",\"response\":{\"status_code\":503,\"body\":{}},"
                        + "\"error\":null}")))
        .isTrue();
    assertThat(
            BatchFallback.retryable(
                ResultLine.parse(
                    "{\"custom_id\":\"a\",\"response\":{\"status_code\":400,\"body\":"
                        + "{\"error\":{\"code\":\"invalid_request_error\"}}},\"error\":null}")))
        .isFalse();
  }

  @Test
  void aNonRetryableFailureStaysInTheErrorsFile() throws Exception {
    Path errors = dir.resolve("e.jsonl");
    Files.writeString(
        errors,
        "{\"custom_id\":\"a\",\"response\":null,\"error\":{\"code\":\"batch_expired\","
            + "\"message\":\"x\"}}\n"
            + "{\"custom_id\":\"b\",\"response\":{\"status_code\":400,\"body\":{}},"
            + "\"error\":null}\n");
    assertThat(BatchFallback.takeOutRetryable(errors)).isEqualTo(1);
    assertThat(Files.readAllLines(errors)).hasSize(1).allMatch(l -> l.contains("\"b\""));
  }
}
