package io.github.maritaca4j.batch;

import io.github.maritaca4j.ChatResult;
import io.github.maritaca4j.Usage;
import io.github.maritaca4j.cost.Cost;
import io.github.maritaca4j.errors.MaritacaException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of one input of a batch: its answer or the failure that ended it, and how it got
 * there. Immutable.
 *
 * @param index the input's position (0-based) in the batch, or in the request iterator
 * @param result the answer; null when the item failed
 * @param error the failure that ended the item (permanent, retries exhausted, or budget); null when
 *     it succeeded
 * @param attempts HTTP attempts made (0 when nothing was sent, e.g. a budget failure)
 * @param latency from the first attempt's start to the end, waits between retries included
 * @param usage token usage (of every answer it took, when a {@link ResponseValidator} asked again);
 *     {@link Usage#ZERO} for a failure, but for answers a validator rejected
 * @param cost actual cost in BRL, likewise; {@link Cost#ZERO} for a failure (but for answers a
 *     validator rejected) or a model without a price
 * @param retryCauses the failures that were retried before the end, oldest first (429s included)
 */
public record BatchItem(
    int index,
    ChatResult result,
    MaritacaException error,
    int attempts,
    Duration latency,
    Usage usage,
    Cost cost,
    List<MaritacaException> retryCauses) {

  public BatchItem {
    if (index < 0) {
      throw new IllegalArgumentException("index must be >= 0, was " + index);
    }
    if ((result == null) == (error == null)) {
      throw new IllegalArgumentException("exactly one of result and error must be set");
    }
    Objects.requireNonNull(latency, "latency");
    usage = usage == null ? Usage.ZERO : usage;
    cost = cost == null ? Cost.ZERO : cost;
    retryCauses = retryCauses == null ? List.of() : List.copyOf(retryCauses);
  }

  /** Whether the item has a result. */
  public boolean isSuccess() {
    return error == null;
  }

  /** Retries made (attempts after the first). */
  public int retries() {
    return Math.max(0, attempts - 1);
  }

  /**
   * The result, or the error thrown when the item failed.
   *
   * @throws MaritacaException the item's error, when it failed
   */
  public ChatResult resultOrThrow() {
    if (error != null) {
      throw error;
    }
    return result;
  }
}
