package io.github.maritaca4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.maritaca4j.simulator.Latency;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code batch run --json-schema FILE --max-repairs N} against the simulator. */
class JsonSchemaCommandTest {
  static final String CITY =
      "{\"type\":\"object\",\"properties\":{\"cidade\":{\"type\":\"string\"},"
          + "\"populacao\":{\"type\":\"integer\"}},\"required\":[\"cidade\",\"populacao\"],"
          + "\"additionalProperties\":false}";

  @TempDir Path dir;
  MaritacaSimulator sim;
  Path in;

  @BeforeEach
  void start() {
    sim = MaritacaSimulator.builder().latency(Latency.fixed(Duration.ofMillis(5))).start();
    in = dir.resolve("in.jsonl");
    CliRun.writeInput(in, 8);
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  private CliRun.Result run(Path input, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "batch",
                "run",
                input.toString(),
                "-o",
                dir.resolve("out.jsonl").toString(),
                "--base-url",
                sim.baseUrl(),
                "--max-tokens",
                "300",
                "--progress",
                "none"));
    args.addAll(List.of(extra));
    return CliRun.run(CliRun.env(dir), args.toArray(String[]::new));
  }

  @Test
  void everyAnswerIsAskedForAndCheckedAgainstTheSchema() throws Exception {
    Path schema = Files.writeString(dir.resolve("city.schema.json"), CITY);
    CliRun.Result r = run(in, "--json-schema", schema.toString());
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
    assertThat(sim.stats().ok()).isEqualTo(8); // valid at once: no repair
    // the requests carried the schema as their response_format
    for (String line : Files.readAllLines(dir.resolve("out.jsonl"))) {
      JsonNode l = CliRun.JSON.readTree(line);
      String content =
          l.path("response")
              .path("body")
              .path("choices")
              .get(0)
              .path("message")
              .path("content")
              .asText();
      JsonNode answer = CliRun.JSON.readTree(content);
      assertThat(answer.path("cidade").isTextual()).as(content).isTrue();
      assertThat(answer.path("populacao").isIntegralNumber()).as(content).isTrue();
    }
  }

  @Test
  void anAnswerStillInvalidAfterTheRepairsGoesToTheErrorsFileWithItsProblems() throws Exception {
    Path schema = Files.writeString(dir.resolve("city.schema.json"), CITY);
    // this line keeps its own response_format (any JSON object): the simulator's object does not
    // follow the schema, so it is asked again, then recorded as invalid
    Path one =
        Files.writeString(
            dir.resolve("one.jsonl"),
            "{\"custom_id\":\"x\",\"body\":{\"messages\":[{\"role\":\"user\",\"content\":\"Diga algo\"}],"
                + "\"response_format\":{\"type\":\"json_object\"}}}\n");
    CliRun.Result r = run(one, "--json-schema", schema.toString(), "--max-repairs", "1");
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.ITEMS_FAILED);
    assertThat(sim.stats().ok()).as("the answer and one repair").isEqualTo(2);
    List<String> errors = Files.readAllLines(dir.resolve("out.errors.jsonl"));
    assertThat(errors).hasSize(1);
    JsonNode e = CliRun.JSON.readTree(errors.get(0)).path("error");
    assertThat(e.path("code").asText()).isEqualTo("invalid_output");
    assertThat(e.path("repairs").asInt()).isEqualTo(1);
    assertThat(e.path("validation_errors").toString()).contains("cidade");
    assertThat(e.path("last_content").asText()).startsWith("{");
    // the repair request carried the problems back to the model
    assertThat(sim.stats().log()).hasSize(2);
  }

  @Test
  void anInvalidSchemaFileStopsBeforeAnythingIsSentNamingTheJsonPointer() throws Exception {
    Path bad =
        Files.writeString(
            dir.resolve("bad.json"),
            "{\"type\":\"object\",\"properties\":{\"cidade\":{\"type\":\"texto\"}}}");
    CliRun.Result r = run(in, "--json-schema", bad.toString());
    assertThat(r.code()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(r.err())
        .contains(bad + " is not a valid JSON Schema")
        .contains("at /properties/cidade/type")
        .contains("nothing was sent");
    assertThat(sim.stats().requests()).isZero();
  }

  @Test
  void negativeRepairsIsAUsageError() {
    CliRun.Result r = run(in, "--max-repairs", "-1");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--max-repairs must not be negative");
  }
}
