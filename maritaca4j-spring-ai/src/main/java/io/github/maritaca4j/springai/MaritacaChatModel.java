package io.github.maritaca4j.springai;

import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.ChatRequest;
import io.github.maritaca4j.ChatResult;
import io.github.maritaca4j.Message;
import io.github.maritaca4j.batch.BatchOptions;
import io.github.maritaca4j.cost.CostEstimate;
import io.github.maritaca4j.errors.MaritacaException;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.MessageAggregator;
import org.springframework.ai.chat.model.StreamingChatModel;
import org.springframework.ai.chat.observation.ChatModelObservationContext;
import org.springframework.ai.chat.observation.ChatModelObservationConvention;
import org.springframework.ai.chat.observation.ChatModelObservationDocumentation;
import org.springframework.ai.chat.observation.DefaultChatModelObservationConvention;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingManager;
import reactor.core.publisher.Flux;

/**
 * Spring AI's {@link ChatModel} and {@link StreamingChatModel} for Maritaca's Sabiá models, on a
 * maritaca4j {@link ChatMaritaca}: the account's rate limits paced at the client, retries that
 * honour {@code Retry-After} (429s included, which Spring AI's own retry handler does not retry),
 * the cost of every answer in BRL, and batches of prompts through maritaca4j's batch engine.
 *
 * <pre>{@code
 * MaritacaChatModel model = MaritacaChatModel.builder()
 *     .client(ChatMaritaca.builder().model("sabia-4").build())   // key from MARITACA_API_KEY
 *     .build();
 * String answer = ChatClient.create(model).prompt("Qual é a capital do Brasil?").call().content();
 * }</pre>
 *
 * <p><b>Options.</b> A prompt's options ({@link MaritacaChatOptions}, or any {@code ChatOptions})
 * override the model's {@link #getOptions() default options}, which start from the client's
 * defaults. Tools: the definitions of the options' tool callbacks (resolved by the {@link
 * ToolCallingManager}) are sent; the model answers with tool calls and does not run them: as
 * everywhere in Spring AI 2.0, {@code ChatClient}'s tool-calling advisor runs the loop. Structured
 * output: {@code ChatClient...entity(Type.class, spec -> spec.useProviderStructuredOutput())} sends
 * the schema as a {@code json_schema} response format.
 *
 * <p><b>Responses.</b> One generation per choice; the metadata holds the id, the model, a {@code
 * DefaultUsage} (with cached input tokens as {@code cacheReadInputTokens} and maritaca4j's {@link
 * io.github.maritaca4j.Usage} as the native usage), a {@link MaritacaRateLimit} when the server
 * sent {@code x-ratelimit-*} headers, and the keys {@code cost} (a maritaca4j {@code Cost} in BRL),
 * {@code attempts}, {@code latency}, {@code request-id}, {@code service-tier}, {@code created},
 * {@code system-fingerprint}.
 *
 * <p><b>Errors.</b> Spring AI's {@code TransientAiException} (429, 5xx, 408, 409, timeouts,
 * connection failures, malformed answers: what maritaca4j retried without success) or {@code
 * NonTransientAiException} (every other 4xx, a missing key, a budget, a request the API cannot
 * take), with the maritaca4j exception as the cause.
 *
 * <p><b>Observations.</b> Each call and stream is one {@code ChatModelObservationDocumentation}
 * observation with provider {@value #PROVIDER}, in the {@link ObservationRegistry} given (none by
 * default). Batch items are not observed here.
 *
 * <p>Immutable and thread-safe; share one instance. Streams emit on the client's executor.
 */
public final class MaritacaChatModel implements ChatModel {
  /** The provider name in observations ({@code gen_ai.provider.name}). */
  public static final String PROVIDER = "maritaca";

  private static final ChatModelObservationConvention DEFAULT_CONVENTION =
      new DefaultChatModelObservationConvention();

  private final ChatMaritaca client;
  private final MaritacaChatOptions defaultOptions;
  private final ToolCallingManager toolCallingManager;
  private final ObservationRegistry observationRegistry;
  private final ChatModelObservationConvention observationConvention;
  private final BatchOptions batchOptions;

  private MaritacaChatModel(Builder b) {
    this.client = b.client != null ? b.client : ChatMaritaca.create();
    MaritacaChatOptions base = Mapping.fromDefaults(client.defaults());
    this.defaultOptions =
        b.defaultOptions == null ? base : MaritacaChatOptions.merge(base, b.defaultOptions);
    this.toolCallingManager =
        b.toolCallingManager != null ? b.toolCallingManager : ToolCallingManager.builder().build();
    this.observationRegistry = b.observationRegistry;
    this.observationConvention = b.observationConvention;
    this.batchOptions = b.batchOptions;
  }

  /** A builder: a client from the environment ({@code MARITACA_API_KEY}) unless one is given. */
  public static Builder builder() {
    return new Builder();
  }

  /** A model on {@code client}, with the client's defaults, no observations. */
  public static MaritacaChatModel of(ChatMaritaca client) {
    return builder().client(client).build();
  }

  /** The maritaca4j client behind this model. */
  public ChatMaritaca client() {
    return client;
  }

  /** The default options: the client's defaults with the builder's {@code defaultOptions} over. */
  @Override
  public MaritacaChatOptions getOptions() {
    return defaultOptions;
  }

  /** The batch options of {@link #batch(List)}. */
  public BatchOptions batchOptions() {
    return batchOptions;
  }

  // ---- single calls

  /**
   * Sends the prompt and waits for the answer.
   *
   * @throws org.springframework.ai.retry.TransientAiException after retries, for a failure worth
   *     trying again later
   * @throws org.springframework.ai.retry.NonTransientAiException for a request the server refused
   *     or that cannot be sent
   */
  @Override
  public ChatResponse call(Prompt prompt) {
    Prompt effective = effective(prompt);
    ChatRequest request = toRequest(effective);
    ChatModelObservationContext context =
        ChatModelObservationContext.builder().prompt(effective).provider(PROVIDER).build();
    return observation(context)
        .observe(
            () -> {
              ChatResult result;
              try {
                result = client.invoke(request);
              } catch (MaritacaException e) {
                throw Errors.map(e);
              }
              ChatResponse response = Mapping.toResponse(result, request);
              context.setResponse(response);
              return response;
            });
  }

  /**
   * Streams the answer: one response per text piece as it arrives, then a last one holding the
   * complete tool calls (if any), the finish reason, the usage, the cost and the rate limit.
   * Cancelling the subscription cancels the HTTP exchange. Errors as in {@link #call(Prompt)}.
   */
  @Override
  public Flux<ChatResponse> stream(Prompt prompt) {
    return Flux.deferContextual(
        contextView -> {
          Prompt effective = effective(prompt);
          ChatRequest request = toRequest(effective);
          ChatModelObservationContext context =
              ChatModelObservationContext.builder()
                  .prompt(effective)
                  .provider(PROVIDER)
                  .streaming(true)
                  .build();
          Observation observation = observation(context);
          Observation parent = contextView.getOrDefault(ObservationThreadLocalAccessor.KEY, null);
          observation.parentObservation(parent);
          try (Observation.Scope ignored =
              parent != null ? parent.openScope() : Observation.Scope.NOOP) {
            observation.start();
          }
          Flux<ChatResponse> flux =
              Flux.<ChatResponse>create(sink -> StreamBridge.start(client, request, sink))
                  .doOnError(observation::error)
                  .doFinally(signal -> observation.stop())
                  .contextWrite(c -> c.put(ObservationThreadLocalAccessor.KEY, observation));
          return new MessageAggregator().aggregate(flux, context::setResponse);
        });
  }

  private Observation observation(ChatModelObservationContext context) {
    return ChatModelObservationDocumentation.CHAT_MODEL_OPERATION.observation(
        observationConvention, DEFAULT_CONVENTION, () -> context, observationRegistry);
  }

  /** The prompt with the options that apply: the prompt's over this model's defaults. */
  private Prompt effective(Prompt prompt) {
    Objects.requireNonNull(prompt, "prompt");
    MaritacaChatOptions options;
    try {
      options = MaritacaChatOptions.merge(defaultOptions, prompt.getOptions());
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw Errors.invalidRequest(e);
    }
    return prompt.getOptions() == options ? prompt : prompt.mutate().chatOptions(options).build();
  }

  /** The maritaca4j request for a prompt whose options are already merged. */
  private ChatRequest toRequest(Prompt effective) {
    try {
      List<Message> messages = Mapping.toMessages(effective.getInstructions());
      return Mapping.toRequest(
          client.defaults(),
          messages,
          (MaritacaChatOptions) effective.getOptions(),
          toolCallingManager);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw Errors.invalidRequest(e);
    }
  }

  // ---- batch methods: begin

  /**
   * Runs every prompt through maritaca4j's batch engine under {@code options} (concurrency cap,
   * stop sequences, {@code returnExceptions}, rate limits, budget, retries, listener), each with
   * its own options over this model's defaults, and completes with one item per prompt, in input
   * order: the same engine, options, results and listener events as {@link
   * ChatMaritaca#batchAsync(List, BatchOptions)}. With {@code returnExceptions(true)} the future
   * completes normally and failed items hold their Spring AI exception; with {@code false} (the
   * default) the first permanent failure fails the future (with the Spring AI exception) and
   * nothing more is sent. Cancelling the future stops the batch. Tool calls in answers are
   * returned, not run. An empty list completes at once, sending nothing.
   *
   * @throws org.springframework.ai.retry.NonTransientAiException when a prompt cannot be sent
   */
  public CompletableFuture<MaritacaBatchResult> batch(List<Prompt> prompts, BatchOptions options) {
    Objects.requireNonNull(options, "options");
    List<ChatRequest> requests = requests(prompts);
    CompletableFuture<io.github.maritaca4j.batch.BatchResult> inner;
    try {
      inner = client.batchRequestsAsync(requests, options);
    } catch (MaritacaException e) {
      throw Errors.map(e);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw Errors.invalidRequest(e);
    }
    CompletableFuture<MaritacaBatchResult> outer = new CompletableFuture<>();
    inner.whenComplete(
        (result, error) -> {
          if (error != null) {
            outer.completeExceptionally(Errors.toSpring(error));
            return;
          }
          try {
            outer.complete(MaritacaBatchResult.of(result, requests));
          } catch (RuntimeException e) {
            outer.completeExceptionally(e);
          }
        });
    outer.whenComplete(
        (value, error) -> {
          if (outer.isCancelled()) {
            inner.cancel(true);
          }
        });
    return outer;
  }

  /** {@link #batch(List, BatchOptions)} with this model's {@link #batchOptions()}. */
  public CompletableFuture<MaritacaBatchResult> batch(List<Prompt> prompts) {
    return batch(prompts, batchOptions);
  }

  /**
   * Estimates the cost of running the prompts before running them: input tokens counted with the
   * client's token counter, {@code maxOutputTokens} assumed per answer, BRL at the client's prices
   * in the pricing mode in force now.
   */
  public CostEstimate estimateBatchCost(List<Prompt> prompts, int maxOutputTokens) {
    List<ChatRequest> requests = requests(prompts);
    List<List<Message>> messages = new ArrayList<>(requests.size());
    for (ChatRequest r : requests) {
      messages.add(r.messages());
    }
    return call(() -> client.estimateBatchCost(messages, maxOutputTokens));
  }

  private List<ChatRequest> requests(List<Prompt> prompts) {
    Objects.requireNonNull(prompts, "prompts");
    List<ChatRequest> requests = new ArrayList<>(prompts.size());
    for (int i = 0; i < prompts.size(); i++) {
      Prompt p = prompts.get(i);
      if (p == null) {
        throw Errors.invalidRequest(new IllegalArgumentException("prompts[" + i + "] is null"));
      }
      requests.add(toRequest(effective(p)));
    }
    return requests;
  }

  private static <T> T call(Supplier<T> call) {
    try {
      return call.get();
    } catch (MaritacaException e) {
      throw Errors.map(e);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw Errors.invalidRequest(e);
    }
  }

  // ---- batch methods: end

  @Override
  public String toString() {
    return "MaritacaChatModel[" + client + ", " + defaultOptions + "]";
  }

  /** Builds a {@link MaritacaChatModel}. Not thread-safe. */
  public static final class Builder {
    private ChatMaritaca client;
    private MaritacaChatOptions defaultOptions;
    private ToolCallingManager toolCallingManager;
    private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;
    private ChatModelObservationConvention observationConvention;
    private BatchOptions batchOptions = BatchOptions.defaults();

    private Builder() {}

    /** The maritaca4j client (key, base URL, rate limits, retries, defaults). */
    public Builder client(ChatMaritaca client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /** Default options over the client's defaults (model, temperature, tools...). */
    public Builder defaultOptions(MaritacaChatOptions options) {
      this.defaultOptions = Objects.requireNonNull(options, "options");
      return this;
    }

    /** Resolves the tool definitions of the options' tool callbacks; Spring AI's by default. */
    public Builder toolCallingManager(ToolCallingManager manager) {
      this.toolCallingManager = Objects.requireNonNull(manager, "manager");
      return this;
    }

    /** Where calls and streams are observed; {@link ObservationRegistry#NOOP} by default. */
    public Builder observationRegistry(ObservationRegistry registry) {
      this.observationRegistry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** A convention replacing Spring AI's default one for names and tags of the observations. */
    public Builder observationConvention(ChatModelObservationConvention convention) {
      this.observationConvention = Objects.requireNonNull(convention, "convention");
      return this;
    }

    /** The options of {@link #batch(List)}; {@link BatchOptions#defaults()} unless set. */
    public Builder batchOptions(BatchOptions options) {
      this.batchOptions = Objects.requireNonNull(options, "options");
      return this;
    }

    /** The model. */
    public MaritacaChatModel build() {
      return new MaritacaChatModel(this);
    }
  }
}
