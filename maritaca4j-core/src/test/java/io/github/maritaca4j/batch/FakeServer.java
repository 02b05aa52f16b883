package io.github.maritaca4j.batch;

import io.github.maritaca4j.ChatRequest;
import io.github.maritaca4j.ChatResult;
import io.github.maritaca4j.Choice;
import io.github.maritaca4j.FinishReason;
import io.github.maritaca4j.Message;
import io.github.maritaca4j.RateLimitStatus;
import io.github.maritaca4j.Usage;
import io.github.maritaca4j.errors.MaritacaException;
import io.github.maritaca4j.errors.RateLimitException;
import io.github.maritaca4j.internal.ChatSender;
import io.github.maritaca4j.internal.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * A Maritaca-like server in virtual time, for unit tests: answers after a latency on a {@link
 * ManualClock}, enforces RPM / TPM-in / TPM-out token buckets the way the simulator does (capacity
 * {@code limit × burst / 60 s}, admitted when the level is at least {@code min(n, capacity)},
 * output reserved at admission and refunded on completion), answers 429s after {@link #REJECT} with
 * a hint in the chosen form, injects scripted failures, and records every request.
 */
final class FakeServer implements ChatSender {
  static final Duration REJECT = Duration.ofMillis(1);

  enum Hint {
    EXACT_MILLIS,
    SECONDS,
    NONE
  }

  /** One received request. */
  record Sent(long atNanos, int index, ChatRequest request) {}

  private final ManualClock clock;
  private boolean headers;
  private Function<ChatRequest, Duration> latency = r -> Duration.ofMillis(200);
  private Function<ChatRequest, MaritacaException> failures = r -> null;
  private ToLongFunction<ChatRequest> promptTokens = r -> 10;
  private ToLongFunction<ChatRequest> completionTokens = r -> 5;
  private Hint hint = Hint.EXACT_MILLIS;
  private Bucket rpm;
  private Bucket tpmIn;
  private Bucket tpmOut;

  private final List<Sent> sent = new ArrayList<>();
  private final List<java.util.concurrent.CompletableFuture<ChatResult>> calls = new ArrayList<>();
  private int inFlight;
  private int maxInFlight;
  private int rateLimited;
  private long promptTotal;
  private long completionTotal;

  FakeServer(ManualClock clock) {
    this.clock = clock;
  }

  FakeServer latency(Duration d) {
    this.latency = r -> d;
    return this;
  }

  FakeServer latency(Function<ChatRequest, Duration> f) {
    this.latency = f;
    return this;
  }

  /** A failure to answer with (after the latency, once admitted), or null for success. */
  FakeServer failures(Function<ChatRequest, MaritacaException> f) {
    this.failures = f;
    return this;
  }

  FakeServer promptTokens(ToLongFunction<ChatRequest> f) {
    this.promptTokens = f;
    return this;
  }

  FakeServer completionTokens(ToLongFunction<ChatRequest> f) {
    this.completionTokens = f;
    return this;
  }

  FakeServer hint(Hint hint) {
    this.hint = hint;
    return this;
  }

  FakeServer limits(long rpmLimit, long tpmInLimit, long tpmOutLimit, Duration burst) {
    long now = clock.nanoTime();
    rpm = rpmLimit > 0 ? new Bucket(rpmLimit, burst, now) : null;
    tpmIn = tpmInLimit > 0 ? new Bucket(tpmInLimit, burst, now) : null;
    tpmOut = tpmOutLimit > 0 ? new Bucket(tpmOutLimit, burst, now) : null;
    return this;
  }

  /** The index encoded in the request's first message ({@code "q<index>"}), or -1. */
  static int indexOf(ChatRequest r) {
    String t = r.messages().get(0).text();
    int at = t.indexOf('q');
    if (at < 0) {
      return -1;
    }
    int end = at + 1;
    while (end < t.length() && Character.isDigit(t.charAt(end))) {
      end++;
    }
    return end == at + 1 ? -1 : Integer.parseInt(t.substring(at + 1, end));
  }

  static List<Message> input(int i) {
    return List.of(Message.user("q" + i));
  }

  static List<List<Message>> inputs(int n) {
    List<List<Message>> l = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      l.add(input(i));
    }
    return l;
  }

  static ChatResult answer(ChatRequest r, Usage usage) {
    return new ChatResult(
        "id-" + indexOf(r),
        r.model(),
        0,
        List.of(new Choice(0, Message.assistant("a" + indexOf(r)), FinishReason.STOP)),
        usage,
        null,
        null,
        1,
        Duration.ZERO,
        null);
  }

  @Override
  public synchronized java.util.concurrent.CompletableFuture<ChatResult> send(ChatRequest r) {
    long now = clock.nanoTime();
    sent.add(new Sent(now, indexOf(r), r));
    java.util.concurrent.CompletableFuture<ChatResult> f =
        new java.util.concurrent.CompletableFuture<>();
    calls.add(f);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    long in = promptTokens.applyAsLong(r);
    long reservedOut = r.maxTokens() != null ? r.maxTokens() : 1024;
    long wait = 0;
    for (Bucket b : new Bucket[] {rpm, tpmIn, tpmOut}) {
      if (b != null) {
        double demand = b == rpm ? 1 : b == tpmIn ? in : reservedOut;
        wait = Math.max(wait, b.nanosUntil(demand, now));
      }
    }
    if (wait > 0) {
      rateLimited++;
      Duration hintValue =
          switch (hint) {
            case EXACT_MILLIS -> Duration.ofMillis(Math.max(1, (wait + 999_999) / 1_000_000));
            case SECONDS -> Duration.ofSeconds(Math.max(1, (wait + 999_999_999L) / 1_000_000_000L));
            case NONE -> null;
          };
      RateLimitException e =
          new RateLimitException(
              "Rate limit exceeded", "rate_limit_error", "rate_limit_exceeded", null, hintValue);
      finish(f, REJECT, null, e);
      return f;
    }
    if (rpm != null) {
      rpm.take(1);
    }
    if (tpmIn != null) {
      tpmIn.take(in);
    }
    if (tpmOut != null) {
      tpmOut.take(reservedOut);
    }
    MaritacaException failure = failures.apply(r);
    long out = Math.min(reservedOut, completionTokens.applyAsLong(r));
    Duration d = latency.apply(r);
    if (failure != null) {
      finish(
          f,
          d,
          () -> {
            if (tpmOut != null) {
              tpmOut.refund(reservedOut, clock.nanoTime());
            }
          },
          failure);
      return f;
    }
    ChatResult result = answer(r, Usage.of(in, out));
    clock.schedule(
        () -> {
          synchronized (this) {
            inFlight--;
            if (tpmOut != null) {
              tpmOut.refund(reservedOut - out, clock.nanoTime());
            }
            promptTotal += in;
            completionTotal += out;
          }
          f.complete(headers ? result.withRateLimitStatus(status()) : result);
        },
        d.toNanos());
    return f;
  }

  /** What {@code x-ratelimit-*} headers would say now (requests = RPM, tokens = TPM-in). */
  synchronized RateLimitStatus status() {
    long now = clock.nanoTime();
    return new RateLimitStatus(
        rpm == null ? -1 : rpm.limit,
        rpm == null ? -1 : rpm.remaining(now),
        rpm == null ? null : rpm.reset(now),
        tpmIn == null ? -1 : tpmIn.limit,
        tpmIn == null ? -1 : tpmIn.remaining(now),
        tpmIn == null ? null : tpmIn.reset(now));
  }

  /** Whether answers carry a rate-limit status, as the simulator's headers do. */
  FakeServer headers(boolean on) {
    this.headers = on;
    return this;
  }

  private void finish(
      java.util.concurrent.CompletableFuture<ChatResult> f,
      Duration after,
      Runnable onDone,
      MaritacaException e) {
    clock.schedule(
        () -> {
          synchronized (this) {
            inFlight--;
            if (onDone != null) {
              onDone.run();
            }
          }
          f.completeExceptionally(e);
        },
        after.toNanos());
  }

  synchronized List<Sent> sent() {
    return List.copyOf(sent);
  }

  synchronized int requests() {
    return sent.size();
  }

  synchronized int maxInFlight() {
    return maxInFlight;
  }

  synchronized int inFlight() {
    return inFlight;
  }

  synchronized int rateLimited() {
    return rateLimited;
  }

  synchronized long promptTotal() {
    return promptTotal;
  }

  synchronized long completionTotal() {
    return completionTotal;
  }

  synchronized List<java.util.concurrent.CompletableFuture<ChatResult>> calls() {
    return List.copyOf(calls);
  }

  /** Send times in milliseconds since {@code origin}, in send order. */
  synchronized List<Long> sendMillis(long origin) {
    return sent.stream().map(s -> (s.atNanos() - origin) / 1_000_000).toList();
  }

  /** The simulator's token bucket, in virtual time. */
  static final class Bucket {
    private static final double EPS = 1e-6;
    private final long limit;
    private final double capacity;
    private final double perNano;
    private double level;
    private long last;

    Bucket(long limit, Duration burst, long now) {
      this.limit = limit;
      this.capacity = Math.max(1.0, limit * (burst.toNanos() / 60e9));
      this.perNano = limit / 60e9;
      this.level = capacity;
      this.last = now;
    }

    private void refill(long now) {
      if (now > last) {
        level = Math.min(capacity, level + (now - last) * perNano);
        last = now;
      }
    }

    long nanosUntil(double n, long now) {
      refill(now);
      double need = Math.min(n, capacity);
      return level + EPS >= need ? 0 : (long) Math.ceil((need - level) / perNano);
    }

    long remaining(long now) {
      refill(now);
      return (long) Math.max(0, Math.floor(level));
    }

    Duration reset(long now) {
      refill(now);
      long nanos = (long) Math.ceil((capacity - level) / perNano);
      return Duration.ofMillis(Math.max(0, (nanos + 999_999) / 1_000_000));
    }

    void take(double n) {
      level -= n;
    }

    void refund(double n, long now) {
      refill(now);
      level = Math.min(capacity, level + n);
    }
  }
}
