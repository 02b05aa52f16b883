package io.github.maritaca4j.batch;

import static io.github.maritaca4j.batch.Fixtures.engine;
import static io.github.maritaca4j.batch.Fixtures.requests;
import static io.github.maritaca4j.batch.Fixtures.runAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.maritaca4j.internal.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Client-side pacing, the 429 pause and burst learning, exact in virtual time. */
class RateLimiterTest {
  private final ManualClock clock = new ManualClock();
  private final long t0 = clock.nanoTime();
  private final FakeServer server = new FakeServer(clock).latency(Duration.ofMillis(100));

  private static final Duration SIX_SECONDS = Duration.ofSeconds(6);

  private BatchResult run(int n, BatchOptions options) {
    CompletableFuture<BatchResult> f = engine(server, clock).run(requests(n), options, null);
    runAll(clock);
    return f.join();
  }

  private static BatchOptions limits(RateLimits limits, int concurrency) {
    return BatchOptions.builder().maxConcurrency(concurrency).rateLimits(limits).build();
  }

  @Test
  void pacesRequestsPerMinuteExactlyAfterUsingTheBurst() {
    server.limits(60, 0, 0, SIX_SECONDS);
    BatchResult r = run(10, limits(RateLimits.rpm(60).withBurst(SIX_SECONDS), 10));
    // a bucket of 6 (6 s at 1/s), started 50 ms short (the margin: the server's refill starts
    // with the first arrival): five at once, the sixth at 50 ms, then one a second
    assertThat(server.sendMillis(t0))
        .containsExactly(0L, 0L, 0L, 0L, 0L, 50L, 1050L, 2050L, 3050L, 4050L);
    assertThat(server.rateLimited()).isZero();
    assertThat(r.rateLimitedCount()).isZero();
  }

  @Test
  void pacesInputTokensPerMinute() {
    server.limits(0, 600, 0, SIX_SECONDS); // 10 tokens/s, bucket 60; each request is 10 tokens
    run(8, limits(RateLimits.of(0, 600, 0).withBurst(SIX_SECONDS), 10));
    assertThat(server.sendMillis(t0)).containsExactly(0L, 0L, 0L, 0L, 0L, 50L, 1050L, 2050L);
    assertThat(server.rateLimited()).isZero();
  }

  @Test
  void settlesInputTokensWithTheActualUsage() {
    // the client estimates 10 tokens a request but the server counts 12: answers settle the
    // difference and teach the ratio, so the pace follows the real count (12 tokens at 10/s)
    server.limits(0, 600, 0, SIX_SECONDS).promptTokens(r -> 12);
    BatchResult r = run(40, limits(RateLimits.of(0, 600, 0).withBurst(SIX_SECONDS), 1));
    assertThat(r.allSucceeded()).isTrue();
    List<Long> t = server.sendMillis(t0);
    assertThat(t.get(t.size() - 1) - t.get(t.size() - 2)).isBetween(1150L, 1250L);
    assertThat(server.rateLimited()).isLessThanOrEqualTo(2);
  }

  @Test
  void reservesOutputTokensAndRefundsWhatWasNotGenerated() {
    server.limits(0, 0, 600, SIX_SECONDS); // 10 tokens/s, bucket 60
    run(2, limits(RateLimits.of(0, 0, 600).withBurst(SIX_SECONDS), 10).toBuilder().build());
    // without max_tokens a request reserves the model's maximum (capped at a minute's worth, 600),
    // admitted when the bucket is full (at 50 ms, after the start margin); its answer (5 tokens,
    // at 150 ms) refunds 595, leaving 56; 4 more take 400 ms
    List<Long> t = server.sendMillis(t0);
    assertThat(t).containsExactly(50L, 550L);
  }

  @Test
  void reservesMaxTokensOfOutput() {
    server.limits(0, 0, 600, SIX_SECONDS);
    CompletableFuture<BatchResult> f =
        engine(server, clock)
            .run(
                Fixtures.requests(3, 20),
                limits(RateLimits.of(0, 0, 600).withBurst(SIX_SECONDS), 10),
                null);
    runAll(clock);
    f.join();
    // 3 × 20 = 60 fit the bucket but for the 0.5-token start margin: the third waits 50 ms
    assertThat(server.sendMillis(t0)).containsExactly(0L, 0L, 50L);
  }

  @Test
  void afterA429TheWholeBatchResumesInStepWithTheServer() {
    // the client believes 60 RPM with a 10 s burst; the server has a 6 s burst and says so by
    // 429: the client pauses for the hint and then paces exactly one a second, no more 429s
    server.limits(60, 0, 0, SIX_SECONDS);
    BatchResult r = run(20, limits(RateLimits.rpm(60).withBurst(Duration.ofSeconds(10)), 20));
    assertThat(r.allSucceeded()).isTrue();
    assertThat(server.rateLimited()).isBetween(1, 5);
    List<Long> t = server.sendMillis(t0);
    List<Long> gaps = new ArrayList<>();
    for (int i = t.size() - 8; i < t.size(); i++) {
      gaps.add(t.get(i) - t.get(i - 1));
    }
    assertThat(gaps).allSatisfy(g -> assertThat(g).isBetween(950L, 1100L));
  }

  @Test
  void learnsAnUnknownBurstFromTheFirst429WithFewRejections() {
    // 600 RPM = 10/s, server burst 6 s = 60 requests; the floor is (300 - 60) / 10 = 24 s
    server.limits(600, 0, 0, SIX_SECONDS).latency(Duration.ofMillis(200));
    BatchResult r = run(300, limits(RateLimits.rpm(600), 50));
    assertThat(r.allSucceeded()).isTrue();
    assertThat(server.rateLimited()).isLessThanOrEqualTo(3);
    assertThat(r.wallTime()).isLessThan(Duration.ofMillis((long) (24_000 * 1.03) + 200));
  }

  @Test
  void withUnknownLimitsAdaptiveConcurrencyBacksOffOn429s() {
    server.limits(600, 0, 0, Duration.ofSeconds(1)).latency(Duration.ofMillis(200));
    List<Integer> limits = new ArrayList<>();
    BatchOptions o =
        BatchOptions.builder()
            .maxConcurrency(20)
            .listener(
                new BatchListener() {
                  @Override
                  public void onProgress(BatchProgress p) {
                    limits.add(p.concurrencyLimit());
                  }
                })
            .build();
    BatchResult r = run(200, o);
    assertThat(r.allSucceeded()).isTrue();
    assertThat(limits).anySatisfy(l -> assertThat(l).isLessThan(20));
    // it finishes near the limit: 200 at 10/s with a 10-request burst is at least 19 s
    assertThat(r.wallTime()).isLessThan(Duration.ofSeconds(25));
  }

  @Test
  void withoutRejectionsAdaptiveConcurrencyStaysAtTheCap() {
    List<Integer> limits = new ArrayList<>();
    BatchOptions o =
        BatchOptions.builder()
            .maxConcurrency(7)
            .listener(
                new BatchListener() {
                  @Override
                  public void onProgress(BatchProgress p) {
                    limits.add(p.concurrencyLimit());
                  }
                })
            .build();
    run(50, o);
    assertThat(limits).hasSize(50).containsOnly(7);
    assertThat(server.maxInFlight()).isEqualTo(7);
  }

  @Test
  void withoutAHintTheSharedPauseIsTheBackoff() {
    server.limits(60, 0, 0, Duration.ofSeconds(1)).hint(FakeServer.Hint.NONE);
    BatchResult r = run(3, BatchOptions.builder().maxConcurrency(3).adaptive(false).build());
    assertThat(r.allSucceeded()).isTrue();
    // the bucket holds one: 1 and 2 are refused at once; the batch pauses for backoff(1) = 75 ms,
    // then again (backoff(2) = 150 ms) until the server has a token at 1 s
    assertThat(server.rateLimited()).isPositive();
    assertThat(server.sent().get(0).atNanos()).isEqualTo(t0);
  }
}
