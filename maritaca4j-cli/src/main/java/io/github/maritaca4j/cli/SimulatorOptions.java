package io.github.maritaca4j.cli;

import io.github.maritaca4j.simulator.Faults;
import io.github.maritaca4j.simulator.Latency;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import io.github.maritaca4j.simulator.RateLimit;
import io.github.maritaca4j.simulator.RetryHint;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Options of the local simulator. */
final class SimulatorOptions {
  @Option(
      names = "--rpm",
      paramLabel = "N",
      description = "Requests per minute of every model (0: unlimited; default: ${DEFAULT-VALUE}).",
      defaultValue = "0")
  long rpm;

  @Option(
      names = "--tpm-in",
      paramLabel = "N",
      description = "Input tokens per minute (0: unlimited; default: ${DEFAULT-VALUE}).",
      defaultValue = "0")
  long tpmIn;

  @Option(
      names = "--tpm-out",
      paramLabel = "N",
      description = "Output tokens per minute (0: unlimited; default: ${DEFAULT-VALUE}).",
      defaultValue = "0")
  long tpmOut;

  @Option(
      names = "--burst-ms",
      paramLabel = "MS",
      description = "Bucket size as time: limit × burst / 60 s (default: ${DEFAULT-VALUE}).",
      defaultValue = "6000")
  long burstMs;

  @Option(
      names = "--latency-ms",
      paramLabel = "MS",
      description = "Base latency of an answer (default: ${DEFAULT-VALUE}).",
      defaultValue = "0")
  long latencyMs;

  @Option(
      names = "--per-token-ms",
      paramLabel = "MS",
      description = "Extra latency per output token (default: ${DEFAULT-VALUE}).",
      defaultValue = "0")
  double perTokenMs;

  @Option(
      names = "--jitter",
      paramLabel = "SIGMA",
      description = "Lognormal spread of latency (default: ${DEFAULT-VALUE}).",
      defaultValue = "0")
  double jitter;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description = "Seed of every random choice (default: ${DEFAULT-VALUE}).",
      defaultValue = "42")
  long seed;

  @Option(
      names = "--error-rate",
      paramLabel = "P",
      description = "Share of requests answered 500/502/503 (default: ${DEFAULT-VALUE}).",
      defaultValue = "0")
  double errorRate;

  @Option(
      names = "--reset-rate",
      paramLabel = "P",
      description = "Share of connections reset (default: ${DEFAULT-VALUE}).",
      defaultValue = "0")
  double resetRate;

  @Option(
      names = "--require-key",
      paramLabel = "KEY",
      description = "Answer 401 unless this key is sent (default: any key or none).")
  String requireKey;

  @Option(
      names = "--batch-pace-ms",
      paramLabel = "MS",
      description = "Time of each Batch API status step (default: ${DEFAULT-VALUE}).",
      defaultValue = "50")
  long batchPaceMs;

  @Option(
      names = "--retry-hint",
      paramLabel = "FORM",
      description =
          "How a 429 says when to come back: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
      defaultValue = "SECONDS",
      converter = RetryHintConverter.class,
      completionCandidates = RetryHintConverter.Names.class)
  RetryHint retryHint;

  @Option(
      names = "--no-rate-limit-headers",
      description = "Send no x-ratelimit-* headers (as a server that hides its limits would).")
  boolean noRateLimitHeaders;

  /** Case-insensitive {@link RetryHint} names, {@code http-date} or {@code http_date}. */
  static final class RetryHintConverter implements picocli.CommandLine.ITypeConverter<RetryHint> {
    @Override
    public RetryHint convert(String value) {
      String v = value.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
      for (RetryHint h : RetryHint.values()) {
        if (h.name().equals(v)) {
          return h;
        }
      }
      throw new picocli.CommandLine.TypeConversionException(
          "'" + value + "' is not one of " + String.join(", ", new Names()));
    }

    static final class Names extends java.util.ArrayList<String> {
      Names() {
        super(java.util.List.of("seconds", "http-date", "millis", "none"));
      }
    }
  }

  MaritacaSimulator.Builder builder(int port) {
    MaritacaSimulator.Builder b =
        MaritacaSimulator.builder()
            .port(port)
            .seed(seed)
            .defaultRateLimit(RateLimit.of(rpm, tpmIn, tpmOut))
            .burst(Duration.ofMillis(burstMs))
            .latency(
                Latency.of(
                    Duration.ofMillis(latencyMs),
                    Duration.ofNanos((long) (perTokenMs * 1e6)),
                    jitter))
            .batchPace(Duration.ofMillis(batchPaceMs))
            .retryHint(retryHint)
            .rateLimitHeaders(!noRateLimitHeaders);
    if (errorRate > 0 || resetRate > 0) {
      Faults.Builder f = Faults.builder();
      if (errorRate > 0) {
        f.serverErrorRate(errorRate, 500, 502, 503);
      }
      if (resetRate > 0) {
        f.connectionResetRate(resetRate);
      }
      b.faults(f.build());
    }
    if (requireKey != null) {
      b.requireApiKey(requireKey);
    }
    return b;
  }
}
