package io.github.maritaca4j.spring.boot;

import io.github.maritaca4j.batch.SharedLimits;
import io.github.maritaca4j.testing.InMemorySharedLimits;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test provider of {@code memory://} shared limits (found through {@code ServiceLoader}, as
 * maritaca4j-redis's provider of {@code redis://}): the last store made, its calls and closes.
 */
public final class MemorySharedLimitsProvider implements SharedLimits.Provider {
  static volatile Store last;

  @Override
  public boolean supports(URI url) {
    return "memory".equals(url.getScheme());
  }

  @Override
  public SharedLimits connect(URI url) {
    Store store = new Store();
    last = store;
    return store;
  }

  /** An in-memory store that counts closes. */
  static final class Store implements SharedLimits {
    final InMemorySharedLimits delegate = new InMemorySharedLimits(System::nanoTime);
    final AtomicInteger closes = new AtomicInteger();

    @Override
    public long tryTake(String lane, Bucket[] buckets, double[] demand) {
      return delegate.tryTake(lane, buckets, demand);
    }

    @Override
    public void adjust(String lane, Bucket[] buckets, double[] delta) {
      delegate.adjust(lane, buckets, delta);
    }

    @Override
    public void pause(String lane, Bucket[] buckets, long pauseNanos, long marginNanos) {
      delegate.pause(lane, buckets, pauseNanos, marginNanos);
    }

    @Override
    public void clamp(String lane, Bucket[] buckets, double[] max) {
      delegate.clamp(lane, buckets, max);
    }

    @Override
    public void close() {
      closes.incrementAndGet();
    }
  }
}
