package io.github.maritaca4j.simulator.internal;

import io.github.maritaca4j.simulator.SimulatorStats;
import io.github.maritaca4j.simulator.SimulatorStats.RequestRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** The simulator's counters. Thread-safe. */
public final class StatsRecorder {
  public static final int LOG_LIMIT = 100_000;
  public static final List<String> FAULT_KINDS =
      List.of(
          "server_error",
          "connection_reset",
          "mid_stream_reset",
          "malformed_json",
          "truncated_stream",
          "hang");

  private final LongAdder requests = new LongAdder();
  private final LongAdder ok = new LongAdder();
  private final LongAdder rateLimitedRpm = new LongAdder();
  private final LongAdder rateLimitedTpmIn = new LongAdder();
  private final LongAdder rateLimitedTpmOut = new LongAdder();
  private final LongAdder rateLimitedFlex = new LongAdder();
  private final Map<String, LongAdder> faults = new LinkedHashMap<>();
  private final LongAdder badRequests = new LongAdder();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final AtomicLong promptTokens = new AtomicLong();
  private final AtomicLong completionTokens = new AtomicLong();
  private final AtomicLong cachedTokens = new AtomicLong();
  private final ArrayDeque<RequestRecord> log = new ArrayDeque<>();

  public StatsRecorder() {
    for (String k : FAULT_KINDS) {
      faults.put(k, new LongAdder());
    }
  }

  /** A chat request arrived: counts it and raises in-flight. */
  public Trace begin(String tag) {
    requests.increment();
    int now = inFlight.incrementAndGet();
    int max;
    while (now > (max = maxInFlight.get())) {
      if (maxInFlight.compareAndSet(max, now)) {
        break;
      }
    }
    return new Trace(this, System.nanoTime(), tag);
  }

  public void fault(String kind) {
    faults.get(kind).increment();
  }

  void finished(Trace t, RequestRecord r) {
    inFlight.decrementAndGet();
    String outcome = r.outcome();
    switch (outcome) {
      case "ok" -> {
        ok.increment();
        promptTokens.addAndGet(r.promptTokens());
        completionTokens.addAndGet(r.completionTokens());
        cachedTokens.addAndGet(r.cachedTokens());
      }
      case "rate_limited_rpm" -> rateLimitedRpm.increment();
      case "rate_limited_tpm_in" -> rateLimitedTpmIn.increment();
      case "rate_limited_tpm_out" -> rateLimitedTpmOut.increment();
      case "rate_limited_flex" -> rateLimitedFlex.increment();
      case "bad_request" -> badRequests.increment();
      default -> {
        // faults are counted when injected; client_gone is only logged
      }
    }
    synchronized (log) {
      if (log.size() >= LOG_LIMIT) {
        log.pollFirst();
      }
      log.addLast(r);
    }
  }

  /** Zeroes every counter and the log; in-flight stays (it is a gauge), max becomes it. */
  public void reset() {
    requests.reset();
    ok.reset();
    rateLimitedRpm.reset();
    rateLimitedTpmIn.reset();
    rateLimitedTpmOut.reset();
    rateLimitedFlex.reset();
    faults.values().forEach(LongAdder::reset);
    badRequests.reset();
    maxInFlight.set(inFlight.get());
    promptTokens.set(0);
    completionTokens.set(0);
    cachedTokens.set(0);
    synchronized (log) {
      log.clear();
    }
  }

  public int inFlight() {
    return inFlight.get();
  }

  public SimulatorStats snapshot(boolean withLog) {
    Map<String, Long> f = new LinkedHashMap<>();
    faults.forEach((k, v) -> f.put(k, v.sum()));
    List<RequestRecord> l;
    if (withLog) {
      synchronized (log) {
        l = new ArrayList<>(log);
      }
    } else {
      l = List.of();
    }
    long rpm = rateLimitedRpm.sum();
    long tin = rateLimitedTpmIn.sum();
    long tout = rateLimitedTpmOut.sum();
    long flex = rateLimitedFlex.sum();
    return new SimulatorStats(
        requests.sum(),
        ok.sum(),
        rpm + tin + tout + flex,
        rpm,
        tin,
        tout,
        flex,
        f,
        badRequests.sum(),
        inFlight.get(),
        maxInFlight.get(),
        promptTokens.get(),
        completionTokens.get(),
        cachedTokens.get(),
        l);
  }

  /** One chat request being served; {@link #finish} runs at most once. Thread-safe. */
  public static final class Trace {
    private final StatsRecorder owner;
    private final long arrival;
    private final String tag;
    private final java.util.concurrent.atomic.AtomicBoolean done =
        new java.util.concurrent.atomic.AtomicBoolean();
    private final List<Runnable> onFinish = new ArrayList<>(2);

    /** Outcome logged when the connection dies before the request finished. */
    public volatile String closeOutcome = "client_gone";

    public volatile String model;
    public volatile int promptTokens;
    public volatile int completionTokens;
    public volatile int cachedTokens;

    Trace(StatsRecorder owner, long arrival, String tag) {
      this.owner = owner;
      this.arrival = arrival;
      this.tag = tag;
    }

    public boolean isDone() {
      return done.get();
    }

    /** Runs {@code r} when the trace finishes (at once if it already has). */
    public void onFinish(Runnable r) {
      synchronized (onFinish) {
        if (!done.get()) {
          onFinish.add(r);
          return;
        }
      }
      r.run();
    }

    /** Ends the request with the HTTP {@code status} sent (0 for none) and its outcome. */
    public boolean finish(int status, String outcome) {
      if (!done.compareAndSet(false, true)) {
        return false;
      }
      List<Runnable> hooks;
      synchronized (onFinish) {
        hooks = new ArrayList<>(onFinish);
        onFinish.clear();
      }
      boolean ok = "ok".equals(outcome);
      owner.finished(
          this,
          new RequestRecord(
              arrival,
              System.nanoTime(),
              status,
              model,
              tag,
              promptTokens,
              completionTokens,
              ok ? cachedTokens : 0,
              outcome));
      for (Runnable r : hooks) {
        r.run();
      }
      return true;
    }
  }
}
