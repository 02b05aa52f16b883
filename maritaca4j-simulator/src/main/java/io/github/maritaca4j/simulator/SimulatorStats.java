package io.github.maritaca4j.simulator;

import java.util.List;
import java.util.Map;

/**
 * A snapshot of the simulator's counters since start or the last reset. All counts are about chat
 * completion requests ({@code POST /chat/completions}); Batch API work is not counted here.
 *
 * @param requests chat requests received (fully read)
 * @param ok chat requests answered with a 2xx and no fault
 * @param rateLimited 429 answers, whatever the limit
 * @param rateLimitedRpm 429s because of the requests-per-minute limit
 * @param rateLimitedTpmIn 429s because of the input-tokens-per-minute limit
 * @param rateLimitedTpmOut 429s because of the output-tokens-per-minute limit
 * @param rateLimitedFlex 429s because the flex queue was full or the wait timed out
 * @param faults injected faults by kind: {@code server_error}, {@code connection_reset}, {@code
 *     mid_stream_reset}, {@code malformed_json}, {@code truncated_stream}, {@code hang} (every kind
 *     present, 0 when none)
 * @param badRequests 4xx answers other than 429 (400, 401, 404, ...)
 * @param inFlight chat requests being served now (arrived, response not fully written)
 * @param maxInFlight the most chat requests ever served at one instant
 * @param promptTokens prompt tokens of the successful answers
 * @param completionTokens completion tokens of the successful answers
 * @param cachedTokens cached prompt tokens of the successful answers
 * @param log the last (at most 100,000) finished chat requests, oldest first; empty when not asked
 *     for
 */
public record SimulatorStats(
    long requests,
    long ok,
    long rateLimited,
    long rateLimitedRpm,
    long rateLimitedTpmIn,
    long rateLimitedTpmOut,
    long rateLimitedFlex,
    Map<String, Long> faults,
    long badRequests,
    int inFlight,
    int maxInFlight,
    long promptTokens,
    long completionTokens,
    long cachedTokens,
    List<RequestRecord> log) {

  public SimulatorStats {
    faults = Map.copyOf(faults);
    log = List.copyOf(log);
  }

  /** Number of injected faults of {@code kind} (see {@link #faults()}), 0 if none. */
  public long faults(String kind) {
    return faults.getOrDefault(kind, 0L);
  }

  /** Number of injected faults of every kind. */
  public long totalFaults() {
    return faults.values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * One finished chat request.
   *
   * @param arrivalNanos {@link System#nanoTime()} when the request was fully read
   * @param completionNanos {@link System#nanoTime()} when the response was fully written or the
   *     connection died
   * @param status HTTP status sent, 0 when none was (reset, hang, client gone)
   * @param model the model asked for (as sent), null when unreadable
   * @param tag the {@code x-request-tag} request header, null when absent
   * @param promptTokens prompt tokens (0 when not counted)
   * @param completionTokens completion tokens sent (0 when none)
   * @param cachedTokens cached prompt tokens
   * @param outcome {@code ok}, {@code rate_limited_rpm|tpm_in|tpm_out|flex}, {@code bad_request},
   *     {@code fault_<kind>} or {@code client_gone}
   */
  public record RequestRecord(
      long arrivalNanos,
      long completionNanos,
      int status,
      String model,
      String tag,
      int promptTokens,
      int completionTokens,
      int cachedTokens,
      String outcome) {}
}
