package io.github.maritaca4j.cli;

import io.github.maritaca4j.batch.SharedLimits;
import io.github.maritaca4j.errors.ConfigurationException;
import io.github.maritaca4j.testing.InMemorySharedLimits;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link SharedLimits.Provider} for the CLI's tests, found through {@code META-INF/services}:
 * {@code cli-test://NAME} is an in-memory store kept under NAME ({@link #store}), recording the
 * buckets it is given and whether it was closed; host {@code down} cannot be reached (a {@link
 * ConfigurationException} naming the URL without its password, as the contract asks), host {@code
 * careless} fails with the raw URL in its message (a provider that breaks the contract).
 */
public final class TestSharedLimitsProvider implements SharedLimits.Provider {
  private static final Map<String, Store> STORES = new ConcurrentHashMap<>();

  /** The store named {@code name}, created by the first connection to {@code cli-test://name}. */
  static Store store(String name) {
    return STORES.get(name);
  }

  @Override
  public boolean supports(URI url) {
    return "cli-test".equals(url.getScheme());
  }

  @Override
  public SharedLimits connect(URI url) {
    String host = url.getHost();
    if ("down".equals(host)) {
      throw new ConfigurationException(
          "shared limits: cannot reach " + SharedLimits.Provider.redact(url.toString()));
    }
    if ("careless".equals(host)) {
      throw new IllegalStateException("connection refused: " + url);
    }
    Store s = STORES.computeIfAbsent(host, h -> new Store());
    s.closed = false;
    return s;
  }

  /** An in-memory store that remembers the request limits it was told and its closing. */
  static final class Store implements SharedLimits {
    private final InMemorySharedLimits delegate = new InMemorySharedLimits(System::nanoTime);
    final List<Long> rpmSeen = new CopyOnWriteArrayList<>();
    volatile boolean closed;

    int calls() {
      return delegate.calls();
    }

    @Override
    public long tryTake(String lane, Bucket[] buckets, double[] demand) {
      rpmSeen.add(buckets[0].limitPerMinute());
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
      closed = true;
    }
  }
}
