package io.github.maritaca4j.batch;

import io.github.maritaca4j.Usage;
import io.github.maritaca4j.cost.Cost;
import java.time.Duration;

/**
 * The totals of a finished batch. Immutable.
 *
 * @param total items in the batch
 * @param succeeded items with a result
 * @param failed items with an error
 * @param usage summed token usage of the answers
 * @param cost summed actual cost of the answers, BRL
 * @param rateLimited 429 answers received
 * @param retries retries made (429s included)
 * @param wallTime from the start of the batch to its end
 */
public record BatchSummary(
    int total,
    int succeeded,
    int failed,
    Usage usage,
    Cost cost,
    long rateLimited,
    long retries,
    Duration wallTime) {}
