package io.github.maritaca4j.internal;

import io.github.maritaca4j.ChatListener;
import io.github.maritaca4j.ChatRequest;
import io.github.maritaca4j.ChatResult;
import io.github.maritaca4j.Choice;
import io.github.maritaca4j.FinishReason;
import io.github.maritaca4j.Message;
import io.github.maritaca4j.Usage;
import io.github.maritaca4j.cost.Cost;
import io.github.maritaca4j.errors.MaritacaException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's {@link ChatListener}s and how events reach them: each listener is called in turn, its
 * exceptions logged and dropped. With no listener every method costs next to nothing (no event is
 * built). Internal API; immutable and thread-safe.
 */
public final class ChatEvents {
  static final Logger LOG = LoggerFactory.getLogger("io.github.maritaca4j.listener");

  /** No listener. */
  public static final ChatEvents NONE =
      new ChatEvents(List.of(), "", -1, Clock.system(), (r, u) -> null);

  private static final AtomicLong REQUEST_IDS = new AtomicLong();
  private static final AtomicLong BATCH_IDS = new AtomicLong();

  private final ChatListener[] listeners;
  private final boolean[] content;
  private final boolean anyContent;
  private final String host;
  private final int port;
  private final Clock clock;
  private final BiFunction<ChatRequest, Usage, Cost> cost;

  /**
   * @param host the server's host
   * @param port the server's port
   * @param cost the cost of an answer's usage, or null when its model has no price
   */
  public ChatEvents(
      List<ChatListener> listeners,
      String host,
      int port,
      Clock clock,
      BiFunction<ChatRequest, Usage, Cost> cost) {
    this.listeners = listeners.toArray(new ChatListener[0]);
    this.content = new boolean[this.listeners.length];
    boolean any = false;
    for (int i = 0; i < this.listeners.length; i++) {
      boolean c;
      try {
        c = this.listeners[i].includeContent();
      } catch (RuntimeException e) {
        LOG.warn("ChatListener.includeContent threw; treated as false", e);
        c = false;
      }
      content[i] = c;
      any |= c;
    }
    this.anyContent = any;
    this.host = host;
    this.port = port;
    this.clock = clock;
    this.cost = cost;
  }

  public boolean isEmpty() {
    return listeners.length == 0;
  }

  /** A new batch id (never 0), or 0 when there is no listener. */
  public long newBatchId() {
    return isEmpty() ? 0 : BATCH_IDS.incrementAndGet();
  }

  /**
   * Sends a request through {@code send}, reporting its start and end. The returned future
   * completes after the end event; cancelling it cancels the exchange.
   *
   * @param batchId 0 for a single call
   * @param itemIndex -1 for a single call
   */
  public CompletableFuture<ChatResult> observe(
      ChatRequest request,
      boolean stream,
      long batchId,
      int itemIndex,
      int attempt,
      Supplier<CompletableFuture<ChatResult>> send) {
    if (isEmpty()) {
      return send.get();
    }
    ChatListener.RequestStart full =
        new ChatListener.RequestStart(
            REQUEST_IDS.incrementAndGet(),
            "chat",
            host,
            port,
            request.model(),
            stream,
            batchId,
            itemIndex,
            attempt,
            ChatListener.Parameters.of(request),
            anyContent ? request.messages() : List.of());
    ChatListener.RequestStart bare = full.withoutContent();
    for (int i = 0; i < listeners.length; i++) {
      ChatListener l = listeners[i];
      ChatListener.RequestStart e = content[i] ? full : bare;
      safely(() -> l.onRequestStart(e));
    }
    long t0 = clock.nanoTime();
    CompletableFuture<ChatResult> inner;
    try {
      inner = send.get();
      if (inner == null) {
        throw new NullPointerException("sender returned null");
      }
    } catch (RuntimeException e) {
      inner = CompletableFuture.failedFuture(e);
    }
    CompletableFuture<ChatResult> call = inner;
    CompletableFuture<ChatResult> out = new CompletableFuture<>();
    out.whenComplete(
        (r, t) -> {
          if (out.isCancelled()) {
            call.cancel(true);
          }
        });
    call.whenComplete(
        (r, t) -> {
          end(request, full, Duration.ofNanos(clock.nanoTime() - t0), r, t);
          if (t != null) {
            out.completeExceptionally(t);
          } else {
            out.complete(r);
          }
        });
    return out;
  }

  private void end(
      ChatRequest request,
      ChatListener.RequestStart start,
      Duration duration,
      ChatResult r,
      Throwable t) {
    ChatListener.RequestEnd full;
    try {
      full =
          t == null && r != null
              ? answered(request, start, duration, r)
              : failed(start, duration, t);
    } catch (RuntimeException e) {
      LOG.warn("could not build the request-end event; listeners not told", e);
      return;
    }
    ChatListener.RequestEnd bare = full.withoutContent();
    for (int i = 0; i < listeners.length; i++) {
      ChatListener l = listeners[i];
      ChatListener.RequestEnd e = content[i] ? full : bare;
      safely(() -> l.onRequestEnd(e));
    }
  }

  private ChatListener.RequestEnd answered(
      ChatRequest request, ChatListener.RequestStart start, Duration duration, ChatResult r) {
    List<FinishReason> reasons = new ArrayList<>(r.choices().size());
    List<Message> output = anyContent ? new ArrayList<>(r.choices().size()) : List.of();
    for (Choice c : r.choices()) {
      reasons.add(c.finishReason());
      if (anyContent) {
        output.add(c.message());
      }
    }
    Cost c = r.cost().orElse(null);
    if (c == null) {
      try {
        c = cost.apply(request, r.usage());
      } catch (RuntimeException e) {
        LOG.debug("no cost for model {}", request.model(), e);
      }
    }
    return new ChatListener.RequestEnd(
        start, duration, 200, r.id(), r.model(), reasons, r.usage(), c, null, null, output);
  }

  private static ChatListener.RequestEnd failed(
      ChatListener.RequestStart start, Duration duration, Throwable t) {
    Throwable c = t == null ? new MaritacaException("the sender completed without a result") : t;
    c = MaritacaException.unwrap(c);
    int status = c instanceof MaritacaException m ? Math.max(0, m.statusCode()) : 0;
    return new ChatListener.RequestEnd(
        start,
        duration,
        status,
        null,
        null,
        List.of(),
        Usage.ZERO,
        null,
        c,
        errorType(c),
        List.of());
  }

  /**
   * The {@code error.type} of a failure: the HTTP status of an error response, else the class name
   * of the failure (unwrapped).
   */
  public static String errorType(Throwable t) {
    Throwable c = MaritacaException.unwrap(t);
    if (c instanceof MaritacaException m && m.statusCode() > 0) {
      return Integer.toString(m.statusCode());
    }
    return c == null ? "_OTHER" : c.getClass().getName();
  }

  /** Calls {@code event} on every listener (for batch events). */
  public void each(Consumer<ChatListener> event) {
    for (ChatListener l : listeners) {
      safely(() -> event.accept(l));
    }
  }

  private static void safely(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException | Error e) {
      if (e instanceof VirtualMachineError vme) {
        throw vme;
      }
      LOG.warn("ChatListener threw; ignored, the call goes on", e);
    }
  }
}
