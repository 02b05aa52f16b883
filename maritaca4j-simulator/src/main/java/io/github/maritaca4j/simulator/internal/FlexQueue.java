package io.github.maritaca4j.simulator.internal;

import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The flex tier's capacity: at most {@code concurrency} flex requests are served at once; others
 * wait in a FIFO of at most {@code capacity} for up to {@code maxWaitNanos}, then time out. A
 * request that finds the queue full is refused at once. Thread-safe.
 */
public final class FlexQueue {

  /** What happens to a flex request. */
  public enum Result {
    GRANTED_NOW,
    QUEUED,
    QUEUE_FULL
  }

  /** A waiting request. */
  public static final class Waiter {
    private final AtomicBoolean settled = new AtomicBoolean();
    private final Runnable onGrant;
    private final Runnable onTimeout;
    private final EventExecutor executor;
    private ScheduledFuture<?> timer;

    Waiter(Runnable onGrant, Runnable onTimeout, EventExecutor executor) {
      this.onGrant = onGrant;
      this.onTimeout = onTimeout;
      this.executor = executor;
    }
  }

  private final int concurrency;
  private final int capacity;
  private final long maxWaitNanos;
  private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
  private int active;

  public FlexQueue(int concurrency, int capacity, long maxWaitNanos) {
    this.concurrency = concurrency;
    this.capacity = capacity;
    this.maxWaitNanos = maxWaitNanos;
  }

  /**
   * Asks for a slot. GRANTED_NOW: the caller holds a slot now and must {@link #release()} it.
   * QUEUED: {@code onGrant} (then holding a slot) or {@code onTimeout} will run later on {@code
   * executor}; the returned waiter can be {@link #cancel cancelled}. QUEUE_FULL: nothing held.
   */
  public Result acquire(
      Runnable onGrant, Runnable onTimeout, EventExecutor executor, Waiter[] waiterOut) {
    Waiter w;
    synchronized (this) {
      if (active < concurrency) {
        active++;
        return Result.GRANTED_NOW;
      }
      if (waiting.size() >= capacity) {
        return Result.QUEUE_FULL;
      }
      w = new Waiter(onGrant, onTimeout, executor);
      waiting.addLast(w);
      w.timer =
          executor.schedule(
              () -> {
                if (w.settled.compareAndSet(false, true)) {
                  synchronized (this) {
                    waiting.remove(w);
                  }
                  w.onTimeout.run();
                }
              },
              maxWaitNanos,
              TimeUnit.NANOSECONDS);
    }
    waiterOut[0] = w;
    return Result.QUEUED;
  }

  /** Gives up waiting (client gone); harmless if already granted or timed out. */
  public void cancel(Waiter w) {
    if (w != null && w.settled.compareAndSet(false, true)) {
      w.timer.cancel(false);
      synchronized (this) {
        waiting.remove(w);
      }
    }
  }

  /** Frees a slot, handing it to the first live waiter. */
  public void release() {
    while (true) {
      Waiter next;
      synchronized (this) {
        next = waiting.pollFirst();
        if (next == null) {
          active--;
          return;
        }
      }
      if (next.settled.compareAndSet(false, true)) {
        next.timer.cancel(false);
        Waiter granted = next;
        granted.executor.execute(granted.onGrant);
        return; // the slot passes on: active unchanged
      }
    }
  }

  public synchronized int waiting() {
    return waiting.size();
  }

  public synchronized int active() {
    return active;
  }
}
