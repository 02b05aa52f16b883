package io.github.maritaca4j;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.maritaca4j.batch.BatchItem;
import io.github.maritaca4j.batch.BatchListener;
import io.github.maritaca4j.batch.BatchOptions;
import io.github.maritaca4j.batch.BatchResult;
import io.github.maritaca4j.batch.BatchSummary;
import io.github.maritaca4j.batch.ProgressCallback;
import io.github.maritaca4j.batch.RateLimits;
import io.github.maritaca4j.batch.SharedLimits;
import io.github.maritaca4j.cost.Cost;
import io.github.maritaca4j.cost.CostEstimate;
import io.github.maritaca4j.cost.CostEstimator;
import io.github.maritaca4j.cost.PriceTable;
import io.github.maritaca4j.cost.TokenCounter;
import io.github.maritaca4j.errors.ConfigurationException;
import io.github.maritaca4j.errors.InvalidResponseException;
import io.github.maritaca4j.errors.MaritacaException;
import io.github.maritaca4j.errors.RateLimitException;
import io.github.maritaca4j.internal.ChatEvents;
import io.github.maritaca4j.internal.ChatSender;
import io.github.maritaca4j.internal.ClientContext;
import io.github.maritaca4j.internal.ClientContexts;
import io.github.maritaca4j.internal.Clock;
import io.github.maritaca4j.internal.ErrorMapper;
import io.github.maritaca4j.internal.HttpTransport;
import io.github.maritaca4j.internal.RestCalls;
import io.github.maritaca4j.internal.Retrier;
import io.github.maritaca4j.internal.RetryPolicy;
import io.github.maritaca4j.internal.StreamAccumulator;
import io.github.maritaca4j.internal.batch.Account;
import io.github.maritaca4j.internal.batch.Admission;
import io.github.maritaca4j.internal.batch.BatchEngine;
import io.github.maritaca4j.internal.batch.SingleCalls;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * A client for Maritaca's Sabiá chat models. Immutable and thread-safe: build one and share it
 * across threads and batches. Variants made with {@link #toBuilder()} share the HTTP client and its
 * connections.
 *
 * <pre>{@code
 * ChatMaritaca model = ChatMaritaca.create();   // key from MARITACA_API_KEY
 * String answer = model.invoke(List.of(Message.user("Qual é a capital do Brasil?"))).content();
 * }</pre>
 *
 * <p>Invalid arguments (null, an empty message list, a value out of range) throw {@link
 * IllegalArgumentException} or {@link NullPointerException} at once, before anything is sent, as
 * everywhere in this library. Every failure after that (of the server, the network, the budget, a
 * file) is a {@link MaritacaException}.
 *
 * <p>Failures are {@link MaritacaException}s. Retryable ones (IO, timeouts, 408, 409, 429, 5xx,
 * malformed answers) are retried up to {@code maxRetries} times with exponential backoff and
 * jitter, honouring the server's {@code Retry-After} / {@code retry-after-ms} up to {@code
 * maxRetryAfter}.
 *
 * <p>Threads: futures of non-streaming calls complete on the library's HTTP threads ({@code
 * maritaca4j-http-N}, one per request in flight); streamed calls on the client's executor (the JDK
 * HttpClient's unless one was given); batch callbacks as each batch method documents. Keep
 * dependent stages short, or use the {@code *Async} stages with your own executor.
 */
public final class ChatMaritaca {

  /** Maritaca's API base URL. */
  public static final String DEFAULT_BASE_URL = "https://chat.maritaca.ai/api";

  /** Environment variable holding the API key. */
  public static final String API_KEY_ENV = "MARITACA_API_KEY";

  /** Environment variable overriding the base URL. */
  public static final String BASE_URL_ENV = "MARITACA_API_BASE";

  static {
    ClientContexts.install(c -> c.context);
  }

  private final Builder config;
  private final HttpTransport transport;
  private final ClientContext context;
  private final SingleCalls singleCalls;
  private final ChatEvents events;

  private ChatMaritaca(Builder b) {
    this.config = b.copy();
    HttpClient http;
    HttpClient blockingHttp;
    if (b.httpClient != null) {
      http = b.httpClient;
      blockingHttp = b.httpClient;
    } else {
      http = b.sharedHttp != null ? b.sharedHttp : newHttpClient(b, b.executor);
      // the blocking sends run no user code inside the HTTP client (the body is read into a
      // byte array), so its internal hand-offs may run on the thread at hand: a quarter to a
      // third less CPU per request than on the JDK's default executor (BENCHMARKS.md, S5)
      blockingHttp =
          b.sharedBlockingHttp != null ? b.sharedBlockingHttp : newHttpClient(b, Runnable::run);
    }
    String key = b.apiKey;
    this.transport =
        new HttpTransport(
            http, blockingHttp, b.baseUrl, () -> key, b.timeout, b.clock, b.allowInsecureHttp);
    RetryPolicy policy =
        new RetryPolicy(b.maxRetries, b.initialBackoff, b.maxBackoff, b.maxRetryAfter);
    PriceTable prices = b.prices != null ? b.prices : PriceTable.defaults();
    TokenCounter counter =
        b.tokenCounter != null
            ? b.tokenCounter
            : b.tokenizerFile != null
                ? TokenCounter.fromVocabulary(b.tokenizerFile)
                : TokenCounter.defaults();
    Executor executor = b.executor != null ? b.executor : ForkJoinPool.commonPool();
    ChatSender sender = transport;
    ChatRequest defaults = b.defaults.buildTemplate();
    Account account = Account.shared(b.apiKey, b.baseUrl, b.clock);
    if (b.sharedLimits != null) {
      account.useShared(b.sharedLimits);
    }
    Admission admission =
        new Admission(account, defaults.model(), b.rateLimits, b.modelLimits, b.tier);
    this.events =
        b.listeners.isEmpty()
            ? ChatEvents.NONE
            : new ChatEvents(
                b.listeners,
                URI.create(b.baseUrl).getHost(),
                port(b.baseUrl),
                b.clock,
                (request, usage) -> cost(prices, b.clock, request, usage));
    this.context =
        new ClientContext(
            sender,
            policy,
            b.clock,
            executor,
            prices,
            counter,
            new CostEstimator(prices, counter),
            defaults,
            transport,
            admission,
            events);
    this.singleCalls =
        new SingleCalls(
            admission,
            b.clock,
            executor,
            policy,
            counter::countRequest,
            model ->
                prices
                    .find(model)
                    .map(io.github.maritaca4j.cost.ModelPrice::maxOutputTokens)
                    .orElse(ChatRequest.MAX_OUTPUT_TOKENS),
            b.timeout);
  }

  /** A builder with every default: key from {@code MARITACA_API_KEY}, model {@code sabia-4}. */
  public static Builder builder() {
    return new Builder();
  }

  /** A client with every default (key from {@code MARITACA_API_KEY}). */
  public static ChatMaritaca create() {
    return builder().build();
  }

  /**
   * A builder holding this client's settings; the client it builds shares this one's HTTP client
   * (connections, executor) unless {@link Builder#httpClient} or {@link Builder#executor} is set
   * again.
   */
  public Builder toBuilder() {
    Builder b = config.copy();
    b.sharedHttp = transport.httpClient();
    b.sharedBlockingHttp = transport.blockingHttpClient();
    return b;
  }

  private static HttpClient newHttpClient(Builder b, Executor executor) {
    HttpClient.Builder hb =
        HttpClient.newBuilder()
            .connectTimeout(b.connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER);
    if (b.baseUrl.regionMatches(true, 0, "http:", 0, 5)) {
      hb.version(HttpClient.Version.HTTP_1_1);
    }
    if (executor != null) {
      hb.executor(executor);
    }
    return hb.build();
  }

  /** The default model id. */
  public String model() {
    return context.defaults().model();
  }

  /** The API base URL. */
  public String baseUrl() {
    return transport.baseUrl();
  }

  /** The price table used for costs and estimates. */
  public PriceTable priceTable() {
    return context.prices();
  }

  /** The token counter used for estimates and rate-limit reservations. */
  public TokenCounter tokenCounter() {
    return context.tokenCounter();
  }

  /** The estimator behind {@link #estimateBatchCost}; shares this client's prices and counter. */
  public CostEstimator costEstimator() {
    return context.estimator();
  }

  /** The default request parameters, without messages. */
  public ChatRequest defaults() {
    return context.defaults();
  }

  /**
   * A request builder pre-filled with this client's defaults and the given messages: adjust
   * per-call parameters (tools, response format, max tokens...) and {@code build()}.
   */
  public ChatRequest.Builder request(List<Message> messages) {
    Objects.requireNonNull(messages, "messages");
    if (messages.isEmpty()) {
      throw new IllegalArgumentException("a chat request needs at least one message");
    }
    return context.defaults().toBuilder().messages(messages);
  }

  /**
   * Sends the messages with this client's defaults and waits for the answer.
   *
   * @throws MaritacaException when the call fails after retries
   */
  public ChatResult invoke(List<Message> messages) {
    return invoke(request(messages).build());
  }

  /**
   * Sends the request and waits for the answer.
   *
   * @throws MaritacaException when the call fails after retries
   */
  public ChatResult invoke(ChatRequest request) {
    return join(invokeAsync(request));
  }

  /** Sends the messages with this client's defaults; the future completes on the executor. */
  public CompletableFuture<ChatResult> invokeAsync(List<Message> messages) {
    return invokeAsync(request(messages).build());
  }

  /**
   * Sends the request. The future completes with the answer or fails with a {@link
   * MaritacaException}; cancelling it cancels the HTTP exchange and any pending retry.
   */
  public CompletableFuture<ChatResult> invokeAsync(ChatRequest request) {
    Objects.requireNonNull(request, "request");
    int[] attempts = new int[1];
    return priced(
        request,
        Retrier.run(
            () ->
                singleCalls.attempt(
                    request,
                    () ->
                        events.observe(
                            request, false, 0, -1, ++attempts[0], () -> transport.send(request))),
            context.retryPolicy(),
            context.clock(),
            () -> true));
  }

  /**
   * The models the server offers ({@code GET /models}), in the server's order; retried like a call.
   *
   * @throws MaritacaException when the call fails after retries, or the answer has no {@code data}
   *     list
   */
  public List<ModelInfo> listModels() {
    JsonNode root = RestCalls.of(context).get("/models");
    JsonNode data = root.path("data");
    if (!data.isArray()) {
      throw new InvalidResponseException(
          "GET /models from " + transport.host() + ": no \"data\" list", 200, null);
    }
    List<ModelInfo> models = new java.util.ArrayList<>();
    for (JsonNode m : data) {
      if (!m.hasNonNull("id")) {
        continue;
      }
      JsonNode top = m.path("top_provider");
      models.add(
          new ModelInfo(
              m.get("id").asText(),
              m.hasNonNull("owned_by") ? m.get("owned_by").asText() : null,
              m.path("created").asLong(0),
              m.path("context_length").asLong(top.path("context_length").asLong(0)),
              top.path("max_completion_tokens").asLong(0)));
    }
    return List.copyOf(models);
  }

  /** Adds the cost; cancelling the returned future cancels {@code inner}. */
  private CompletableFuture<ChatResult> priced(
      ChatRequest request, CompletableFuture<ChatResult> inner) {
    CompletableFuture<ChatResult> outer = inner.thenApply(r -> withCost(request, r));
    outer.whenComplete(
        (r, e) -> {
          if (outer.isCancelled()) {
            inner.cancel(true);
          }
        });
    return outer;
  }

  /**
   * Streams the answer to {@code handler} as it is generated; the future completes with the whole
   * answer (usage included). See {@link StreamHandler} for threading and retries.
   */
  public CompletableFuture<ChatResult> stream(List<Message> messages, StreamHandler handler) {
    return stream(request(messages).build(), handler);
  }

  /** Streams the answer to the request; see {@link #stream(List, StreamHandler)}. */
  public CompletableFuture<ChatResult> stream(ChatRequest request, StreamHandler handler) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(handler, "handler");
    StreamAccumulator[] current = new StreamAccumulator[1];
    int[] attempts = new int[1];
    return priced(
        request,
        Retrier.run(
            () ->
                singleCalls.attempt(
                    request,
                    () ->
                        events.observe(
                            request,
                            true,
                            0,
                            -1,
                            ++attempts[0],
                            () -> {
                              StreamAccumulator acc =
                                  new StreamAccumulator(handler, transport.secret());
                              current[0] = acc;
                              return transport.stream(request, acc);
                            })),
            context.retryPolicy(),
            context.clock(),
            () -> current[0] == null || !current[0].delivered()));
  }

  /** Attaches the actual cost when the model is in the price table. */
  ChatResult withCost(ChatRequest request, ChatResult r) {
    Cost cost = cost(context.prices(), context.clock(), request, r.usage());
    return cost == null ? r : r.withCost(cost);
  }

  /**
   * The cost of {@code usage} at the pricing mode in force now, or null for a model without price.
   */
  private static Cost cost(PriceTable prices, Clock clock, ChatRequest request, Usage usage) {
    String model = request.model();
    if (!prices.contains(model)) {
      return null;
    }
    return prices.cost(model, usage, PriceTable.modeFor(request.serviceTier(), clock.now()));
  }

  /** The port of a base URL (the builder checked it), or its scheme's default. */
  private static int port(String baseUrl) {
    URI u = URI.create(baseUrl);
    if (u.getPort() >= 0) {
      return u.getPort();
    }
    return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
  }

  /** Waits for a future, rethrowing its failure unwrapped. */
  static <T> T join(CompletableFuture<T> f) {
    try {
      return f.join();
    } catch (CancellationException e) {
      throw e;
    } catch (RuntimeException e) {
      throw ErrorMapper.fromThrowable(e, "server");
    }
  }

  // ---- batch methods: begin

  /**
   * Runs every input concurrently, at most {@code maxConcurrency} at a time, and completes with the
   * answers in input order: the Python original's {@code abatch_with_concurrency(inputs,
   * max_concurrency)}. Fails fast: the first permanent failure (or an item whose retries ran out)
   * completes the future exceptionally with that {@link MaritacaException} and nothing more is
   * sent. Cancelling the future stops the batch. An empty input completes at once, sending nothing.
   *
   * <p>See {@link #batchAsync(List, BatchOptions)} for rate limits, budgets, per-item errors and
   * events.
   *
   * @param inputs one message list per request, each sent with this client's defaults
   * @throws IllegalArgumentException when {@code maxConcurrency < 1} or an input has no messages
   */
  public CompletableFuture<List<ChatResult>> batchAsync(
      List<List<Message>> inputs, int maxConcurrency) {
    BatchOptions options = BatchOptions.withConcurrency(maxConcurrency);
    return BatchEngine.of(context)
        .runForResults(BatchEngine.requests(context.defaults(), inputs), options, null);
  }

  /**
   * Runs every input under {@code options} (concurrency cap, stop sequences, {@code
   * returnExceptions}, rate limits, budget, retries, listener) and completes with one {@link
   * BatchItem} per input, in input order. With {@code returnExceptions(true)} the future always
   * completes normally, failed items holding their error; with {@code false} (the default) the
   * first permanent failure completes it exceptionally with that {@link MaritacaException} and
   * nothing more is sent. Cancelling the future stops dispatch and cancels the requests in flight.
   * Listener events run on this client's executor, one at a time.
   *
   * @param inputs one message list per request, each sent with this client's defaults
   * @throws IllegalArgumentException when an input has no messages
   */
  public CompletableFuture<BatchResult> batchAsync(
      List<List<Message>> inputs, BatchOptions options) {
    return BatchEngine.of(context)
        .run(BatchEngine.requests(context.defaults(), inputs), options, null);
  }

  /**
   * Like {@link #batchAsync(List, BatchOptions)} for requests built by the caller (each with its
   * own parameters).
   */
  public CompletableFuture<BatchResult> batchRequestsAsync(
      List<ChatRequest> requests, BatchOptions options) {
    Objects.requireNonNull(requests, "requests");
    return BatchEngine.of(context).run(List.copyOf(requests), options, null);
  }

  /**
   * Runs every input, at most {@code maxConcurrency} at a time, calling {@code callback} as each
   * finishes, and returns the answers in input order: the Python original's {@code
   * batch_with_progress}. Synchronous: the callback runs on the calling thread, once per item,
   * {@code completed} counting 1..total, never concurrently; an exception it throws is logged and
   * ignored. Fails fast like {@link #batchAsync(List, int)}.
   *
   * @param callback told of each finished item; may be null
   * @throws MaritacaException the first permanent failure
   */
  public List<ChatResult> batchWithProgress(
      List<List<Message>> inputs, int maxConcurrency, ProgressCallback callback) {
    return batchWithProgress(inputs, BatchOptions.withConcurrency(maxConcurrency), callback)
        .results();
  }

  /**
   * {@link #batchWithProgress(List, int, ProgressCallback)} under {@code options}: with {@code
   * returnExceptions(true)} failed items are reported to the callback with a null result and
   * returned in the {@link BatchResult}. The callback and the listener run on the calling thread.
   *
   * @throws MaritacaException the first permanent failure, when {@code returnExceptions} is false
   */
  public BatchResult batchWithProgress(
      List<List<Message>> inputs, BatchOptions options, ProgressCallback callback) {
    return BatchEngine.of(context)
        .runSync(BatchEngine.requests(context.defaults(), inputs), options, callback);
  }

  /**
   * Estimates the cost of a batch before running it: the Python original's {@code
   * abatch_estimate_cost(inputs, max_output_tokens)}. Input tokens are counted with this client's
   * token counter; every request is assumed to produce {@code maxOutputTokens} output tokens
   * (capped at the model's maximum); prices are this client's, in the pricing mode in force now.
   *
   * @throws ConfigurationException when the model has no price
   */
  public CostEstimate estimateBatchCost(List<List<Message>> inputs, int maxOutputTokens) {
    return BatchEngine.estimate(context, inputs, maxOutputTokens);
  }

  /**
   * {@link #estimateBatchCost(List, int)} assuming this client's {@code maxTokens} per request when
   * set, else 1000 (the original's default).
   */
  public CostEstimate estimateBatchCost(List<List<Message>> inputs) {
    return BatchEngine.estimate(context, inputs, null);
  }

  /**
   * Runs a stream of requests of any length in constant memory: requests are pulled from the
   * iterator only when they can be sent (on the dispatching thread, never concurrently), and each
   * finished item goes to the options' listener ({@link BatchListener#onItemCompleted}) with its
   * index, in completion order; nothing is kept. The future completes with the totals. An exception
   * thrown by the iterator ends the batch with that exception.
   */
  public CompletableFuture<BatchSummary> batch(
      Iterator<ChatRequest> requests, BatchOptions options) {
    return batch(requests, -1, options);
  }

  /**
   * {@link #batch(Iterator, BatchOptions)} with the number of requests known in advance (reported
   * as {@code total} in progress), or -1.
   */
  public CompletableFuture<BatchSummary> batch(
      Iterator<ChatRequest> requests, int total, BatchOptions options) {
    return BatchEngine.of(context).stream(requests, total, options);
  }

  // ---- batch methods: end

  @Override
  public String toString() {
    return "ChatMaritaca[model="
        + model()
        + ", baseUrl="
        + baseUrl()
        + ", apiKey="
        + (config.apiKey == null || config.apiKey.isBlank() ? "missing" : "set")
        + "]";
  }

  /**
   * Builds a {@link ChatMaritaca}. Setters validate their argument at once ({@link
   * IllegalArgumentException} naming the bad value). Not thread-safe.
   */
  public static final class Builder {
    private String apiKey = System.getenv(API_KEY_ENV);
    private String baseUrl = envOr(BASE_URL_ENV, DEFAULT_BASE_URL);
    private ChatRequest.Builder defaults = ChatRequest.builder();
    private Duration timeout = Duration.ofSeconds(180);
    private Duration connectTimeout = Duration.ofSeconds(10);
    private int maxRetries = RetryPolicy.DEFAULT.maxRetries();
    private Duration initialBackoff = RetryPolicy.DEFAULT.initialBackoff();
    private Duration maxBackoff = RetryPolicy.DEFAULT.maxBackoff();
    private Duration maxRetryAfter = RetryPolicy.DEFAULT.maxRetryAfter();
    private Executor executor;
    private HttpClient httpClient;
    private HttpClient sharedHttp;
    private HttpClient sharedBlockingHttp;
    private boolean allowInsecureHttp;
    private PriceTable prices;
    private TokenCounter tokenCounter;
    private Path tokenizerFile;
    private Clock clock = Clock.system();
    private RateLimits rateLimits = RateLimits.UNKNOWN;
    private Map<String, RateLimits> modelLimits = new LinkedHashMap<>();
    private int tier = -1;
    private SharedLimits sharedLimits;
    private List<ChatListener> listeners = new ArrayList<>();

    Builder() {}

    private static String envOr(String name, String fallback) {
      String v = System.getenv(name);
      return v == null || v.isBlank() ? fallback : v.strip();
    }

    Builder copy() {
      Builder b = new Builder();
      b.apiKey = apiKey;
      b.baseUrl = baseUrl;
      b.defaults = defaults.buildTemplate().toBuilder();
      b.timeout = timeout;
      b.connectTimeout = connectTimeout;
      b.maxRetries = maxRetries;
      b.initialBackoff = initialBackoff;
      b.maxBackoff = maxBackoff;
      b.maxRetryAfter = maxRetryAfter;
      b.executor = executor;
      b.httpClient = httpClient;
      b.sharedHttp = sharedHttp;
      b.sharedBlockingHttp = sharedBlockingHttp;
      b.allowInsecureHttp = allowInsecureHttp;
      b.prices = prices;
      b.tokenCounter = tokenCounter;
      b.tokenizerFile = tokenizerFile;
      b.clock = clock;
      b.rateLimits = rateLimits;
      b.modelLimits = new LinkedHashMap<>(modelLimits);
      b.tier = tier;
      b.sharedLimits = sharedLimits;
      b.listeners = new ArrayList<>(listeners);
      return b;
    }

    /** The API key (default: the {@code MARITACA_API_KEY} environment variable). */
    public Builder apiKey(String apiKey) {
      this.apiKey = apiKey;
      return this;
    }

    /**
     * The API base URL, e.g. {@code https://chat.maritaca.ai/api} (default: {@code
     * MARITACA_API_BASE}, else that URL). Requests go to {@code {baseUrl}/chat/completions}.
     */
    public Builder baseUrl(String baseUrl) {
      Objects.requireNonNull(baseUrl, "baseUrl");
      URI u;
      try {
        u = URI.create(baseUrl.strip());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("baseUrl is not a valid URL: '" + baseUrl + "'", e);
      }
      if (u.getScheme() == null
          || !(u.getScheme().equalsIgnoreCase("http") || u.getScheme().equalsIgnoreCase("https"))
          || u.getHost() == null) {
        throw new IllegalArgumentException(
            "baseUrl must be an http(s) URL with a host, was '" + baseUrl + "'");
      }
      this.baseUrl = baseUrl.strip();
      if (httpClient == null) {
        sharedHttp = null; // the HTTP version may differ
        sharedBlockingHttp = null;
      }
      return this;
    }

    /** The default model, e.g. {@code sabia-4} (the default) or {@code sabiazinho-4}. */
    public Builder model(String model) {
      defaults.model(model);
      return this;
    }

    /** Default temperature, 0.0 to 2.0. */
    public Builder temperature(double temperature) {
      defaults.temperature(temperature);
      return this;
    }

    /** Default top_p, 0.0 to 1.0. */
    public Builder topP(double topP) {
      defaults.topP(topP);
      return this;
    }

    /** Default output token limit, 1 to 32768. */
    public Builder maxTokens(int maxTokens) {
      defaults.maxTokens(maxTokens);
      return this;
    }

    /** Default stop sequences. */
    public Builder stop(List<String> stop) {
      defaults.stop(stop);
      return this;
    }

    /** Default frequency penalty, -2.0 to 2.0. */
    public Builder frequencyPenalty(double penalty) {
      defaults.frequencyPenalty(penalty);
      return this;
    }

    /** Default presence penalty, -2.0 to 2.0. */
    public Builder presencePenalty(double penalty) {
      defaults.presencePenalty(penalty);
      return this;
    }

    /** Default number of choices. */
    public Builder n(int n) {
      defaults.n(n);
      return this;
    }

    /** Default service tier ({@link ServiceTier#FLEX} for half price, subject to capacity). */
    public Builder serviceTier(ServiceTier tier) {
      defaults.serviceTier(tier);
      return this;
    }

    /** Default tools. */
    public Builder tools(List<Tool> tools) {
      defaults.tools(tools);
      return this;
    }

    /** Default tool choice. */
    public Builder toolChoice(ToolChoice choice) {
      defaults.toolChoice(choice);
      return this;
    }

    /** Default response format. */
    public Builder responseFormat(ResponseFormat format) {
      defaults.responseFormat(format);
      return this;
    }

    /**
     * Per-attempt timeout (default 180 s): the whole answer must arrive within it, or for a stream
     * no silence may last longer.
     */
    public Builder timeout(Duration timeout) {
      this.timeout = positive("timeout", timeout);
      return this;
    }

    /** Connection timeout (default 10 s). */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive("connectTimeout", timeout);
      sharedHttp = null;
      sharedBlockingHttp = null;
      return this;
    }

    /** Retries after the first attempt for retryable failures (default 2; 0 disables). */
    public Builder maxRetries(int maxRetries) {
      if (maxRetries < 0) {
        throw new IllegalArgumentException("maxRetries must not be negative, was " + maxRetries);
      }
      this.maxRetries = maxRetries;
      return this;
    }

    /**
     * Exponential backoff between retries when the server gives no hint: the first wait is about
     * {@code initial} (jittered over [initial/2, initial]), doubling up to {@code max}. Defaults
     * 500 ms and 30 s.
     */
    public Builder retryBackoff(Duration initial, Duration max) {
      positive("initial backoff", initial);
      positive("max backoff", max);
      if (max.compareTo(initial) < 0) {
        throw new IllegalArgumentException(
            "max backoff " + max + " must not be below the initial backoff " + initial);
      }
      this.initialBackoff = initial;
      this.maxBackoff = max;
      return this;
    }

    /**
     * The longest server-requested wait ({@code Retry-After}) the client accepts (default 60 s).
     * When the server asks for more, the call fails with a {@link RateLimitException} whose {@link
     * RateLimitException#exceededMaxWait()} is true and which carries the requested delay.
     */
    public Builder maxRetryAfter(Duration max) {
      Objects.requireNonNull(max, "maxRetryAfter");
      if (max.isNegative()) {
        throw new IllegalArgumentException("maxRetryAfter must not be negative, was " + max);
      }
      this.maxRetryAfter = max;
      return this;
    }

    /**
     * The executor for HTTP work and callbacks (default: the JDK HttpClient's own, and the common
     * pool for library work).
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      sharedHttp = null; // the blocking sends' client does not use it: still shared
      return this;
    }

    /** A JDK HttpClient to use as is (its executor, timeouts and proxy settings apply). */
    public Builder httpClient(HttpClient httpClient) {
      this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
      return this;
    }

    /**
     * Allows sending the key over plain {@code http://} to a host other than this machine (default
     * false: such calls fail with a {@link ConfigurationException}).
     */
    public Builder allowInsecureHttp(boolean allow) {
      this.allowInsecureHttp = allow;
      return this;
    }

    /** The price table for costs and estimates (default: the bundled one). */
    public Builder priceTable(PriceTable prices) {
      this.prices = Objects.requireNonNull(prices, "prices");
      return this;
    }

    /** The token counter for estimates (default: {@link TokenCounter#defaults()}). */
    public Builder tokenCounter(TokenCounter counter) {
      this.tokenCounter = Objects.requireNonNull(counter, "tokenCounter");
      return this;
    }

    /** Counts tokens exactly with a tiktoken-format vocabulary file (e.g. Sabiá's). */
    public Builder tokenizerFile(Path file) {
      this.tokenizerFile = Objects.requireNonNull(file, "tokenizerFile");
      return this;
    }

    /**
     * The wall clock (default {@link java.time.Clock#systemUTC()}): it decides the pricing mode of
     * each answer (off-peak from 22:00 to 06:00 Brasília time), the mode of estimates made with
     * {@link ChatMaritaca#estimateBatchCost}, HTTP-date {@code Retry-After} hints from servers that
     * send no {@code Date} header, and the timestamps of Batch API jobs. Timers, backoff and
     * rate-limit pacing always run on the system's monotonic time. Give a fixed or offset clock to
     * see or test what a run would cost at another hour.
     */
    public Builder clock(java.time.Clock clock) {
      this.clock = Clock.system(clock);
      return this;
    }

    /**
     * The account's rate limits for this client's default model (the one {@link #model} sets).
     * Limits belong to the account (API key and base URL), not to a client or a batch: every call,
     * stream and batch of every client on the same account in this JVM is paced by one limiter, and
     * clients that disagree get the lowest limit. When none is given, the limiter learns the limits
     * from the server's {@code x-ratelimit-*} headers and its 429s.
     */
    public Builder rateLimits(RateLimits limits) {
      this.rateLimits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /** The account's rate limits for {@code model} (see {@link #rateLimits(RateLimits)}). */
    public Builder rateLimits(String model, RateLimits limits) {
      Objects.requireNonNull(model, "model");
      Objects.requireNonNull(limits, "limits");
      if (model.isBlank()) {
        throw new IllegalArgumentException("model must not be blank");
      }
      modelLimits.put(model.strip(), limits);
      return this;
    }

    /**
     * The account's Maritaca tier (0 to 5): the published limits of every model the table lists
     * ({@link RateLimits#tier(int, String)}). Limits given for a model with {@code rateLimits} take
     * precedence.
     */
    public Builder tier(int tier) {
      if (tier < 0 || tier > 5) {
        throw new IllegalArgumentException("tier must be between 0 and 5, was " + tier);
      }
      this.tier = tier;
      return this;
    }

    /**
     * Keeps the account's rate-limit state (token buckets, the 429 pause) in a store shared by
     * processes, e.g. {@code SharedLimits.connect("redis://host:6379")} with {@code
     * maritaca4j-redis}, so that N processes on N machines using one key share its limits. Applies
     * to the whole account in this JVM (every client with this key and base URL). The store is not
     * closed by the client. When it fails, the client paces locally and tries it again a second
     * later.
     */
    public Builder sharedLimits(SharedLimits store) {
      this.sharedLimits = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * Adds a listener told of every request this client sends (each attempt of single calls,
     * streams and batch items) and of every batch it runs: for metrics and traces, e.g. {@code
     * maritaca4j-micrometer}'s {@code MaritacaObservability}. Additive: several listeners are
     * called in the order they were added. A listener must be quick and thread-safe; what it throws
     * is logged and ignored. See {@link ChatListener} for threads and content.
     */
    public Builder listener(ChatListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** Builds the client. Never fails for a missing key: that is reported at the first call. */
    public ChatMaritaca build() {
      return new ChatMaritaca(this);
    }

    private static Duration positive(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + d);
      }
      return d;
    }

    @Override
    public String toString() {
      return "ChatMaritaca.Builder[baseUrl="
          + baseUrl
          + ", apiKey="
          + (apiKey == null || apiKey.isBlank() ? "missing" : "set")
          + "]";
    }
  }
}
