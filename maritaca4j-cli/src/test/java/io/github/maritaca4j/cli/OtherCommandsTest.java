package io.github.maritaca4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** demo, chat, models, tokens count, simulate. */
class OtherCommandsTest {
  @TempDir Path dir;

  @Test
  void theDemoRunsWithoutKeyOrNetwork() throws Exception {
    Path out = dir.resolve("respostas.jsonl");
    CliRun.Result r =
        CliRun.run(
            CliEnvironment.of(Map.of(), dir),
            "demo",
            "--output",
            out.toString(),
            "--latency-ms",
            "20",
            "--progress",
            "none");
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
    assertThat(r.out())
        .contains("local Maritaca simulator")
        .contains("done: 40 ok, 0 failed of 40")
        .contains("answers (5 of them)")
        .contains("simulator: ");
    assertThat(r.err()).contains("estimate: 40 requests");
    assertThat(CliRun.ids(out)).hasSize(40);
    assertThat(Files.readString(out)).contains("Brasília");

    CliRun.Result again =
        CliRun.run(
            CliEnvironment.of(Map.of(), dir),
            "demo",
            "--output",
            out.toString(),
            "--progress",
            "none");
    assertThat(again.code()).isEqualTo(ExitCodes.OK);
    assertThat(again.out()).contains("nothing to do");
  }

  @Test
  void chatStreamsTheAnswer() {
    try (MaritacaSimulator sim = MaritacaSimulator.start()) {
      CliRun.Result r =
          CliRun.run(
              CliRun.env(dir), "chat", "Qual é a capital do Brasil?", "--base-url", sim.baseUrl());
      assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
      assertThat(r.out()).contains("Brasília");
      assertThat(r.err()).contains("tokens").contains("R$");

      CliRun.Result j =
          CliRun.run(
              CliRun.env(dir),
              "chat",
              "Qual é a capital do Chile?",
              "--base-url",
              sim.baseUrl(),
              "--json");
      assertThat(j.json().path("content").asText()).contains("Santiago");
    }
  }

  @Test
  void listsModels() {
    try (MaritacaSimulator sim = MaritacaSimulator.start()) {
      CliRun.Result r = CliRun.run(CliRun.env(dir), "models", "--base-url", sim.baseUrl());
      assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
      assertThat(r.out()).contains("sabia-4").contains("sabiazinho-4").contains("MODEL");
    }
    CliRun.Result off =
        CliRun.run(CliEnvironment.of(Map.of(), dir), "models", "--offline", "--json");
    assertThat(off.code()).isEqualTo(ExitCodes.OK);
    JsonNode arr = off.json();
    assertThat(arr.isArray()).isTrue();
    assertThat(arr.toString()).contains("sabia-4");
  }

  @Test
  void countsTokens() throws Exception {
    CliRun.Result r =
        CliRun.run(CliEnvironment.of(Map.of(), dir), "tokens", "count", "Olá,", "mundo!", "--json");
    assertThat(r.code()).isEqualTo(ExitCodes.OK);
    assertThat(r.json().path("method").asText()).isEqualTo("estimated");
    assertThat(r.json().path("tokens").asInt()).isPositive();

    Path f = dir.resolve("t.txt");
    Files.writeString(f, "Como vai você?");
    CliRun.Result file =
        CliRun.run(CliEnvironment.of(Map.of(), dir), "tokens", "count", "--file", f.toString());
    assertThat(file.out()).contains("tokens (estimated)");

    Path vocab = Path.of("/work/shared/tokenizers/sabia.tiktoken");
    Assumptions.assumeTrue(Files.exists(vocab), "no vocabulary file here");
    CliRun.Result exact =
        CliRun.run(
            CliEnvironment.of(Map.of("MARITACA_TOKENIZER_FILE", vocab.toString()), dir),
            "tokens",
            "count",
            "Olá, mundo!");
    assertThat(exact.out()).startsWith("5 tokens (exact");
  }

  @Test
  void simulatesUntilStopped() {
    CliRun.Result r =
        CliRun.run(
            CliEnvironment.of(Map.of(), dir),
            "simulate",
            "--port",
            "0",
            "--for",
            "0.2",
            "--rpm",
            "60");
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
    assertThat(r.out())
        .contains("simulator listening on http://127.0.0.1:")
        .contains("MARITACA_API_BASE=")
        .contains("60 RPM")
        .contains("simulator stopped");
  }
}
