package io.github.maritaca4j.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.ChatResult;
import io.github.maritaca4j.Message;
import io.github.maritaca4j.TestClocks;
import io.github.maritaca4j.Usage;
import io.github.maritaca4j.cost.CostEstimate;
import io.github.maritaca4j.cost.PricingMode;
import io.github.maritaca4j.errors.BudgetExceededException;
import io.github.maritaca4j.simulator.Faults;
import io.github.maritaca4j.simulator.Latency;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import io.github.maritaca4j.simulator.SimulatorStats;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every example of docs/batch.md (the seed's, in Java) against the simulator. */
class SeedExamplesTest {
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

  @BeforeEach
  void captureOutput() {
    SeedExamples.out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
  }

  @AfterEach
  void restoreOutput() {
    SeedExamples.out = System.out;
  }

  private String output() {
    return buffer.toString(StandardCharsets.UTF_8);
  }

  /** A client at noon in Brasília: standard prices whenever the test runs. */
  private static ChatMaritaca model(MaritacaSimulator sim) {
    return ChatMaritaca.builder()
        .baseUrl(sim.baseUrl())
        .apiKey("test-key")
        .clock(TestClocks.peak())
        .build();
  }

  private static List<List<Message>> capitals(int n) {
    return BatchSimulatorTest.questions(n);
  }

  @Test
  void asyncBatchWithConcurrency() {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder().latency(Latency.fixed(Duration.ofMillis(20))).start()) {
      List<ChatResult> results = SeedExamples.asyncBatch(model(sim));
      assertThat(results).extracting(ChatResult::content).hasSize(5);
      assertThat(output().lines().toList())
          .containsExactly(
              "The capital of Brazil is Brasília.",
              "The capital of Argentina is Buenos Aires.",
              "The capital of Chile is Santiago.",
              "The capital of Peru is Lima.",
              "The capital of Colombia is Bogotá.");
      assertThat(sim.statsWithoutLog().maxInFlight()).isLessThanOrEqualTo(3);
    }
  }

  @Test
  void concurrencyControlAndChoosingConcurrency() {
    try (MaritacaSimulator sim = MaritacaSimulator.builder().start()) {
      SeedExamples.concurrencyControl(model(sim), capitals(12));
      SeedExamples.chooseConcurrency(model(sim), capitals(12));
      assertThat(output()).contains("12 and 12 results").contains("12 12 12");
      assertThat(sim.statsWithoutLog().maxInFlight()).isLessThanOrEqualTo(10);
    }
  }

  @Test
  void errorHandlingWithReturnExceptions() {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder()
            .seed(6)
            .faults(Faults.builder().serverErrorRate(0.2, 503).build())
            .start()) {
      ChatMaritaca noRetries = model(sim).toBuilder().maxRetries(0).build();
      BatchResult r = SeedExamples.errorHandling(noRetries, capitals(10));
      assertThat(r.failureCount()).isPositive();
      assertThat(output()).contains("failed: HTTP 503").contains("Request 0");
      assertThat(output().lines()).hasSize(10);
    }
  }

  @Test
  void batchWithProgressAndTheDetailedCallback() {
    try (MaritacaSimulator sim = MaritacaSimulator.builder().start()) {
      List<ChatResult> results = SeedExamples.batchWithProgress(model(sim));
      assertThat(results).hasSize(20);
      assertThat(output().lines().toList())
          .hasSize(20)
          .startsWith("Progress: 1/20 (5%)")
          .endsWith("Progress: 20/20 (100%)");
      buffer.reset();
      model(sim).batchWithProgress(capitals(5), 3, SeedExamples.DETAILED_PROGRESS);
      assertThat(output().lines().toList())
          .hasSize(5)
          .allSatisfy(l -> assertThat(l).matches("\\[\\d/5] Received: The capital of .*\\.\\.\\."));
    }
  }

  /** The estimate is in the mode in force when it is made: 70 % of standard off-peak. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.maritaca4j.TestClocks#windows")
  void costEstimation(TestClocks.Window window) {
    try (MaritacaSimulator sim = MaritacaSimulator.builder().start()) {
      ChatMaritaca m = model(sim).toBuilder().clock(window.clock()).build();
      CostEstimate e = SeedExamples.costEstimation(m);
      assertThat(e.totalRequests()).isEqualTo(3);
      assertThat(e.totalOutputTokens()).isEqualTo(1500);
      assertThat(e.totalInputTokens()).isPositive();
      assertThat(e.totalCost()).isEqualByComparingTo(e.totalInputCost().add(e.totalOutputCost()));
      assertThat(e.model()).isEqualTo("sabia-4");
      assertThat(e.pricingMode()).isEqualTo(window.mode());
      // 1,500 output tokens of sabia-4 at R$ 20 / M, times the window's multiplier
      BigDecimal multiplier = m.priceTable().multiplier(window.mode());
      assertThat(e.totalOutputCost())
          .isEqualByComparingTo(new BigDecimal("0.03").multiply(multiplier));
      assertThat(e.totalInputCost())
          .isEqualByComparingTo(
              m.priceTable()
                  .cost("sabia-4", Usage.of(e.totalInputTokens(), 0), PricingMode.STANDARD)
                  .total()
                  .multiply(multiplier));
      assertThat(output()).contains("Total requests: 3").contains("Estimated output tokens: 1500");
      assertThat(sim.statsWithoutLog().requests()).isZero(); // estimating sends nothing
    }
  }

  @Test
  void costPlanningAsksBeforeAnExpensiveBatch() {
    try (MaritacaSimulator sim = MaritacaSimulator.builder().start()) {
      ChatMaritaca m = model(sim);
      // 90 requests × 1,000 output tokens × R$ 20 / M = R$ 1.80 (R$ 1.26 off-peak) > R$ 1.00:
      // the user says no
      List<ChatResult> none = SeedExamples.costPlanning(m, capitals(90), () -> false);
      assertThat(none).isEmpty();
      assertThat(output()).contains("Warning: Batch cost exceeds R$ 1.00");
      assertThat(sim.statsWithoutLog().requests()).isZero();
      // a cheap batch runs without asking
      List<ChatResult> some =
          SeedExamples.costPlanning(
              m,
              capitals(3),
              () -> {
                throw new AssertionError("should not ask");
              });
      assertThat(some).hasSize(3);
    }
  }

  @Test
  void safeBatchRetriesTheFailuresOneAtATime() throws Exception {
    // seed 6: the first pass (no client retries) loses 3 of 10 to 503s; the retry pass succeeds
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder()
            .seed(6)
            .faults(Faults.builder().serverErrorRate(0.2, 503).build())
            .start()) {
      ChatMaritaca noRetries = model(sim).toBuilder().maxRetries(0).build();
      List<ChatResult> all =
          SeedExamples.safeBatch(noRetries, capitals(10)).get(30, TimeUnit.SECONDS);
      assertThat(all).hasSize(10);
      assertThat(sim.statsWithoutLog().requests()).isGreaterThan(10);
      List<String> contents = new ArrayList<>();
      all.forEach(r -> contents.add(r.content()));
      assertThat(contents).allSatisfy(c -> assertThat(c).startsWith("The capital of"));
    }
  }

  @Test
  void batchWithBudgetRefusesAnEstimateOverTheBudget() throws Exception {
    try (MaritacaSimulator sim = MaritacaSimulator.builder().start()) {
      ChatMaritaca m = model(sim);
      // 5 requests × 1,000 output tokens × R$ 20 / M ≈ R$ 0.10 (R$ 0.07 off-peak)
      assertThatThrownBy(() -> SeedExamples.batchWithBudget(m, capitals(5), new BigDecimal("0.05")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("exceeds budget R$ 0.05");
      assertThat(sim.statsWithoutLog().requests()).isZero();
      List<ChatResult> r =
          SeedExamples.batchWithBudget(m, capitals(5), BigDecimal.ONE).get(30, TimeUnit.SECONDS);
      assertThat(r).hasSize(5);
    }
  }

  /** What is spent is the server's token count at the window's prices, and within the budget. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.maritaca4j.TestClocks#windows")
  void aHardBudgetNeverSpendsMore(TestClocks.Window window) {
    try (MaritacaSimulator sim = MaritacaSimulator.builder().start()) {
      ChatMaritaca m = model(sim).toBuilder().maxTokens(100).clock(window.clock()).build();
      BigDecimal budget = new BigDecimal("0.005");
      BatchResult r = SeedExamples.batchWithHardBudget(m, capitals(20), budget);
      SimulatorStats s = sim.statsWithoutLog();
      BigDecimal serverSide =
          m.priceTable()
              .cost("sabia-4", Usage.of(s.promptTokens(), s.completionTokens()), window.mode())
              .total();
      assertThat(r.cost().mode()).isEqualTo(window.mode());
      assertThat(r.cost().total()).isEqualByComparingTo(serverSide).isLessThanOrEqualTo(budget);
      assertThat(r.successCount()).isPositive().isEqualTo((int) s.requests());
      assertThat(r.failures())
          .allSatisfy(i -> assertThat(i.error()).isInstanceOf(BudgetExceededException.class));
    }
  }
}
