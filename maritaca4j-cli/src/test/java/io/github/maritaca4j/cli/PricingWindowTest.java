package io.github.maritaca4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.TestClocks;
import io.github.maritaca4j.cost.Cost;
import io.github.maritaca4j.cost.PriceTable;
import io.github.maritaca4j.cost.PricingMode;
import io.github.maritaca4j.simulator.Latency;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the commands say about prices in each pricing window (noon and 23:00 in Brasília): the
 * estimate of a JSONL job is at standard prices in both, the actual cost at the window's prices,
 * and off-peak a note says that the answers cost less than the estimate's prices.
 */
class PricingWindowTest {
  /** The off-peak note, as the bundled price table (70 % of standard) makes it. */
  static final String NOTE =
      "it is off-peak now (22:00–06:00 Brasília time): answers produced before 06:00 are billed"
          + " 30 % below the standard prices of this estimate";

  private static final Pattern ESTIMATE =
      Pattern.compile(
          "estimate: (\\d+) requests to sabia-4 at standard prices: ([\\d,]+) input \\+ up to"
              + " ([\\d,]+) output tokens, at most (R\\$ [\\d.]+)\\n");

  @TempDir Path dir;

  // ---- oracles: sabia-4 lists R$ 5 (input), R$ 1.25 (cached input), R$ 20 (output) a million

  /** The multiplier of a real-time answer's mode (cost.md), independently of the price table. */
  private static BigDecimal multiplier(PricingMode mode) {
    return switch (mode) {
      case STANDARD -> BigDecimal.ONE;
      case OFF_PEAK -> new BigDecimal("0.7");
      default -> throw new AssertionError("not a window's mode: " + mode);
    };
  }

  private static BigDecimal sabia4(long uncached, long cached, long output, BigDecimal m) {
    return BigDecimal.valueOf(uncached)
        .multiply(new BigDecimal("5"))
        .multiply(m)
        .add(BigDecimal.valueOf(cached).multiply(new BigDecimal("1.25")))
        .add(BigDecimal.valueOf(output).multiply(new BigDecimal("20")).multiply(m))
        .movePointLeft(6);
  }

  /** What the answers in OUTPUT cost at the mode's prices, from each line's usage. */
  private static BigDecimal costOfAnswers(Path output, PricingMode mode) throws Exception {
    BigDecimal total = BigDecimal.ZERO;
    List<String> lines = Files.readAllLines(output);
    assertThat(lines).isNotEmpty();
    for (String line : lines) {
      JsonNode usage = CliRun.JSON.readTree(line).path("response").path("body").path("usage");
      long prompt = usage.path("prompt_tokens").asLong();
      long cached = usage.path("prompt_tokens_details").path("cached_tokens").asLong();
      assertThat(prompt).isPositive();
      total =
          total.add(
              sabia4(
                  prompt - cached,
                  cached,
                  usage.path("completion_tokens").asLong(),
                  multiplier(mode)));
    }
    return total;
  }

  private static long count(String n) {
    return Long.parseLong(n.replace(",", ""));
  }

  /** The estimate line on stderr, checked against the standard prices; returns its total. */
  private static BigDecimal checkEstimateLine(CliRun.Result r, long requests) {
    Matcher m = ESTIMATE.matcher(r.err());
    assertThat(m.find()).as(r.toString()).isTrue();
    assertThat(Long.parseLong(m.group(1))).isEqualTo(requests);
    BigDecimal standard = sabia4(count(m.group(2)), 0, count(m.group(3)), BigDecimal.ONE);
    assertThat(m.group(4)).isEqualTo(Fmt.brl(standard));
    return standard;
  }

  /** The note follows the estimate off-peak, and is nowhere at standard prices. */
  private static void checkNote(TestClocks.Window w, CliRun.Result r) {
    if (w.mode() == PricingMode.OFF_PEAK) {
      assertThat(r.err())
          .as(r.toString())
          .containsSubsequence("estimate: ", "note: " + NOTE + "\n");
    } else {
      assertThat(r.err() + r.out()).as(r.toString()).doesNotContain("off-peak");
    }
  }

  /** The only non-blank line of stdout, which must be one JSON object. */
  private static JsonNode onlyJson(CliRun.Result r) {
    List<String> lines = r.out().lines().filter(l -> !l.isBlank()).toList();
    assertThat(lines).as(r.toString()).hasSize(1);
    JsonNode j = r.json();
    assertThat(j.isObject()).isTrue();
    return j;
  }

  @Test
  void theWindowsAreNoonAndElevenPmInBrasilia() {
    assertThat(TestClocks.windows().map(TestClocks.Window::mode))
        .containsExactly(PricingMode.STANDARD, PricingMode.OFF_PEAK);
  }

  // ---- demo

  private CliRun.Result demo(TestClocks.Window w, Path out, String... extra) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "demo",
                "--output",
                out.toString(),
                "--latency-ms",
                "5",
                "--rpm",
                "0",
                "--answers",
                "1",
                "--progress",
                "none"));
    args.addAll(List.of(extra));
    return CliRun.run(CliRun.env(Map.of(), dir).withClock(w.clock()), args.toArray(String[]::new));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.maritaca4j.TestClocks#windows")
  void theDemoSummaryNamesTheWindowsPrices(TestClocks.Window w) throws Exception {
    Path out = dir.resolve("respostas.jsonl");
    CliRun.Result r = demo(w, out);

    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
    assertThat(r.out()).contains("done: 40 ok, 0 failed of 40");
    BigDecimal estimate = checkEstimateLine(r, 40);
    checkNote(w, r);
    BigDecimal actual = costOfAnswers(out, w.mode());
    assertThat(r.out())
        .contains(
            "cost: "
                + Fmt.brl(actual)
                + " actual ("
                + PricingText.name(w.mode())
                + " prices) vs "
                + Fmt.brl(estimate)
                + " estimated at most (standard prices)\n");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.maritaca4j.TestClocks#windows")
  void theDemoJsonSummaryHasTheWindowsMode(TestClocks.Window w) throws Exception {
    Path out = dir.resolve("respostas.jsonl");
    CliRun.Result r = demo(w, out, "--json");

    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
    JsonNode j = onlyJson(r);
    assertThat(j.path("succeeded").asLong()).isEqualTo(40);
    assertThat(j.path("cost_pricing_mode").asText()).isEqualTo(PricingText.jsonName(w.mode()));
    assertThat(j.path("cost_brl").decimalValue())
        .isEqualByComparingTo(costOfAnswers(out, w.mode()));
    assertThat(j.path("estimate").path("pricing_mode").asText()).isEqualTo("standard");
    checkNote(w, r); // on stderr, off-peak only
  }

  // ---- batch run

  private CliRun.Result batchRun(
      TestClocks.Window w, MaritacaSimulator sim, Path in, Path out, String... extra) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
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
                "none"));
    args.addAll(List.of(extra));
    return CliRun.run(CliRun.env(dir).withClock(w.clock()), args.toArray(String[]::new));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.maritaca4j.TestClocks#windows")
  void batchRunSummarisesTheActualCostAtTheWindowsPrices(TestClocks.Window w) throws Exception {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder().latency(Latency.fixed(Duration.ofMillis(5))).start()) {
      Path in = dir.resolve("in.jsonl");
      Path out = dir.resolve("out.jsonl");
      CliRun.writeInput(in, 10);

      CliRun.Result r = batchRun(w, sim, in, out);

      assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
      BigDecimal estimate = checkEstimateLine(r, 10);
      assertThat(r.err()).contains(" + up to 400 output tokens"); // --max-tokens 40 each
      checkNote(w, r);
      BigDecimal actual = costOfAnswers(out, w.mode());
      assertThat(actual).isPositive().isLessThan(estimate);
      assertThat(r.out())
          .contains(
              "cost: "
                  + Fmt.brl(actual)
                  + " actual ("
                  + PricingText.name(w.mode())
                  + " prices) vs "
                  + Fmt.brl(estimate)
                  + " estimated at most (standard prices)\n");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.maritaca4j.TestClocks#windows")
  void batchRunJsonHasTheWindowsModeAndTheNoteStaysOnStderr(TestClocks.Window w) throws Exception {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder().latency(Latency.fixed(Duration.ofMillis(5))).start()) {
      Path in = dir.resolve("in.jsonl");
      Path out = dir.resolve("out.jsonl");
      CliRun.writeInput(in, 10);

      CliRun.Result r = batchRun(w, sim, in, out, "--json");

      assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
      JsonNode j = onlyJson(r);
      assertThat(j.path("cost_pricing_mode").asText()).isEqualTo(PricingText.jsonName(w.mode()));
      assertThat(j.path("cost_brl").decimalValue())
          .isEqualByComparingTo(costOfAnswers(out, w.mode()));
      JsonNode e = j.path("estimate");
      assertThat(e.path("pricing_mode").asText()).isEqualTo("standard");
      assertThat(e.path("total_output_tokens").asLong()).isEqualTo(10 * 40);
      assertThat(e.path("total_cost").decimalValue())
          .isEqualByComparingTo(
              sabia4(
                  e.path("total_input_tokens").asLong(),
                  0,
                  e.path("total_output_tokens").asLong(),
                  BigDecimal.ONE));
      checkNote(w, r);

      CliRun.Result quiet = batchRun(w, sim, in, out, "--json", "--quiet");
      assertThat(quiet.code()).as(quiet.toString()).isEqualTo(ExitCodes.OK);
      JsonNode nothing = onlyJson(quiet);
      assertThat(nothing.path("planned").asLong()).isZero();
      assertThat(nothing.has("cost_pricing_mode")).as("nothing was billed").isFalse();
      assertThat(quiet.err()).isEmpty();
    }
  }

  // ---- batch estimate

  private CliRun.Result estimate(TestClocks.Window w, Path in, String... extra) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of("batch", "estimate", in.toString(), "--max-output-tokens", "100"));
    args.addAll(List.of(extra));
    return CliRun.run(CliRun.env(Map.of(), dir).withClock(w.clock()), args.toArray(String[]::new));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.maritaca4j.TestClocks#windows")
  void batchEstimateIsAtStandardPricesAndNotesTheOffPeakWindow(TestClocks.Window w)
      throws Exception {
    Path in = dir.resolve("in.jsonl");
    CliRun.writeInput(in, 25);

    CliRun.Result r = estimate(w, in);

    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
    List<String> lines = r.out().lines().toList();
    int total =
        lines.indexOf(lines.stream().filter(l -> l.startsWith("total: ")).findFirst().get());
    assertThat(lines.get(total)).endsWith(" at standard prices");
    if (w.mode() == PricingMode.OFF_PEAK) {
      assertThat(lines).hasSize(total + 2);
      assertThat(lines.get(total + 1)).isEqualTo("note:          " + NOTE);
    } else {
      assertThat(lines).hasSize(total + 1);
      assertThat(r.out()).doesNotContain("off-peak");
    }
    assertThat(r.err()).isEmpty();

    CliRun.Result json = estimate(w, in, "--json");
    assertThat(json.code()).as(json.toString()).isEqualTo(ExitCodes.OK);
    JsonNode j = onlyJson(json);
    assertThat(j.path("pricing_mode").asText()).isEqualTo("standard");
    assertThat(j.path("pricing_mode_now").asText()).isEqualTo(PricingText.jsonName(w.mode()));
    assertThat(j.path("total_output_tokens").asLong()).isEqualTo(2500);
    assertThat(j.path("total_cost").decimalValue())
        .isEqualByComparingTo(
            sabia4(j.path("total_input_tokens").asLong(), 0, 2500, BigDecimal.ONE));
    assertThat(lines.get(total))
        .isEqualTo(
            "total:         "
                + Fmt.brl(j.path("total_cost").decimalValue())
                + " at standard prices");
    assertThat(json.err()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.maritaca4j.TestClocks#windows")
  void flexAndExplicitOffPeakEstimatesNeedNoNote(TestClocks.Window w) throws Exception {
    Path in = dir.resolve("in.jsonl");
    CliRun.writeInput(in, 25);

    CliRun.Result flex = estimate(w, in, "--flex");
    assertThat(flex.out()).contains("at flex prices").doesNotContain("note:");
    JsonNode flexJson = onlyJson(estimate(w, in, "--flex", "--json"));
    assertThat(flexJson.path("pricing_mode").asText()).isEqualTo("flex");
    assertThat(flexJson.path("pricing_mode_now").asText()).isEqualTo("flex");

    CliRun.Result offPeak = estimate(w, in, "--pricing", "off_peak");
    assertThat(offPeak.out()).contains("at off-peak prices").doesNotContain("note:");
    JsonNode offPeakJson = onlyJson(estimate(w, in, "--pricing", "off_peak", "--json"));
    assertThat(offPeakJson.path("pricing_mode").asText()).isEqualTo("off_peak");
    assertThat(offPeakJson.path("pricing_mode_now").asText())
        .isEqualTo(PricingText.jsonName(w.mode()));
    assertThat(offPeakJson.path("total_cost").decimalValue())
        .isEqualByComparingTo(
            sabia4(
                offPeakJson.path("total_input_tokens").asLong(), 0, 2500, new BigDecimal("0.7")));
  }

  // ---- the texts

  @Test
  void theNoteGivesThePriceTablesDiscount() {
    ChatMaritaca sixty =
        ChatMaritaca.builder()
            .apiKey("k")
            .priceTable(
                PriceTable.defaults().withMultiplier(PricingMode.OFF_PEAK, new BigDecimal("0.6")))
            .build();
    assertThat(PricingText.offPeakNote(sixty, TestClocks.offPeak(), PricingMode.STANDARD))
        .contains("are billed 40 % below the standard prices");
    ChatMaritaca none =
        ChatMaritaca.builder()
            .apiKey("k")
            .priceTable(PriceTable.defaults().withMultiplier(PricingMode.OFF_PEAK, BigDecimal.ONE))
            .build();
    assertThat(PricingText.offPeakNote(none, TestClocks.offPeak(), PricingMode.STANDARD))
        .as("no discount, nothing to say")
        .isNull();

    ChatMaritaca standard = ChatMaritaca.builder().apiKey("k").build();
    assertThat(PricingText.offPeakNote(standard, TestClocks.offPeak(), PricingMode.STANDARD))
        .isEqualTo(NOTE);
    assertThat(PricingText.offPeakNote(standard, TestClocks.peak(), PricingMode.STANDARD)).isNull();
    assertThat(PricingText.offPeakNote(standard, TestClocks.offPeak(), PricingMode.BATCH)).isNull();
    ChatMaritaca flex =
        ChatMaritaca.builder()
            .apiKey("k")
            .serviceTier(io.github.maritaca4j.ServiceTier.FLEX)
            .build();
    assertThat(PricingText.offPeakNote(flex, TestClocks.offPeak(), PricingMode.STANDARD))
        .as("flex answers are billed at flex prices whatever the hour")
        .isNull();
  }

  @Test
  void namesTheModeOfAnActualCost() {
    Cost offPeak =
        new Cost(new BigDecimal("0.01"), BigDecimal.ZERO, BigDecimal.ONE, PricingMode.OFF_PEAK);
    Cost standard =
        new Cost(new BigDecimal("0.01"), BigDecimal.ZERO, BigDecimal.ONE, PricingMode.STANDARD);
    assertThat(PricingText.actual(offPeak)).isEqualTo("off-peak prices");
    assertThat(PricingText.actualJson(offPeak)).isEqualTo("off_peak");
    assertThat(PricingText.actual(offPeak.plus(standard))).isEqualTo("several pricing modes");
    assertThat(PricingText.actualJson(offPeak.plus(standard))).isEqualTo("mixed");
    assertThat(PricingText.actual(Cost.ZERO)).isNull();
    assertThat(PricingText.actualJson(Cost.ZERO)).isNull();
    Cost free = new Cost(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, PricingMode.STANDARD);
    assertThat(PricingText.actual(free)).as("nothing billed").isNull();
    assertThat(PricingText.actualJson(free)).isNull();
  }
}
