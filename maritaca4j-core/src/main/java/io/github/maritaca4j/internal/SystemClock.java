package io.github.maritaca4j.internal;

import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/** The real clock, with one shared daemon timer thread for all clients. */
final class SystemClock implements Clock {
  static final SystemClock INSTANCE = new SystemClock(newTimer(), java.time.Clock.systemUTC());

  private final ScheduledThreadPoolExecutor timer;
  private final java.time.Clock wall;

  private SystemClock(ScheduledThreadPoolExecutor timer, java.time.Clock wall) {
    this.timer = timer;
    this.wall = wall;
  }

  /** The shared timer with another source of wall time. */
  static SystemClock withWallClock(java.time.Clock wall) {
    return new SystemClock(INSTANCE.timer, wall);
  }

  private static ScheduledThreadPoolExecutor newTimer() {
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = Executors.defaultThreadFactory().newThread(r);
              t.setName("maritaca4j-timer");
              t.setDaemon(true);
              return t;
            });
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }

  @Override
  public Object timeSource() {
    return INSTANCE;
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public Instant now() {
    return wall.instant();
  }

  @Override
  public Cancellable schedule(Runnable task, long delayNanos) {
    if (delayNanos <= 0) {
      task.run();
      return () -> {};
    }
    ScheduledFuture<?> f = timer.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  @Override
  public double random() {
    return ThreadLocalRandom.current().nextDouble();
  }
}
