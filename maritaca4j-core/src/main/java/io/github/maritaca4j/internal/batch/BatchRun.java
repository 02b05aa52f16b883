package io.github.maritaca4j.internal.batch;

import io.github.maritaca4j.ChatListener;
import io.github.maritaca4j.ChatRequest;
import io.github.maritaca4j.ChatResult;
import io.github.maritaca4j.RateLimitStatus;
import io.github.maritaca4j.Usage;
import io.github.maritaca4j.batch.BatchItem;
import io.github.maritaca4j.batch.BatchListener;
import io.github.maritaca4j.batch.BatchOptions;
import io.github.maritaca4j.batch.BatchProgress;
import io.github.maritaca4j.batch.ProgressCallback;
import io.github.maritaca4j.batch.RequestFeed;
import io.github.maritaca4j.cost.Cost;
import io.github.maritaca4j.errors.ApiException;
import io.github.maritaca4j.errors.BudgetExceededException;
import io.github.maritaca4j.errors.ConnectionException;
import io.github.maritaca4j.errors.InvalidOutputException;
import io.github.maritaca4j.errors.InvalidResponseException;
import io.github.maritaca4j.errors.MaritacaException;
import io.github.maritaca4j.errors.RequestTimeoutException;
import io.github.maritaca4j.internal.ChatEvents;
import io.github.maritaca4j.internal.Clock;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running batch: an event-driven dispatcher. No thread waits for it. State changes (an answer,
 * a timer, a retry falling due, cancellation) take a short lock, update the state, then call {@link
 * #pump()}, which sends as many requests as admission allows. Waits are {@link Clock} timers;
 * callbacks go through a {@link CallbackQueue} in event order.
 *
 * <p>Admission of the head of the queue, in order: budget (the worst-case cost must fit; if it does
 * not and nothing is in flight, the item fails with {@link BudgetExceededException}), the shared
 * 429 pause ({@link RatePause}) and the rate buckets (if short, a timer is set for the exact
 * instant they will have enough), the concurrency limit (a completion will pump again). The item
 * leaves only when all pass; nothing is held while it waits. Retries go back to the front of the
 * queue. Each input is an {@link Item}.
 *
 * <p>{@link #pump()} is a trampoline: one thread at a time runs the admission loop, others just
 * mark that another pass is needed, so a sender that answers synchronously never recurses.
 */
final class BatchRun<T> {
  static final Logger LOG = LoggerFactory.getLogger("io.github.maritaca4j.batch");

  /** The longest single timer: longer waits are re-checked at least this often. */
  private static final long MAX_WAKE_NANOS = 60_000_000_000L;

  /** Where the requests come from; called under the run's lock only. */
  interface Source {
    boolean hasNext();

    ChatRequest next();

    /** Whether {@link #next()} can deliver now (a {@link RequestFeed} may have none ready). */
    default boolean ready() {
      return true;
    }

    /** The feed behind this source, or null. */
    default RequestFeed feed() {
      return null;
    }

    static Source of(List<ChatRequest> requests) {
      return new Source() {
        int i;

        @Override
        public boolean hasNext() {
          return i < requests.size();
        }

        @Override
        public ChatRequest next() {
          return requests.get(i++);
        }
      };
    }

    static Source of(Iterator<ChatRequest> it) {
      if (it instanceof RequestFeed f) {
        return new Source() {
          @Override
          public boolean hasNext() {
            return f.hasNext();
          }

          @Override
          public boolean ready() {
            return f.ready();
          }

          @Override
          public ChatRequest next() {
            return f.next();
          }

          @Override
          public RequestFeed feed() {
            return f;
          }
        };
      }
      return new Source() {
        @Override
        public boolean hasNext() {
          return it.hasNext();
        }

        @Override
        public ChatRequest next() {
          return it.next();
        }
      };
    }
  }

  private final BatchEnv env;
  private final Clock clock;
  private final BatchOptions options;
  private final int maxAttempts;
  private final Source source;
  private final int total;
  private final BatchItem[] items;
  private final ProgressCallback progress;
  private final BatchListener listener;
  private final CallbackQueue callbacks;
  private final Function<BatchRun<T>, T> finisher;
  private final ChatEvents events;
  private final long batchId;
  private final CompletableFuture<T> future = new CompletableFuture<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final AtomicInteger wip = new AtomicInteger();
  private volatile boolean stopped;

  // ---- guarded by lock
  /** Items to send again, oldest input first; they go before any new input. */
  private final PriorityQueue<Item> retryQueue =
      new PriorityQueue<>((a, b) -> Integer.compare(a.index, b.index));

  /** New inputs pulled from the source but not sent yet (at most one). */
  private final ArrayDeque<Item> fresh = new ArrayDeque<>();

  private final Set<Item> inFlightItems = new HashSet<>();
  private final Set<Item> waiting = new HashSet<>();
  private final Map<String, RateState> rates = new HashMap<>();
  private final AdaptiveLimit limit;
  private final BudgetLedger budget;
  private final long start;
  private boolean exhausted;
  private int nextIndex;
  private Clock.Cancellable wake;
  private Object wakeToken;
  private long wakeAt = Long.MAX_VALUE;
  private boolean finished;
  private long end = Long.MIN_VALUE;
  private int completed;
  private int failed;
  private long rateLimited;
  private long retries;
  private Usage usage = Usage.ZERO;
  private Cost spent = Cost.ZERO;

  /** The account's lanes this run has used, by model. */
  private final Map<String, Lane> lanes = new HashMap<>();

  /** The lane this run waits in for its turn, or null. */
  private Lane queuedLane;

  /** Waiters of lanes to wake once this run's lock is released (drained by {@link #pump()}). */
  private final List<Lane.Waiter> pendingWakes = new ArrayList<>();

  private final Lane.Waiter waiter = this::wakeFromLane;

  /**
   * @param total the number of items, or -1 when unknown
   * @param keepItems whether to keep every item (the list form) or only stream them
   */
  BatchRun(
      BatchEnv env,
      BatchOptions options,
      Source source,
      int total,
      boolean keepItems,
      ProgressCallback progress,
      CallbackQueue callbacks,
      Function<BatchRun<T>, T> finisher) {
    this.env = env;
    this.clock = env.clock();
    this.options = options;
    this.maxAttempts =
        options.maxAttempts() > 0 ? options.maxAttempts() : env.retryPolicy().maxRetries() + 1;
    this.source = source;
    this.total = total;
    this.items = keepItems ? new BatchItem[total] : null;
    this.progress = progress;
    this.listener = options.listener();
    this.callbacks = callbacks;
    this.finisher = finisher;
    this.limit = new AdaptiveLimit(options.maxConcurrency(), options.adaptive());
    this.budget = options.budget() == null ? null : new BudgetLedger(options.budget());
    this.start = clock.nanoTime();
    this.events = env.events();
    this.batchId = events.newBatchId();
  }

  /** Starts dispatching; the future completes when the batch ends. */
  CompletableFuture<T> start() {
    if (!events.isEmpty()) {
      ChatListener.BatchStart e =
          new ChatListener.BatchStart(batchId, total, options.maxConcurrency(), options.budget());
      callbacks.enqueue(() -> events.each(l -> l.onBatchStart(e)));
    }
    if (source.feed() != null) {
      source.feed().onReady(this::wakeFromLane);
    }
    future.whenComplete(
        (r, t) -> {
          if (future.isCancelled()) {
            cancel();
          }
        });
    pump();
    return future;
  }

  CompletableFuture<T> future() {
    return future;
  }

  // ------------------------------------------------------------------ dispatch

  /** Sends what admission allows. Safe to call from any thread, any number of times. */
  void pump() {
    if (wip.getAndIncrement() != 0) {
      return;
    }
    int missed = 1;
    List<Item> toSend = new ArrayList<>();
    while (true) {
      lock.lock();
      try {
        admit(toSend);
      } finally {
        lock.unlock();
      }
      for (Item item : toSend) {
        send(item);
      }
      toSend.clear();
      runPendingWakes();
      callbacks.kick();
      missed = wip.addAndGet(-missed);
      if (missed == 0) {
        return;
      }
    }
  }

  /** Its turn at a lane may have come: pump soon, on the executor (never under a lane's lock). */
  private void wakeFromLane() {
    if (stopped) {
      return;
    }
    try {
      env.executor().execute(this::pump);
    } catch (RejectedExecutionException e) {
      pump();
    }
  }

  private void runPendingWakes() {
    List<Lane.Waiter> wakes;
    lock.lock();
    try {
      if (pendingWakes.isEmpty()) {
        return;
      }
      wakes = new ArrayList<>(pendingWakes);
      pendingWakes.clear();
    } finally {
      lock.unlock();
    }
    for (Lane.Waiter w : wakes) {
      w.wake();
    }
  }

  private void admit(List<Item> toSend) {
    Lane waitingIn = null;
    try {
      waitingIn = admitLoop(toSend);
    } finally {
      if (queuedLane != null && queuedLane != waitingIn) {
        queuedLane.withdraw(waiter, pendingWakes);
      }
      queuedLane = waitingIn;
    }
  }

  /** Sends what may go; returns the lane this run now waits in for its turn, or null. */
  private Lane admitLoop(List<Item> toSend) {
    if (stopped) {
      return null;
    }
    long now = clock.nanoTime();
    while (!stopped) {
      if (inFlightItems.size() >= limit.current()) {
        return null;
      }
      Item head = head();
      if (head == null) {
        maybeFinish();
        return null;
      }
      // 1. budget
      BigDecimal worstCase = null;
      if (budget != null) {
        worstCase = worstCase(head);
        if (worstCase == null) {
          continue; // failed permanently while estimating
        }
        if (!budget.fits(worstCase)) {
          if (!inFlightItems.isEmpty()) {
            return null; // settlements may free enough
          }
          pollHead();
          failForBudget(head, worstCase, now);
          if (stopped) {
            return null;
          }
          continue;
        }
      }
      // 2. rate limits: this batch's own (options), then the account's (its turn, its pause)
      RateState rate = rateFor(head.request);
      Lane lane = laneFor(head.request);
      prepareDemand(head, rate, lane);
      if (rate != null) {
        long w = rate.waitNanos(inputOf(head), outputOf(head), now);
        if (w > 0) {
          blockedByRate(head, now);
          scheduleWake(now + w, now);
          return null;
        }
      }
      Lane.Permit permit =
          lane.tryAcquire(
              waiter,
              false,
              options.learnFromHeaders(),
              inputOf(head),
              outputOf(head),
              now,
              pendingWakes);
      if (permit == null) {
        blockedByRate(head, now);
        return lane; // woken when the turn comes
      }
      // 3. concurrency was checked above; commit
      pollHead();
      if (worstCase != null) {
        budget.reserve(worstCase);
      }
      head.reserved = worstCase;
      head.rate = rate;
      head.grant = rate == null ? null : rate.take(inputOf(head), outputOf(head), now);
      head.lane = lane;
      head.permit = permit;
      head.attempts++;
      if (head.firstStart == Long.MIN_VALUE) {
        head.firstStart = now;
      }
      head.attemptStart = now;
      inFlightItems.add(head);
      head.inFlightAtSend = inFlightItems.size();
      if (listener != null) {
        int index = head.index;
        int attempt = head.attempts;
        emit(() -> listener.onItemStarted(index, attempt));
      }
      if (!events.isEmpty()) {
        Duration waited =
            Duration.ofNanos(
                head.rateBlockedSince == Long.MIN_VALUE ? 0 : now - head.rateBlockedSince);
        ChatListener.BatchItemSent e =
            new ChatListener.BatchItemSent(batchId, head.index, head.attempts, waited, state());
        callbacks.enqueue(() -> events.each(l -> l.onBatchItemSent(e)));
      }
      head.rateBlockedSince = Long.MIN_VALUE;
      toSend.add(head);
    }
    return null;
  }

  /** The head item waits for the rate limiter from {@code now} (unless it already did). */
  private static void blockedByRate(Item head, long now) {
    if (head.rateBlockedSince == Long.MIN_VALUE) {
      head.rateBlockedSince = now;
    }
  }

  /** Removes the item {@link #head()} returned. */
  private void pollHead() {
    if (retryQueue.poll() == null) {
      fresh.poll();
    }
  }

  /** The next item to send: the oldest retry, else the next input. */
  private Item head() {
    Item head = retryQueue.peek();
    if (head == null) {
      head = fresh.peek();
    }
    if (head != null || exhausted) {
      return head;
    }
    try {
      if (!source.hasNext()) {
        exhausted = true;
        return null;
      }
      if (!source.ready()) {
        return null; // a feed's requests wait for answers; it wakes this run when one is ready
      }
      ChatRequest r = source.next();
      if (r == null) {
        throw new NullPointerException("request " + nextIndex + " is null");
      }
      if (!options.stop().isEmpty()) {
        r = r.toBuilder().stop(options.stop()).build();
      }
      head = new Item(nextIndex++, r);
      fresh.add(head);
      return head;
    } catch (RuntimeException e) {
      exhausted = true;
      LOG.warn("batch stopped: reading request {} failed", nextIndex, e);
      stop(e);
      return null;
    }
  }

  private static String modelKey(ChatRequest r) {
    return r.model().toLowerCase(java.util.Locale.ROOT);
  }

  /** The account's lane of a request's model. */
  private Lane laneFor(ChatRequest r) {
    return lanes.computeIfAbsent(modelKey(r), m -> env.admission().lane(m));
  }

  /**
   * This batch's own rate state of a request's model (a cap on top of the account's), made from the
   * options when they name a limit; null otherwise.
   */
  private RateState rateFor(ChatRequest r) {
    String key = modelKey(r);
    RateState st = rates.get(key);
    if (st == null && !options.rateLimits().isUnknown()) {
      st = new RateState(options.rateLimits(), clock.nanoTime());
      rates.put(key, st);
    }
    return st;
  }

  /**
   * Feeds a response's {@code x-ratelimit-*} headers to this batch's own rate state of its model,
   * when there is one (the account's lane gets them with the outcome).
   */
  private void learnFromHeaders(Item item, RateLimitStatus s, long now) {
    if (s == null || !options.learnFromHeaders()) {
      return;
    }
    RateState st = rates.get(modelKey(item.request));
    if (st != null) {
      st.observe(s, now);
    }
  }

  private void prepareDemand(Item item, RateState rate, Lane lane) {
    if (item.estimatedInput < 0
        && ((rate != null && rate.needsInputTokens()) || lane.needsInputTokens())) {
      item.estimatedInput = env.inputTokens().applyAsLong(item.request);
    }
    if (item.reservedOutput < 0
        && ((rate != null && rate.needsOutputTokens()) || lane.needsOutputTokens())) {
      Integer max = item.request.maxTokens();
      item.reservedOutput =
          max != null ? max : env.maxOutputTokens().applyAsInt(item.request.model());
    }
  }

  private static long inputOf(Item item) {
    return Math.max(0, item.estimatedInput);
  }

  private static long outputOf(Item item) {
    return Math.max(0, item.reservedOutput);
  }

  private BigDecimal worstCase(Item item) {
    if (item.worstCase == null) {
      try {
        item.worstCase = env.worstCaseCost().apply(item.request);
        if (item.worstCase == null) {
          throw new IllegalStateException("no worst-case cost for model " + item.request.model());
        }
      } catch (RuntimeException e) {
        pollHead();
        MaritacaException m =
            e instanceof MaritacaException me
                ? me
                : new MaritacaException(
                    "cannot enforce the budget: no worst-case cost for request "
                        + item.index
                        + " (model "
                        + item.request.model()
                        + "): "
                        + e.getMessage(),
                    e);
        failPermanently(item, m, clock.nanoTime());
        return null;
      }
    }
    return item.worstCase;
  }

  private void send(Item item) {
    if (stopped) {
      return;
    }
    int attempt = item.attempts;
    CompletableFuture<ChatResult> f;
    try {
      f =
          events.observe(
              item.request,
              false,
              batchId,
              item.index,
              attempt,
              () -> env.sender().send(item.request));
      if (f == null) {
        throw new NullPointerException("sender returned null");
      }
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    item.call = f;
    if (stopped) {
      f.cancel(true);
      return;
    }
    f.whenComplete((r, t) -> onAttemptDone(item, attempt, r, t));
  }

  private void scheduleWake(long at, long now) {
    if (at - now > MAX_WAKE_NANOS) {
      at = now + MAX_WAKE_NANOS; // a wake-up is a re-check, never a commitment
    }
    if (wake != null && wakeAt - at <= 0) {
      return;
    }
    if (wake != null) {
      wake.cancel();
    }
    Object token = new Object();
    wakeToken = token;
    wakeAt = at;
    wake = clock.schedule(() -> onTimer(() -> clearWake(token)), Math.max(1, at - now));
  }

  private void clearWake(Object token) {
    if (wakeToken == token) {
      wake = null;
      wakeToken = null;
      wakeAt = Long.MAX_VALUE;
    }
  }

  /** Timer tasks run on the timer thread: hand the work to the executor. */
  private void onTimer(Runnable underLock) {
    Runnable work =
        () -> {
          lock.lock();
          try {
            underLock.run();
          } finally {
            lock.unlock();
          }
          pump();
        };
    try {
      env.executor().execute(work);
    } catch (RejectedExecutionException e) {
      work.run();
    }
  }

  // ------------------------------------------------------------------ outcomes

  private void onAttemptDone(Item item, int attempt, ChatResult result, Throwable t) {
    if (stopped) {
      return;
    }
    lock.lock();
    try {
      if (stopped || item.attempts != attempt || !inFlightItems.remove(item)) {
        return;
      }
      item.call = null;
      long now = clock.nanoTime();
      if (t == null && result != null) {
        onSuccess(item, result, now);
      } else {
        onFailure(item, toMaritaca(t), now);
      }
    } catch (RuntimeException e) {
      LOG.error("batch engine failure handling item {}", item.index, e);
      stop(e);
    } finally {
      lock.unlock();
    }
    pump();
  }

  private void onSuccess(Item item, ChatResult r, long now) {
    Usage usage = r.usage();
    if (item.rate != null) {
      item.rate.onSuccess(item.grant, usage.promptTokens(), usage.completionTokens(), now);
    }
    RateLimitStatus headers = r.rateLimitStatus().orElse(null);
    if (item.permit != null) {
      item.lane.onSuccess(
          item.permit,
          usage.promptTokens(),
          usage.completionTokens(),
          options.learnFromHeaders() ? headers : null,
          now,
          pendingWakes);
      item.permit = null;
    }
    learnFromHeaders(item, headers, now);
    Cost cost = r.cost().orElse(null);
    if (cost == null) {
      try {
        cost = env.actualCost().apply(item.request, usage);
      } catch (RuntimeException e) {
        LOG.debug("no price for model {}", item.request.model(), e);
      }
    }
    if (item.reserved != null) {
      BigDecimal actual = cost == null ? item.reserved : cost.total();
      if (actual.compareTo(item.reserved) > 0) {
        LOG.warn(
            "request {} cost R$ {}, more than its worst-case reservation R$ {}",
            item.index,
            actual.toPlainString(),
            item.reserved.toPlainString());
      }
      budget.settle(item.reserved, actual);
      item.reserved = null;
    }
    limit.onSuccess();
    Duration latency = Duration.ofNanos(now - item.firstStart);
    ChatResult res = r.withAttempts(item.attempts, latency);
    if (cost != null && r.cost().isEmpty()) {
      res = res.withCost(cost);
    }
    this.usage = this.usage.plus(usage);
    if (cost != null) {
      spent = spent.plus(cost);
    }
    if (options.validator() != null && !validated(item, res, usage, cost, now)) {
      return; // asked again, or failed
    }
    Usage itemUsage = item.repairs == 0 ? usage : item.repairUsage.plus(usage);
    Cost itemCost = item.repairs == 0 || cost == null ? cost : item.repairCost.plus(cost);
    complete(
        new BatchItem(
            item.index, res, null, item.attempts, latency, itemUsage, itemCost, causes(item)));
  }

  /**
   * Whether the answer passes the batch's validator. When it does not, the item is asked again (the
   * original conversation, the answer, and its problems) while repairs are left, or fails with
   * {@link InvalidOutputException}; either way the answer's usage and cost stay on the item.
   */
  private boolean validated(Item item, ChatResult res, Usage usage, Cost cost, long now) {
    List<String> problems;
    try {
      problems = options.validator().validate(item.original, res);
    } catch (RuntimeException e) {
      problems = List.of("the validator failed: " + e);
    }
    if (problems == null || problems.isEmpty()) {
      return true;
    }
    item.repairUsage = item.repairUsage.plus(usage);
    if (cost != null) {
      item.repairCost = item.repairCost.plus(cost);
    }
    InvalidOutputException invalid =
        new InvalidOutputException(problems, res.content(), item.repairs);
    if (item.repairs >= options.maxRepairs()) {
      failPermanently(item, invalid, now);
      return false;
    }
    item.repairs++;
    item.request = Repairs.request(item.original, res, problems);
    item.estimatedInput = -1;
    item.reservedOutput = -1;
    item.worstCase = null;
    item.addCause(invalid);
    retryQueue.add(item);
    if (listener != null) {
      int index = item.index;
      int attempt = item.attempts;
      emit(() -> listener.onItemRetried(index, invalid, attempt, Duration.ZERO));
    }
    return false;
  }

  private void onFailure(Item item, MaritacaException e, long now) {
    if (e.statusCode() == 429) {
      onRateLimited(item, e, now);
      return;
    }
    if (item.rate != null) {
      item.rate.onOtherFailure(item.grant, now);
    }
    if (item.permit != null) {
      item.lane.onOtherFailure(item.permit, now, pendingWakes);
      item.permit = null;
    }
    if (item.reserved != null) {
      if (outcomeUnknown(e)) {
        budget.settle(item.reserved, item.reserved); // the server may have billed it: assume so
      } else {
        budget.release(item.reserved);
      }
      item.reserved = null;
    }
    if (!e.isRetryable()) {
      failPermanently(item, e, now);
      return;
    }
    MaritacaException over = env.retryPolicy().overLongHint(e);
    if (over != null) {
      // e.g. a 503 announcing an hour of maintenance: as in a single call, the wait asked for is
      // beyond maxRetryAfter, so the item ends with the failure (retryAfter() tells how long)
      failPermanently(item, over, now);
      return;
    }
    item.failures++;
    if (item.failures >= maxAttempts) {
      failPermanently(item, e, now);
      return;
    }
    Duration delay = env.retryPolicy().delay(item.failures, e, clock.random());
    Duration cap = env.retryPolicy().maxRetryAfter();
    if (delay.compareTo(cap) > 0) {
      delay = cap;
    }
    retries++;
    item.addCause(e);
    waiting.add(item);
    item.retryTimer =
        clock.schedule(
            () ->
                onTimer(
                    () -> {
                      if (!stopped && waiting.remove(item)) {
                        item.retryTimer = null;
                        retryQueue.add(item);
                      }
                    }),
            Math.max(1, delay.toNanos()));
    if (listener != null) {
      int index = item.index;
      int attempt = item.attempts;
      Duration d = delay;
      emit(() -> listener.onItemRetried(index, e, attempt, d));
    }
  }

  private void onRateLimited(Item item, MaritacaException e, long now) {
    rateLimited++;
    String code = e instanceof ApiException api ? api.errorCode() : null;
    boolean capacity = code != null && code.startsWith("flex");
    if (item.rate != null) {
      if (capacity) {
        item.rate.refund(item.grant, now);
      }
    }
    if (item.reserved != null) {
      budget.release(item.reserved);
      item.reserved = null;
    }
    MaritacaException over = env.retryPolicy().overLongHint(e);
    boolean tooLarge =
        "request_too_large".equals(code)
            && !(e instanceof ApiException api && api.retryAfter().isPresent());
    if (over != null || tooLarge || item.rateLimitedRetries >= options.maxRateLimitRetries()) {
      if (item.rate != null && !capacity) {
        item.rate.refund(item.grant, now);
      }
      if (item.permit != null) {
        item.lane.onRefusedForGood(item.permit, now, pendingWakes);
        item.permit = null;
      }
      rateLimitedEvent(item, Duration.ZERO);
      failPermanently(item, over != null ? over : e, now);
      return;
    }
    item.rateLimitedRetries++;
    retries++;
    OptionalLong hint =
        e instanceof ApiException api && api.retryAfter().isPresent()
            ? OptionalLong.of(api.retryAfter().get().toNanos())
            : OptionalLong.empty();
    RatePause.Decision decision =
        item.lane.onRateLimited(
            item.permit,
            !capacity,
            hint,
            n -> env.retryPolicy().backoff(n, clock.random()).toNanos(),
            now);
    item.permit = null;
    Duration pause = Duration.ofNanos(decision.pauseNanos());
    if (item.rate != null && !capacity) {
      item.rate.onRateLimited(item.grant, now);
    }
    if (decision.newEpisode()
        && !item.lane.learnsRate()
        && (item.rate == null || item.lane.episodes() >= 2)) {
      limit.onOverload(item.attemptStart, inFlightItems.size() + 1, now);
    }
    item.addCause(e);
    retryQueue.add(item);
    if (LOG.isDebugEnabled()) {
      LOG.debug(
          "429 on item {} (attempt {}): pausing dispatch for {}; concurrency limit {}",
          item.index,
          item.attempts,
          pause,
          limit.current());
    }
    rateLimitedEvent(item, pause);
    if (listener != null) {
      int index = item.index;
      int attempt = item.attempts;
      emit(() -> listener.onRateLimited(index, pause));
      emit(() -> listener.onItemRetried(index, e, attempt, pause));
    }
  }

  private static boolean outcomeUnknown(MaritacaException e) {
    return e instanceof ConnectionException
        || e instanceof RequestTimeoutException
        || e instanceof InvalidResponseException;
  }

  private void failForBudget(Item item, BigDecimal worstCase, long now) {
    BudgetExceededException e =
        new BudgetExceededException(budget.budget(), worstCase, budget.remaining());
    if (listener != null) {
      int index = item.index;
      emit(() -> listener.onBudgetExhausted(index, e));
    }
    failPermanently(item, e, now);
  }

  private void failPermanently(Item item, MaritacaException e, long now) {
    failed++;
    Duration latency =
        item.firstStart == Long.MIN_VALUE ? Duration.ZERO : Duration.ofNanos(now - item.firstStart);
    BatchItem bi =
        new BatchItem(
            item.index,
            null,
            e,
            item.attempts,
            latency,
            item.repairUsage, // answers rejected by the validator were paid for
            item.repairCost,
            causes(item));
    if (options.returnExceptions()) {
      complete(bi);
      return;
    }
    itemEnded(bi);
    if (listener != null) {
      emit(() -> listener.onItemFailed(bi));
      emit(() -> listener.onItemCompleted(bi));
    }
    stop(e);
  }

  private static List<MaritacaException> causes(Item item) {
    return item.causes == null ? List.of() : item.causes;
  }

  /** A finished item: keep it, tell the callbacks. */
  private void complete(BatchItem bi) {
    completed++;
    if (items != null) {
      items[bi.index()] = bi;
    }
    int done = completed;
    itemEnded(bi);
    if (listener != null) {
      if (bi.isSuccess()) {
        emit(() -> listener.onItemSucceeded(bi));
      } else {
        emit(() -> listener.onItemFailed(bi));
      }
      emit(() -> listener.onItemCompleted(bi));
    }
    if (progress != null) {
      emit(() -> progress.onProgress(done, total, bi.result()));
    }
    if (listener != null) {
      BatchProgress p = snapshot(clock.nanoTime());
      emit(() -> listener.onProgress(p));
    }
  }

  /** Tells the chat listeners of a 429 ({@code pause} zero when the item is not retried). */
  private void rateLimitedEvent(Item item, Duration pause) {
    if (!events.isEmpty()) {
      ChatListener.BatchRateLimited e =
          new ChatListener.BatchRateLimited(batchId, item.index, pause, state());
      callbacks.enqueue(() -> events.each(l -> l.onBatchRateLimited(e)));
    }
  }

  /** Tells the chat listeners that an item finished for good. */
  private void itemEnded(BatchItem bi) {
    if (events.isEmpty()) {
      return;
    }
    ChatListener.BatchItemEnd e =
        new ChatListener.BatchItemEnd(
            batchId,
            bi.index(),
            bi.attempts(),
            bi.cost(),
            bi.error(),
            bi.error() == null ? null : ChatEvents.errorType(bi.error()),
            state());
    callbacks.enqueue(() -> events.each(l -> l.onBatchItemEnd(e)));
  }

  /** Tells the chat listeners that the batch ended (before its future completes). */
  private void batchEnded(Throwable failure) {
    if (events.isEmpty()) {
      return;
    }
    ChatListener.BatchEnd e = new ChatListener.BatchEnd(batchId, wallTime(), failure, state());
    callbacks.enqueue(() -> events.each(l -> l.onBatchEnd(e)));
  }

  /** The counters for the chat listeners (under the lock). */
  private ChatListener.BatchState state() {
    int inFlight = inFlightItems.size();
    int queued =
        total >= 0
            ? Math.max(0, total - completed - inFlight)
            : retryQueue.size() + fresh.size() + waiting.size();
    if (stopped) {
      queued = 0;
    }
    return new ChatListener.BatchState(
        queued,
        inFlight,
        completed,
        failed,
        rateLimited,
        spent.total(),
        budget == null ? null : budget.budget().subtract(budget.spent()));
  }

  private void maybeFinish() {
    if (finished
        || stopped
        || !exhausted
        || !retryQueue.isEmpty()
        || !fresh.isEmpty()
        || !inFlightItems.isEmpty()
        || !waiting.isEmpty()) {
      return;
    }
    finished = true;
    stopped = true;
    end = clock.nanoTime();
    cancelWake();
    T value;
    try {
      value = finisher.apply(this);
    } catch (RuntimeException e) {
      LOG.error("batch engine failure building the result", e);
      batchEnded(e);
      callbacks.enqueue(() -> future.completeExceptionally(e));
      return;
    }
    batchEnded(null);
    callbacks.enqueue(() -> future.complete(value));
  }

  /**
   * Ends the batch with {@code failure}: nothing more is sent, in-flight requests are cancelled.
   */
  private void stop(Throwable failure) {
    if (stopped) {
      return;
    }
    halt();
    batchEnded(failure);
    callbacks.enqueue(() -> future.completeExceptionally(failure));
  }

  /** The returned future was cancelled. */
  private void cancel() {
    lock.lock();
    try {
      if (!stopped) {
        halt();
        batchEnded(new CancellationException("batch cancelled"));
      }
    } finally {
      lock.unlock();
    }
    runPendingWakes();
    if (!events.isEmpty()) {
      callbacks.kick(); // deliver the end event
    }
  }

  private void halt() {
    stopped = true;
    if (queuedLane != null) {
      queuedLane.withdraw(waiter, pendingWakes);
      queuedLane = null;
    }
    end = clock.nanoTime();
    cancelWake();
    for (Item w : waiting) {
      if (w.retryTimer != null) {
        w.retryTimer.cancel();
      }
    }
    waiting.clear();
    List<CompletableFuture<ChatResult>> calls = new ArrayList<>();
    for (Item i : inFlightItems) {
      if (i.permit != null) {
        i.lane.onCancelled(i.permit, end, pendingWakes);
        i.permit = null;
      }
      CompletableFuture<ChatResult> c = i.call;
      if (c != null) {
        calls.add(c);
      }
    }
    for (CompletableFuture<ChatResult> c : calls) {
      c.cancel(true);
    }
  }

  private void cancelWake() {
    if (wake != null) {
      wake.cancel();
      wake = null;
      wakeToken = null;
      wakeAt = Long.MAX_VALUE;
    }
  }

  private void emit(Runnable callback) {
    callbacks.enqueue(
        () -> {
          try {
            callback.run();
          } catch (RuntimeException | Error e) {
            if (e instanceof VirtualMachineError vme) {
              throw vme;
            }
            LOG.warn("batch callback threw; ignored, the batch goes on", e);
          }
        });
  }

  private static MaritacaException toMaritaca(Throwable t) {
    Throwable c = MaritacaException.unwrap(t);
    if (c instanceof MaritacaException m) {
      return m;
    }
    if (c instanceof CancellationException) {
      return new MaritacaException("request cancelled", c);
    }
    if (c == null) {
      return new MaritacaException("the sender completed without a result");
    }
    return new MaritacaException("unexpected failure sending the request: " + c, c);
  }

  // ------------------------------------------------------------------ views

  /** Running totals now (takes the lock). */
  BatchProgress progress() {
    lock.lock();
    try {
      return snapshot(clock.nanoTime());
    } finally {
      lock.unlock();
    }
  }

  private BatchProgress snapshot(long now) {
    return new BatchProgress(
        completed,
        failed,
        inFlightItems.size(),
        total,
        usage.promptTokens(),
        usage.completionTokens(),
        spent.total(),
        limit.current(),
        rateLimited,
        retries,
        Duration.ofNanos((end == Long.MIN_VALUE ? now : end) - start));
  }

  // called by the finisher, under the lock
  BatchItem[] items() {
    return items;
  }

  Duration wallTime() {
    return Duration.ofNanos((end == Long.MIN_VALUE ? clock.nanoTime() : end) - start);
  }

  long rateLimitedCount() {
    return rateLimited;
  }

  long retryCount() {
    return retries;
  }

  int completedCount() {
    return completed;
  }

  int failedCount() {
    return failed;
  }

  Usage usage() {
    return usage;
  }

  Cost spent() {
    return spent;
  }

  /** For tests: the rate state of a model, or null. */
  RateState rateState(String model) {
    lock.lock();
    try {
      return rates.get(model);
    } finally {
      lock.unlock();
    }
  }

  /** For tests: the current concurrency limit. */
  int concurrencyLimit() {
    lock.lock();
    try {
      return limit.current();
    } finally {
      lock.unlock();
    }
  }
}
