package io.github.maritaca4j.internal.batch;

import io.github.maritaca4j.ChatRequest;
import io.github.maritaca4j.ChatResult;
import io.github.maritaca4j.errors.MaritacaException;
import io.github.maritaca4j.internal.Clock;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One input of a {@link BatchRun} and its current attempt: its index and request, the attempt and
 * retry counters, the lazily computed demand (estimated input, reserved output, worst-case cost),
 * what its attempt holds (the rate grant and the budget reservation), its in-flight call and its
 * retry timer, and the failures retried so far. A plain holder: the run decides everything.
 *
 * <p>Not thread-safe: the run's lock guards every field, except {@link #call}, which is volatile
 * because it is set by the sending thread and read when the run halts.
 */
final class Item {
  final int index;

  /** The request as given. */
  final ChatRequest original;

  /** The request of the next attempt: the original, or a repair asking again. */
  ChatRequest request;

  /** Invalid answers asked again so far, with their usage and cost. */
  int repairs;

  io.github.maritaca4j.Usage repairUsage = io.github.maritaca4j.Usage.ZERO;
  io.github.maritaca4j.cost.Cost repairCost = io.github.maritaca4j.cost.Cost.ZERO;

  int attempts;
  int failures;
  int rateLimitedRetries;
  long firstStart = Long.MIN_VALUE;
  long attemptStart;

  /** When this item, at the head of the queue, started waiting for the rate limiter; or MIN. */
  long rateBlockedSince = Long.MIN_VALUE;

  int inFlightAtSend;
  List<MaritacaException> causes;
  long estimatedInput = -1;
  long reservedOutput = -1;
  BigDecimal worstCase;
  RateState rate;
  RateState.Grant grant;
  Lane lane;
  Lane.Permit permit;
  BigDecimal reserved;
  volatile CompletableFuture<ChatResult> call;
  Clock.Cancellable retryTimer;

  Item(int index, ChatRequest request) {
    this.index = index;
    this.original = request;
    this.request = request;
  }

  void addCause(MaritacaException e) {
    if (causes == null) {
      causes = new ArrayList<>(2);
    }
    causes.add(e);
  }
}
