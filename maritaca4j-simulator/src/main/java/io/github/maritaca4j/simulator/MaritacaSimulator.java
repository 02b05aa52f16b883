package io.github.maritaca4j.simulator;

import io.github.maritaca4j.simulator.internal.Models;
import io.github.maritaca4j.simulator.internal.SimConfig;
import io.github.maritaca4j.simulator.internal.SimServer;
import io.github.maritaca4j.simulator.internal.TokenCounter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A local, Maritaca-compatible HTTP server with real rate limits, latency and injected faults, for
 * tests, demos and benchmarks. Serves {@code /api/...} and {@code /v1/...} on {@code 127.0.0.1}.
 *
 * <pre>{@code
 * try (MaritacaSimulator sim = MaritacaSimulator.builder()
 *     .latency(Latency.fixed(Duration.ofMillis(200)))
 *     .rateLimit("sabia-4", RateLimit.of(60, 128_000, 10_000))
 *     .start()) {
 *   String base = sim.baseUrl(); // http://127.0.0.1:PORT/api
 * }
 * }</pre>
 *
 * <p>Thread-safe: {@link #stats()}, {@link #reset()} and {@link #close()} may be called from any
 * thread. The server runs on its own Netty event loop (1 or 2 daemon threads); no thread waits per
 * request, latency is a scheduled task.
 */
public final class MaritacaSimulator implements AutoCloseable {
  /** Vocabularies read so far, by absolute path: each file is read once per JVM. */
  private static final Map<Path, TokenCounter> VOCABULARIES = new ConcurrentHashMap<>();

  private final SimServer server;

  private MaritacaSimulator(SimServer server) {
    this.server = server;
  }

  /** A builder with every default: free port, no latency, no limits, no faults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Starts a simulator with every default. */
  public static MaritacaSimulator start() {
    return builder().start();
  }

  /** The base URL clients use, e.g. {@code http://127.0.0.1:54321/api}. */
  public String baseUrl() {
    return server.baseUrl();
  }

  /** The bound port. */
  public int port() {
    return server.port();
  }

  /** Counters since start or the last {@link #reset()}, with the per-request log. */
  public SimulatorStats stats() {
    return server.stats(true);
  }

  /** Counters without the per-request log (cheaper). */
  public SimulatorStats statsWithoutLog() {
    return server.stats(false);
  }

  /**
   * Zeroes the counters and the log, refills every rate-limit bucket and empties the prefix cache.
   * Requests in flight keep being counted in {@code inFlight}.
   */
  public void reset() {
    server.reset();
  }

  /** Stops serving: closes every connection (hanging requests too) and the event loop. */
  @Override
  public void close() {
    server.close();
  }

  /**
   * Configures and starts a {@link MaritacaSimulator}. Each setter validates its argument at once
   * ({@link IllegalArgumentException} naming the bad value). Not thread-safe.
   */
  public static final class Builder {
    private int port;
    private long seed = 42;
    private Latency latency = Latency.none();
    private final Map<String, RateLimit> rateLimits = new LinkedHashMap<>();
    private RateLimit defaultRateLimit = RateLimit.UNLIMITED;
    private Duration burst = Duration.ofSeconds(6);
    private RetryHint retryHint = RetryHint.SECONDS;
    private boolean rateLimitHeaders = true;
    private Faults faults = Faults.none();
    private String apiKey;
    private int flexCapacity = 1000;
    private Duration flexMaxWait = Duration.ofMinutes(5);
    private int flexConcurrency = 64;
    private Duration batchPace = Duration.ofMillis(50);
    private Duration batchExpiry = Duration.ofHours(24);
    private BatchRowFaults batchRowFaults = BatchRowFaults.NONE;
    private AnswerLength answerLength = AnswerLength.defaultDistribution();
    private LongSupplier nanoClock = System::nanoTime;
    private int ioThreads = 2;
    private Path vocabulary;

    private Builder() {}

    /** TCP port on 127.0.0.1; 0 (the default) picks a free one. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be in [0, 65535]: " + port);
      }
      this.port = port;
      return this;
    }

    /** Seed of every random choice (answers, lengths, jitter, faults). Default 42. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Service time of chat completions. Default {@link Latency#none()}. */
    public Builder latency(Latency latency) {
      this.latency = Objects.requireNonNull(latency, "latency");
      return this;
    }

    /**
     * Limits for one model (id or alias; aliases share their model's buckets).
     *
     * @throws IllegalArgumentException for a model not in the catalogue
     */
    public Builder rateLimit(String model, RateLimit limit) {
      Objects.requireNonNull(limit, "limit");
      Models.Model m = Models.find(model);
      if (m == null) {
        throw new IllegalArgumentException("unknown model: " + model);
      }
      rateLimits.put(m.id(), limit);
      return this;
    }

    /** Limits of every model without its own. Default unlimited. */
    public Builder defaultRateLimit(RateLimit limit) {
      this.defaultRateLimit = Objects.requireNonNull(limit, "limit");
      return this;
    }

    /**
     * Bucket capacity as time: each bucket holds {@code limit x burst / 60 s} (at least 1). Default
     * 6 s, i.e. a tenth of the per-minute limit.
     */
    public Builder burst(Duration burst) {
      Objects.requireNonNull(burst, "burst");
      if (burst.isNegative() || burst.isZero() || burst.compareTo(Duration.ofMinutes(60)) > 0) {
        throw new IllegalArgumentException("burst must be in (0, 60 min]: " + burst);
      }
      this.burst = burst;
      return this;
    }

    /** Form of the retry hint on 429s. Default {@link RetryHint#SECONDS}. */
    public Builder retryHint(RetryHint hint) {
      this.retryHint = Objects.requireNonNull(hint, "hint");
      return this;
    }

    /** Whether chat answers carry {@code x-ratelimit-*} headers. Default true. */
    public Builder rateLimitHeaders(boolean on) {
      this.rateLimitHeaders = on;
      return this;
    }

    /** Injected faults. Default none. */
    public Builder faults(Faults faults) {
      this.faults = Objects.requireNonNull(faults, "faults");
      return this;
    }

    /**
     * Requires {@code Authorization: Bearer <key>} (or {@code Key <key>}) on every API endpoint;
     * 401 otherwise. Default: no key needed.
     */
    public Builder requireApiKey(String key) {
      if (key == null || key.isBlank()) {
        throw new IllegalArgumentException("api key must not be blank");
      }
      this.apiKey = key;
      return this;
    }

    /**
     * The flex queue: at most {@code capacity} requests wait, each up to {@code maxWait}, for a
     * flex slot; then 429. Default 1000 and 5 minutes.
     */
    public Builder flexQueue(int capacity, Duration maxWait) {
      if (capacity < 0) {
        throw new IllegalArgumentException("flex queue capacity must be >= 0: " + capacity);
      }
      Objects.requireNonNull(maxWait, "maxWait");
      if (maxWait.isNegative()) {
        throw new IllegalArgumentException("flex maxWait must be >= 0: " + maxWait);
      }
      this.flexCapacity = capacity;
      this.flexMaxWait = maxWait;
      return this;
    }

    /** How many flex requests are served at once. Default 64. */
    public Builder flexConcurrency(int slots) {
      if (slots < 1) {
        throw new IllegalArgumentException("flex concurrency must be >= 1: " + slots);
      }
      this.flexConcurrency = slots;
      return this;
    }

    /** Time of each Batch API status step. Default 50 ms. */
    public Builder batchPace(Duration pace) {
      Objects.requireNonNull(pace, "pace");
      if (pace.isNegative() || pace.isZero()) {
        throw new IllegalArgumentException("batch pace must be > 0: " + pace);
      }
      this.batchPace = pace;
      return this;
    }

    /** Time after creation when an unfinished batch expires. Default 24 h. */
    public Builder batchExpiry(Duration expiry) {
      Objects.requireNonNull(expiry, "expiry");
      if (expiry.isNegative() || expiry.isZero()) {
        throw new IllegalArgumentException("batch expiry must be > 0: " + expiry);
      }
      this.batchExpiry = expiry;
      return this;
    }

    /** Batch API rows that fail (retryable) or go missing (default {@link BatchRowFaults#NONE}). */
    public Builder batchRowFaults(BatchRowFaults faults) {
      this.batchRowFaults = Objects.requireNonNull(faults, "faults");
      return this;
    }

    /** Distribution of templated answers' lengths. Default lognormal, median 60, sigma 0.5. */
    public Builder answerLength(AnswerLength length) {
      this.answerLength = Objects.requireNonNull(length, "length");
      return this;
    }

    /**
     * Time source of the rate limiters, in nanoseconds ({@link System#nanoTime()} by default). A
     * test can pass a fake clock to make limits exact.
     */
    public Builder nanoClock(LongSupplier clock) {
      this.nanoClock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Netty event-loop threads, 1 or 2 (default 2). */
    public Builder ioThreads(int threads) {
      if (threads < 1 || threads > 2) {
        throw new IllegalArgumentException("ioThreads must be 1 or 2: " + threads);
      }
      this.ioThreads = threads;
      return this;
    }

    /**
     * Counts tokens with the vocabulary of this tiktoken-format file ({@code base64(bytes) rank} a
     * line, e.g. Sabiá's) instead of cl100k_base, with the same split pattern. The file is read by
     * {@link #start()} (once per JVM and path).
     *
     * @throws IllegalArgumentException when the file is not readable
     */
    public Builder vocabulary(Path tiktokenFile) {
      Objects.requireNonNull(tiktokenFile, "tiktokenFile");
      if (!Files.isReadable(tiktokenFile)) {
        throw new IllegalArgumentException("vocabulary file not readable: " + tiktokenFile);
      }
      this.vocabulary = tiktokenFile.toAbsolutePath().normalize();
      return this;
    }

    /**
     * Binds and starts the server.
     *
     * @throws IllegalStateException when the port cannot be bound or the vocabulary read
     */
    public MaritacaSimulator start() {
      SimConfig cfg =
          new SimConfig(
              port,
              seed,
              latency,
              rateLimits,
              defaultRateLimit,
              burst,
              retryHint,
              rateLimitHeaders,
              faults,
              apiKey,
              flexCapacity,
              flexMaxWait,
              flexConcurrency,
              batchPace,
              batchExpiry,
              answerLength,
              nanoClock,
              ioThreads);
      TokenCounter tokens = TokenCounter.cl100k();
      if (vocabulary != null) {
        tokens =
            VOCABULARIES.computeIfAbsent(
                vocabulary,
                p -> {
                  try {
                    return TokenCounter.fromTiktoken(p);
                  } catch (IOException e) {
                    throw new IllegalStateException(
                        "cannot read the vocabulary " + p + ": " + e, e);
                  }
                });
      }
      SimServer s = new SimServer(cfg, tokens);
      s.batchRowFaults(batchRowFaults.failEvery(), batchRowFaults.dropEvery());
      try {
        s.start();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting the simulator", e);
      } catch (RuntimeException e) {
        throw new IllegalStateException("cannot start the simulator on port " + port + ": " + e, e);
      }
      return new MaritacaSimulator(s);
    }
  }
}
