package io.github.maritaca4j.micrometer;

import io.github.maritaca4j.ChatListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Observations and meters for every request and batch of the clients it is registered with:
 *
 * <pre>{@code
 * MaritacaObservability obs = MaritacaObservability.builder()
 *     .observationRegistry(observationRegistry)
 *     .meterRegistry(meterRegistry)
 *     .build();
 * ChatMaritaca model = ChatMaritaca.builder().listener(obs).build();
 * }</pre>
 *
 * <p><b>Requests.</b> Each HTTP request (each attempt of a call, a stream or a batch item) is one
 * {@link Observation} named {@code gen_ai.client.operation}, with the key values of {@link
 * DefaultMaritacaObservationConvention}. It starts on the thread that sends the request, so a call
 * made inside another observation (an HTTP server request, a {@code ChatClient} call) becomes its
 * child. The meter registry gets, per request:
 *
 * <ul>
 *   <li>{@value #TOKEN_USAGE}: a distribution summary of tokens, tagged {@code
 *       gen_ai.token.type}={@code input} or {@code output} (answered requests only);
 *   <li>{@value #OPERATION_DURATION}: a timer of the request's duration;
 * </ul>
 *
 * <p>both tagged {@code gen_ai.operation.name}, {@code gen_ai.provider.name}, {@code
 * gen_ai.request.model}, {@code gen_ai.response.model} and {@code error.type} ({@code none} when
 * unknown or on success); {@link Builder#requestMeters(boolean) requestMeters(false)} leaves them
 * to the observation registry's handlers.
 *
 * <p><b>Batches</b> (summed over every batch running through this instance, untagged): counters
 * {@code maritaca.batch.items.completed} (every finished item, failed ones included), {@code
 * maritaca.batch.items.failed}, {@code maritaca.batch.rate_limited} (429 answers) and {@code
 * maritaca.batch.spent} (BRL); gauges {@code maritaca.batch.items.queued}, {@code
 * maritaca.batch.items.in_flight}, {@code maritaca.batch.active} and {@code
 * maritaca.batch.budget.remaining} (BRL not yet spent of the budgets of running batches); a timer
 * {@code maritaca.batch.rate_limiter.wait} (how long each sent item waited for the rate limiter).
 *
 * <p>Prompts and answers are recorded only with {@link Builder#recordContent(boolean)
 * recordContent(true)}. Thread-safe; one instance may serve many clients.
 */
public final class MaritacaObservability implements ChatListener {

  /** The token usage meter. */
  public static final String TOKEN_USAGE = "gen_ai.client.token.usage";

  /** The request duration meter. */
  public static final String OPERATION_DURATION = "gen_ai.client.operation.duration";

  /** The tag of {@value #TOKEN_USAGE} telling input from output tokens. */
  public static final String TOKEN_TYPE = "gen_ai.token.type";

  private static final DefaultMaritacaObservationConvention DEFAULT =
      new DefaultMaritacaObservationConvention();

  private final ObservationRegistry observations;
  private final MeterRegistry meters;
  private final MaritacaObservationConvention convention;
  private final boolean recordContent;
  private final Predicate<RequestStart> requestFilter;
  private final boolean requestMeters;
  private final Map<Long, Running> running = new ConcurrentHashMap<>();
  private final BatchMeters batchMeters;

  private MaritacaObservability(Builder b) {
    this.observations = b.observationRegistry;
    this.meters = b.meterRegistry;
    this.convention = b.convention;
    this.recordContent = b.recordContent;
    this.requestFilter = b.requestFilter;
    this.requestMeters = b.requestMeters;
    this.batchMeters = meters == null ? null : new BatchMeters(meters);
  }

  /** A builder: no registries (nothing recorded) until given. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public boolean includeContent() {
    return recordContent;
  }

  @Override
  public void onRequestStart(RequestStart request) {
    if (!requestFilter.test(request)) {
      return;
    }
    MaritacaObservationContext context = new MaritacaObservationContext(request, recordContent);
    Observation observation =
        Observation.createNotStarted(convention, DEFAULT, () -> context, observations).start();
    running.put(request.id(), new Running(observation, context));
  }

  @Override
  public void onRequestEnd(RequestEnd request) {
    Running r = running.remove(request.start().id());
    if (r == null) {
      return; // filtered out (or started before this listener was in place)
    }
    r.context.end(request);
    if (request.error() != null) {
      r.observation.error(request.error());
    }
    r.observation.stop();
    if (meters != null && requestMeters) {
      record(request);
    }
  }

  private void record(RequestEnd e) {
    RequestStart s = e.start();
    Tags tags =
        Tags.of(
            DefaultMaritacaObservationConvention.OPERATION_NAME,
            s.operation(),
            DefaultMaritacaObservationConvention.PROVIDER_NAME,
            DefaultMaritacaObservationConvention.PROVIDER,
            DefaultMaritacaObservationConvention.REQUEST_MODEL,
            s.model(),
            DefaultMaritacaObservationConvention.RESPONSE_MODEL,
            e.responseModel() == null
                ? DefaultMaritacaObservationConvention.NONE
                : e.responseModel(),
            DefaultMaritacaObservationConvention.ERROR_TYPE,
            e.errorType() == null ? DefaultMaritacaObservationConvention.NONE : e.errorType());
    Timer.builder(OPERATION_DURATION)
        .description("Duration of GenAI client operations (one HTTP request)")
        .tags(tags)
        .register(meters)
        .record(e.duration().toNanos(), TimeUnit.NANOSECONDS);
    if (e.isSuccess()) {
      tokens(tags, "input").record(e.usage().promptTokens());
      tokens(tags, "output").record(e.usage().completionTokens());
    }
  }

  private DistributionSummary tokens(Tags tags, String type) {
    return DistributionSummary.builder(TOKEN_USAGE)
        .description("Number of input and output tokens used")
        .baseUnit("tokens")
        .tags(tags)
        .tag(TOKEN_TYPE, type)
        .register(meters);
  }

  @Override
  public void onBatchStart(BatchStart batch) {
    if (batchMeters != null) {
      batchMeters.start(batch);
    }
  }

  @Override
  public void onBatchItemSent(BatchItemSent item) {
    if (batchMeters != null) {
      batchMeters.rateLimiterWait.record(item.rateLimiterWait());
      batchMeters.update(item.batchId(), item.state());
    }
  }

  @Override
  public void onBatchRateLimited(BatchRateLimited event) {
    if (batchMeters != null) {
      batchMeters.rateLimited.increment();
      batchMeters.update(event.batchId(), event.state());
    }
  }

  @Override
  public void onBatchItemEnd(BatchItemEnd item) {
    if (batchMeters != null) {
      batchMeters.completed.increment();
      if (!item.isSuccess()) {
        batchMeters.failed.increment();
      }
      if (item.cost() != null) {
        batchMeters.spent.increment(item.cost().total().doubleValue());
      }
      batchMeters.update(item.batchId(), item.state());
    }
  }

  @Override
  public void onBatchEnd(BatchEnd batch) {
    if (batchMeters != null) {
      batchMeters.end(batch.batchId());
    }
  }

  @Override
  public String toString() {
    return "MaritacaObservability[observations="
        + (observations.isNoop() ? "none" : "on")
        + ", meters="
        + (meters == null ? "none" : meters.getClass().getSimpleName())
        + ", requestMeters="
        + requestMeters
        + ", recordContent="
        + recordContent
        + "]";
  }

  private record Running(Observation observation, MaritacaObservationContext context) {}

  /** The batch meters and the per-batch state behind the gauges. */
  private static final class BatchMeters {
    final Counter completed;
    final Counter failed;
    final Counter rateLimited;
    final Counter spent;
    final Timer rateLimiterWait;
    final AtomicInteger queued = new AtomicInteger();
    final AtomicInteger inFlight = new AtomicInteger();
    final Map<Long, Track> batches = new ConcurrentHashMap<>();

    BatchMeters(MeterRegistry m) {
      completed =
          Counter.builder("maritaca.batch.items.completed")
              .description("Batch items finished, failed ones included")
              .register(m);
      failed =
          Counter.builder("maritaca.batch.items.failed")
              .description("Batch items that failed for good")
              .register(m);
      rateLimited =
          Counter.builder("maritaca.batch.rate_limited")
              .description("429 answers to batch requests")
              .register(m);
      spent =
          Counter.builder("maritaca.batch.spent")
              .description("Cost of the answers of batches")
              .baseUnit("BRL")
              .register(m);
      rateLimiterWait =
          Timer.builder("maritaca.batch.rate_limiter.wait")
              .description("Time a batch item waited for the rate limiter before being sent")
              .register(m);
      Gauge.builder("maritaca.batch.items.queued", queued, AtomicInteger::get)
          .description("Batch items waiting to be sent (their turn, the rate limiter or a retry)")
          .register(m);
      Gauge.builder("maritaca.batch.items.in_flight", inFlight, AtomicInteger::get)
          .description("Batch requests on the wire")
          .register(m);
      Gauge.builder("maritaca.batch.active", batches, Map::size)
          .description("Batches running")
          .register(m);
      Gauge.builder("maritaca.batch.budget.remaining", this, BatchMeters::budgetLeft)
          .description("Budget not yet spent of the running batches that have one")
          .baseUnit("BRL")
          .register(m);
    }

    void start(BatchStart b) {
      Track t = new Track();
      t.budgetLeft = b.budget();
      if (b.total() > 0) {
        t.queued = b.total();
        queued.addAndGet(b.total());
      }
      batches.put(b.batchId(), t);
    }

    /** Events of one batch are delivered one at a time: no race on its track. */
    void update(long batchId, BatchState s) {
      Track t = batches.get(batchId);
      if (t == null) {
        return; // its start went to another instance
      }
      queued.addAndGet(s.queued() - t.queued);
      inFlight.addAndGet(s.inFlight() - t.inFlight);
      t.queued = s.queued();
      t.inFlight = s.inFlight();
      t.budgetLeft = s.budgetLeft();
    }

    void end(long batchId) {
      Track t = batches.remove(batchId);
      if (t != null) {
        queued.addAndGet(-t.queued);
        inFlight.addAndGet(-t.inFlight);
      }
    }

    double budgetLeft() {
      BigDecimal sum = BigDecimal.ZERO;
      for (Track t : batches.values()) {
        BigDecimal b = t.budgetLeft;
        if (b != null) {
          sum = sum.add(b);
        }
      }
      return sum.doubleValue();
    }
  }

  private static final class Track {
    int queued;
    int inFlight;
    volatile BigDecimal budgetLeft;
  }

  /** Builds a {@link MaritacaObservability}. Not thread-safe. */
  public static final class Builder {
    private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;
    private MeterRegistry meterRegistry;
    private MaritacaObservationConvention convention;
    private boolean recordContent;
    private Predicate<RequestStart> requestFilter = r -> true;
    private boolean requestMeters = true;

    private Builder() {}

    /** Where the observations go (default: none, {@link ObservationRegistry#NOOP}). */
    public Builder observationRegistry(ObservationRegistry registry) {
      this.observationRegistry = Objects.requireNonNull(registry, "observationRegistry");
      return this;
    }

    /** Where the token, duration and batch meters go (default: none). */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = Objects.requireNonNull(registry, "meterRegistry");
      return this;
    }

    /**
     * A convention replacing {@link DefaultMaritacaObservationConvention} for the observations (not
     * for the meters this class records itself).
     */
    public Builder observationConvention(MaritacaObservationConvention convention) {
      this.convention = Objects.requireNonNull(convention, "convention");
      return this;
    }

    /**
     * Whether prompts and answers are recorded ({@code gen_ai.input.messages}, {@code
     * gen_ai.output.messages}) as high-cardinality key values of the observations. Default false:
     * they may hold personal data.
     */
    public Builder recordContent(boolean record) {
      this.recordContent = record;
      return this;
    }

    /**
     * Which requests get an observation and the request meters (default: all). For example {@code
     * RequestStart::isBatch} keeps only the requests of batches, when single calls are already
     * observed elsewhere (a framework's own chat-model observation). Batch meters are not filtered.
     * Called on the sending thread; must be quick.
     */
    public Builder requestFilter(Predicate<RequestStart> filter) {
      this.requestFilter = Objects.requireNonNull(filter, "filter");
      return this;
    }

    /**
     * Whether the meter registry gets the request meters ({@value #TOKEN_USAGE} and {@value
     * #OPERATION_DURATION}) recorded by this class (default true). Turn them off when the
     * observation registry already derives request meters from the observations in another shape
     * (Spring Boot's meter handler and Spring AI's token counter, for example), so that one name
     * never has two meter types; the batch meters are recorded either way.
     */
    public Builder requestMeters(boolean record) {
      this.requestMeters = record;
      return this;
    }

    /** Builds it. */
    public MaritacaObservability build() {
      return new MaritacaObservability(this);
    }
  }
}
