package io.github.maritaca4j.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.maritaca4j.ChatRequest;
import io.github.maritaca4j.Message;
import io.github.maritaca4j.Usage;
import io.github.maritaca4j.errors.ConfigurationException;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class CostEstimatorTest {

  /** One token per character: the arithmetic below can be checked by hand. */
  private static final TokenCounter CHARS = String::length;

  private static final CostEstimator ESTIMATOR = new CostEstimator(PriceTable.defaults(), CHARS);

  /** A request whose prompt is {@code 5 + chars + 3} tokens under {@link #CHARS}. */
  private static ChatRequest request(String model, int chars, Integer maxTokens) {
    return ChatRequest.builder()
        .model(model)
        .addMessage(Message.user("x".repeat(chars)))
        .maxTokens(maxTokens)
        .build();
  }

  // ------------------------------------------------------------------ one request

  @Test
  void estimateCountsInputAndTakesTheDefaultOutput() {
    RequestEstimate e = ESTIMATOR.estimate(request("sabia-4", 95, null), 500, PricingMode.STANDARD);
    assertThat(e.inputTokens()).isEqualTo(103); // 5 + 95 + 3
    assertThat(e.outputTokens()).isEqualTo(500);
    assertThat(e.inputCost()).isEqualByComparingTo("0.000515"); // 103 × 5.00 / 1M
    assertThat(e.outputCost()).isEqualByComparingTo("0.01"); // 500 × 20.00 / 1M
    assertThat(e.totalCost()).isEqualByComparingTo("0.010515");
    assertThat(e.totalTokens()).isEqualTo(603);

    RequestEstimate flex = ESTIMATOR.estimate(request("sabia-4", 95, null), 500, PricingMode.FLEX);
    assertThat(flex.inputCost()).isEqualByComparingTo("0.0002575");
    assertThat(flex.outputCost()).isEqualByComparingTo("0.005");
  }

  @Test
  void estimateUsesTheRequestsOwnMaxTokensCappedAtTheModelsMaximum() {
    assertThat(
            ESTIMATOR
                .estimate(request("sabia-4", 95, 1000), 500, PricingMode.STANDARD)
                .outputTokens())
        .isEqualTo(1000);
    RequestEstimate capped =
        ESTIMATOR.estimate(request("sabia-4", 95, null), 50_000, PricingMode.STANDARD);
    assertThat(capped.outputTokens()).isEqualTo(32_768);
    assertThat(capped.outputCost()).isEqualByComparingTo("0.65536"); // 32,768 × 20 / 1M
    assertThat(
            ESTIMATOR.estimate(request("sabia-4", 95, null), 0, PricingMode.STANDARD).outputCost())
        .isEqualByComparingTo("0");
    assertThatThrownBy(
            () -> ESTIMATOR.estimate(request("sabia-4", 1, null), -1, PricingMode.STANDARD))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
  }

  @Test
  void estimateOfAnUnknownModelNamesTheKnownOnes() {
    assertThatThrownBy(
            () -> ESTIMATOR.estimate(request("sabia-9", 1, null), 10, PricingMode.STANDARD))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("sabia-9")
        .hasMessageContaining("sabiazinho-4");
  }

  // ------------------------------------------------------------------ batches

  @Test
  void batchEstimateHasTheSeedsFieldsPlusModelAndMode() {
    List<ChatRequest> batch =
        List.of(
            request("sabia-4", 95, null), // 103 in, 500 out
            request("sabia-4-2026-01-06", 195, 100), // 203 in, 100 out (alias: same model)
            request("sabia-4", 45, null)); // 53 in, 500 out
    CostEstimate e = ESTIMATOR.estimateBatch(batch, 500, PricingMode.STANDARD);
    assertThat(e.model()).isEqualTo("sabia-4");
    assertThat(e.pricingMode()).isEqualTo(PricingMode.STANDARD);
    assertThat(e.totalRequests()).isEqualTo(3);
    assertThat(e.totalInputTokens()).isEqualTo(359);
    assertThat(e.totalOutputTokens()).isEqualTo(1100);
    assertThat(e.totalInputCost()).isEqualByComparingTo("0.001795"); // 359 × 5 / 1M
    assertThat(e.totalOutputCost()).isEqualByComparingTo("0.022"); // 1,100 × 20 / 1M
    assertThat(e.totalCost()).isEqualByComparingTo("0.023795");
    assertThat(e.isMixedModels()).isFalse();
    assertThat(e.totalTokens()).isEqualTo(1459);
    assertThat(e.summary())
        .isEqualTo(
            "3 requests to sabia-4 (STANDARD): 359 input + 1,100 output tokens, R$ 0.023795");

    // the batch total is the sum of the single estimates
    BigDecimal sum = BigDecimal.ZERO;
    for (ChatRequest r : batch) {
      sum = sum.add(ESTIMATOR.estimate(r, 500, PricingMode.STANDARD).totalCost());
    }
    assertThat(e.totalCost()).isEqualByComparingTo(sum);
  }

  @Test
  void batchOfMixedModelsPricesEachWithItsOwnModel() {
    CostEstimate e =
        ESTIMATOR.estimateBatch(
            List.of(request("sabia-4", 95, null), request("sabiazinho-4", 95, null)),
            500,
            PricingMode.BATCH);
    assertThat(e.model()).isNull();
    assertThat(e.isMixedModels()).isTrue();
    // sabia-4: 103 × 5 × 0.5 + 500 × 20 × 0.5; sabiazinho-4: 103 × 1 × 0.5 + 500 × 4 × 0.5 (/1M)
    assertThat(e.totalInputCost()).isEqualByComparingTo("0.000309");
    assertThat(e.totalOutputCost()).isEqualByComparingTo("0.006");
    assertThat(e.totalCost()).isEqualByComparingTo("0.006309");
    assertThat(e.summary()).contains("several models");
  }

  @Test
  void emptyBatchCostsNothing() {
    CostEstimate e = ESTIMATOR.estimateBatch(List.of(), 500, PricingMode.STANDARD);
    assertThat(e.totalRequests()).isZero();
    assertThat(e.totalCost()).isEqualByComparingTo("0");
    assertThat(e.model()).isNull();
    assertThat(e.isMixedModels()).isFalse();
  }

  @Test
  void batchIsReadOnceAndLazily() {
    int n = 100_000;
    Iterable<ChatRequest> lazy =
        () ->
            new Iterator<>() {
              int i;

              @Override
              public boolean hasNext() {
                return i < n;
              }

              @Override
              public ChatRequest next() {
                i++;
                return request("sabiazinho-4", 92, 200); // 100 in, 200 out
              }
            };
    CostEstimate e = ESTIMATOR.estimateBatch(lazy, 500, PricingMode.FLEX);
    assertThat(e.totalRequests()).isEqualTo(n);
    assertThat(e.totalInputTokens()).isEqualTo(10_000_000L);
    assertThat(e.totalOutputTokens()).isEqualTo(20_000_000L);
    // 10M × 1.00 × 0.5 + 20M × 4.00 × 0.5 (/1M) = 5 + 40
    assertThat(e.totalCost()).isEqualByComparingTo("45");
  }

  @Test
  void batchWithTheRealEstimatorCountsRepeatedPromptsTheSame() {
    CostEstimator real = new CostEstimator(PriceTable.defaults(), TokenCounter.estimator());
    String system = "Você é um assistente que responde em português, de forma breve e educada.";
    ChatRequest r =
        ChatRequest.builder()
            .model("sabia-4")
            .messages(List.of(Message.system(system), Message.user("Qual é a capital do Brasil?")))
            .build();
    long single = real.estimate(r, 100, PricingMode.STANDARD).inputTokens();
    CostEstimate e = real.estimateBatch(List.of(r, r, r, r), 100, PricingMode.STANDARD);
    assertThat(e.totalInputTokens()).isEqualTo(4 * single);
  }

  // ------------------------------------------------------------------ worst case

  @Test
  void worstCaseAddsTheMarginToInputAndTakesMaxTokensOrTheModelsMaximum() {
    // 103 input tokens × 1.10 = 113.3 → 114
    assertThat(CostEstimator.worstCaseInputTokens(103)).isEqualTo(114);
    assertThat(CostEstimator.worstCaseInputTokens(0)).isZero();
    assertThat(ESTIMATOR.worstCaseCost(request("sabia-4", 95, 1000), PricingMode.STANDARD))
        .isEqualByComparingTo("0.02057"); // 114 × 5 / 1M + 1,000 × 20 / 1M
    assertThat(ESTIMATOR.worstCaseCost(request("sabia-4", 95, null), PricingMode.STANDARD))
        .isEqualByComparingTo("0.65593"); // 0.00057 + 32,768 × 20 / 1M
    assertThat(ESTIMATOR.worstCaseCost(request("sabia-4", 95, 1000), PricingMode.FLEX))
        .isEqualByComparingTo("0.010285");
  }

  @Test
  void worstCaseIsAtLeastTheActualCostForSimulatorLikeUsage() throws Exception {
    CostEstimator real = new CostEstimator(PriceTable.defaults(), TokenCounter.estimator());
    TokenCounter truth =
        SharedTokenizerFile.path().isPresent()
            ? SharedTokenizerFile.require()
            : TokenCounter.estimator();
    String system = "Responda em português, com no máximo três frases.";
    for (String line : TokenCounterTest.portugueseSample().split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      for (Integer max : new Integer[] {1, 64, 1000, null}) {
        ChatRequest r =
            ChatRequest.builder()
                .model("sabia-4")
                .messages(List.of(Message.system(system), Message.user(line)))
                .maxTokens(max)
                .build();
        // as the simulator counts: 4 framing tokens per message, the text, 3 priming; the reply
        // may use every token it is allowed
        long prompt = 4 + truth.count(system) + 4 + truth.count(line) + 3;
        long completion = max == null ? 32_768 : max;
        for (PricingMode mode : PricingMode.values()) {
          Cost actual = real.prices().cost("sabia-4", Usage.of(prompt, completion), mode);
          assertThat(real.worstCaseCost(r, mode)).isGreaterThanOrEqualTo(actual.total());
        }
      }
    }
  }

  // ------------------------------------------------------------------ context window

  @Test
  void requestsThatFitPassTheContextCheck() {
    ESTIMATOR.checkContext(request("sabia-4", 1000, 32_768));
    ESTIMATOR.checkContext(request("sabiazinho-3.1", 32_768 - 8 - 100, 100)); // exactly full
    ESTIMATOR.checkContext(request("sabiazinho-3.1", 32_768 - 8, null));
  }

  @Test
  void requestsThatDoNotFitAreReportedWithTheNumbers() {
    assertThatThrownBy(() -> ESTIMATOR.checkContext(request("sabiazinho-3.1", 30_000, 4_000)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("sabiazinho-3.1")
        .hasMessageContaining("30008 input tokens")
        .hasMessageContaining("max_tokens 4000 = 34008")
        .hasMessageContaining("32768")
        .hasMessageContaining("at most 2760");
    assertThatThrownBy(() -> ESTIMATOR.checkContext(request("sabia-4", 140_000, null)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("140008 input tokens")
        .hasMessageContaining("131072");
    assertThatThrownBy(() -> ESTIMATOR.checkContext(request("sabiazinho-3.1", 32_768 - 8, 1)))
        .isInstanceOf(ConfigurationException.class);
  }

  // ------------------------------------------------------------------ estimate versus actual

  @Test
  void reportComparesTheEstimateWithWhatHappened() {
    CostEstimate e =
        ESTIMATOR.estimateBatch(
            List.of(request("sabia-4", 92, 200), request("sabia-4", 92, 200)),
            500,
            PricingMode.STANDARD); // 200 in, 400 out: 0.001 + 0.008 = 0.009
    Usage actual = new Usage(250, 100, 350, 50); // 200 uncached, 50 cached, 100 out
    Cost cost = PriceTable.defaults().cost("sabia-4", actual, PricingMode.STANDARD);
    assertThat(cost.total()).isEqualByComparingTo("0.0030625"); // 0.001 + 0.0000625 + 0.002
    CostReport report = CostReport.of(e, actual, cost);
    assertThat(report.requests()).isEqualTo(2);
    assertThat(report.inputTokensDifferencePercent()).isEqualTo(-20.0); // (200 - 250) / 250
    assertThat(report.outputTokensDifferencePercent()).isEqualTo(300.0); // (400 - 100) / 100
    assertThat(report.costDifferencePercent())
        .isCloseTo(193.877551, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(report.summary())
        .contains("estimated 200, actual 250 (50 cached), difference -20.00 %")
        .contains("estimated R$ 0.009000, actual R$ 0.003062");

    CostReport none = CostReport.of(e, Usage.ZERO, Cost.ZERO);
    assertThat(none.inputTokensDifferencePercent()).isNaN();
    assertThat(none.summary()).contains("n/a");

    RequestEstimate one =
        ESTIMATOR.estimate(request("sabia-4", 92, 200), 500, PricingMode.STANDARD);
    CostReport single =
        CostReport.of("sabia-4", PricingMode.STANDARD, one, Usage.of(100, 200), Cost.ZERO);
    assertThat(single.inputTokensDifferencePercent()).isZero();
    assertThat(single.outputTokensDifferencePercent()).isZero();
  }
}
