package io.github.maritaca4j.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.ChatRequest;
import io.github.maritaca4j.ChatResult;
import io.github.maritaca4j.Message;
import io.github.maritaca4j.TestClocks;
import io.github.maritaca4j.Usage;
import io.github.maritaca4j.cost.PricingMode;
import io.github.maritaca4j.errors.BadRequestException;
import io.github.maritaca4j.errors.BudgetExceededException;
import io.github.maritaca4j.errors.NotFoundException;
import io.github.maritaca4j.simulator.Faults;
import io.github.maritaca4j.simulator.Latency;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import io.github.maritaca4j.simulator.RateLimit;
import io.github.maritaca4j.simulator.RetryHint;
import io.github.maritaca4j.simulator.SimulatorStats;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The batch API over real HTTP against the simulator: real concurrency, real 429s. */
class BatchSimulatorTest {
  static final String[] COUNTRIES = {"Brazil", "Argentina", "Chile", "Peru", "Colombia"};
  static final String[] CAPITALS = {"Brasília", "Buenos Aires", "Santiago", "Lima", "Bogotá"};

  /** A client at noon in Brasília: answers are priced at standard rates whenever the test runs. */
  static ChatMaritaca client(MaritacaSimulator sim) {
    return ChatMaritaca.builder()
        .baseUrl(sim.baseUrl())
        .apiKey("test-key")
        .retryBackoff(Duration.ofMillis(5), Duration.ofMillis(50))
        .clock(TestClocks.peak())
        .build();
  }

  static List<List<Message>> questions(int n) {
    List<List<Message>> l = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      l.add(List.of(Message.user("What is the capital of " + COUNTRIES[i % 5] + "?")));
    }
    return l;
  }

  static List<List<Message>> numbered(int n) {
    List<List<Message>> l = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      l.add(List.of(Message.user("Escreva uma frase sobre o número " + i + ".")));
    }
    return l;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 5, 50})
  void neverHasMoreThanTheCapInFlight(int cap) throws Exception {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder().latency(Latency.fixed(Duration.ofMillis(60))).start()) {
      int n = cap == 1 ? 8 : cap * 3;
      List<ChatResult> results = client(sim).batchAsync(numbered(n), cap).get(30, TimeUnit.SECONDS);
      assertThat(results).hasSize(n);
      SimulatorStats s = sim.statsWithoutLog();
      assertThat(s.requests()).isEqualTo(n);
      assertThat(s.maxInFlight()).isLessThanOrEqualTo(cap);
      assertThat(s.maxInFlight()).isGreaterThan(cap / 2);
    }
  }

  @Test
  void keepsInputOrderUnderJitteredLatency() throws Exception {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder()
            .latency(Latency.of(Duration.ofMillis(10), Duration.ZERO, 1.0))
            .seed(7)
            .start()) {
      List<ChatResult> results =
          client(sim).batchAsync(questions(40), 10).get(30, TimeUnit.SECONDS);
      for (int i = 0; i < 40; i++) {
        assertThat(results.get(i).content()).contains(CAPITALS[i % 5]);
      }
    }
  }

  @Test
  void atTwiceTheRpmLimitFinishesEverythingWithFew429s() throws Exception {
    // 1,200 RPM (20/s) with the server's default burst (6 s = 120); the batch could go at
    // 4 / 100 ms = 40/s, twice the limit. Floor: (160 - 120) / 20 = 2 s
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder()
            .latency(Latency.fixed(Duration.ofMillis(100)))
            .rateLimit("sabia-4", RateLimit.rpm(1200))
            .retryHint(RetryHint.MILLIS)
            .start()) {
      BatchOptions o =
          BatchOptions.builder().maxConcurrency(4).rateLimits(RateLimits.rpm(1200)).build();
      BatchResult r = client(sim).batchAsync(numbered(160), o).get(30, TimeUnit.SECONDS);
      assertThat(r.allSucceeded()).isTrue();
      SimulatorStats s = sim.statsWithoutLog();
      assertThat(s.ok()).isEqualTo(160);
      assertThat(s.rateLimited()).isLessThanOrEqualTo(3);
      assertThat(r.rateLimitedCount()).isEqualTo(s.rateLimited());
      assertThat(r.wallTime()).isGreaterThan(Duration.ofMillis(1900));
    }
  }

  @Test
  void learnsASmallerServerBurstFromTheFirst429s() throws Exception {
    // the server's burst is 1 s (20 requests), less than the 6 s the engine assumes: the first
    // 429s teach it, and the rest of the batch is paced without more
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder()
            .latency(Latency.fixed(Duration.ofMillis(50)))
            .rateLimit("sabia-4", RateLimit.rpm(1200))
            .burst(Duration.ofSeconds(1))
            .retryHint(RetryHint.MILLIS)
            .start()) {
      BatchOptions o =
          BatchOptions.builder()
              .maxConcurrency(10)
              .rateLimits(RateLimits.rpm(1200))
              .learnFromHeaders(false) // what the 429s alone teach
              .build();
      BatchResult r = client(sim).batchAsync(numbered(60), o).get(30, TimeUnit.SECONDS);
      assertThat(r.allSucceeded()).isTrue();
      SimulatorStats s = sim.stats();
      assertThat(s.ok()).isEqualTo(60);
      assertThat(s.rateLimited()).isLessThanOrEqualTo(12);
      long first = s.log().get(0).arrivalNanos();
      assertThat(s.log())
          .filteredOn(rec -> rec.status() == 429)
          .allSatisfy(rec -> assertThat(rec.arrivalNanos() - first).isLessThan(1_500_000_000L));
    }
  }

  @Test
  void withUnknownLimitsFinishesEverythingOn429s() throws Exception {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder()
            .latency(Latency.fixed(Duration.ofMillis(50)))
            .rateLimit("sabia-4", RateLimit.rpm(1200))
            .burst(Duration.ofSeconds(1))
            .retryHint(RetryHint.SECONDS)
            .start()) {
      BatchResult r =
          client(sim)
              .batchAsync(
                  numbered(60),
                  BatchOptions.builder().maxConcurrency(10).learnFromHeaders(false).build())
              .get(30, TimeUnit.SECONDS);
      assertThat(r.allSucceeded()).isTrue();
      assertThat(sim.statsWithoutLog().ok()).isEqualTo(60);
    }
  }

  @Test
  void withUnknownLimitsLearnsThemFromTheRateLimitHeaders() throws Exception {
    // the same server as above, headers read: the first answers give the limit (1,200 RPM) and
    // the burst (remaining + reset x rate = 20), so the batch is paced from then on without 429s
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder()
            .latency(Latency.fixed(Duration.ofMillis(50)))
            .rateLimit("sabia-4", RateLimit.rpm(1200))
            .burst(Duration.ofSeconds(1))
            .retryHint(RetryHint.SECONDS)
            .start()) {
      ChatMaritaca c = client(sim);
      ChatResult one = c.invoke(List.of(Message.user("Olá")));
      assertThat(one.rateLimitStatus()).isPresent();
      assertThat(one.rateLimitStatus().get().requestsPerMinute()).hasValue(1200);
      ChatResult streamed =
          c.stream(List.of(Message.user("Olá")), new io.github.maritaca4j.StreamHandler() {})
              .get(10, TimeUnit.SECONDS);
      assertThat(streamed.rateLimitStatus().get().remainingRequests()).isBetween(0L, 20L);
      BatchResult r =
          c.batchAsync(numbered(80), BatchOptions.withConcurrency(10)).get(30, TimeUnit.SECONDS);
      assertThat(r.allSucceeded()).isTrue();
      SimulatorStats s = sim.statsWithoutLog();
      assertThat(s.ok()).isEqualTo(82);
      assertThat(s.rateLimited()).isLessThanOrEqualTo(2);
    }
  }

  @Test
  void finishesEveryItemDespiteFivePercentServerErrors() throws Exception {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder()
            .latency(Latency.fixed(Duration.ofMillis(5)))
            .faults(Faults.builder().serverErrorRate(0.05, 503).build())
            .start()) {
      BatchOptions o = BatchOptions.builder().maxConcurrency(10).maxAttempts(8).build();
      BatchResult r = client(sim).batchAsync(numbered(200), o).get(30, TimeUnit.SECONDS);
      assertThat(r.allSucceeded()).isTrue();
      SimulatorStats s = sim.statsWithoutLog();
      assertThat(s.faults("server_error")).isPositive();
      assertThat(s.ok()).isEqualTo(200);
      assertThat(r.items().stream().mapToInt(BatchItem::retries).sum())
          .isEqualTo((int) s.faults("server_error"));
    }
  }

  @Test
  void failFastStopsSending() throws Exception {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder().latency(Latency.fixed(Duration.ofMillis(20))).start()) {
      ChatMaritaca c = client(sim);
      List<ChatRequest> reqs = new ArrayList<>();
      for (List<Message> in : numbered(100)) {
        reqs.add(c.request(in).build());
      }
      reqs.set(6, c.request(reqs.get(6).messages()).model("no-such-model").build());
      CompletableFuture<BatchResult> f =
          c.batchRequestsAsync(reqs, BatchOptions.withConcurrency(3));
      assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(NotFoundException.class);
      // In-flight requests already handed to the HTTP client may still land; then nothing more.
      Thread.sleep(300);
      long sent = sim.statsWithoutLog().requests();
      Thread.sleep(300);
      assertThat(sim.statsWithoutLog().requests()).isEqualTo(sent).isLessThanOrEqualTo(10);
    }
  }

  @Test
  void returnExceptionsKeepsGoingPastPermanentErrors() throws Exception {
    try (MaritacaSimulator sim = MaritacaSimulator.builder().start()) {
      ChatMaritaca c = client(sim);
      List<String> seventeen = new ArrayList<>();
      for (int i = 0; i < 17; i++) {
        seventeen.add("stop" + i);
      }
      List<ChatRequest> reqs = new ArrayList<>();
      for (List<Message> in : numbered(20)) {
        reqs.add(c.request(in).build());
      }
      for (int bad : new int[] {3, 11}) {
        reqs.set(bad, reqs.get(bad).toBuilder().stop(seventeen).build()); // the server allows 16
      }
      BatchResult r =
          c.batchRequestsAsync(
                  reqs, BatchOptions.builder().maxConcurrency(4).returnExceptions(true).build())
              .get(30, TimeUnit.SECONDS);
      assertThat(r.failures()).extracting(BatchItem::index).containsExactly(3, 11);
      assertThat(r.failures())
          .allSatisfy(i -> assertThat(i.error()).isInstanceOf(BadRequestException.class));
      assertThat(r.successCount()).isEqualTo(18);
      assertThat(sim.statsWithoutLog().requests()).isEqualTo(20); // 400s are not retried
    }
  }

  /**
   * The engine reserves at standard prices and settles at the mode in force when each answer
   * arrives, so off-peak a budget buys more: the server's token count, priced at the window's mode,
   * must still fit.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.maritaca4j.TestClocks#windows")
  void neverSpendsMoreThanTheBudget(TestClocks.Window window) throws Exception {
    try (MaritacaSimulator sim = MaritacaSimulator.builder().start()) {
      ChatMaritaca c =
          ChatMaritaca.builder()
              .baseUrl(sim.baseUrl())
              .apiKey("k")
              .model("sabia-4")
              .maxTokens(50)
              .clock(window.clock())
              .build();
      BigDecimal budget = new BigDecimal("0.01");
      BatchResult r =
          c.batchAsync(
                  numbered(30),
                  BatchOptions.builder()
                      .maxConcurrency(5)
                      .budget(budget)
                      .returnExceptions(true)
                      .build())
              .get(30, TimeUnit.SECONDS);
      SimulatorStats s = sim.statsWithoutLog();
      BigDecimal serverSide =
          c.priceTable()
              .cost("sabia-4", Usage.of(s.promptTokens(), s.completionTokens()), window.mode())
              .total();
      assertThat(serverSide).isLessThanOrEqualTo(budget);
      assertThat(r.cost().total()).isEqualByComparingTo(serverSide);
      assertThat(r.cost().mode()).isEqualTo(window.mode());
      assertThat(r.successCount()).isPositive();
      assertThat(r.failures())
          .isNotEmpty()
          .allSatisfy(i -> assertThat(i.error()).isInstanceOf(BudgetExceededException.class));
      assertThat(s.requests()).isEqualTo(r.successCount());
    }
  }

  @Test
  void stopSequencesReachTheServer() throws Exception {
    try (MaritacaSimulator sim = MaritacaSimulator.builder().start()) {
      ChatMaritaca c = client(sim);
      List<List<Message>> q = List.of(List.of(Message.user("What is the capital of Brazil?")));
      BatchResult plain = c.batchAsync(q, BatchOptions.defaults()).get(10, TimeUnit.SECONDS);
      BatchResult stopped =
          c.batchAsync(q, BatchOptions.builder().stop(List.of("Brasília")).build())
              .get(10, TimeUnit.SECONDS);
      assertThat(plain.get(0).result().content()).contains("Brasília");
      assertThat(stopped.get(0).result().content()).doesNotContain("Brasília").isNotBlank();
    }
  }

  @Test
  void progressCountsOneToTotalExactlyOnce() {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder()
            .latency(Latency.of(Duration.ofMillis(5), Duration.ZERO, 0.8))
            .start()) {
      List<Integer> done = new ArrayList<>();
      List<Integer> totals = new ArrayList<>();
      List<ChatResult> results =
          client(sim)
              .batchWithProgress(
                  numbered(30),
                  4,
                  (completed, total, result) -> {
                    done.add(completed);
                    totals.add(total);
                  });
      assertThat(results).hasSize(30);
      List<Integer> expected = new ArrayList<>();
      for (int i = 1; i <= 30; i++) {
        expected.add(i);
      }
      assertThat(done).containsExactlyElementsOf(expected);
      assertThat(totals).containsOnly(30);
    }
  }

  @Test
  void cancellingStopsDispatch() throws Exception {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder().latency(Latency.fixed(Duration.ofMillis(50))).start()) {
      CountDownLatch three = new CountDownLatch(3);
      BatchOptions o =
          BatchOptions.builder()
              .maxConcurrency(5)
              .listener(
                  new BatchListener() {
                    @Override
                    public void onItemSucceeded(BatchItem item) {
                      three.countDown();
                    }
                  })
              .build();
      CompletableFuture<BatchResult> f = client(sim).batchAsync(numbered(200), o);
      assertThat(three.await(10, TimeUnit.SECONDS)).isTrue();
      f.cancel(true);
      // Requests already handed to the HTTP client when the batch was cancelled may still reach
      // the server; give them time to land, then nothing more may arrive.
      Thread.sleep(300);
      long sent = sim.statsWithoutLog().requests();
      Thread.sleep(500);
      assertThat(sim.statsWithoutLog().requests()).isEqualTo(sent).isLessThan(30);
    }
  }

  @Test
  void emptyInputSendsNothing() throws Exception {
    try (MaritacaSimulator sim = MaritacaSimulator.builder().start()) {
      assertThat(client(sim).batchAsync(List.of(), 3).get(5, TimeUnit.SECONDS)).isEmpty();
      assertThat(client(sim).batchWithProgress(List.of(), 3, null)).isEmpty();
      assertThat(sim.statsWithoutLog().requests()).isZero();
    }
  }

  /**
   * The summary's cost and the listener's running total are the server's token count priced at the
   * mode of the window the batch runs in.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.maritaca4j.TestClocks#windows")
  void streamsRequestsFromAnIterator(TestClocks.Window window) throws Exception {
    try (MaritacaSimulator sim = MaritacaSimulator.builder().start()) {
      ChatMaritaca c = client(sim).toBuilder().clock(window.clock()).build();
      List<Integer> indexes = Collections.synchronizedList(new ArrayList<>());
      List<BigDecimal> spent = Collections.synchronizedList(new ArrayList<>());
      List<PricingMode> itemModes = Collections.synchronizedList(new ArrayList<>());
      java.util.Iterator<ChatRequest> it =
          numbered(50).stream().map(in -> c.request(in).build()).iterator();
      BatchSummary s =
          c.batch(
                  it,
                  BatchOptions.builder()
                      .maxConcurrency(8)
                      .listener(
                          new BatchListener() {
                            @Override
                            public void onItemCompleted(BatchItem item) {
                              indexes.add(item.index());
                              itemModes.add(item.cost().mode());
                            }

                            @Override
                            public void onProgress(BatchProgress p) {
                              spent.add(p.spent());
                            }
                          })
                      .build())
              .get(30, TimeUnit.SECONDS);
      SimulatorStats stats = sim.statsWithoutLog();
      assertThat(s.succeeded()).isEqualTo(50);
      assertThat(s.usage().promptTokens()).isEqualTo(stats.promptTokens());
      assertThat(indexes).hasSize(50).doesNotHaveDuplicates();
      BigDecimal serverSide =
          c.priceTable()
              .cost(
                  "sabia-4",
                  Usage.of(stats.promptTokens(), stats.completionTokens()),
                  window.mode())
              .total();
      assertThat(s.cost().mode()).isEqualTo(window.mode());
      assertThat(s.cost().total()).isPositive().isEqualByComparingTo(serverSide);
      assertThat(itemModes).hasSize(50).containsOnly(window.mode());
      assertThat(spent).hasSize(50).isSortedAccordingTo(BigDecimal::compareTo);
      assertThat(spent.get(49)).isEqualByComparingTo(serverSide);
    }
  }
}
