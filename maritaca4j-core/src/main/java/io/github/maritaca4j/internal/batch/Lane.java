package io.github.maritaca4j.internal.batch;

import io.github.maritaca4j.RateLimitStatus;
import io.github.maritaca4j.batch.RateLimits;
import io.github.maritaca4j.batch.SharedLimits;
import io.github.maritaca4j.internal.Clock;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntToLongFunction;

/**
 * Admission to one account's limits for one model: the account's token buckets ({@link RateState},
 * once a limit is known: configured on a client, or learnt from {@code x-ratelimit-*} headers), the
 * pause after a 429 ({@link RatePause}), and the queue of those waiting for their turn. Every batch
 * and every single call of every client on the account passes here, so the account's limits hold
 * whatever runs at once. Thread-safe (one short lock). Internal API.
 *
 * <p><b>Turns.</b> Waiters queue in two lines: single calls ({@code urgent}) go before batches;
 * batches take turns, round robin: a batch that is granted a request and asks again while another
 * waits goes to the back. Only the head of the queue may be granted; the others are queued and
 * woken, one at a time, when their turn comes. A waiter that stops asking (its concurrency is full,
 * it finished) must {@link #withdraw} so that the next one gets its turn.
 *
 * <p><b>Wakes</b> never run under this lock: methods that may hand the turn to another waiter add
 * it to a list the caller runs after releasing every lock it holds ({@link Waiter#wake()} must be
 * cheap and must not take this lane's lock synchronously with another lock held: hand the work to
 * an executor). Timers (the end of a pause, tokens refilling) wake the head from the clock's
 * thread.
 *
 * <p><b>The first answer.</b> While nothing is known of the limits and no request of this lane has
 * been answered, one request at a time is admitted (for at most {@link #FIRST_ANSWER_WAIT_NANOS}):
 * the first answer may carry the server's limits in headers, which then pace the rest (no first
 * wave sent blind). Lanes of an {@linkplain Account#isolated isolated} account (the engine's tests)
 * do not wait.
 */
public final class Lane {
  /** Someone waiting for admission. */
  public interface Waiter {
    /** Its turn may have come: ask again soon (not under a lock of this lane's caller). */
    void wake();
  }

  /** What one admitted attempt took; hand it back through exactly one outcome method. */
  public static final class Permit {
    final RateState.Grant grant;
    final long sentAt;
    final boolean first;
    final double[] shared;
    final long seq;

    Permit(RateState.Grant grant, long sentAt, boolean first, double[] shared, long seq) {
      this.grant = grant;
      this.sentAt = sentAt;
      this.first = first;
      this.shared = shared;
      this.seq = seq;
    }

    /** When the attempt was admitted, on the lane's clock. */
    public long sentAt() {
      return sentAt;
    }
  }

  /**
   * How long the rest wait for the first answer at most: a first request that is slow, or whose
   * outcome never comes back, must not hold the account up.
   */
  static final long FIRST_ANSWER_WAIT_NANOS = 5_000_000_000L;

  private final ReentrantLock lock = new ReentrantLock();
  private final Clock clock;
  private final String model;
  private final ArrayDeque<Waiter> urgent = new ArrayDeque<>();
  private final ArrayDeque<Waiter> ring = new ArrayDeque<>();
  private final Set<RateLimits> applied = Collections.newSetFromMap(new IdentityHashMap<>());
  private final RatePause pause = new RatePause();
  private final RateLearner learner = new RateLearner();
  private RateState rate;
  private RateLimits configured = RateLimits.UNKNOWN;
  private boolean answered;
  private long firstUntil = Long.MIN_VALUE;
  private Clock.Cancellable timer;
  private Object timerToken;
  private long timerAt = Long.MAX_VALUE;

  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger("io.github.maritaca4j.batch");

  /** After a failure of the shared store, it is tried again this much later. */
  static final long SHARED_RETRY_NANOS = 1_000_000_000L;

  private final boolean gateFirst;
  private final String sharedName;
  private volatile SharedLimits shared;
  private long sharedRetryAt = Long.MIN_VALUE;
  private boolean sharedDown;

  Lane(Clock clock, String model, boolean gateFirst) {
    this(clock, model, gateFirst, model);
  }

  Lane(Clock clock, String model, boolean gateFirst, String sharedName) {
    this.clock = clock;
    this.model = model;
    this.gateFirst = gateFirst;
    this.sharedName = sharedName;
  }

  /** Keeps this lane's buckets and pause in {@code store} too (null: this JVM only). */
  void useShared(SharedLimits store) {
    this.shared = store;
  }

  /** The model this lane admits for (lower case). */
  public String model() {
    return model;
  }

  /**
   * Applies limits configured on a client: each limit it names is taken when none is known or when
   * it is lower than the one known (clients that disagree get the lowest: exceeding the account's
   * real limit costs 429s, staying under it costs a little speed). The same object is applied once.
   */
  public void configure(RateLimits limits) {
    if (limits == null || limits.isUnknown()) {
      return;
    }
    lock.lock();
    try {
      if (!applied.add(limits)) {
        return;
      }
      RateLimits merged =
          new RateLimits(
              lower(configured.rpm(), limits.rpm()),
              lower(configured.tpmIn(), limits.tpmIn()),
              lower(configured.tpmOut(), limits.tpmOut()),
              configured.burst() != null ? configured.burst() : limits.burst());
      if (merged.equals(configured)) {
        return;
      }
      configured = merged;
      long now = clock.nanoTime();
      if (rate == null) {
        rate = new RateState(merged, now);
      } else {
        if (learner.learned() > 0 && merged.rpm() > 0) {
          rate.replaceRpm(merged.rpm(), now); // told beats learnt, higher or lower
        }
        rate.lowerTo(merged, now);
      }
      learner.told();
    } finally {
      lock.unlock();
    }
  }

  private static long lower(long a, long b) {
    if (a <= 0) {
      return b;
    }
    if (b <= 0) {
      return a;
    }
    return Math.min(a, b);
  }

  /** Whether admission needs a request's estimated input tokens (a TPM-in limit is known). */
  public boolean needsInputTokens() {
    lock.lock();
    try {
      return rate != null && rate.needsInputTokens();
    } finally {
      lock.unlock();
    }
  }

  /** Whether admission needs a request's reserved output tokens (a TPM-out limit is known). */
  public boolean needsOutputTokens() {
    lock.lock();
    try {
      return rate != null && rate.needsOutputTokens();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Asks for one attempt of {@code estimatedInput} input tokens and {@code reservedOutput} output
   * tokens.
   *
   * @param urgent a single call (goes before batches)
   * @param waitForFirstAnswer whether, before the lane's first answer, to wait for it (the caller
   *     learns limits from headers)
   * @param wakes where to add waiters to wake once the caller holds no lock
   * @return the permit, or null when {@code w} is queued (it is woken when its turn may have come)
   */
  public Permit tryAcquire(
      Waiter w,
      boolean urgent,
      boolean waitForFirstAnswer,
      long estimatedInput,
      long reservedOutput,
      long now,
      List<Waiter> wakes) {
    lock.lock();
    try {
      Waiter head = head();
      if (head != null && head != w) {
        enqueue(w, urgent);
        return null;
      }
      long wait = 0;
      if (pause.isPaused(now)) {
        wait = pause.resumeAt() - now;
      } else if (gateFirst && waitForFirstAnswer && !answered && rate == null && now < firstUntil) {
        wait = firstUntil - now; // woken by the first answer, at the latest then
      } else if (gateFirst && rate == null && !urgent) {
        wait = learner.rampWait(answered, now); // single calls are not a wave
      }
      if (gateFirst && rate != null && learner.learned() > 0) {
        long raised = learner.maybeRaise(now);
        if (raised > 0) {
          rate.replaceRpm(raised, now);
        }
      }
      double[] sharedDemand = null;
      SharedLimits store = wait <= 0 ? sharedStore(now) : null;
      if (store != null) {
        // with no limit known the store still holds the account's pause
        double[] d = rate != null ? rate.demandOf(estimatedInput, reservedOutput) : NOTHING;
        try {
          wait = store.tryTake(sharedName, sharedBuckets(), d);
          sharedUp();
          if (wait <= 0 && rate != null) {
            sharedDemand = d;
          }
        } catch (RuntimeException e) {
          sharedFailed(e, now);
          wait = rate != null ? rate.waitNanos(estimatedInput, reservedOutput, now) : 0;
        }
      } else if (wait <= 0 && rate != null) {
        wait = rate.waitNanos(estimatedInput, reservedOutput, now);
        if (wait > 0 && learner.learned() > 0) {
          learner.heldBack();
        }
      }
      if (wait > 0) {
        enqueue(w, urgent);
        wakeHeadAt(now + wait, now);
        return null;
      }
      remove(w);
      boolean first = !answered && rate == null;
      if (first && gateFirst && waitForFirstAnswer) {
        firstUntil = now + FIRST_ANSWER_WAIT_NANOS;
      }
      RateState.Grant g = rate == null ? null : rate.take(estimatedInput, reservedOutput, now);
      long seq = learner.admitted(answered, now, pause.resumeAt());
      Permit p = new Permit(g, now, first, sharedDemand, seq);
      if (!first) {
        addHead(wakes);
      }
      return p;
    } finally {
      lock.unlock();
    }
  }

  /** {@code w} no longer asks; the next waiter gets the turn. Harmless when it is not queued. */
  public void withdraw(Waiter w, List<Waiter> wakes) {
    lock.lock();
    try {
      if (remove(w)) {
        addHead(wakes);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * The attempt was answered: settles its tokens with the actual usage, applies the answer's
   * headers (when {@code headers} is not null) and wakes the head (tokens may have come back).
   */
  public void onSuccess(
      Permit p,
      long promptTokens,
      long completionTokens,
      RateLimitStatus headers,
      long now,
      List<Waiter> wakes) {
    lock.lock();
    try {
      answered(p);
      pause.onSuccess();
      if (p.grant != null && rate != null) {
        rate.onSuccess(p.grant, promptTokens, completionTokens, now);
      }
      if (p.shared != null && rate != null) {
        long limitIn = rate.limitOf(1);
        double[] delta = {
          0,
          limitIn > 0 ? p.shared[1] - Math.min(promptTokens, limitIn) : 0,
          p.shared[2] - Math.min(p.shared[2], completionTokens)
        };
        sharedAdjust(delta, now);
      }
      if (headers != null) {
        observe(headers, now);
      }
      addHead(wakes);
    } finally {
      lock.unlock();
    }
  }

  /**
   * The attempt failed otherwise than by a 429: the server may have counted it, but produced no
   * output, so only the output reservation comes back.
   */
  public void onOtherFailure(Permit p, long now, List<Waiter> wakes) {
    lock.lock();
    try {
      answered(p);
      if (p.grant != null && rate != null) {
        rate.onOtherFailure(p.grant, now);
      }
      if (p.shared != null) {
        sharedAdjust(new double[] {0, 0, p.shared[2]}, now);
      }
      addHead(wakes);
    } finally {
      lock.unlock();
    }
  }

  /** A 429 that is not about rate (flex capacity): the server charged nothing; no pause. */
  public void onCapacityRefusal(Permit p, long now, List<Waiter> wakes) {
    lock.lock();
    try {
      answered(p);
      if (p.grant != null && rate != null) {
        rate.refund(p.grant, now);
      }
      if (p.shared != null) {
        sharedAdjust(p.shared, now);
      }
      addHead(wakes);
    } finally {
      lock.unlock();
    }
  }

  /**
   * A 429 that will be retried: pauses the lane for the server's hint or, without one, {@code
   * backoffNanos} of the consecutive episodes. When {@code aboutRate} (a rate limit, not flex
   * capacity) the buckets are re-synchronised with the server's (learning the burst when it was
   * unknown); otherwise the attempt is only refunded.
   */
  public RatePause.Decision onRateLimited(
      Permit p,
      boolean aboutRate,
      OptionalLong hintNanos,
      IntToLongFunction backoffNanos,
      long now) {
    lock.lock();
    try {
      answered(p);
      RatePause.Decision d = pause.onRateLimited(p.sentAt, hintNanos, backoffNanos, now);
      if (p.grant != null && rate != null) {
        if (aboutRate) {
          rate.onRateLimited(p.grant, now);
        } else {
          rate.refund(p.grant, now);
        }
      }
      if (aboutRate && gateFirst) {
        learn(p, now);
      }
      if (p.shared != null) {
        sharedAdjust(p.shared, now);
      }
      SharedLimits store = sharedStore(now);
      if (store != null) {
        try {
          store.pause(
              sharedName,
              sharedBuckets(),
              Math.max(0, pause.resumeAt() - now),
              aboutRate ? RateState.MARGIN_NANOS : -1);
          sharedUp();
        } catch (RuntimeException e) {
          sharedFailed(e, now);
        }
      }
      wakeHeadAt(pause.resumeAt(), now);
      return d;
    } finally {
      lock.unlock();
    }
  }

  /** A rate-limit 429 while nothing is told: measures the request rate ({@link RateLearner}). */
  private void learn(Permit p, long now) {
    long rpm = learner.onRateLimited(p.sentAt, p.seq, now);
    if (rpm <= 0) {
      return;
    }
    if (rate == null) {
      rate = new RateState(RateLimits.rpm(rpm), now);
    } else {
      rate.replaceRpm(rpm, now);
    }
    rate.emptied(now);
    LOG.debug("{}: measured about {} requests per minute from the 429s", model, rpm);
  }

  /**
   * A 429 that ends its item (retries used up, a hint over the cap): the server charged nothing, so
   * the attempt is refunded; nothing pauses.
   */
  public void onRefusedForGood(Permit p, long now, List<Waiter> wakes) {
    onCapacityRefusal(p, now, wakes);
  }

  /** The attempt was cancelled before an answer: its tokens come back. */
  public void onCancelled(Permit p, long now, List<Waiter> wakes) {
    lock.lock();
    try {
      if (p.first && !answered) {
        firstUntil = Long.MIN_VALUE; // someone else goes first
      }
      if (p.grant != null && rate != null) {
        rate.refund(p.grant, now);
      }
      if (p.shared != null) {
        sharedAdjust(p.shared, now);
      }
      addHead(wakes);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Whether this lane learns the request rate from 429s (nothing told it a limit): a batch then
   * keeps its concurrency on a 429, since the lane paces what the server refused ({@link
   * RateLearner}).
   */
  public boolean learnsRate() {
    lock.lock();
    try {
      return gateFirst && !learner.isTold();
    } finally {
      lock.unlock();
    }
  }

  /** 429 episodes on this lane since it was made. */
  public long episodes() {
    lock.lock();
    try {
      return pause.episodes();
    } finally {
      lock.unlock();
    }
  }

  /** Applies a response's {@code x-ratelimit-*} headers outside an attempt's outcome. */
  public void observe(RateLimitStatus s) {
    lock.lock();
    try {
      observe(s, clock.nanoTime());
    } finally {
      lock.unlock();
    }
  }

  private void observe(RateLimitStatus s, long now) {
    if (rate == null) {
      if (s.limitRequests() <= 0 && s.limitTokens() <= 0) {
        return;
      }
      rate = new RateState(RateLimits.UNKNOWN, now);
    }
    if (s.limitRequests() > 0 || s.limitTokens() > 0) {
      if (learner.learned() > 0 && !learner.isTold() && s.limitRequests() > 0) {
        rate.replaceRpm(s.limitRequests(), now); // the server's word beats the estimate
      }
      learner.told();
    }
    rate.observe(s, now);
    SharedLimits store = sharedStore(now);
    if (store != null) {
      double[] max = {
        s.remainingRequests() >= 0 ? s.remainingRequests() : Double.POSITIVE_INFINITY,
        s.remainingTokens() >= 0 && s.limitTokens() > 0 && s.limitTokens() == rate.limitOf(1)
            ? s.remainingTokens()
            : Double.POSITIVE_INFINITY,
        Double.POSITIVE_INFINITY
      };
      try {
        store.clamp(sharedName, rate.sharedBuckets(), max);
        sharedUp();
      } catch (RuntimeException e) {
        sharedFailed(e, now);
      }
    }
  }

  // ---- the shared store, under the lock

  private static final SharedLimits.Bucket[] NO_BUCKETS = {
    SharedLimits.Bucket.NONE, SharedLimits.Bucket.NONE, SharedLimits.Bucket.NONE
  };
  private static final double[] NOTHING = {0, 0, 0};

  /** The buckets for the store: the account's as known, or none (the store then only pauses). */
  private SharedLimits.Bucket[] sharedBuckets() {
    return rate != null ? rate.sharedBuckets() : NO_BUCKETS;
  }

  /** The shared store when there is one and it is not resting after a failure. */
  private SharedLimits sharedStore(long now) {
    SharedLimits s = shared;
    if (s == null || (sharedDown && now - sharedRetryAt < 0)) {
      return null;
    }
    return s;
  }

  private void sharedAdjust(double[] delta, long now) {
    SharedLimits store = sharedStore(now);
    if (store == null || rate == null) {
      return;
    }
    try {
      store.adjust(sharedName, rate.sharedBuckets(), delta);
      sharedUp();
    } catch (RuntimeException e) {
      sharedFailed(e, now);
    }
  }

  private void sharedFailed(RuntimeException e, long now) {
    if (!sharedDown) {
      LOG.warn(
          "shared rate limits unavailable ({}): pacing {} in this process alone until they are"
              + " back",
          e.getMessage(),
          model);
    }
    sharedDown = true;
    sharedRetryAt = now + SHARED_RETRY_NANOS;
  }

  private void sharedUp() {
    if (sharedDown) {
      LOG.info("shared rate limits are back for {}", model);
      sharedDown = false;
    }
  }

  private void answered(Permit p) {
    answered = true;
  }

  // ---- queue, under the lock

  private Waiter head() {
    Waiter h = urgent.peekFirst();
    return h != null ? h : ring.peekFirst();
  }

  private void enqueue(Waiter w, boolean isUrgent) {
    if (urgent.contains(w) || ring.contains(w)) {
      return;
    }
    (isUrgent ? urgent : ring).addLast(w);
  }

  private boolean remove(Waiter w) {
    return urgent.remove(w) || ring.remove(w);
  }

  private void addHead(List<Waiter> wakes) {
    Waiter h = head();
    if (h != null) {
      wakes.add(h);
    }
  }

  /**
   * Wakes the head at {@code at} (a timer on the clock's thread); keeps the earliest timer. Nothing
   * when nobody waits: the next to ask finds the wait itself.
   */
  private void wakeHeadAt(long at, long now) {
    if (head() == null || at - now <= 0) {
      return;
    }
    if (timer != null && timerAt - at <= 0) {
      return;
    }
    if (timer != null) {
      timer.cancel();
    }
    Object token = new Object();
    timerToken = token;
    timerAt = at;
    timer =
        clock.schedule(
            () -> {
              Waiter h;
              lock.lock();
              try {
                if (timerToken == token) {
                  timer = null;
                  timerToken = null;
                  timerAt = Long.MAX_VALUE;
                }
                h = head();
              } finally {
                lock.unlock();
              }
              if (h != null) {
                h.wake();
              }
            },
            Math.max(1, at - now));
  }

  /** For tests and diagnostics: the account buckets' levels (NaN where unknown), or null. */
  double[] levels(long now) {
    lock.lock();
    try {
      return rate == null ? null : rate.levels(now);
    } finally {
      lock.unlock();
    }
  }

  /** For tests: how many wait their turn. */
  int queued() {
    lock.lock();
    try {
      return urgent.size() + ring.size();
    } finally {
      lock.unlock();
    }
  }
}
