package io.github.maritaca4j.jobs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Keeps a job to Maritaca's off-peak windows (22:00 to 06:00 Brasília, 30 % off): {@link
 * #awaitWindow()} waits for the next window (or returns at once inside one), {@link #watch} calls
 * back when the window ends, so that the caller stops sending (and lets the requests in flight
 * finish). Time comes from the {@link Clock} and all waiting goes through the {@link Sleeper}, so
 * tests run a night in milliseconds. Thread-safe; {@link #watch} runs its callback on a thread of
 * its own.
 */
public final class OffPeakScheduler {

  /** How the scheduler waits. {@link #system()} sleeps the calling thread. */
  @FunctionalInterface
  public interface Sleeper {
    /**
     * Waits {@code duration} (or returns early: the scheduler reads the clock again).
     *
     * @throws InterruptedException when the waiting thread is interrupted
     */
    void sleep(Duration duration) throws InterruptedException;

    /** {@link Thread#sleep(long)}. */
    static Sleeper system() {
      return d -> Thread.sleep(Math.max(0, d.toMillis()));
    }
  }

  private final Clock clock;
  private final Sleeper sleeper;

  /**
   * @param clock the wall clock the windows are read from
   * @param sleeper how to wait
   */
  public OffPeakScheduler(Clock clock, Sleeper sleeper) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
  }

  /** The window in force now, or the next one. */
  public OffPeakWindow window() {
    return OffPeakWindow.atOrAfter(clock.instant());
  }

  /** Whether now is off-peak. */
  public boolean inWindow() {
    return window().contains(clock.instant());
  }

  /**
   * Returns once the clock is in an off-peak window (at once when it is already), with that window.
   *
   * @throws InterruptedException when interrupted while waiting
   */
  public OffPeakWindow awaitWindow() throws InterruptedException {
    while (true) {
      Instant now = clock.instant();
      OffPeakWindow w = OffPeakWindow.atOrAfter(now);
      if (w.contains(now)) {
        return w;
      }
      sleeper.sleep(Duration.between(now, w.start()));
    }
  }

  /**
   * Calls {@code atEnd} once, on a new daemon thread, when the clock reaches {@code window}'s end;
   * closing the returned handle first (the job finished in time) cancels it.
   */
  public Watch watch(OffPeakWindow window, Runnable atEnd) {
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(atEnd, "atEnd");
    Watch w = new Watch();
    Thread t =
        new Thread(
            () -> {
              try {
                while (!w.closed) {
                  Instant now = clock.instant();
                  if (!now.isBefore(window.end())) {
                    w.ended = true;
                    atEnd.run();
                    return;
                  }
                  sleeper.sleep(Duration.between(now, window.end()));
                }
              } catch (InterruptedException e) {
                // closed: the job finished before the window ended
              }
            },
            "maritaca-off-peak-watch");
    t.setDaemon(true);
    w.thread = t;
    t.start();
    return w;
  }

  /** A running {@link #watch}. */
  public static final class Watch implements AutoCloseable {
    private volatile boolean closed;
    private volatile boolean ended;
    private Thread thread;

    private Watch() {}

    /** Whether the window ended (and the callback ran or is running). */
    public boolean ended() {
      return ended;
    }

    /** Stops watching; the callback is not called after this returns unless it had started. */
    @Override
    public void close() {
      closed = true;
      thread.interrupt();
      try {
        thread.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
