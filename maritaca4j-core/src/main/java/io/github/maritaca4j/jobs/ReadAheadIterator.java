package io.github.maritaca4j.jobs;

import io.github.maritaca4j.errors.JobException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An iterator that takes its elements from {@code source} on a thread of its own, in groups, ahead
 * of the caller (so that, say, parsing the input and estimating its cost use two cores). The order
 * is kept; a failure of {@code source} is thrown by {@link #hasNext()} in its place. {@link
 * #close()} stops the thread and waits for it: call it before closing what {@code source} reads.
 */
final class ReadAheadIterator<T> implements Iterator<T>, AutoCloseable {
  /** Elements per group handed over. */
  static final int GROUP = 256;

  /** Groups read ahead at most. */
  static final int GROUPS = 8;

  private final Iterator<T> source;
  private final BlockingQueue<Object> groups = new ArrayBlockingQueue<>(GROUPS);
  private final Object end = new Object();
  private final Thread thread;
  private volatile boolean stopped;
  private Iterator<T> current = java.util.Collections.emptyIterator();
  private boolean ended;

  ReadAheadIterator(Iterator<T> source, String threadName) {
    this.source = source;
    this.thread = new Thread(this::run, threadName);
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try {
      while (!stopped) {
        List<T> group = new ArrayList<>(GROUP);
        while (group.size() < GROUP && source.hasNext()) {
          group.add(source.next());
        }
        if (group.isEmpty()) {
          hand(end);
          return;
        }
        hand(group);
      }
    } catch (RuntimeException | Error e) {
      hand(e);
    }
  }

  private void hand(Object o) {
    try {
      while (!stopped) {
        if (groups.offer(o, 100, TimeUnit.MILLISECONDS)) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public boolean hasNext() {
    while (!current.hasNext()) {
      if (ended) {
        return false;
      }
      Object o;
      try {
        o = groups.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new JobException("interrupted while reading the input", e);
      }
      if (o == end) {
        ended = true;
        return false;
      }
      if (o instanceof RuntimeException e) {
        ended = true;
        throw e;
      }
      if (o instanceof Error e) {
        ended = true;
        throw e;
      }
      current = ((List<T>) o).iterator();
    }
    return true;
  }

  @Override
  public T next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return current.next();
  }

  /** Stops the thread and waits for it. Idempotent. */
  @Override
  public void close() {
    stopped = true;
    groups.clear();
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
