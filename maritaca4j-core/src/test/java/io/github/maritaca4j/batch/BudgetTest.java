package io.github.maritaca4j.batch;

import static io.github.maritaca4j.batch.Fixtures.engine;
import static io.github.maritaca4j.batch.Fixtures.runAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.maritaca4j.errors.BudgetExceededException;
import io.github.maritaca4j.errors.ConnectionException;
import io.github.maritaca4j.internal.ManualClock;
import io.github.maritaca4j.internal.batch.BatchEngine;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Budget reservation. Prices: R$ 0.001 per input token, R$ 0.002 per output token; each request has
 * 10 input tokens and max_tokens 100, so its worst case is R$ 0.21; it actually costs R$ 0.02 (10
 * in, 5 out).
 */
class BudgetTest {
  private final ManualClock clock = new ManualClock();
  private final FakeServer server = new FakeServer(clock).latency(Duration.ofMillis(100));

  private BigDecimal serverSpend() {
    return Fixtures.IN_PER_TOKEN
        .multiply(BigDecimal.valueOf(server.promptTotal()))
        .add(Fixtures.OUT_PER_TOKEN.multiply(BigDecimal.valueOf(server.completionTotal())));
  }

  @Test
  void neverSpendsMoreThanTheBudgetAndFailsWhatCannotFit() {
    List<Integer> exhausted = new ArrayList<>();
    BatchOptions o =
        BatchOptions.builder()
            .maxConcurrency(5)
            .budget(new BigDecimal("0.50"))
            .returnExceptions(true)
            .listener(
                new BatchListener() {
                  @Override
                  public void onBudgetExhausted(int index, BudgetExceededException e) {
                    exhausted.add(index);
                  }
                })
            .build();
    CompletableFuture<BatchResult> f =
        engine(server, clock).run(Fixtures.requests(30, 100), o, null);
    runAll(clock);
    BatchResult r = f.join();
    // an item leaves only when 0.21 fits beside what is spent and reserved: at most 2 at once
    assertThat(server.maxInFlight()).isEqualTo(2);
    // with nothing in flight it fits while spent <= 0.29: 15 answers (R$ 0.30), then none fits
    assertThat(r.successCount()).isEqualTo(15);
    assertThat(r.cost().total()).isEqualByComparingTo("0.30");
    assertThat(serverSpend()).isEqualByComparingTo("0.30");
    assertThat(r.failures())
        .hasSize(15)
        .allSatisfy(
            i -> {
              assertThat(i.error()).isInstanceOf(BudgetExceededException.class);
              assertThat(i.attempts()).isZero();
            });
    BudgetExceededException e = (BudgetExceededException) r.failures().get(0).error();
    assertThat(e.required()).isEqualByComparingTo("0.21");
    assertThat(e.remaining()).isEqualByComparingTo("0.20");
    assertThat(e.budget()).isEqualByComparingTo("0.50");
    assertThat(exhausted).hasSize(15);
    assertThat(server.requests()).isEqualTo(15);
  }

  @Test
  void failFastStopsAtTheFirstItemThatCannotFit() {
    BatchOptions o = BatchOptions.builder().maxConcurrency(5).budget(new BigDecimal("0.5")).build();
    CompletableFuture<BatchResult> f =
        engine(server, clock).run(Fixtures.requests(30, 100), o, null);
    runAll(clock);
    assertThatThrownBy(() -> BatchEngine.join(f)).isInstanceOf(BudgetExceededException.class);
    assertThat(server.requests()).isEqualTo(15);
    assertThat(serverSpend()).isLessThanOrEqualTo(new BigDecimal("0.5"));
  }

  @Test
  void aRequestThatCanNeverFitFailsWithoutBeingSent() {
    BatchOptions o =
        BatchOptions.builder().budget(new BigDecimal("0.1")).returnExceptions(true).build();
    CompletableFuture<BatchResult> f =
        engine(server, clock).run(Fixtures.requests(3, 100), o, null);
    runAll(clock);
    assertThat(f.join().failures()).hasSize(3);
    assertThat(server.requests()).isZero();
  }

  @Test
  void aFailureWithAnAnswerStatusReleasesItsReservation() {
    AtomicInteger left = new AtomicInteger(3);
    server.failures(
        r ->
            left.getAndDecrement() > 0
                ? new io.github.maritaca4j.errors.ServerException(
                    503, "busy", null, null, null, null)
                : null);
    BatchOptions o =
        BatchOptions.builder()
            .maxConcurrency(1)
            .budget(new BigDecimal("0.25"))
            .maxAttempts(5)
            .build();
    CompletableFuture<BatchResult> f =
        engine(server, clock).run(Fixtures.requests(1, 100), o, null);
    runAll(clock);
    assertThat(f.join().get(0).attempts()).isEqualTo(4);
  }

  @Test
  void aFailureWithUnknownOutcomeCountsAsSpent() {
    // a broken connection may have been billed: its worst case stays spent, so the second
    // request (0.21) no longer fits a 0.30 budget
    AtomicInteger left = new AtomicInteger(1);
    server.failures(
        r -> left.getAndDecrement() > 0 ? new ConnectionException("reset", null) : null);
    BatchOptions o =
        BatchOptions.builder()
            .maxConcurrency(1)
            .budget(new BigDecimal("0.30"))
            .returnExceptions(true)
            .build();
    CompletableFuture<BatchResult> f =
        engine(server, clock).run(Fixtures.requests(1, 100), o, null);
    runAll(clock);
    BatchItem item = f.join().get(0);
    assertThat(item.error()).isInstanceOf(BudgetExceededException.class);
    assertThat(item.attempts()).isEqualTo(1);
  }

  @Test
  void withoutMaxTokensTheWorstCaseIsTheModelsMaximumOutput() {
    // Fixtures.worstCase assumes 1,000 output tokens when max_tokens is unset: R$ 2.01
    BatchOptions o =
        BatchOptions.builder().budget(new BigDecimal("2.0")).returnExceptions(true).build();
    CompletableFuture<BatchResult> f = engine(server, clock).run(Fixtures.requests(1), o, null);
    runAll(clock);
    assertThat(f.join().get(0).error()).isInstanceOf(BudgetExceededException.class);
  }
}
