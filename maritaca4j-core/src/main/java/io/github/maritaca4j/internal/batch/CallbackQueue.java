package io.github.maritaca4j.internal.batch;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Where a run's callbacks go: tasks are enqueued in event order (under the run's lock) and run one
 * at a time, each happening-before the next. {@link #kick()} is called outside the lock to get them
 * running.
 */
abstract class CallbackQueue {

  abstract void enqueue(Runnable task);

  abstract void kick();

  /** Runs tasks on {@code executor}, one at a time (a serial executor). */
  static CallbackQueue serial(Executor executor) {
    return new Serial(executor);
  }

  /** Tasks run by the thread that calls {@link CallerThread#drainUntil}. */
  static CallerThread callerThread() {
    return new CallerThread();
  }

  private static final class Serial extends CallbackQueue {
    private final Executor executor;
    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean();

    Serial(Executor executor) {
      this.executor = executor;
    }

    @Override
    void enqueue(Runnable task) {
      queue.offer(task);
    }

    @Override
    void kick() {
      if (!queue.isEmpty() && running.compareAndSet(false, true)) {
        try {
          executor.execute(this::drain);
        } catch (RejectedExecutionException e) {
          drain();
        }
      }
    }

    private void drain() {
      while (true) {
        Runnable r;
        while ((r = queue.poll()) != null) {
          r.run();
        }
        running.set(false);
        if (queue.isEmpty() || !running.compareAndSet(false, true)) {
          return;
        }
      }
    }
  }

  /** Tasks wait in a queue that the calling thread of a synchronous batch drains. */
  static final class CallerThread extends CallbackQueue {
    private static final Runnable WAKE = () -> {};
    private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();

    @Override
    void enqueue(Runnable task) {
      queue.add(task);
    }

    @Override
    void kick() {}

    /** Runs queued tasks on this thread until {@code done} is complete and the queue is empty. */
    void drainUntil(CompletableFuture<?> done) throws InterruptedException {
      done.whenComplete((r, t) -> queue.add(WAKE));
      while (true) {
        Runnable r = queue.take();
        r.run();
        if (done.isDone() && queue.isEmpty()) {
          return;
        }
      }
    }
  }
}
