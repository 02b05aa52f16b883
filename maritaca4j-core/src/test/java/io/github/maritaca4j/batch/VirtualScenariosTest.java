package io.github.maritaca4j.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.maritaca4j.internal.ManualClock;
import io.github.maritaca4j.internal.batch.BatchEngine;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The performance scenarios in virtual time (exact, deterministic): the engine's admission logic
 * alone, without HTTP or scheduling noise. {@code EngineScenarios} runs the same against the
 * simulator over real HTTP.
 */
class VirtualScenariosTest {

  record Outcome(Duration wall, int rateLimited, int requests, int failed) {}

  static Outcome run(
      int n,
      int concurrency,
      Duration latency,
      FakeServer.Hint hint,
      long rpm,
      long tpmIn,
      long tpmOut,
      RateLimits clientLimits,
      long promptTokens,
      int maxTokens,
      long completionTokens) {
    ManualClock clock = new ManualClock();
    FakeServer server =
        new FakeServer(clock)
            .latency(latency)
            .hint(hint)
            .limits(rpm, tpmIn, tpmOut, Duration.ofSeconds(6))
            .promptTokens(r -> promptTokens)
            .completionTokens(r -> completionTokens);
    BatchEngine engine =
        new BatchEngine(
            new io.github.maritaca4j.internal.batch.BatchEnv(
                server,
                Fixtures.POLICY,
                clock,
                Runnable::run,
                r -> promptTokens,
                Fixtures::worstCase,
                (r, u) -> Fixtures.cost(u),
                m -> 32_768));
    BatchOptions o =
        BatchOptions.builder()
            .maxConcurrency(concurrency)
            .rateLimits(clientLimits)
            .returnExceptions(true)
            .build();
    CompletableFuture<BatchResult> f =
        engine.run(maxTokens > 0 ? Fixtures.requests(n, maxTokens) : Fixtures.requests(n), o, null);
    Fixtures.runAll(clock);
    BatchResult r = f.join();
    return new Outcome(r.wallTime(), server.rateLimited(), server.requests(), r.failureCount());
  }

  static void report(String name, Outcome o, double floorSeconds) {
    System.out.printf(
        "%-40s wall %7.3f s  floor %7.3f s  (%+.2f %%)  429s %d  requests %d  failed %d%n",
        name,
        o.wall().toNanos() / 1e9,
        floorSeconds,
        100 * (o.wall().toNanos() / 1e9 / floorSeconds - 1),
        o.rateLimited(),
        o.requests(),
        o.failed());
  }

  @ParameterizedTest
  @EnumSource(FakeServer.Hint.class)
  void rateBoundFinishesNearTheFloorWithFew429s(FakeServer.Hint hint) {
    // 1,200 RPM = 20/s, server burst 6 s = 120 requests: floor (600 - 120) / 20 = 24 s
    Outcome o =
        run(600, 50, Duration.ofMillis(200), hint, 1200, 0, 0, RateLimits.rpm(1200), 10, 0, 5);
    report("rate-bound, burst unknown, " + hint, o, 24);
    assertThat(o.failed()).isZero();
    assertThat(o.rateLimited()).isLessThan(6);
    assertThat(o.wall().toMillis()).isLessThan((long) (24_000 * 1.03));
  }

  @ParameterizedTest
  @EnumSource(FakeServer.Hint.class)
  void inputTokenBoundFinishesNearTheFloor(FakeServer.Hint hint) {
    // 120,000 TPM-in = 2,000/s, 100 tokens each = 20/s; burst 6 s = 12,000 tokens = 120 requests
    Outcome o =
        run(
            600,
            50,
            Duration.ofMillis(200),
            hint,
            0,
            120_000,
            0,
            RateLimits.of(0, 120_000, 0),
            100,
            0,
            5);
    report("TPM-in-bound, burst unknown, " + hint, o, 24);
    assertThat(o.failed()).isZero();
    assertThat(o.rateLimited()).isLessThan(6);
    assertThat(o.wall().toMillis()).isLessThan((long) (24_000 * 1.03));
  }

  @ParameterizedTest
  @EnumSource(FakeServer.Hint.class)
  void outputTokenBoundFinishesNearTheFloor(FakeServer.Hint hint) {
    // 60,000 TPM-out = 1,000/s; max_tokens 100, 50 generated: reservations are refunded on
    // answer, so the long-run cost is 50 a request = 20/s... but each must reserve 100 first
    Outcome o =
        run(
            600,
            50,
            Duration.ofMillis(200),
            hint,
            0,
            0,
            60_000,
            RateLimits.of(0, 0, 60_000),
            10,
            100,
            50);
    // floor: the server's bucket (6,000) holds 60 reservations; after that each answer frees 50
    // of its 100 after 200 ms; the long-run rate is 1,000/s / 50 = 20/s
    report("TPM-out-bound, burst unknown, " + hint, o, (600 - 120) / 20.0);
    assertThat(o.failed()).isZero();
    assertThat(o.rateLimited()).isLessThan(6);
  }

  @ParameterizedTest
  @EnumSource(FakeServer.Hint.class)
  void unknownLimitsStillFinishEverything(FakeServer.Hint hint) {
    Outcome o =
        run(600, 50, Duration.ofMillis(200), hint, 1200, 0, 0, RateLimits.UNKNOWN, 10, 0, 5);
    report("rate-bound, limits unknown, " + hint, o, 24);
    assertThat(o.failed()).isZero();
  }

  @org.junit.jupiter.api.Test
  void concurrencyBoundIsExactlyNTimesLOverC() {
    Outcome o =
        run(
            2000,
            50,
            Duration.ofMillis(200),
            FakeServer.Hint.NONE,
            0,
            0,
            0,
            RateLimits.UNKNOWN,
            10,
            0,
            5);
    report("concurrency-bound", o, 8);
    assertThat(o.wall()).isEqualTo(Duration.ofSeconds(8));
  }

  @org.junit.jupiter.api.Test
  void knownBurstGivesTheFloorWithNo429() {
    Outcome o =
        run(
            600,
            50,
            Duration.ofMillis(200),
            FakeServer.Hint.SECONDS,
            1200,
            0,
            0,
            RateLimits.rpm(1200).withBurst(Duration.ofSeconds(6)),
            10,
            0,
            5);
    report("rate-bound, burst known", o, 24);
    assertThat(o.rateLimited()).isZero();
    assertThat(o.wall().toMillis()).isLessThanOrEqualTo(24_000 + 300);
  }
}
