package io.github.maritaca4j.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A clock that moves only when told to, for tests: {@link #advance(Duration)} runs every task that
 * falls due, in time order, on the calling thread. Random numbers come from a fixed value. A {@link
 * java.time.Clock} too, so it is given to a client through the public {@code
 * ChatMaritaca.Builder.clock}, which then uses it whole (virtual timers as well as wall time).
 * Thread-safe.
 */
public final class ManualClock extends java.time.Clock implements Clock {
  private long nanos;
  private final Instant epoch;
  private double random = 0.5;
  private long seq;
  private final PriorityQueue<Task> tasks =
      new PriorityQueue<>(
          (a, b) -> a.due != b.due ? Long.compare(a.due, b.due) : Long.compare(a.seq, b.seq));
  private final List<Long> scheduledDelays = new ArrayList<>();

  public ManualClock() {
    this(Instant.parse("2026-01-01T12:00:00Z"));
  }

  public ManualClock(Instant start) {
    this.epoch = start;
  }

  @Override
  public synchronized long nanoTime() {
    return nanos;
  }

  @Override
  public synchronized Instant now() {
    return epoch.plusNanos(nanos);
  }

  @Override
  public Instant instant() {
    return now();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public java.time.Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("a ManualClock is always UTC");
  }

  @Override
  public Cancellable schedule(Runnable task, long delayNanos) {
    Task t;
    synchronized (this) {
      scheduledDelays.add(Math.max(0, delayNanos));
      if (delayNanos > 0) {
        t = new Task(nanos + delayNanos, seq++, task);
        tasks.add(t);
        return () -> {
          synchronized (ManualClock.this) {
            tasks.remove(t);
          }
        };
      }
    }
    task.run();
    return () -> {};
  }

  @Override
  public synchronized double random() {
    return random;
  }

  /** Sets the value {@link #random()} returns from now on. */
  public synchronized void setRandom(double value) {
    this.random = value;
  }

  /** Every delay passed to {@link #schedule}, in call order (nanoseconds). */
  public synchronized List<Long> scheduledDelays() {
    return List.copyOf(scheduledDelays);
  }

  /** Number of tasks waiting. */
  public synchronized int pendingTasks() {
    return tasks.size();
  }

  /** Moves time forward, running due tasks in order (tasks may schedule more). */
  public void advance(Duration d) {
    long target;
    synchronized (this) {
      target = nanos + d.toNanos();
    }
    while (true) {
      Task next;
      synchronized (this) {
        next = tasks.peek();
        if (next == null || next.due > target) {
          nanos = target;
          return;
        }
        tasks.poll();
        nanos = Math.max(nanos, next.due);
      }
      next.task.run();
    }
  }

  private record Task(long due, long seq, Runnable task) {}
}
