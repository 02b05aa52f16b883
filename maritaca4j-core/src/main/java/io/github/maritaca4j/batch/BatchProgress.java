package io.github.maritaca4j.batch;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * Running totals of a batch at one instant. Immutable snapshot.
 *
 * @param completed items finished (succeeded or failed)
 * @param failed items that failed
 * @param inFlight requests on the wire now
 * @param total items in the batch; -1 when unknown (a request iterator without a declared total)
 * @param inputTokens prompt tokens of the answers so far
 * @param outputTokens completion tokens of the answers so far
 * @param spent BRL spent so far (actual costs of the answers)
 * @param concurrencyLimit the current concurrency limit (adaptive; at most {@code maxConcurrency})
 * @param rateLimited 429 answers received so far
 * @param retries retries made so far (429s included)
 * @param elapsed time since the batch started
 */
public record BatchProgress(
    int completed,
    int failed,
    int inFlight,
    int total,
    long inputTokens,
    long outputTokens,
    BigDecimal spent,
    int concurrencyLimit,
    long rateLimited,
    long retries,
    Duration elapsed) {

  /** Items that succeeded. */
  public int succeeded() {
    return completed - failed;
  }
}
