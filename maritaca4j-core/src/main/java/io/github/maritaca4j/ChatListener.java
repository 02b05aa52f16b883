package io.github.maritaca4j;

import io.github.maritaca4j.cost.Cost;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a client reports to observability code: every chat request it sends over HTTP (each attempt
 * of {@code invoke}, {@code invokeAsync} and {@code stream}, and each attempt of every batch item,
 * JSONL jobs run in real time included) and the life of every batch. Other endpoints ({@code
 * listModels}, the Batch API's files and jobs) are not reported. Register one with {@link
 * ChatMaritaca.Builder#listener(ChatListener)}; a client may have several, called in the order they
 * were added. Every method has an empty default: override what you need. Events are records, so
 * they can gain fields without new methods.
 *
 * <p><b>Threads.</b> Implementations must be thread-safe and quick: they run on the library's own
 * threads, while requests are being sent.
 *
 * <ul>
 *   <li>{@link #onRequestStart} runs on the thread that sends the request, just before it goes on
 *       the wire: the calling thread of {@code invoke} / {@code invokeAsync} / {@code stream} when
 *       the account's rate limiter admits the call at once, else the client's executor; for a batch
 *       item, the thread dispatching the batch.
 *   <li>{@link #onRequestEnd} runs on the thread that completes the exchange (the library's HTTP
 *       threads, or the client's executor for streams), before the call's future completes, before
 *       a batch sees the outcome, and before any retry of it.
 *   <li>The batch events ({@code onBatch...}) of one batch are delivered one at a time, in the
 *       order they happened, on the same path as the batch's {@link
 *       io.github.maritaca4j.batch.BatchListener} events (the client's executor, or the calling
 *       thread of the synchronous {@code batchWithProgress}); the batch's future completes only
 *       after {@link #onBatchEnd} was delivered. Request events and batch events are not ordered
 *       with respect to each other.
 * </ul>
 *
 * <p><b>Exceptions.</b> An exception thrown by a listener is caught and logged (slf4j, WARN, logger
 * {@code io.github.maritaca4j.listener}); it never fails a call or a batch, and the other listeners
 * still get the event.
 *
 * <p><b>Content.</b> Prompts and answers are given only to a listener whose {@link
 * #includeContent()} returns true; the others get empty lists.
 */
public interface ChatListener {

  /**
   * Whether this listener receives the messages sent ({@link RequestStart#messages()}) and the
   * answers ({@link RequestEnd#output()}). Asked once, when the client is built. Default false.
   */
  default boolean includeContent() {
    return false;
  }

  /** A request is about to be sent. */
  default void onRequestStart(RequestStart request) {}

  /**
   * A request ended: answered, failed or cancelled. Called exactly once for every {@link
   * #onRequestStart} event.
   */
  default void onRequestEnd(RequestEnd request) {}

  /** A batch started (before any of its requests is sent). */
  default void onBatchStart(BatchStart batch) {}

  /** An attempt of a batch item passed admission and is being sent. */
  default void onBatchItemSent(BatchItemSent item) {}

  /**
   * The server answered 429 to a batch item: it will be sent again after the pause, or, when the
   * wait asked for is too long or the item's 429 retries are spent, it fails (an {@link
   * #onBatchItemEnd} follows).
   */
  default void onBatchRateLimited(BatchRateLimited event) {}

  /** A batch item finished for good, with its answer or its failure. */
  default void onBatchItemEnd(BatchItemEnd item) {}

  /** A batch ended: every item finished, or it stopped at a failure, or it was cancelled. */
  default void onBatchEnd(BatchEnd batch) {}

  /**
   * The request parameters that observability conventions record (no messages). Null means not set
   * (the server's default applies).
   *
   * @param temperature sampling temperature
   * @param topP nucleus sampling
   * @param maxTokens output token limit
   * @param stop stop sequences (empty when none)
   * @param frequencyPenalty frequency penalty
   * @param presencePenalty presence penalty
   * @param n number of choices
   * @param serviceTier the service tier
   */
  record Parameters(
      Double temperature,
      Double topP,
      Integer maxTokens,
      List<String> stop,
      Double frequencyPenalty,
      Double presencePenalty,
      Integer n,
      ServiceTier serviceTier) {

    public Parameters {
      stop = stop == null ? List.of() : List.copyOf(stop);
    }

    /** The parameters of {@code request}. */
    public static Parameters of(ChatRequest request) {
      return new Parameters(
          request.temperature(),
          request.topP(),
          request.maxTokens(),
          request.stop(),
          request.frequencyPenalty(),
          request.presencePenalty(),
          request.n(),
          request.serviceTier());
    }
  }

  /**
   * A request about to be sent.
   *
   * @param id unique in this JVM; the matching {@link RequestEnd} carries this event
   * @param operation always {@code "chat"} (chat completions)
   * @param serverAddress the host of the client's base URL
   * @param serverPort the port of the client's base URL (the scheme's default when it names none)
   * @param model the model asked for
   * @param stream whether the answer is streamed
   * @param batchId the batch it belongs to ({@link BatchStart#batchId()}), or 0 for a single call
   * @param itemIndex the item's index in its batch, or -1 for a single call
   * @param attempt the attempt of this call or item, from 1
   * @param parameters the request's parameters
   * @param messages the messages sent, only for a listener that {@link #includeContent() includes
   *     content}; empty otherwise
   */
  record RequestStart(
      long id,
      String operation,
      String serverAddress,
      int serverPort,
      String model,
      boolean stream,
      long batchId,
      int itemIndex,
      int attempt,
      Parameters parameters,
      List<Message> messages) {

    public RequestStart {
      Objects.requireNonNull(operation, "operation");
      Objects.requireNonNull(serverAddress, "serverAddress");
      Objects.requireNonNull(model, "model");
      Objects.requireNonNull(parameters, "parameters");
      messages = messages == null ? List.of() : List.copyOf(messages);
    }

    /** Whether the request is an attempt of a batch item. */
    public boolean isBatch() {
      return batchId != 0;
    }

    /** The same event without the messages. */
    public RequestStart withoutContent() {
      return messages.isEmpty()
          ? this
          : new RequestStart(
              id,
              operation,
              serverAddress,
              serverPort,
              model,
              stream,
              batchId,
              itemIndex,
              attempt,
              parameters,
              List.of());
    }
  }

  /**
   * A request that ended.
   *
   * @param start the start event of this request (without content unless the listener includes
   *     content)
   * @param duration from just before sending to the end of the exchange (a stream's last chunk)
   * @param httpStatus 200 for an answer; the status of an error response; 0 when none was received
   *     (connection failure, timeout, cancellation)
   * @param responseId the answer's {@code id}, or null
   * @param responseModel the model that answered, or null
   * @param finishReasons one per choice of the answer (empty for a failure)
   * @param usage the answer's token usage ({@link Usage#ZERO} for a failure)
   * @param cost the answer's cost in BRL, or null when the model has no price or the request failed
   * @param error the failure ({@link io.github.maritaca4j.errors.MaritacaException} or {@link
   *     java.util.concurrent.CancellationException}), or null for an answer
   * @param errorType a short, low-cardinality class of the failure, for the {@code error.type}
   *     attribute: the HTTP status ({@code "429"}, {@code "500"}) of an error response, else the
   *     failure's class name; null for an answer
   * @param output the answer's messages, one per choice, only for a listener that {@link
   *     #includeContent() includes content}; empty otherwise
   */
  record RequestEnd(
      RequestStart start,
      Duration duration,
      int httpStatus,
      String responseId,
      String responseModel,
      List<FinishReason> finishReasons,
      Usage usage,
      Cost cost,
      Throwable error,
      String errorType,
      List<Message> output) {

    public RequestEnd {
      Objects.requireNonNull(start, "start");
      Objects.requireNonNull(duration, "duration");
      Objects.requireNonNull(usage, "usage");
      finishReasons = finishReasons == null ? List.of() : List.copyOf(finishReasons);
      output = output == null ? List.of() : List.copyOf(output);
    }

    /** Whether the request got an answer. */
    public boolean isSuccess() {
      return error == null;
    }

    /** Whether the server refused it with 429 (rate limit or flex capacity). */
    public boolean isRateLimited() {
      return httpStatus == 429;
    }

    /** The same event without the messages (of the start event and of the answer). */
    public RequestEnd withoutContent() {
      if (output.isEmpty() && start.messages().isEmpty()) {
        return this;
      }
      return new RequestEnd(
          start.withoutContent(),
          duration,
          httpStatus,
          responseId,
          responseModel,
          finishReasons,
          usage,
          cost,
          error,
          errorType,
          List.of());
    }
  }

  /**
   * A batch's counters at one instant.
   *
   * @param queued items not finished and not in flight: waiting for their turn, for the rate
   *     limiter or for a retry (for a batch of unknown size, only those already read from its
   *     iterator)
   * @param inFlight requests on the wire
   * @param completed items finished (succeeded or failed)
   * @param failed items that failed
   * @param rateLimited 429 answers received so far
   * @param spent BRL spent so far (actual costs of the answers)
   * @param budgetLeft BRL of the budget not yet spent, or null when the batch has no budget
   */
  record BatchState(
      int queued,
      int inFlight,
      int completed,
      int failed,
      long rateLimited,
      BigDecimal spent,
      BigDecimal budgetLeft) {

    public BatchState {
      Objects.requireNonNull(spent, "spent");
    }
  }

  /**
   * A batch that started.
   *
   * @param batchId unique in this JVM, never 0
   * @param total the number of items, or -1 when unknown (an iterator without a declared total)
   * @param maxConcurrency the batch's concurrency cap
   * @param budget the batch's budget in BRL, or null when none
   */
  record BatchStart(long batchId, int total, int maxConcurrency, BigDecimal budget) {}

  /**
   * An attempt of a batch item that passed admission and is being sent.
   *
   * @param batchId the batch
   * @param index the item's index
   * @param attempt the attempt, from 1
   * @param rateLimiterWait how long the item waited at the front of the batch's queue for the rate
   *     limiter (the batch's limits, the account's limits and its 429 pause) before this attempt;
   *     zero when it went at once
   * @param state the batch's counters after the item left the queue
   */
  record BatchItemSent(
      long batchId, int index, int attempt, Duration rateLimiterWait, BatchState state) {}

  /**
   * A 429 answer to a batch item.
   *
   * @param batchId the batch
   * @param index the item's index
   * @param pause how long sending pauses (the server's hint, or a backoff when it gave none); zero
   *     when the item is not sent again
   * @param state the batch's counters after the 429
   */
  record BatchRateLimited(long batchId, int index, Duration pause, BatchState state) {}

  /**
   * A batch item that finished for good.
   *
   * @param batchId the batch
   * @param index the item's index
   * @param attempts attempts made (0 when it was never sent, e.g. for lack of budget)
   * @param cost the answer's cost in BRL, or null (a failure, or a model without a price)
   * @param error the failure, or null for an answer
   * @param errorType the failure's class as in {@link RequestEnd#errorType()}, or null
   * @param state the batch's counters after the item finished
   */
  record BatchItemEnd(
      long batchId,
      int index,
      int attempts,
      Cost cost,
      Throwable error,
      String errorType,
      BatchState state) {

    /** Whether the item got its answer. */
    public boolean isSuccess() {
      return error == null;
    }
  }

  /**
   * A batch that ended.
   *
   * @param batchId the batch
   * @param wallTime from its start to its end
   * @param failure why it stopped early (the first failure of a fail-fast batch, or a {@link
   *     java.util.concurrent.CancellationException}), or null when every item finished
   * @param state the batch's final counters
   */
  record BatchEnd(long batchId, Duration wallTime, Throwable failure, BatchState state) {}
}
