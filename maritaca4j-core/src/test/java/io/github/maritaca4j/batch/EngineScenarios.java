package io.github.maritaca4j.batch;

import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.Message;
import io.github.maritaca4j.TestClocks;
import io.github.maritaca4j.simulator.Latency;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import io.github.maritaca4j.simulator.RateLimit;
import io.github.maritaca4j.simulator.RetryHint;
import io.github.maritaca4j.simulator.SimulatorStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The performance scenarios of issue #4 against the simulator over real HTTP, until the bench
 * module takes them over. Run with:
 *
 * <pre>
 * mvn -pl maritaca4j-core test-compile exec:java ... or from the IDE: EngineScenarios.main
 * </pre>
 *
 * Targets: concurrency-bound within 2 % of N×L/C; rate- and TPM-bound within 3 % of the floor (N −
 * server burst) / rate, nothing failed, 429s under 1 % of requests.
 */
public final class EngineScenarios {
  private EngineScenarios() {}

  static final Duration LATENCY = Duration.ofMillis(200);

  public static void main(String[] args) throws Exception {
    String only = args.length > 0 ? args[0] : "all";
    if (only.equals("all") || only.equals("concurrency")) {
      concurrencyBound();
    }
    if (only.equals("all") || only.equals("rate")) {
      rateBound(null, RetryHint.SECONDS);
      rateBound(null, RetryHint.MILLIS);
      rateBound(null, RetryHint.NONE);
      rateBound(Duration.ofSeconds(6), RetryHint.SECONDS);
    }
    if (only.equals("all") || only.equals("tpm")) {
      tpmInBound();
    }
    if (only.equals("all") || only.equals("unknown")) {
      unknownLimits();
    }
  }

  /** A client at noon in Brasília, so runs at any hour price alike. */
  static ChatMaritaca client(MaritacaSimulator sim) {
    return ChatMaritaca.builder()
        .baseUrl(sim.baseUrl())
        .apiKey("test-key")
        .clock(TestClocks.peak())
        .build();
  }

  static List<List<Message>> inputs(int n, int words) {
    List<List<Message>> l = new ArrayList<>(n);
    StringBuilder filler = new StringBuilder();
    for (int i = 0; i < words; i++) {
      filler.append(" palavra");
    }
    for (int i = 0; i < n; i++) {
      l.add(List.of(Message.user("Pergunta " + i + ":" + filler)));
    }
    return l;
  }

  static void concurrencyBound() throws Exception {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder().latency(Latency.fixed(LATENCY)).start()) {
      ChatMaritaca c = client(sim);
      for (int i = 0; i < 3; i++) {
        c.batchAsync(inputs(500, 1), 50).join(); // warm-up: connections, JIT
      }
      sim.reset();
      BatchResult r = c.batchAsync(inputs(2000, 1), BatchOptions.withConcurrency(50)).join();
      report("concurrency-bound C=50 L=200ms N=2000", r, sim.statsWithoutLog(), 2000 * 0.2 / 50);
    }
  }

  static void rateBound(Duration knownBurst, RetryHint hint) throws Exception {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder()
            .latency(Latency.fixed(LATENCY))
            .rateLimit("sabia-4", RateLimit.rpm(1200))
            .retryHint(hint)
            .start()) {
      ChatMaritaca c = client(sim);
      RateLimits limits =
          knownBurst == null ? RateLimits.rpm(1200) : RateLimits.rpm(1200).withBurst(knownBurst);
      BatchResult r =
          c.batchAsync(
                  inputs(600, 1),
                  BatchOptions.builder()
                      .maxConcurrency(50)
                      .rateLimits(limits)
                      .returnExceptions(true)
                      .build())
              .join();
      // server bucket: 1,200 × 6 s / 60 s = 120; floor (600 − 120) / 20 per s = 24 s
      report(
          "rate-bound 1200 RPM C=50 N=600 burst "
              + (knownBurst == null ? "unknown" : "known")
              + " hint "
              + hint,
          r,
          sim.statsWithoutLog(),
          24.0);
    }
  }

  static void tpmInBound() throws Exception {
    long tpmIn = 300_000;
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder()
            .latency(Latency.fixed(LATENCY))
            .rateLimit("sabia-4", RateLimit.of(0, tpmIn, 0))
            .start()) {
      ChatMaritaca c = client(sim);
      BatchResult r =
          c.batchAsync(
                  inputs(600, 200),
                  BatchOptions.builder()
                      .maxConcurrency(50)
                      .rateLimits(RateLimits.of(0, tpmIn, 0))
                      .returnExceptions(true)
                      .build())
              .join();
      SimulatorStats s = sim.statsWithoutLog();
      double floor = (s.promptTokens() - tpmIn / 10.0) / (tpmIn / 60.0);
      report("TPM-in-bound 300k TPM C=50 N=600", r, s, floor);
    }
  }

  static void unknownLimits() throws Exception {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder()
            .latency(Latency.fixed(LATENCY))
            .rateLimit("sabia-4", RateLimit.rpm(1200))
            .start()) {
      BatchResult r =
          client(sim)
              .batchAsync(
                  inputs(600, 1),
                  BatchOptions.builder().maxConcurrency(50).returnExceptions(true).build())
              .join();
      report("rate-bound 1200 RPM limits unknown", r, sim.statsWithoutLog(), 24.0);
    }
  }

  static void report(String name, BatchResult r, SimulatorStats s, double ideal) {
    double wall = r.wallTime().toNanos() / 1e9;
    System.out.println(
        String.format(
            Locale.ROOT,
            "%-58s wall %7.3f s  ideal %7.3f s (%+6.2f %%)  failed %d  429s %d (%.2f %%)  max in"
                + " flight %d",
            name,
            wall,
            ideal,
            100 * (wall / ideal - 1),
            r.failureCount(),
            s.rateLimited(),
            100.0 * s.rateLimited() / r.size(),
            s.maxInFlight()));
  }
}
