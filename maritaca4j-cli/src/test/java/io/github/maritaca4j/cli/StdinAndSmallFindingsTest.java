package io.github.maritaca4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.maritaca4j.TestClocks;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The stdin convention (a command taking a text or a file reads stdin when given {@code -}, or when
 * stdin is not a terminal and no text was given), the pricing mode of {@code chat}'s cost, and
 * {@code demo --output} into a directory that does not exist yet.
 */
class StdinAndSmallFindingsTest {
  private static final Map<String, String> KEY = Map.of("MARITACA_API_KEY", "test-key");

  @TempDir Path dir;

  /** No terminal, {@code stdin} piped in, at noon in Brasília. */
  private CliEnvironment piped(Map<String, String> vars, String stdin) {
    return CliEnvironment.piped(vars, dir, stdin).withClock(TestClocks.peak());
  }

  private long tokens(CliRun.Result r) {
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
    return r.json().path("tokens").asLong();
  }

  // ---- tokens count

  @Test
  void tokensCountReadsAPipeWhenGivenNoText() {
    CliRun.Result r = CliRun.run(piped(Map.of(), "Olá, mundo!"), "tokens", "count", "--json");
    assertThat(tokens(r))
        .isEqualTo(
            tokens(
                CliRun.run(CliRun.env(Map.of(), dir), "tokens", "count", "Olá, mundo!", "--json")));
    assertThat(r.json().path("characters").asInt()).isEqualTo("Olá, mundo!".length());
  }

  @Test
  void tokensCountReadsStdinForADashTextOrFile() {
    String text = "Como vai você?\nTudo bem.\n";
    long viaArg = tokens(CliRun.run(piped(Map.of(), "ignored"), "tokens", "count", text, "--json"));
    assertThat(tokens(CliRun.run(piped(Map.of(), text), "tokens", "count", "-", "--json")))
        .isEqualTo(viaArg);
    assertThat(
            tokens(CliRun.run(piped(Map.of(), text), "tokens", "count", "--file", "-", "--json")))
        .isEqualTo(viaArg);
    // '-' reads stdin on a terminal too (typed, up to Ctrl-D)
    CliRun.Result typed =
        CliRun.run(CliRun.terminal(Map.of(), dir, text), "tokens", "count", "-", "--json");
    assertThat(tokens(typed)).isEqualTo(viaArg);
  }

  @Test
  void aGivenTextWinsOverThePipe() {
    CliRun.Result r =
        CliRun.run(
            piped(Map.of(), "um texto bem mais longo que o outro"),
            "tokens",
            "count",
            "Oi",
            "--json");
    assertThat(r.json().path("characters").asInt()).isEqualTo(2);
  }

  @Test
  void tokensCountWithNothingToReadSaysWhatToGive() {
    CliRun.Result empty = CliRun.run(piped(Map.of(), ""), "tokens", "count");
    assertThat(empty.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(empty.err()).contains("give a TEXT").contains("stdin was empty");

    // at a terminal nothing is read: it would wait for the user
    CliRun.Result terminal = CliRun.run(CliRun.terminal(Map.of(), dir, "Olá"), "tokens", "count");
    assertThat(terminal.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(terminal.err()).contains("pipe the text in");

    CliRun.Result both = CliRun.run(piped(Map.of(), ""), "tokens", "count", "x", "--file", "-");
    assertThat(both.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(both.err()).contains("not both");
  }

  // ---- chat

  @Test
  void chatReadsAPipedPromptAndNamesThePricesOfItsCost() {
    try (MaritacaSimulator sim = MaritacaSimulator.start()) {
      CliRun.Result r =
          CliRun.run(
              piped(KEY, "Qual é a capital do Brasil?\n"), "chat", "--base-url", sim.baseUrl());
      assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
      assertThat(r.out()).contains("Brasília");
      assertThat(r.err()).containsPattern("R\\$ [\\d.]+ at standard prices, ");

      CliRun.Result dash =
          CliRun.run(
              piped(KEY, "Qual é a capital do Chile?"),
              "chat",
              "-",
              "--base-url",
              sim.baseUrl(),
              "--json");
      assertThat(dash.json().path("content").asText()).contains("Santiago");
      assertThat(dash.json().path("cost_pricing_mode").asText()).isEqualTo("standard");
    }
  }

  @ParameterizedTest
  @MethodSource("io.github.maritaca4j.TestClocks#windows")
  void chatNamesTheWindowsPrices(TestClocks.Window w) {
    try (MaritacaSimulator sim = MaritacaSimulator.start()) {
      CliRun.Result r =
          CliRun.run(
              CliRun.env(KEY, dir).withClock(w.clock()),
              "chat",
              "Qual é a capital do Brasil?",
              "--base-url",
              sim.baseUrl());
      assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
      assertThat(r.err()).contains(" at " + PricingText.name(w.mode()) + " prices, ");
    }
  }

  @Test
  void chatWithoutAPromptSaysWhatToGive() {
    CliRun.Result empty =
        CliRun.run(piped(KEY, "  \n"), "chat", "--base-url", "http://127.0.0.1:9");
    assertThat(empty.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(empty.err()).contains("the prompt is empty");

    CliRun.Result terminal = CliRun.run(CliRun.terminal(KEY, dir, "Oi\n"), "chat");
    assertThat(terminal.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(terminal.err()).contains("give a PROMPT");
  }

  // ---- demo

  @Test
  void theDemoCreatesTheOutputsDirectory() throws Exception {
    Path out = dir.resolve("new/deeper/respostas.jsonl");
    CliRun.Result r =
        CliRun.run(
            CliRun.env(Map.of(), dir),
            "demo",
            "--output",
            out.toString(),
            "--latency-ms",
            "1",
            "--progress",
            "none",
            "--quiet");
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
    assertThat(CliRun.ids(out)).hasSize(40);
    assertThat(Files.exists(out.resolveSibling("capitais.jsonl"))).isTrue();
  }
}
