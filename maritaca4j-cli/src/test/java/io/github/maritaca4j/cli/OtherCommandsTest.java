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
            CliRun.env(Map.of(), dir),
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
    // each answer shown after its question (the request the job wrote it for), not its custom_id
    assertThat(r.out().lines().filter(l -> l.contains("  ->  ")).toList())
        .hasSize(5)
        .allSatisfy(
            l ->
                assertThat(l)
                    .doesNotStartWith("  capital-")
                    .doesNotStartWith("  pergunta-")
                    .doesNotMatch("  \\d.*"))
        .allSatisfy(l -> assertThat(l.substring(0, l.indexOf("  ->  "))).matches(".*[?.]"));
    assertThat(r.err()).contains("estimate: 40 requests");
    assertThat(CliRun.ids(out)).hasSize(40);
    assertThat(Files.readString(out)).contains("Brasília");

    CliRun.Result again =
        CliRun.run(
            CliRun.env(Map.of(), dir), "demo", "--output", out.toString(), "--progress", "none");
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
    CliRun.Result off = CliRun.run(CliRun.env(Map.of(), dir), "models", "--offline", "--json");
    assertThat(off.code()).isEqualTo(ExitCodes.OK);
    JsonNode arr = off.json();
    assertThat(arr.isArray()).isTrue();
    assertThat(arr.toString()).contains("sabia-4");
  }

  @Test
  void countsTokens() throws Exception {
    CliRun.Result r =
        CliRun.run(CliRun.env(Map.of(), dir), "tokens", "count", "Olá,", "mundo!", "--json");
    assertThat(r.code()).isEqualTo(ExitCodes.OK);
    assertThat(r.json().path("method").asText()).isEqualTo("estimated");
    assertThat(r.json().path("tokens").asInt()).isPositive();

    Path f = dir.resolve("t.txt");
    Files.writeString(f, "Como vai você?");
    CliRun.Result file =
        CliRun.run(CliRun.env(Map.of(), dir), "tokens", "count", "--file", f.toString());
    assertThat(file.out()).contains("tokens (estimated)");

    Path vocab = Path.of("/work/shared/tokenizers/sabia.tiktoken");
    Assumptions.assumeTrue(Files.exists(vocab), "no vocabulary file here");
    CliRun.Result exact =
        CliRun.run(
            CliRun.env(Map.of("MARITACA_TOKENIZER_FILE", vocab.toString()), dir),
            "tokens",
            "count",
            "Olá, mundo!");
    assertThat(exact.out()).startsWith("5 tokens (exact");
  }

  @Test
  void simulatesUntilStopped() {
    CliRun.Result r =
        CliRun.run(
            CliRun.env(Map.of(), dir), "simulate", "--port", "0", "--for", "0.2", "--rpm", "60");
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
    assertThat(r.out())
        .contains("simulator listening on http://127.0.0.1:")
        .contains("MARITACA_API_BASE=")
        .contains("60 RPM")
        .contains("simulator stopped");
  }

  @Test
  void simulateCanHideItsLimitsAndChooseTheRetryHint() throws Exception {
    SimulateCommand cmd = new SimulateCommand();
    new picocli.CommandLine(cmd)
        .parseArgs(
            "--rpm",
            "60",
            "--burst-ms",
            "1000",
            "--retry-hint",
            "http-date",
            "--no-rate-limit-headers");
    try (io.github.maritaca4j.simulator.MaritacaSimulator s = cmd.sim.builder(0).start()) {
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      java.net.http.HttpRequest req =
          java.net.http.HttpRequest.newBuilder(
                  java.net.URI.create(s.baseUrl() + "/chat/completions"))
              .header("Content-Type", "application/json")
              .header("Authorization", "Bearer x")
              .POST(
                  java.net.http.HttpRequest.BodyPublishers.ofString(
                      "{\"model\":\"sabia-4\",\"messages\":[{\"role\":\"user\",\"content\":\"oi\"}]}"))
              .build();
      java.net.http.HttpResponse<String> first =
          http.send(req, java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(first.statusCode()).isEqualTo(200);
      assertThat(first.headers().map().keySet()).noneMatch(h -> h.startsWith("x-ratelimit"));
      java.net.http.HttpResponse<String> second =
          http.send(req, java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(second.statusCode()).isEqualTo(429); // a 1 s burst at 60 RPM holds one request
      assertThat(second.headers().firstValue("retry-after").orElseThrow()).endsWith("GMT");
    }
    assertThat(
            CliRun.run(
                    CliRun.env(Map.of(), dir),
                    "simulate",
                    "--port",
                    "0",
                    "--for",
                    "0.1",
                    "--retry-hint",
                    "sometimes")
                .code())
        .isEqualTo(ExitCodes.USAGE);
  }
}
