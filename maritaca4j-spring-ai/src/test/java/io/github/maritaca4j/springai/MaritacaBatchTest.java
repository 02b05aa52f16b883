package io.github.maritaca4j.springai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.TestClocks;
import io.github.maritaca4j.batch.BatchItem;
import io.github.maritaca4j.batch.BatchListener;
import io.github.maritaca4j.batch.BatchOptions;
import io.github.maritaca4j.batch.BatchProgress;
import io.github.maritaca4j.cost.CostEstimate;
import io.github.maritaca4j.errors.NotFoundException;
import io.github.maritaca4j.simulator.Latency;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.retry.NonTransientAiException;

/** Spring AI prompts through maritaca4j's batch engine. */
class MaritacaBatchTest {
  private static final List<String> COUNTRIES =
      List.of("Brasil", "Argentina", "Chile", "Peru", "Uruguai");
  private static MaritacaSimulator sim;
  private static MaritacaChatModel model;

  @BeforeAll
  static void start() {
    sim = MaritacaSimulator.builder().seed(11).latency(Latency.fixed(Duration.ofMillis(5))).start();
    model =
        MaritacaChatModel.of(
            ChatMaritaca.builder()
                .baseUrl(sim.baseUrl())
                .apiKey("test-key")
                .clock(TestClocks.peak())
                .build());
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  @BeforeEach
  void reset() {
    sim.reset();
  }

  private static List<Prompt> prompts(int n) {
    List<Prompt> prompts = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      prompts.add(new Prompt("Qual é a capital do " + COUNTRIES.get(i % COUNTRIES.size()) + "?"));
    }
    return prompts;
  }

  @Test
  void runsAHundredPromptsInInputOrderWithinTheConcurrencyCapAndReportsEveryItem() {
    List<BatchProgress> progress = new CopyOnWriteArrayList<>();
    List<Integer> completed = new CopyOnWriteArrayList<>();
    BatchListener listener =
        new BatchListener() {
          @Override
          public void onItemCompleted(BatchItem item) {
            completed.add(item.index());
          }

          @Override
          public void onProgress(BatchProgress p) {
            progress.add(p);
          }
        };

    MaritacaBatchResult result =
        model
            .batch(
                prompts(100), BatchOptions.builder().maxConcurrency(8).listener(listener).build())
            .join();

    assertThat(result.size()).isEqualTo(100);
    assertThat(result.failureCount()).isZero();
    List<ChatResponse> responses = result.responses();
    for (int i = 0; i < 100; i++) {
      String country = COUNTRIES.get(i % COUNTRIES.size());
      assertThat(responses.get(i).getResult().getOutput().getText())
          .as("item %d", i)
          .startsWith("A capital d")
          .contains(country);
      assertThat(result.get(i).index()).isEqualTo(i);
    }
    assertThat(completed).hasSize(100).containsExactlyInAnyOrderElementsOf(range(100));
    assertThat(progress).hasSize(100);
    assertThat(progress.get(99).completed()).isEqualTo(100);
    assertThat(sim.stats().requests()).isEqualTo(100);
    assertThat(sim.stats().maxInFlight()).isLessThanOrEqualTo(8);
    long promptTokens = 0;
    for (ChatResponse r : responses) {
      promptTokens += r.getMetadata().getUsage().getPromptTokens();
    }
    assertThat(result.usage().promptTokens()).isEqualTo(promptTokens);
    assertThat(result.cost().total()).isPositive();
  }

  @Test
  void eachPromptKeepsItsOwnOptions() {
    List<Prompt> prompts =
        List.of(
            new Prompt(
                "Conte uma história longa.", MaritacaChatOptions.builder().maxTokens(3).build()),
            new Prompt(
                "Conte uma história longa.",
                MaritacaChatOptions.builder().model("sabiazinho-4").maxTokens(4).build()));

    MaritacaBatchResult result = model.batch(prompts).join();

    assertThat(result.get(0).response().getMetadata().getUsage().getCompletionTokens())
        .isEqualTo(3);
    assertThat(result.get(1).response().getMetadata().getUsage().getCompletionTokens())
        .isEqualTo(4);
    assertThat(result.get(1).response().getMetadata().getModel()).isEqualTo("sabiazinho-4");
  }

  @Test
  void withReturnExceptionsAFailedItemHoldsItsSpringAiErrorAndTheOthersTheirAnswers() {
    List<Prompt> prompts = new ArrayList<>(prompts(4));
    prompts.set(2, new Prompt("Oi", MaritacaChatOptions.builder().model("no-such-model").build()));

    MaritacaBatchResult result =
        model.batch(prompts, BatchOptions.builder().returnExceptions(true).build()).join();

    assertThat(result.failureCount()).isEqualTo(1);
    MaritacaBatchResult.Item failed = result.get(2);
    assertThat(failed.isSuccess()).isFalse();
    assertThat(failed.error())
        .isInstanceOf(NonTransientAiException.class)
        .hasCauseInstanceOf(NotFoundException.class);
    assertThat(result.get(3).response().getResult().getOutput().getText()).contains("Peru");
    assertThat(catchThrowable(result::responses)).isSameAs(failed.error());
  }

  @Test
  void withoutReturnExceptionsTheFirstFailureFailsTheBatch() {
    List<Prompt> prompts = new ArrayList<>(prompts(3));
    prompts.set(0, new Prompt("Oi", MaritacaChatOptions.builder().model("no-such-model").build()));

    Throwable t =
        catchThrowable(() -> model.batch(prompts, BatchOptions.withConcurrency(1)).join());

    assertThat(t).isInstanceOf(CompletionException.class);
    assertThat(t.getCause())
        .isInstanceOf(NonTransientAiException.class)
        .hasCauseInstanceOf(NotFoundException.class);
    assertThat(sim.stats().requests()).isEqualTo(1);
  }

  @Test
  void aBudgetStopsSpendingAndTheRestFail() {
    // each request reserves its worst case (100 output tokens: about R$ 0.0021) before it is sent
    List<Prompt> prompts = new ArrayList<>();
    for (Prompt p : prompts(20)) {
      prompts.add(
          new Prompt(p.getInstructions(), MaritacaChatOptions.builder().maxTokens(100).build()));
    }
    MaritacaBatchResult result =
        model
            .batch(
                prompts,
                BatchOptions.builder()
                    .maxConcurrency(1)
                    .returnExceptions(true)
                    .budget(new BigDecimal("0.003"))
                    .build())
            .join();

    assertThat(result.failureCount()).isPositive();
    assertThat(result.successCount()).isPositive();
    assertThat(result.cost().total()).isLessThanOrEqualTo(new BigDecimal("0.003"));
    assertThat(result.failures().get(0).error()).isInstanceOf(NonTransientAiException.class);
  }

  @Test
  void anEmptyBatchSendsNothing() {
    assertThat(model.batch(List.of()).join().size()).isZero();
    assertThat(sim.stats().requests()).isZero();
  }

  @Test
  void estimatesTheCostBeforeRunning() {
    CostEstimate e = model.estimateBatchCost(prompts(10), 100);

    assertThat(e.totalRequests()).isEqualTo(10);
    assertThat(e.totalOutputTokens()).isEqualTo(1000);
    assertThat(e.totalCost()).isPositive();
    assertThat(sim.stats().requests()).isZero();
  }

  private static List<Integer> range(int n) {
    List<Integer> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(i);
    }
    return out;
  }
}
