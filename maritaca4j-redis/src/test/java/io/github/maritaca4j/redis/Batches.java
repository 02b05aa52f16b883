package io.github.maritaca4j.redis;

import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.Message;
import io.github.maritaca4j.batch.BatchOptions;
import io.github.maritaca4j.batch.RateLimits;
import io.github.maritaca4j.simulator.Latency;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import io.github.maritaca4j.simulator.RateLimit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What the batch tests share: a rate-limited simulator, clients told its limits, questions. */
final class Batches {
  private Batches() {}

  /**
   * A simulator enforcing {@code rpm} with a 500 ms burst over every key, without rate-limit
   * headers (only what a client is told, and the shared store, pace it).
   */
  static MaritacaSimulator limited(long rpm) {
    return MaritacaSimulator.builder()
        .defaultRateLimit(RateLimit.rpm(rpm))
        .burst(Duration.ofMillis(500))
        .rateLimitHeaders(false)
        .latency(Latency.fixed(Duration.ofMillis(20)))
        .start();
  }

  /** A client of {@code key} told the simulator's limits. */
  static ChatMaritaca.Builder client(String baseUrl, String key, long rpm) {
    return ChatMaritaca.builder()
        .baseUrl(baseUrl)
        .apiKey(key)
        .maxTokens(20)
        .rateLimits(RateLimits.rpm(rpm).withBurst(Duration.ofMillis(500)))
        .retryBackoff(Duration.ofMillis(5), Duration.ofMillis(50));
  }

  static BatchOptions options(int concurrency) {
    return BatchOptions.builder()
        .maxConcurrency(concurrency)
        .returnExceptions(true)
        .maxRateLimitRetries(50)
        .build();
  }

  static List<List<Message>> questions(String tag, int n) {
    List<List<Message>> l = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      l.add(List.of(Message.user(tag + " pergunta " + i + "?")));
    }
    return l;
  }

  /**
   * Warms this JVM's HTTP client and JSON up on a simulator of its own: on a cold JVM the first
   * requests, paced correctly, reach the server bunched (class loading, connections), which it
   * counts as a burst.
   */
  static void warmUp() throws Exception {
    try (MaritacaSimulator sim = MaritacaSimulator.builder().start()) {
      ChatMaritaca c = ChatMaritaca.builder().baseUrl(sim.baseUrl()).apiKey("warm-up").build();
      c.batchAsync(questions("aquecimento", 40), 20).get(30, TimeUnit.SECONDS);
    }
  }
}
