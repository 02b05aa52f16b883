package io.github.maritaca4j.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.ChatResult;
import io.github.maritaca4j.Message;
import io.github.maritaca4j.TestClocks;
import io.github.maritaca4j.errors.RateLimitException;
import io.github.maritaca4j.simulator.Latency;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import io.github.maritaca4j.simulator.RateLimit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Limits belong to the account (key + base URL), not to a batch or a client: every batch and single
 * call of every client on one account passes one limiter, batches take turns, single calls go
 * first. Over real HTTP against a simulator that enforces the limit and sends no rate-limit headers
 * (so only what the client was told paces it). Each test uses a key of its own, so no state is
 * shared between tests.
 */
class AccountLimitsTest {

  /**
   * Warms the HTTP client and the simulator up. On a cold JVM the first requests' connections take
   * long enough (class loading, threads) that requests paced at the client arrive bunched at the
   * server, which then sees more than its burst: a property of the first second of a JVM, not of
   * the limiter these tests are about.
   */
  @BeforeAll
  static void warmUp() throws Exception {
    try (MaritacaSimulator sim = MaritacaSimulator.builder().start()) {
      ChatMaritaca c =
          ChatMaritaca.builder()
              .baseUrl(sim.baseUrl())
              .apiKey("warm-up")
              .clock(TestClocks.peak())
              .build();
      c.batchAsync(questions("aquecimento", 60), 20).get(30, TimeUnit.SECONDS);
    }
  }

  private static MaritacaSimulator limited(long rpm, Duration burst) {
    return MaritacaSimulator.builder()
        .defaultRateLimit(RateLimit.rpm(rpm))
        .burst(burst)
        .rateLimitHeaders(false)
        .latency(Latency.fixed(Duration.ofMillis(20)))
        .start();
  }

  private static ChatMaritaca.Builder client(MaritacaSimulator sim, String key) {
    return ChatMaritaca.builder()
        .baseUrl(sim.baseUrl())
        .apiKey(key)
        .clock(TestClocks.peak())
        .retryBackoff(Duration.ofMillis(5), Duration.ofMillis(50));
  }

  private static List<List<Message>> questions(String tag, int n) {
    List<List<Message>> l = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      l.add(List.of(Message.user(tag + " pergunta " + i + "?")));
    }
    return l;
  }

  @Test
  void twoClientsOnOneKeyShareTheLimitsOneOfThemWasTold() throws Exception {
    try (MaritacaSimulator sim = limited(1200, Duration.ofMillis(500))) {
      String key = "k-" + UUID.randomUUID();
      ChatMaritaca told =
          client(sim, key)
              .rateLimits(RateLimits.rpm(1200).withBurst(Duration.ofMillis(500)))
              .build();
      ChatMaritaca other = client(sim, key).build(); // built separately, told nothing
      BatchOptions opts = BatchOptions.builder().maxConcurrency(20).returnExceptions(true).build();
      CompletableFuture<BatchResult> a = told.batchAsync(questions("a", 30), opts);
      CompletableFuture<BatchResult> b = other.batchAsync(questions("b", 30), opts);
      assertThat(a.get(30, TimeUnit.SECONDS).successCount()).isEqualTo(30);
      assertThat(b.get(30, TimeUnit.SECONDS).successCount()).isEqualTo(30);
      // 60 requests at 20 a second after a burst of 10: two batches each pacing to the full limit
      // alone would send about twice as fast as the server allows, and meet dozens of 429s
      // (a slow or loaded machine can bunch requests on the wire: a little room for that)
      assertThat(sim.statsWithoutLog().rateLimited()).isLessThanOrEqualTo(3);
      assertThat(sim.statsWithoutLog().ok()).isEqualTo(60);
    }
  }

  @Test
  void aDifferentKeyIsAnotherAccount() throws Exception {
    try (MaritacaSimulator sim = limited(1200, Duration.ofMillis(500))) {
      RateLimits limits = RateLimits.rpm(1200).withBurst(Duration.ofMillis(500));
      ChatMaritaca one = client(sim, "k-" + UUID.randomUUID()).rateLimits(limits).build();
      ChatMaritaca two = client(sim, "k-" + UUID.randomUUID()).rateLimits(limits).build();
      BatchOptions opts =
          BatchOptions.builder()
              .maxConcurrency(20)
              .returnExceptions(true)
              .maxRateLimitRetries(50)
              .build();
      CompletableFuture<BatchResult> a = one.batchAsync(questions("a", 30), opts);
      CompletableFuture<BatchResult> b = two.batchAsync(questions("b", 30), opts);
      a.get(60, TimeUnit.SECONDS);
      b.get(60, TimeUnit.SECONDS);
      // this simulator counts every key against one limit, so two accounts that each believe they
      // own it collide: the contrast that shows the test above shares
      assertThat(sim.statsWithoutLog().rateLimited()).isGreaterThan(5);
    }
  }

  @Test
  void aLaterSmallBatchTakesTurnsInsteadOfWaitingForTheBigOne() throws Exception {
    try (MaritacaSimulator sim = limited(1200, Duration.ofMillis(500))) {
      ChatMaritaca c =
          client(sim, "k-" + UUID.randomUUID())
              .rateLimits(RateLimits.rpm(1200).withBurst(Duration.ofMillis(500)))
              .build();
      List<String> order = Collections.synchronizedList(new ArrayList<>());
      AtomicInteger bigDone = new AtomicInteger();
      CompletableFuture<BatchResult> big =
          c.batchAsync(
              questions("grande", 80),
              BatchOptions.builder()
                  .maxConcurrency(20)
                  .listener(
                      new BatchListener() {
                        @Override
                        public void onItemCompleted(BatchItem item) {
                          bigDone.incrementAndGet();
                          order.add("big");
                        }
                      })
                  .build());
      // start the small one once the big one is being paced (its burst is spent)
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (bigDone.get() < 15 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      int bigDoneAtStart = bigDone.get();
      CompletableFuture<BatchResult> small =
          c.batchAsync(
              questions("pequeno", 10),
              BatchOptions.builder()
                  .maxConcurrency(20)
                  .listener(
                      new BatchListener() {
                        @Override
                        public void onItemCompleted(BatchItem item) {
                          order.add("small");
                        }
                      })
                  .build());
      assertThat(small.get(30, TimeUnit.SECONDS).successCount()).isEqualTo(10);
      int bigDoneWhenSmallEnded = bigDone.get();
      assertThat(big.get(30, TimeUnit.SECONDS).successCount()).isEqualTo(80);
      // round robin: the small batch's 10 requests went out alternately with the big one's, so it
      // ended after about 10 more of the big one's (plus those in flight), not after all 80
      assertThat(bigDoneWhenSmallEnded - bigDoneAtStart).isLessThan(40);
      assertThat(bigDoneWhenSmallEnded).isLessThan(65);
      assertThat(sim.statsWithoutLog().rateLimited()).isLessThanOrEqualTo(3);
    }
  }

  @Test
  void aSingleCallGoesAheadOfAWaitingBatch() throws Exception {
    try (MaritacaSimulator sim = limited(600, Duration.ofMillis(500))) {
      ChatMaritaca c =
          client(sim, "k-" + UUID.randomUUID())
              .rateLimits(RateLimits.rpm(600).withBurst(Duration.ofMillis(500)))
              .build();
      AtomicInteger batchDone = new AtomicInteger();
      CompletableFuture<BatchResult> batch =
          c.batchAsync(
              questions("lote", 40),
              BatchOptions.builder()
                  .maxConcurrency(20)
                  .listener(
                      new BatchListener() {
                        @Override
                        public void onItemCompleted(BatchItem item) {
                          batchDone.incrementAndGet();
                        }
                      })
                  .build());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (batchDone.get() < 6 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      ChatResult r = c.invoke(List.of(Message.user("Qual é a capital do Brasil?")));
      int doneThen = batchDone.get();
      assertThat(r.content()).isNotBlank();
      // at 10 a second, the 34 or so batch items still waiting would take over 3 s; the call went
      // at the next free slot, ahead of them
      assertThat(doneThen).isLessThan(20);
      assertThat(batch.get(30, TimeUnit.SECONDS).successCount()).isEqualTo(40);
      assertThat(sim.statsWithoutLog().rateLimited()).isLessThanOrEqualTo(3);
    }
  }

  @Test
  void toldNothingAndGivenNoHeadersTheClientLearnsTheRateFromThe429s() throws Exception {
    // 1,200 RPM, a 1 s burst (20 requests), no rate-limit headers: nothing says the limit
    try (MaritacaSimulator sim = limited(1200, Duration.ofSeconds(1))) {
      ChatMaritaca c = client(sim, "k-" + UUID.randomUUID()).build();
      BatchOptions opts = BatchOptions.builder().maxConcurrency(30).returnExceptions(true).build();
      BatchResult first = c.batchAsync(questions("primeiro", 80), opts).get(60, TimeUnit.SECONDS);
      assertThat(first.successCount()).isEqualTo(80);
      long learning = sim.statsWithoutLog().rateLimited();
      // learning takes refusals: a paced first wave stops a few after the first (how few depends
      // on how fast the refusal comes back: a loaded machine is slower), and a second refusal a
      // second or more later measures the rate
      assertThat(learning).isBetween(2L, 20L);
      BatchResult second = c.batchAsync(questions("segundo", 60), opts).get(60, TimeUnit.SECONDS);
      assertThat(second.successCount()).isEqualTo(60);
      // the account's lane keeps the measured rate: the second batch is paced from its start
      assertThat(sim.statsWithoutLog().rateLimited() - learning).isLessThanOrEqualTo(2);
      assertThat(sim.statsWithoutLog().ok()).isEqualTo(140);
    }
  }

  @Test
  void aSingleCallThatCannotBeAdmittedInItsTimeoutIsNeverSent() throws Exception {
    try (MaritacaSimulator sim = limited(60, Duration.ofSeconds(1))) {
      ChatMaritaca c =
          client(sim, "k-" + UUID.randomUUID())
              .rateLimits(RateLimits.rpm(60).withBurst(Duration.ofSeconds(1)))
              .timeout(Duration.ofMillis(300))
              .build();
      c.invoke(List.of(Message.user("primeira"))); // spends the one-request burst
      assertThatThrownBy(() -> c.invoke(List.of(Message.user("segunda"))))
          .isInstanceOfSatisfying(
              RateLimitException.class,
              e -> {
                assertThat(e.wasSent()).isFalse();
                assertThat(e.errorCode()).isEqualTo(RateLimitException.NOT_ADMITTED);
                assertThat(e.isRetryable()).isFalse();
                assertThat(e.getMessage()).contains("never sent");
              });
      assertThat(sim.statsWithoutLog().requests()).isEqualTo(1);
    }
  }
}
