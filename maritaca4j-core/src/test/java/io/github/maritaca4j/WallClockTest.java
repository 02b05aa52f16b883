package io.github.maritaca4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.maritaca4j.cost.Cost;
import io.github.maritaca4j.cost.CostEstimate;
import io.github.maritaca4j.cost.PriceTable;
import io.github.maritaca4j.cost.PricingMode;
import io.github.maritaca4j.errors.RateLimitException;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import io.github.maritaca4j.testing.ApiBodies;
import io.github.maritaca4j.testing.ScriptedHttpServer;
import io.github.maritaca4j.testing.ScriptedHttpServer.Reply;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The client's wall clock ({@link ChatMaritaca.Builder#clock(Clock)}): it, not the machine's,
 * decides the pricing mode of answers and estimates, and what an HTTP-date hint means when the
 * server sends no {@code Date}.
 */
class WallClockTest {
  private static final List<Message> CAPITAL = List.of(Message.user("Qual é a capital do Brasil?"));
  private static final List<List<Message>> INPUTS =
      List.of(
          List.of(Message.user("Qual é a capital do Brasil?")),
          List.of(Message.user("Qual é a capital do Chile?")),
          List.of(Message.user("Escreva um poema curto sobre o mar.")));
  private static final ZoneId SAO_PAULO = ZoneId.of("America/Sao_Paulo");

  private static ChatMaritaca client(String baseUrl, Clock clock) {
    return ChatMaritaca.builder().baseUrl(baseUrl).apiKey("test-key").clock(clock).build();
  }

  /** A client that only estimates: it never connects. */
  private static ChatMaritaca offline(Clock clock) {
    return client(ChatMaritaca.DEFAULT_BASE_URL, clock);
  }

  private static Clock fixedAt(String localTimeInBrasilia) {
    return Clock.fixed(
        LocalDateTime.parse(localTimeInBrasilia).atZone(SAO_PAULO).toInstant(), ZoneOffset.UTC);
  }

  @Test
  void anAnswerIsPricedInTheWindowOfTheClientsClock() {
    try (MaritacaSimulator sim = MaritacaSimulator.builder().seed(1).start()) {
      ChatMaritaca day = client(sim.baseUrl(), TestClocks.peak());
      ChatMaritaca night = day.toBuilder().clock(TestClocks.offPeak()).build();
      ChatResult atNoon = day.invoke(CAPITAL);
      ChatResult atEleven = night.invoke(CAPITAL);
      PriceTable prices = day.priceTable();
      Cost standard = atNoon.cost().orElseThrow();
      Cost offPeak = atEleven.cost().orElseThrow();
      assertThat(standard.mode()).isEqualTo(PricingMode.STANDARD);
      assertThat(offPeak.mode()).isEqualTo(PricingMode.OFF_PEAK);
      assertThat(standard).isEqualTo(prices.cost("sabia-4", atNoon.usage(), PricingMode.STANDARD));
      assertThat(offPeak).isEqualTo(prices.cost("sabia-4", atEleven.usage(), PricingMode.OFF_PEAK));
      // the same question, the same answer: only the price differs, by the table's 70 %
      assertThat(atEleven.usage()).isEqualTo(atNoon.usage());
      BigDecimal multiplier = prices.multiplier(PricingMode.OFF_PEAK);
      assertThat(multiplier).isEqualByComparingTo("0.7");
      assertThat(offPeak.input()).isEqualByComparingTo(standard.input().multiply(multiplier));
      assertThat(offPeak.output()).isEqualByComparingTo(standard.output().multiply(multiplier));
      assertThat(offPeak.total()).isPositive().isLessThan(standard.total());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.maritaca4j.TestClocks#windows")
  void anEstimateIsInTheModeInForceOnTheClientsClock(TestClocks.Window window) {
    ChatMaritaca c = offline(window.clock());
    CostEstimate e = c.estimateBatchCost(INPUTS, 500);
    assertThat(e.pricingMode()).isEqualTo(window.mode());
    CostEstimate standard =
        c.costEstimator()
            .estimateBatch(
                INPUTS.stream().map(in -> c.request(in).build()).toList(),
                500,
                PricingMode.STANDARD);
    BigDecimal multiplier = c.priceTable().multiplier(window.mode());
    assertThat(e.totalRequests()).isEqualTo(3);
    assertThat(e.totalInputTokens()).isEqualTo(standard.totalInputTokens()).isPositive();
    assertThat(e.totalOutputTokens()).isEqualTo(1500);
    assertThat(e.totalCost())
        .isPositive()
        .isEqualByComparingTo(standard.totalCost().multiply(multiplier));
  }

  @Test
  void offPeakAnEstimateIsSeventyPercentOfTheStandardOne() {
    CostEstimate day = offline(TestClocks.peak()).estimateBatchCost(INPUTS, 500);
    CostEstimate night = offline(TestClocks.offPeak()).estimateBatchCost(INPUTS, 500);
    assertThat(day.pricingMode()).isEqualTo(PricingMode.STANDARD);
    assertThat(night.pricingMode()).isEqualTo(PricingMode.OFF_PEAK);
    assertThat(night.totalInputTokens()).isEqualTo(day.totalInputTokens());
    assertThat(night.totalCost())
        .isEqualByComparingTo(day.totalCost().multiply(new BigDecimal("0.7")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.maritaca4j.TestClocks#windows")
  void aFlexClientIsBilledFlexInEveryWindow(TestClocks.Window window) {
    try (MaritacaSimulator sim = MaritacaSimulator.builder().seed(1).start()) {
      ChatMaritaca flex =
          client(sim.baseUrl(), window.clock()).toBuilder().serviceTier(ServiceTier.FLEX).build();
      ChatResult r = flex.invoke(CAPITAL);
      assertThat(r.cost()).contains(flex.priceTable().cost("sabia-4", r.usage(), PricingMode.FLEX));
      assertThat(flex.estimateBatchCost(INPUTS, 500).pricingMode()).isEqualTo(PricingMode.FLEX);
    }
  }

  /** The edges of the off-peak window, on a fixed clock given to the client. */
  @ParameterizedTest(name = "{0} in Brasília")
  @CsvSource({
    "2026-01-07T21:59:59, STANDARD",
    "2026-01-07T22:00:00, OFF_PEAK",
    "2026-01-08T05:59:59, OFF_PEAK",
    "2026-01-08T06:00:00, STANDARD",
  })
  void theWindowEdgesOnAFixedClock(String local, PricingMode expected) {
    Clock clock = fixedAt(local);
    assertThat(PriceTable.modeFor(ServiceTier.STANDARD, clock.instant())).isEqualTo(expected);
    assertThat(offline(clock).estimateBatchCost(INPUTS, 500).pricingMode()).isEqualTo(expected);
  }

  @Test
  void anHttpDateHintWithoutADateHeaderIsMeasuredOnTheClientsClock() throws Exception {
    Instant now = Instant.parse("2026-11-28T15:00:00Z");
    try (ScriptedHttpServer server = new ScriptedHttpServer()) {
      server.enqueue(
          Reply.json(
              429, ApiBodies.error("slow down"), "Retry-After", "Sat, 28 Nov 2026 15:00:30 GMT"));
      ChatMaritaca c =
          client(server.baseUrl(), Clock.fixed(now, ZoneOffset.UTC)).toBuilder()
              .maxRetries(0)
              .build();
      assertThatThrownBy(() -> c.invoke(CAPITAL))
          .isInstanceOfSatisfying(
              RateLimitException.class,
              e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(30)));
      // another key: on the same account the call would first wait out the 429's pause
      ChatMaritaca later =
          c.toBuilder()
              .apiKey("another-key")
              .clock(Clock.fixed(now.plusSeconds(20), ZoneOffset.UTC))
              .build();
      assertThatThrownBy(() -> later.invoke(CAPITAL))
          .isInstanceOfSatisfying(
              RateLimitException.class,
              e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(10)));
      assertThat(server.requestCount()).isEqualTo(2);
    }
  }

  @Test
  void anHttpDateHintBeyondTheCapOnTheClientsClockFailsAtOnce() throws Exception {
    Instant now = Instant.parse("2026-11-28T15:00:00Z");
    try (ScriptedHttpServer server = new ScriptedHttpServer()) {
      server.enqueue(
          Reply.json(
              429,
              ApiBodies.error("come back tomorrow"),
              "Retry-After",
              "Sun, 29 Nov 2026 15:00:00 GMT"));
      ChatMaritaca c = client(server.baseUrl(), Clock.fixed(now, ZoneOffset.UTC));
      assertThatThrownBy(() -> c.invoke(CAPITAL))
          .isInstanceOfSatisfying(
              RateLimitException.class,
              e -> {
                assertThat(e.exceededMaxWait()).isTrue();
                assertThat(e.retryAfter()).contains(Duration.ofDays(1));
              });
      assertThat(server.requestCount()).isEqualTo(1);
    }
  }
}
