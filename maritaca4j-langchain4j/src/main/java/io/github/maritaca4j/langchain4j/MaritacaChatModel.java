package io.github.maritaca4j.langchain4j;

import static dev.langchain4j.model.chat.Capability.RESPONSE_FORMAT_JSON_SCHEMA;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.exception.LangChain4jException;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.ChatResult;
import io.github.maritaca4j.Message;
import io.github.maritaca4j.batch.BatchOptions;
import io.github.maritaca4j.cost.CostEstimate;
import io.github.maritaca4j.errors.MaritacaException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LangChain4j's {@link ChatModel} for Maritaca's Sabiá models, on a maritaca4j {@link
 * ChatMaritaca}: retries that honour {@code Retry-After}, typed errors, the cost of every answer in
 * BRL, and batches.
 *
 * <pre>{@code
 * ChatModel model = MaritacaChatModel.builder()
 *     .apiKey(System.getenv("MARITACA_API_KEY"))
 *     .modelName("sabia-4")
 *     .temperature(0.3)
 *     .build();
 * String answer = model.chat("Qual é a capital do Brasil?");
 * }</pre>
 *
 * <p>Supports text and image messages, tools (function calling, tool choice {@code AUTO}, {@code
 * REQUIRED} and {@code NONE}), JSON and JSON-schema response formats ({@link
 * Capability#RESPONSE_FORMAT_JSON_SCHEMA}, so AI services return records and POJOs through
 * structured outputs), listeners, and {@link MaritacaChatRequestParameters#serviceTier() the flex
 * tier}. {@code topK} is not supported ({@link
 * dev.langchain4j.exception.UnsupportedFeatureException}).
 *
 * <p>Errors are LangChain4j exceptions ({@code AuthenticationException}, {@code
 * InvalidRequestException}, {@code ModelNotFoundException}, {@code RateLimitException}, {@code
 * TimeoutException}, {@code InternalServerException}...) whose cause is the maritaca4j exception,
 * with the status code, the server's message and the requested retry delay. Retries happen inside
 * (see {@link MaritacaModelBuilder#maxRetries(Integer)}); LangChain4j's own retry loop is not used.
 *
 * <p>Response metadata is a {@link MaritacaChatResponseMetadata} (cost in BRL, cached tokens,
 * attempts, latency).
 *
 * <p>Batches: {@link #batchAsync(List, int)}, {@link #batchWithProgress(List, int,
 * BatchProgressCallback)} and {@link #estimateBatchCost(List, int)} run many conversations through
 * maritaca4j's batch engine (concurrency cap, rate limits, per-item errors).
 *
 * <p>Immutable and thread-safe; share one instance.
 */
public final class MaritacaChatModel implements ChatModel {
  private static final Logger LOG = LoggerFactory.getLogger(MaritacaChatModel.class);

  private final ModelSettings.Resolved settings;

  MaritacaChatModel(ModelSettings.Resolved settings) {
    this.settings = settings;
  }

  /** A builder: key from {@code MARITACA_API_KEY}, model {@code sabia-4} unless set. */
  public static Builder builder() {
    return new Builder();
  }

  /** A model on an existing client, with the client's defaults and no listeners. */
  public static MaritacaChatModel of(ChatMaritaca client) {
    return builder().client(client).build();
  }

  /** For the batch model: the resolved settings. */
  ModelSettings.Resolved settings() {
    return settings;
  }

  /** The maritaca4j client behind this model (its defaults are this model's defaults). */
  public ChatMaritaca client() {
    return settings.client();
  }

  @Override
  public ChatResponse doChat(ChatRequest chatRequest) {
    io.github.maritaca4j.ChatRequest request = settings.toCoreRequest(chatRequest);
    settings.logRequest(request, false);
    CompletableFuture<ChatResult> future = settings.client().invokeAsync(request);
    ChatResult result;
    try {
      result = future.get();
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new LangChain4jException("interrupted while waiting for Maritaca's answer", e);
    } catch (ExecutionException e) {
      throw Exceptions.toLangChain4j(e);
    }
    settings.logResponse(result);
    return Mapping.toResponse(result, request);
  }

  @Override
  public MaritacaChatRequestParameters defaultRequestParameters() {
    return settings.defaults();
  }

  @Override
  public List<ChatModelListener> listeners() {
    return settings.listeners();
  }

  @Override
  public ModelProvider provider() {
    return ModelProvider.OTHER;
  }

  @Override
  public Set<Capability> supportedCapabilities() {
    return Set.of(RESPONSE_FORMAT_JSON_SCHEMA);
  }

  @Override
  public String toString() {
    return "MaritacaChatModel[" + settings.client() + "]";
  }

  // ---- batch methods: begin

  /**
   * Runs every conversation concurrently, at most {@code maxConcurrency} at a time, and completes
   * with the answers in input order: the Python original's {@code abatch_with_concurrency(inputs,
   * max_concurrency)}. Each conversation is sent with this model's default parameters. Fails fast:
   * the first permanent failure (or an item whose retries ran out) completes the future
   * exceptionally with a LangChain4j exception (see the class comment) and nothing more is sent.
   * Cancelling the future stops the batch. An empty input completes at once, sending nothing.
   *
   * <p>Listeners are not told of batch items; see {@link #batchAsync(List, BatchOptions)} for rate
   * limits, a budget, per-item errors and events.
   *
   * @param inputs one conversation per request
   * @throws dev.langchain4j.exception.InvalidRequestException when {@code maxConcurrency < 1} or a
   *     conversation is empty or cannot be sent
   * @throws dev.langchain4j.exception.UnsupportedFeatureException for content Maritaca cannot take
   */
  public CompletableFuture<List<ChatResponse>> batchAsync(
      List<List<ChatMessage>> inputs, int maxConcurrency) {
    List<List<Message>> converted = Batches.messages(inputs);
    io.github.maritaca4j.ChatRequest template = client().defaults();
    return Batches.mapped(
        callOrThrow(() -> client().batchAsync(converted, maxConcurrency)),
        results -> Batches.responses(results, template));
  }

  /**
   * Runs every conversation under {@code options} (concurrency cap, stop sequences, {@code
   * returnExceptions}, rate limits, budget, retries, listener) and completes with one item per
   * input, in input order: the Python original's {@code abatch_with_concurrency} with {@code stop}
   * and {@code return_exceptions}. With {@code returnExceptions(true)} the future completes
   * normally and failed items hold their error; with {@code false} (the default) the first
   * permanent failure fails the future and nothing more is sent.
   *
   * @throws dev.langchain4j.exception.InvalidRequestException when a conversation is empty or
   *     cannot be sent
   */
  public CompletableFuture<MaritacaBatchResult> batchAsync(
      List<List<ChatMessage>> inputs, BatchOptions options) {
    List<List<Message>> converted = Batches.messages(inputs);
    io.github.maritaca4j.ChatRequest template = client().defaults();
    return Batches.mapped(
        callOrThrow(() -> client().batchAsync(converted, options)),
        result -> Batches.result(result, i -> template));
  }

  /**
   * Runs complete LangChain4j requests (each with its own parameters: model, tools, response
   * format, service tier...) as one batch under {@code options}; see {@link #batchAsync(List,
   * BatchOptions)}. Each request's parameters override this model's defaults, as in {@link
   * #chat(ChatRequest)}.
   *
   * @throws dev.langchain4j.exception.InvalidRequestException when a request cannot be sent
   */
  public CompletableFuture<MaritacaBatchResult> batchRequestsAsync(
      List<ChatRequest> requests, BatchOptions options) {
    Objects.requireNonNull(requests, "requests");
    List<io.github.maritaca4j.ChatRequest> converted = new ArrayList<>(requests.size());
    for (ChatRequest r : requests) {
      Objects.requireNonNull(r, "requests contains null");
      converted.add(
          settings.toCoreRequest(
              ChatRequest.builder()
                  .messages(r.messages())
                  .parameters(defaultRequestParameters().overrideWith(r.parameters()))
                  .build()));
    }
    return Batches.mapped(
        callOrThrow(() -> client().batchRequestsAsync(converted, options)),
        result -> Batches.result(result, converted::get));
  }

  /**
   * Runs every conversation, at most {@code maxConcurrency} at a time, calling {@code callback} as
   * each finishes, and returns the answers in input order: the Python original's {@code
   * batch_with_progress(inputs, max_concurrency, callback=...)}. Synchronous: the callback runs on
   * the calling thread, once per item, never concurrently. Fails fast like {@link #batchAsync(List,
   * int)}.
   *
   * @param callback told of each finished item; may be null
   * @throws dev.langchain4j.exception.LangChain4jException the first permanent failure
   */
  public List<ChatResponse> batchWithProgress(
      List<List<ChatMessage>> inputs, int maxConcurrency, BatchProgressCallback callback) {
    List<List<Message>> converted = Batches.messages(inputs);
    io.github.maritaca4j.ChatRequest template = client().defaults();
    return Batches.responses(
        callOrThrow(
            () ->
                client()
                    .batchWithProgress(
                        converted, maxConcurrency, Batches.progress(callback, template))),
        template);
  }

  /**
   * {@link #batchWithProgress(List, int, BatchProgressCallback)} under {@code options}: with {@code
   * returnExceptions(true)} failed items are reported to the callback with a null response and
   * returned in the result.
   *
   * @throws dev.langchain4j.exception.LangChain4jException the first permanent failure, when {@code
   *     returnExceptions} is false
   */
  public MaritacaBatchResult batchWithProgress(
      List<List<ChatMessage>> inputs, BatchOptions options, BatchProgressCallback callback) {
    List<List<Message>> converted = Batches.messages(inputs);
    io.github.maritaca4j.ChatRequest template = client().defaults();
    return Batches.result(
        callOrThrow(
            () ->
                client()
                    .batchWithProgress(converted, options, Batches.progress(callback, template))),
        i -> template);
  }

  /**
   * Estimates the cost of a batch before running it: the Python original's {@code
   * abatch_estimate_cost(inputs, max_output_tokens)}. Input tokens are counted with the client's
   * token counter (message framing included); every request is assumed to produce {@code
   * maxOutputTokens} tokens (capped at the model's maximum); prices in BRL, in the pricing mode in
   * force now.
   *
   * @throws dev.langchain4j.exception.NonRetriableException when the model has no price
   */
  public CostEstimate estimateBatchCost(List<List<ChatMessage>> inputs, int maxOutputTokens) {
    List<List<Message>> converted = Batches.messages(inputs);
    return callOrThrow(() -> client().estimateBatchCost(converted, maxOutputTokens));
  }

  /**
   * {@link #estimateBatchCost(List, int)} assuming this model's {@code maxTokens} per request when
   * set, else 1000 (the original's default).
   */
  public CostEstimate estimateBatchCost(List<List<ChatMessage>> inputs) {
    List<List<Message>> converted = Batches.messages(inputs);
    return callOrThrow(() -> client().estimateBatchCost(converted));
  }

  /**
   * Runs {@code call}, turning maritaca4j's exceptions and rejected arguments into LangChain4j's.
   */
  private static <T> T callOrThrow(Supplier<T> call) {
    try {
      return call.get();
    } catch (MaritacaException e) {
      throw Exceptions.map(e);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw Exceptions.invalidRequest(e);
    }
  }

  // ---- batch methods: end

  /** Builds a {@link MaritacaChatModel}; see {@link MaritacaModelBuilder} for the settings. */
  public static final class Builder extends MaritacaModelBuilder<Builder, MaritacaChatModel> {
    Builder() {}

    @Override
    Builder self() {
      return this;
    }

    @Override
    public MaritacaChatModel build() {
      return new MaritacaChatModel(s.resolve(LOG));
    }
  }
}
