package io.github.maritaca4j.batch;

import static io.github.maritaca4j.batch.Fixtures.engine;
import static io.github.maritaca4j.batch.Fixtures.requests;
import static io.github.maritaca4j.batch.Fixtures.runAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.maritaca4j.internal.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Learning limits from the answers' {@code x-ratelimit-*} headers, exact in virtual time. */
class HeaderLearningTest {
  private final ManualClock clock = new ManualClock();
  private final long t0 = clock.nanoTime();
  private final FakeServer server = new FakeServer(clock).latency(Duration.ofMillis(200));

  private static final Duration SIX_SECONDS = Duration.ofSeconds(6);

  private BatchResult run(List<io.github.maritaca4j.ChatRequest> reqs, BatchOptions options) {
    CompletableFuture<BatchResult> f = engine(server, clock).run(reqs, options, null);
    runAll(clock);
    return f.join();
  }

  private static BatchOptions options(RateLimits limits, int concurrency, boolean learn) {
    return BatchOptions.builder()
        .maxConcurrency(concurrency)
        .rateLimits(limits)
        .learnFromHeaders(learn)
        .build();
  }

  private long lastSendMillis() {
    List<Long> t = server.sendMillis(t0);
    return t.get(t.size() - 1);
  }

  @Test
  void unknownRequestLimitIsLearnedFromTheFirstAnswersWithoutA429() {
    // 600 RPM = 10/s with a 6 s burst (60); 300 requests: the floor is (300 - 60) / 10 = 24 s
    server.limits(600, 0, 0, SIX_SECONDS).headers(true);
    BatchResult r = run(requests(300), options(RateLimits.UNKNOWN, 50, true));
    assertThat(r.allSucceeded()).isTrue();
    assertThat(server.rateLimited()).isZero();
    assertThat(lastSendMillis()).isBetween(23_000L, 24_500L);
  }

  @Test
  void withoutHeadersTheSameRunMeets429s() {
    // the control for the test above: the same server, headers ignored
    server.limits(600, 0, 0, SIX_SECONDS).headers(true);
    BatchResult r = run(requests(300), options(RateLimits.UNKNOWN, 50, false));
    assertThat(r.allSucceeded()).isTrue();
    assertThat(server.rateLimited()).isPositive();
  }

  @Test
  void aKnownLimitWithUnknownBurstLearnsTheBurstWithoutProbing() {
    // the server's burst (10 s = 100) is larger than the 6 s the client assumes; without headers
    // the client would probe beyond 60 at a slower pace; the first answers give it exactly
    server.limits(600, 0, 0, Duration.ofSeconds(10)).headers(true);
    BatchResult r = run(requests(200), options(RateLimits.rpm(600), 50, true));
    assertThat(r.allSucceeded()).isTrue();
    assertThat(server.rateLimited()).isZero();
    // 100 in the first 200 ms, then 10 a second: the last of 200 leaves at (200 - 100) / 10 = 10 s
    assertThat(lastSendMillis()).isBetween(9_500L, 10_500L);
  }

  @Test
  void aConfiguredLimitAboveTheServersIsLowered() {
    // the caller believes 1,200 RPM; the server enforces 600 and says so
    server.limits(600, 0, 0, SIX_SECONDS).headers(true);
    BatchResult r =
        run(
            requests(200),
            options(RateLimits.rpm(1_200).withBurst(Duration.ofSeconds(1)), 50, true));
    assertThat(r.allSucceeded()).isTrue();
    assertThat(server.rateLimited()).isLessThanOrEqualTo(1);
  }

  @Test
  void unknownInputTokenLimitIsLearnedFromTheTokenHeaders() {
    // 600 input tokens a minute, 10 a request (so 60 RPM in effect), 6 s burst = 6 requests
    server.limits(0, 600, 0, SIX_SECONDS).headers(true);
    BatchResult r = run(requests(30), options(RateLimits.UNKNOWN, 5, true));
    assertThat(r.allSucceeded()).isTrue();
    assertThat(server.rateLimited()).isZero();
    assertThat(lastSendMillis()).isBetween(23_000L, 24_500L);
  }
}
