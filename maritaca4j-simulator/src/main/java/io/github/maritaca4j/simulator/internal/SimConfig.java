package io.github.maritaca4j.simulator.internal;

import io.github.maritaca4j.simulator.AnswerLength;
import io.github.maritaca4j.simulator.Faults;
import io.github.maritaca4j.simulator.Latency;
import io.github.maritaca4j.simulator.RateLimit;
import io.github.maritaca4j.simulator.RetryHint;
import java.time.Duration;
import java.util.Map;
import java.util.function.LongSupplier;

/** Everything the builder collected; immutable. */
public record SimConfig(
    int port,
    long seed,
    Latency latency,
    Map<String, RateLimit> rateLimits,
    RateLimit defaultRateLimit,
    Duration burst,
    RetryHint retryHint,
    boolean rateLimitHeaders,
    Faults faults,
    String apiKey,
    int flexCapacity,
    Duration flexMaxWait,
    int flexConcurrency,
    Duration batchPace,
    Duration batchExpiry,
    AnswerLength answerLength,
    LongSupplier nanoClock,
    int ioThreads) {

  public SimConfig {
    rateLimits = Map.copyOf(rateLimits);
  }

  /** The limit of a canonical model id. */
  public RateLimit limitFor(String canonicalModel) {
    return rateLimits.getOrDefault(canonicalModel, defaultRateLimit);
  }
}
