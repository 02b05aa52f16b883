package io.github.maritaca4j.batch;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a batch runs: the Python original's {@code max_concurrency}, {@code stop} and {@code
 * return_exceptions}, plus rate limits, a budget, retry allowances, a listener and adaptive
 * concurrency. Immutable and thread-safe; one instance may serve many batches.
 *
 * <pre>{@code
 * BatchOptions options = BatchOptions.builder()
 *     .maxConcurrency(10)
 *     .returnExceptions(true)
 *     .budget(new BigDecimal("5.00"))
 *     .build();
 * }</pre>
 */
public final class BatchOptions {

  /** The default {@link #maxConcurrency()}: 5, as in the Python original. */
  public static final int DEFAULT_MAX_CONCURRENCY = 5;

  /** The default {@link #maxRateLimitRetries()}. */
  public static final int DEFAULT_MAX_RATE_LIMIT_RETRIES = 20;

  private static final BatchOptions DEFAULTS = builder().build();

  private final int maxConcurrency;
  private final List<String> stop;
  private final boolean returnExceptions;
  private final RateLimits rateLimits;
  private final BigDecimal budget;
  private final int maxAttempts;
  private final int maxRateLimitRetries;
  private final BatchListener listener;
  private final boolean adaptive;
  private final boolean learnFromHeaders;
  private final ResponseValidator validator;
  private final int maxRepairs;

  private BatchOptions(Builder b) {
    this.maxConcurrency = b.maxConcurrency;
    this.stop = List.copyOf(b.stop);
    this.returnExceptions = b.returnExceptions;
    this.rateLimits = b.rateLimits;
    this.budget = b.budget;
    this.maxAttempts = b.maxAttempts;
    this.maxRateLimitRetries = b.maxRateLimitRetries;
    this.listener = b.listener;
    this.adaptive = b.adaptive;
    this.learnFromHeaders = b.learnFromHeaders;
    this.validator = b.validator;
    this.maxRepairs = b.maxRepairs;
  }

  /** Every default: concurrency 5, fail fast, no limits known, no budget, no listener. */
  public static BatchOptions defaults() {
    return DEFAULTS;
  }

  /** The defaults with another concurrency cap. */
  public static BatchOptions withConcurrency(int maxConcurrency) {
    return builder().maxConcurrency(maxConcurrency).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this instance's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxConcurrency = maxConcurrency;
    b.stop.addAll(stop);
    b.returnExceptions = returnExceptions;
    b.rateLimits = rateLimits;
    b.budget = budget;
    b.maxAttempts = maxAttempts;
    b.maxRateLimitRetries = maxRateLimitRetries;
    b.listener = listener;
    b.adaptive = adaptive;
    b.learnFromHeaders = learnFromHeaders;
    b.validator = validator;
    b.maxRepairs = maxRepairs;
    return b;
  }

  /** The most requests in flight at any instant (default 5). */
  public int maxConcurrency() {
    return maxConcurrency;
  }

  /**
   * Stop sequences given to every request of the batch, replacing the client's; empty (the default)
   * keeps each request's own.
   */
  public List<String> stop() {
    return stop;
  }

  /**
   * False (the default): the first permanent failure fails the whole batch and nothing more is
   * sent. True: every item ends as a result or an error and the batch itself succeeds.
   */
  public boolean returnExceptions() {
    return returnExceptions;
  }

  /**
   * This batch's own limits, a cap on top of the account's: the batch never goes faster than these,
   * whatever the account allows (e.g. half the account for a background job). {@link
   * RateLimits#UNKNOWN} by default: the batch goes as fast as the account's limiter lets it. The
   * account's limits themselves are set on the client ({@code
   * ChatMaritaca.builder().rateLimits(...)} or {@code .tier(...)}) and shared by every batch and
   * call on the account; a batch told the account's full limit here paces itself as before, but two
   * such batches at once would each take the whole account.
   */
  public RateLimits rateLimits() {
    return rateLimits;
  }

  /** The most the batch may spend, BRL; null (the default) for no budget. */
  public BigDecimal budget() {
    return budget;
  }

  /**
   * Attempts per item for failures other than 429 (5xx, timeouts, broken connections); 0 (the
   * default) means the client's {@code maxRetries + 1}.
   */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** Retries per item after 429 answers, counted apart from {@link #maxAttempts()} (default 20). */
  public int maxRateLimitRetries() {
    return maxRateLimitRetries;
  }

  /** The listener; null when none. */
  public BatchListener listener() {
    return listener;
  }

  /**
   * Whether the concurrency limit adapts (default true): halved on 429s when the limits are unknown
   * (or the known ones proved wrong), raised by one per window of successes, never above {@link
   * #maxConcurrency()}.
   */
  public boolean adaptive() {
    return adaptive;
  }

  /**
   * Whether the engine learns from the answers' {@code x-ratelimit-*} headers (default true): a
   * limit the account does not know is taken from {@code x-ratelimit-limit-requests} (RPM) and
   * {@code x-ratelimit-limit-tokens} (read as input tokens per minute); a burst left unknown is
   * computed from {@code remaining + reset × rate}; and the account's bucket never holds more than
   * the server said remains. While the account knows no limit at all, the first request goes alone
   * and the rest wait for its answer (its headers, if any, then pace them). Servers that send no
   * such headers change nothing else. See {@link io.github.maritaca4j.RateLimitStatus}.
   */
  public boolean learnFromHeaders() {
    return learnFromHeaders;
  }

  /** The default {@link #maxRepairs()}. */
  public static final int DEFAULT_MAX_REPAIRS = 2;

  /**
   * Checks every answer; null (the default) for none. An answer it finds invalid is asked again
   * (the conversation so far, the invalid answer, and a message listing its problems) up to {@link
   * #maxRepairs()} times; one still invalid fails with {@link
   * io.github.maritaca4j.errors.InvalidOutputException}. The item's usage and cost count every
   * answer it took.
   */
  public ResponseValidator validator() {
    return validator;
  }

  /** How many times an invalid answer is asked again (default 2); see {@link #validator()}. */
  public int maxRepairs() {
    return maxRepairs;
  }

  @Override
  public String toString() {
    return "BatchOptions[maxConcurrency="
        + maxConcurrency
        + ", stop="
        + stop
        + ", returnExceptions="
        + returnExceptions
        + ", rateLimits="
        + rateLimits
        + ", budget="
        + (budget == null ? "none" : budget.toPlainString())
        + ", maxAttempts="
        + (maxAttempts == 0 ? "client default" : maxAttempts)
        + ", maxRateLimitRetries="
        + maxRateLimitRetries
        + ", adaptive="
        + adaptive
        + ", learnFromHeaders="
        + learnFromHeaders
        + (validator == null ? "" : ", validator=" + validator + ", maxRepairs=" + maxRepairs)
        + "]";
  }

  /**
   * Builds {@link BatchOptions}. Each setter validates its argument at once and throws {@link
   * IllegalArgumentException} naming the bad value. Not thread-safe.
   */
  public static final class Builder {
    private int maxConcurrency = DEFAULT_MAX_CONCURRENCY;
    private final List<String> stop = new ArrayList<>();
    private boolean returnExceptions;
    private RateLimits rateLimits = RateLimits.UNKNOWN;
    private BigDecimal budget;
    private int maxAttempts;
    private int maxRateLimitRetries = DEFAULT_MAX_RATE_LIMIT_RETRIES;
    private BatchListener listener;
    private boolean adaptive = true;
    private boolean learnFromHeaders = true;
    private ResponseValidator validator;
    private int maxRepairs = DEFAULT_MAX_REPAIRS;

    private Builder() {}

    /** The most requests in flight at any instant, at least 1 (default 5). */
    public Builder maxConcurrency(int maxConcurrency) {
      if (maxConcurrency < 1) {
        throw new IllegalArgumentException(
            "maxConcurrency must be at least 1, was " + maxConcurrency);
      }
      this.maxConcurrency = maxConcurrency;
      return this;
    }

    /** Stop sequences for every request (replacing the client's); empty to keep each request's. */
    public Builder stop(List<String> stop) {
      Objects.requireNonNull(stop, "stop");
      for (String s : stop) {
        if (s == null || s.isEmpty()) {
          throw new IllegalArgumentException("stop sequences must be non-empty strings: " + stop);
        }
      }
      this.stop.clear();
      this.stop.addAll(stop);
      return this;
    }

    /** See {@link BatchOptions#returnExceptions()}. */
    public Builder returnExceptions(boolean returnExceptions) {
      this.returnExceptions = returnExceptions;
      return this;
    }

    /** See {@link BatchOptions#rateLimits()}. */
    public Builder rateLimits(RateLimits rateLimits) {
      this.rateLimits = Objects.requireNonNull(rateLimits, "rateLimits (use RateLimits.UNKNOWN)");
      return this;
    }

    /** The most the batch may spend, BRL, positive; null for none. */
    public Builder budget(BigDecimal brl) {
      if (brl != null && brl.signum() <= 0) {
        throw new IllegalArgumentException("budget must be positive, was " + brl.toPlainString());
      }
      this.budget = brl;
      return this;
    }

    /** Attempts per item for non-429 failures, at least 1; 0 for the client's default. */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 0) {
        throw new IllegalArgumentException(
            "maxAttempts must be at least 1 (or 0 for the client's default), was " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /** Retries per item after 429 answers, at least 0 (default 20). */
    public Builder maxRateLimitRetries(int retries) {
      if (retries < 0) {
        throw new IllegalArgumentException("maxRateLimitRetries must be >= 0, was " + retries);
      }
      this.maxRateLimitRetries = retries;
      return this;
    }

    /** The listener; null for none. */
    public Builder listener(BatchListener listener) {
      this.listener = listener;
      return this;
    }

    /** See {@link BatchOptions#adaptive()}. */
    public Builder adaptive(boolean adaptive) {
      this.adaptive = adaptive;
      return this;
    }

    /** See {@link BatchOptions#learnFromHeaders()}. */
    public Builder learnFromHeaders(boolean learnFromHeaders) {
      this.learnFromHeaders = learnFromHeaders;
      return this;
    }

    /** See {@link BatchOptions#validator()}; null for none. */
    public Builder validator(ResponseValidator validator) {
      this.validator = validator;
      return this;
    }

    /** See {@link BatchOptions#maxRepairs()}; at least 0. */
    public Builder maxRepairs(int maxRepairs) {
      if (maxRepairs < 0) {
        throw new IllegalArgumentException("maxRepairs must be >= 0, was " + maxRepairs);
      }
      this.maxRepairs = maxRepairs;
      return this;
    }

    public BatchOptions build() {
      return new BatchOptions(this);
    }
  }
}
