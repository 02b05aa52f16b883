package io.github.maritaca4j.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.maritaca4j.ServiceTier;
import io.github.maritaca4j.Usage;
import io.github.maritaca4j.errors.ConfigurationException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PriceTableTest {

  private static final PriceTable PRICES = PriceTable.defaults();
  private static final ZoneId SAO_PAULO = ZoneId.of("America/Sao_Paulo");

  private static BigDecimal bd(String s) {
    return new BigDecimal(s);
  }

  // ------------------------------------------------------------------ the bundled table

  @ParameterizedTest
  @CsvSource({
    // model,               input, output, cached, context, max output
    "sabia-4,               5.00,  20.00,  1.25,   131072, 32768",
    "sabiazinho-4,          1.00,  4.00,   0.25,   131072, 32768",
    "sabia-4-thinking,      5.00,  40.00,  1.25,   131072, 32768",
    "sabia-3.1,             5.00,  10.00,  1.25,   131072, 32768",
    "sabia-3,               5.00,  10.00,  1.25,   131072, 32768",
    "sabiazinho-3,          1.00,  3.00,   0.25,   131072, 32768",
    "sabiazinho-3.1,        1.00,  3.00,   0.25,   32768,  32768",
    "sabia-4-br-sp,         6.50,  26.00,  1.625,  131072, 32768",
    "sabiazinho-4-br-sp,    1.30,  5.20,   0.325,  131072, 32768",
    "sabia-4-thinking-br-sp,6.50,  52.00,  1.625,  131072, 32768",
  })
  void bundledTableHasEveryPublishedModel(
      String model, String input, String output, String cached, int context, int maxOut) {
    ModelPrice p = PRICES.require(model);
    assertThat(p.model()).isEqualTo(model);
    assertThat(p.inputPerMillion()).isEqualByComparingTo(input);
    assertThat(p.outputPerMillion()).isEqualByComparingTo(output);
    assertThat(p.cachedInputPerMillion()).isEqualByComparingTo(cached);
    assertThat(p.contextWindow()).isEqualTo(context);
    assertThat(p.maxOutputTokens()).isEqualTo(maxOut);
  }

  @Test
  void modelsListsCanonicalIdsAndRegionalVariantsButNotAliases() {
    assertThat(PRICES.models())
        .containsExactly(
            "sabia-3",
            "sabia-3.1",
            "sabia-4",
            "sabia-4-br-sp",
            "sabia-4-thinking",
            "sabia-4-thinking-br-sp",
            "sabiazinho-3",
            "sabiazinho-3.1",
            "sabiazinho-4",
            "sabiazinho-4-br-sp");
    assertThat(PRICES.aliases())
        .containsEntry("sabia-4-small", "sabiazinho-4")
        .containsEntry("sabia-4-2026-01-06", "sabia-4");
  }

  @ParameterizedTest
  @CsvSource({
    "sabia-4-2026-01-06,      sabia-4",
    "sabiazinho-4-2026-01-06, sabiazinho-4",
    "sabia-4-small,           sabiazinho-4",
    "sabiazim-4,              sabiazinho-4",
    "SABIA-4,                 sabia-4",
    "' sabiazinho-4 ',        sabiazinho-4",
    "sabia-4-small-br-sp,     sabiazinho-4-br-sp",
    "sabia-4-2026-01-06-br-sp,sabia-4-br-sp",
  })
  void aliasesAndVariantsResolveToTheCanonicalModel(String asked, String canonical) {
    assertThat(PRICES.find(asked))
        .hasValueSatisfying(p -> assertThat(p.model()).isEqualTo(canonical));
  }

  @Test
  void brSpVariantsExistOnlyForTheModelsThatHaveThem() {
    assertThat(PRICES.find("sabia-3-br-sp")).isEmpty();
    assertThat(PRICES.find("sabiazinho-3.1-br-sp")).isEmpty();
    assertThat(PRICES.find(null)).isEmpty();
    assertThat(PRICES.find("  ")).isEmpty();
    assertThatThrownBy(() -> PRICES.require(""))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("unknown model ''");
  }

  @Test
  void unknownModelIsAnErrorNamingTheKnownModels() {
    assertThatThrownBy(() -> PRICES.require("gpt-4o"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("unknown model 'gpt-4o'")
        .hasMessageContaining("sabia-4, sabia-4-br-sp")
        .hasMessageContaining("sabiazinho-4")
        .hasMessageContaining("sabia-4-small");
    assertThatThrownBy(() -> PRICES.cost("gpt-4o", Usage.of(1, 1), PricingMode.STANDARD))
        .isInstanceOf(ConfigurationException.class);
  }

  // ------------------------------------------------------------------ money, by hand

  @Test
  void sabia4InEveryModeWithTheCacheAtItsOwnPrice() {
    // 1,000,000 prompt tokens of which 200,000 cached, 500,000 completion tokens.
    Usage u = new Usage(1_000_000, 500_000, 1_500_000, 200_000);

    // standard: 800k × R$5 = 4.00; 200k × R$1.25 = 0.25; 500k × R$20 = 10.00
    Cost standard = PRICES.cost("sabia-4", u, PricingMode.STANDARD);
    assertThat(standard.input()).isEqualByComparingTo("4.00");
    assertThat(standard.cachedInput()).isEqualByComparingTo("0.25");
    assertThat(standard.output()).isEqualByComparingTo("10.00");
    assertThat(standard.total()).isEqualByComparingTo("14.25");
    assertThat(standard.mode()).isEqualTo(PricingMode.STANDARD);

    // flex and batch: half of input and output, cached unchanged: 2.00 + 0.25 + 5.00
    for (PricingMode half : new PricingMode[] {PricingMode.FLEX, PricingMode.BATCH}) {
      Cost c = PRICES.cost("sabia-4", u, half);
      assertThat(c.input()).isEqualByComparingTo("2.00");
      assertThat(c.cachedInput()).isEqualByComparingTo("0.25");
      assertThat(c.output()).isEqualByComparingTo("5.00");
      assertThat(c.total()).isEqualByComparingTo("7.25");
    }

    // off-peak: 70 % of input and output, cached unchanged: 2.80 + 0.25 + 7.00
    Cost offPeak = PRICES.cost("sabia-4", u, PricingMode.OFF_PEAK);
    assertThat(offPeak.input()).isEqualByComparingTo("2.80");
    assertThat(offPeak.cachedInput()).isEqualByComparingTo("0.25");
    assertThat(offPeak.output()).isEqualByComparingTo("7.00");
    assertThat(offPeak.total()).isEqualByComparingTo("10.05");
  }

  @Test
  void smallUsageIsExactToTheFractionOfACentavo() {
    // sabiazinho-4, 1,234 prompt (234 cached), 567 completion
    Usage u = new Usage(1_234, 567, 1_801, 234);
    Cost standard = PRICES.cost("sabiazinho-4", u, PricingMode.STANDARD);
    assertThat(standard.input()).isEqualTo(bd("0.001")); // 1,000 × 1.00 / 1M
    assertThat(standard.cachedInput()).isEqualTo(bd("0.0000585")); // 234 × 0.25 / 1M
    assertThat(standard.output()).isEqualTo(bd("0.002268")); // 567 × 4.00 / 1M
    assertThat(standard.total()).isEqualTo(bd("0.0033265"));
    Cost offPeak = PRICES.cost("sabiazinho-4", u, PricingMode.OFF_PEAK);
    assertThat(offPeak.total()).isEqualTo(bd("0.0023461")); // 0.0007 + 0.0000585 + 0.0015876
    assertThat(Money.centavos(offPeak.total())).isEqualTo(bd("0.00"));
    // half-even, as ABNT NBR 5891: 0.0033265 → 0.003326
    assertThat(Money.format(standard.total())).isEqualTo("R$ 0.003326");
  }

  @Test
  void brSpVariantCostsOnePointThreeTimesInEveryColumn() {
    // sabia-4-br-sp: 6.50 / 26.00 / 1.625. 2,000,000 prompt (500,000 cached), 300,000 completion.
    Usage u = new Usage(2_000_000, 300_000, 2_300_000, 500_000);
    Cost offPeak = PRICES.cost("sabia-4-br-sp", u, PricingMode.OFF_PEAK);
    assertThat(offPeak.input()).isEqualByComparingTo("6.825"); // 1.5M × 6.50 × 0.7
    assertThat(offPeak.cachedInput()).isEqualByComparingTo("0.8125"); // 0.5M × 1.625
    assertThat(offPeak.output()).isEqualByComparingTo("5.46"); // 0.3M × 26.00 × 0.7
    assertThat(Money.centavos(offPeak.total())).isEqualTo(bd("13.10")); // 13.0975
    Cost flex = PRICES.cost("sabia-4-br-sp", u, PricingMode.FLEX);
    assertThat(Money.centavos(flex.total())).isEqualTo(bd("9.59")); // 4.875 + 0.8125 + 3.90
    Cost standard = PRICES.cost("sabia-4-br-sp", u, PricingMode.STANDARD);
    Cost base = PRICES.cost("sabia-4", u, PricingMode.STANDARD);
    assertThat(standard.total()).isEqualByComparingTo(base.total().multiply(bd("1.3")));
  }

  @ParameterizedTest
  @CsvSource({
    // model,           prompt,    cached, completion, mode,     total (by hand)
    "sabia-4-thinking,  10000,     0,      20000,      STANDARD, 0.85", // 0.05 + 0.80
    "sabiazinho-3.1,    3000,      0,      1000,       BATCH,    0.003", // 0.0015 + 0.0015
    "sabia-3,           1000000,   0,      1000000,    STANDARD, 15.00", // 5 + 10
    "sabia-3.1,         1000000,   1000000, 0,         FLEX,     1.25", // all cached: no discount
    "sabiazinho-4,      0,         0,      0,          OFF_PEAK, 0",
  })
  void costsToTheCentavo(
      String model, long prompt, long cached, long completion, PricingMode mode, String total) {
    Usage u = new Usage(prompt, completion, prompt + completion, cached);
    assertThat(PRICES.cost(model, u, mode).total()).isEqualByComparingTo(total);
  }

  @Test
  void cachedTokensNeverTakeTheModeDiscount() {
    Usage allCached = new Usage(400_000, 0, 400_000, 400_000);
    for (PricingMode mode : PricingMode.values()) {
      Cost c = PRICES.cost("sabia-4", allCached, mode);
      assertThat(c.cachedInput()).as("%s", mode).isEqualByComparingTo("0.50");
      assertThat(c.input()).isEqualByComparingTo("0");
    }
  }

  @Test
  void cachedCountAbovePromptCountIsCappedAtThePrompt() {
    Cost c = PRICES.cost("sabia-4", new Usage(100, 0, 100, 150), PricingMode.STANDARD);
    assertThat(c.cachedInput()).isEqualByComparingTo("0.000125"); // 100 × 1.25 / 1M
    assertThat(c.input()).isEqualByComparingTo("0");
  }

  @Test
  void costsAddUpAndKeepTheirModeOnlyWhenAllAgree() {
    Cost a = PRICES.cost("sabia-4", Usage.of(1_000, 1_000), PricingMode.STANDARD); // 0.005 + 0.02
    Cost b = PRICES.cost("sabia-4", Usage.of(2_000, 0), PricingMode.STANDARD); // 0.01
    Cost f = PRICES.cost("sabia-4", Usage.of(2_000, 0), PricingMode.FLEX); // 0.005
    assertThat(Cost.ZERO.plus(a).plus(b).total()).isEqualByComparingTo("0.035");
    assertThat(Cost.ZERO.plus(a).plus(b).mode()).isEqualTo(PricingMode.STANDARD);
    assertThat(a.plus(f).mode()).isNull();
    assertThat(a.plus(f).total()).isEqualByComparingTo("0.030");
  }

  // ------------------------------------------------------------------ modes by time

  @ParameterizedTest
  @CsvSource({
    "2026-03-10T21:59, STANDARD",
    "2026-03-10T21:59:59, STANDARD",
    "2026-03-10T21:59:59.999, STANDARD",
    "2026-03-10T22:00, OFF_PEAK",
    "2026-03-10T23:59:59, OFF_PEAK",
    "2026-03-11T00:00, OFF_PEAK",
    "2026-03-11T05:59, OFF_PEAK",
    "2026-03-11T05:59:59, OFF_PEAK",
    "2026-03-11T05:59:59.999, OFF_PEAK",
    "2026-03-11T06:00, STANDARD",
    "2026-03-11T06:00:00.001, STANDARD",
    "2026-03-11T12:00, STANDARD",
  })
  void offPeakIsTenAtNightToSixInTheMorningInSaoPaulo(String local, PricingMode expected) {
    Instant when = LocalDateTime.parse(local).atZone(SAO_PAULO).toInstant();
    assertThat(PriceTable.modeFor(ServiceTier.STANDARD, when)).isEqualTo(expected);
    assertThat(PriceTable.modeFor(ServiceTier.FLEX, when)).isEqualTo(PricingMode.FLEX);
  }

  @Test
  void saoPauloIsThreeHoursBehindUtc() {
    assertThat(PriceTable.modeFor(ServiceTier.STANDARD, Instant.parse("2026-07-01T00:59:00Z")))
        .isEqualTo(PricingMode.STANDARD); // 21:59 in São Paulo
    assertThat(PriceTable.modeFor(ServiceTier.STANDARD, Instant.parse("2026-07-01T01:00:00Z")))
        .isEqualTo(PricingMode.OFF_PEAK); // 22:00
    assertThat(PriceTable.modeFor(ServiceTier.STANDARD, Instant.parse("2026-07-01T09:00:00Z")))
        .isEqualTo(PricingMode.STANDARD); // 06:00
  }

  // ------------------------------------------------------------------ overrides

  private static Path overrideFile() throws Exception {
    return Path.of(PriceTableTest.class.getResource("/cost/prices-override.json").toURI());
  }

  @Test
  void aFileOverridesSomeModelsAndAddsOthers() throws Exception {
    PriceTable file = PriceTable.load(overrideFile());
    assertThat(file.models()).containsExactly("sabia-4", "sabia-5-preview");
    assertThat(file.find("sabiazinho-4")).isEmpty();

    PriceTable t = PRICES.withOverrides(file);
    assertThat(t.require("sabia-4").inputPerMillion()).isEqualByComparingTo("4.00");
    assertThat(t.require("sabia-4-2026-01-06").outputPerMillion()).isEqualByComparingTo("16.00");
    // the regional variant follows its overridden base: 1.3 × 4.00 / 16.00 / 1.00
    ModelPrice brSp = t.require("sabia-4-br-sp");
    assertThat(brSp.inputPerMillion()).isEqualByComparingTo("5.20");
    assertThat(brSp.outputPerMillion()).isEqualByComparingTo("20.80");
    assertThat(brSp.cachedInputPerMillion()).isEqualByComparingTo("1.30");
    // untouched models stay
    assertThat(t.require("sabiazinho-4").inputPerMillion()).isEqualByComparingTo("1.00");
    // the new model, by alias; its cached price defaults to a quarter of the input price
    ModelPrice five = t.require("sabia-5");
    assertThat(five.model()).isEqualTo("sabia-5-preview");
    assertThat(five.cachedInputPerMillion()).isEqualByComparingTo("2.00");
    assertThat(five.contextWindow()).isEqualTo(262_144);
    // the off-peak multiplier from the file; the others stay
    assertThat(t.multiplier(PricingMode.OFF_PEAK)).isEqualByComparingTo("0.6");
    assertThat(t.multiplier(PricingMode.FLEX)).isEqualByComparingTo("0.5");
    // 1M in × 8 × 0.6 + 1M out × 32.5 × 0.6 = 4.80 + 19.50
    assertThat(t.cost("sabia-5", Usage.of(1_000_000, 1_000_000), PricingMode.OFF_PEAK).total())
        .isEqualByComparingTo("24.30");
    // the defaults themselves are unchanged
    assertThat(PRICES.require("sabia-4").inputPerMillion()).isEqualByComparingTo("5.00");
  }

  @Test
  void modelsCanBeAddedAndReplacedInCode() {
    PriceTable t =
        PRICES
            .withModel(
                "meu-sabia", ModelPrice.of("ignored", bd("2"), bd("6"), 65_536, 8_192), "meu-alias")
            .withModel("sabiazinho-4", ModelPrice.of("x", bd("0.80"), bd("3.20"), 131_072, 32_768))
            .withMultiplier(PricingMode.BATCH, bd("0.4"));
    assertThat(t.require("meu-alias").model()).isEqualTo("meu-sabia");
    assertThat(t.require("meu-sabia").cachedInputPerMillion()).isEqualByComparingTo("0.5");
    assertThat(t.require("sabia-4-small").inputPerMillion()).isEqualByComparingTo("0.80");
    assertThat(t.require("sabiazinho-4-br-sp").inputPerMillion()).isEqualByComparingTo("1.04");
    assertThat(t.multiplier(PricingMode.BATCH)).isEqualByComparingTo("0.4");
    // 1M output of sabiazinho-4 in batch: 3.20 × 0.4
    assertThat(t.cost("sabiazinho-4", Usage.of(0, 1_000_000), PricingMode.BATCH).total())
        .isEqualByComparingTo("1.28");
  }

  @Test
  void aMissingFileIsAClearError() {
    Path missing = Path.of("no-such-dir", "prices.json");
    assertThatThrownBy(() -> PriceTable.load(missing))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("prices.json");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "[]",
        "{\"models\": {}}",
        "{\"currency\": \"USD\", \"models\": []}",
        "{\"models\": [{\"id\": \"m\", \"input\": 1}]}",
        "{\"models\": [{\"id\": \"m\", \"input\": -1, \"output\": 1}]}",
        "{\"models\": [{\"id\": \"m\", \"input\": \"cinco\", \"output\": 1}]}",
        "{\"models\": [{\"id\": \"m\", \"input\": 1, \"output\": 1, \"cachedinput\": 0.1}]}",
        "{\"models\": [{\"id\": \"m\", \"input\": 1, \"output\": 1, \"contextWindow\": 0}]}",
        "{\"models\": [{\"id\": \"m\", \"input\": 1, \"output\": 1, \"contextWindow\": 100,"
            + " \"maxOutputTokens\": 200}]}",
        "{\"models\": [{\"id\": \"m\", \"input\": 1, \"output\": 1},"
            + " {\"id\": \"m\", \"input\": 1, \"output\": 1}]}",
        "{\"models\": [{\"id\": \"m\", \"input\": 1, \"output\": 1, \"aliases\": [\"a\"]},"
            + " {\"id\": \"n\", \"input\": 1, \"output\": 1, \"aliases\": [\"a\"]}]}",
        "{\"modes\": {\"night\": 0.5}}",
        "{\"pricez\": []}",
        "{\"models\": [",
      })
  void invalidTablesAreRejectedWithTheReason(String json) {
    assertThatThrownBy(() -> PriceTable.fromJson(json))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("price table");
  }

  @Test
  void unknownFieldsAreNamed() {
    assertThatThrownBy(
            () ->
                PriceTable.fromJson(
                    "{\"models\": [{\"id\": \"m\", \"input\": 1, \"output\": 1,"
                        + " \"cachedinput\": 0.1}]}"))
        .hasMessageContaining("cachedinput")
        .hasMessageContaining("cachedInput");
  }
}
