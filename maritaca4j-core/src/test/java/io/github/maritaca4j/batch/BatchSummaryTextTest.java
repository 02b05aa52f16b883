package io.github.maritaca4j.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.Message;
import io.github.maritaca4j.TestClocks;
import io.github.maritaca4j.Usage;
import io.github.maritaca4j.cost.Cost;
import io.github.maritaca4j.cost.PricingMode;
import io.github.maritaca4j.errors.ServerException;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link BatchSummary} printed: one line for people, as {@code CostEstimate.summary()} is. */
class BatchSummaryTextTest {
  private static Cost cost(String input, String output, PricingMode mode) {
    return new Cost(new BigDecimal(input), BigDecimal.ZERO, new BigDecimal(output), mode);
  }

  @Test
  void aSummaryPrintsAsOneReadableLine() {
    BatchSummary s =
        new BatchSummary(
            40,
            39,
            1,
            new Usage(790, 1608, 2398, 0),
            cost("0.00395", "0.02134", PricingMode.OFF_PEAK),
            1,
            2,
            Duration.ofMillis(3210));
    assertThat(s.toString())
        .isEqualTo(
            "40 requests: 39 ok, 1 failed; 790 input + 1,608 output tokens,"
                + " R$ 0.025290 (OFF_PEAK); 2 retries, 1 rate limited (429); 3.2 s");
  }

  @Test
  void cachedTokensMixedModesAndLongRunsAreSaid() {
    Cost mixed =
        cost("0.001", "0.002", PricingMode.STANDARD).plus(cost("0.001", "0", PricingMode.FLEX));
    BatchSummary s =
        new BatchSummary(
            1, 1, 0, new Usage(1200, 30, 1230, 200), mixed, 0, 1, Duration.ofSeconds(253));
    assertThat(s.toString())
        .isEqualTo(
            "1 request: 1 ok, 0 failed; 1,200 input (200 cached) + 30 output tokens,"
                + " R$ 0.004000 (several pricing modes); 1 retry, 0 rate limited (429); 4m13s");
  }

  @Test
  void nothingBilledNamesNoMode() {
    BatchItem failed =
        new BatchItem(
            0,
            null,
            new ServerException(500, "boom", null, null, null, null),
            3,
            Duration.ofMillis(40),
            null,
            null,
            null);
    BatchResult r = new BatchResult(List.of(failed), Duration.ofMillis(45), 0);
    assertThat(r.summary().toString())
        .isEqualTo(
            "1 request: 0 ok, 1 failed; 0 input + 0 output tokens, R$ 0.000000;"
                + " 2 retries, 0 rate limited (429); 45 ms");
    assertThat(r.toString()).isEqualTo("BatchResult[" + r.summary() + "]");
  }

  @Test
  void aRealBatchsSummaryAgreesWithItsTotals() {
    try (MaritacaSimulator sim = MaritacaSimulator.builder().seed(3).start()) {
      ChatMaritaca client =
          ChatMaritaca.builder()
              .baseUrl(sim.baseUrl())
              .apiKey("test-key")
              .clock(TestClocks.peak())
              .build();
      BatchResult r =
          client
              .batchAsync(
                  List.of(
                      List.of(Message.user("Qual é a capital do Brasil?")),
                      List.of(Message.user("Qual é a capital do Chile?"))),
                  BatchOptions.builder().maxConcurrency(2).returnExceptions(true).build())
              .join();
      String line = r.summary().toString();
      assertThat(line)
          .startsWith("2 requests: 2 ok, 0 failed; ")
          .contains(
              String.format(
                  java.util.Locale.ROOT,
                  "%,d input + %,d output tokens, ",
                  r.usage().promptTokens(),
                  r.usage().completionTokens()))
          .contains("(STANDARD)")
          .doesNotContain("BatchSummary[")
          .doesNotContain("\n");
    }
  }
}
