package io.github.maritaca4j.internal.batch;

import io.github.maritaca4j.internal.Clock;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One account's admission in this JVM: a {@link Lane} per model. An account is an API key (by its
 * fingerprint, never the key itself) at a base URL, on one time source: every client built with the
 * same key and base URL shares it ({@link #shared}), so the account's limits hold across clients,
 * batches and single calls. Thread-safe. Internal API.
 *
 * <p>The registry keeps an account while some client holds it (weakly referenced): an account no
 * client uses any more is forgotten with what it learnt.
 */
public final class Account {
  private static final Map<String, WeakReference<Account>> REGISTRY = new ConcurrentHashMap<>();

  private final Clock clock;
  private final String id;
  private final String sharedPrefix;
  private final boolean gateFirst;
  private volatile io.github.maritaca4j.batch.SharedLimits shared;
  private final Map<String, Lane> lanes = new ConcurrentHashMap<>();

  private Account(Clock clock, String id, String sharedPrefix, boolean gateFirst) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.id = id;
    this.sharedPrefix = sharedPrefix;
    this.gateFirst = gateFirst;
  }

  /**
   * The account of {@code apiKey} at {@code baseUrl} on {@code clock}'s time: the same object for
   * every client that asks with equal arguments while one of them holds it.
   */
  public static Account shared(String apiKey, String baseUrl, Clock clock) {
    String prefix = fingerprint(apiKey) + "@" + normalise(baseUrl);
    String key =
        prefix
            + " "
            + System.identityHashCode(clock.timeSource())
            + ":"
            + clock.timeSource().getClass().getName();
    while (true) {
      WeakReference<Account> ref = REGISTRY.get(key);
      Account a = ref == null ? null : ref.get();
      if (a != null && a.clock.timeSource() == clock.timeSource()) {
        return a;
      }
      Account fresh = new Account(clock, key, prefix, true);
      WeakReference<Account> mine = new WeakReference<>(fresh);
      if (ref == null
          ? REGISTRY.putIfAbsent(key, mine) == null
          : REGISTRY.replace(key, ref, mine)) {
        REGISTRY.values().removeIf(r -> r.get() == null);
        return fresh;
      }
    }
  }

  /**
   * An account of its own, whose lanes send at once without waiting for a first answer (for the
   * engine's tests, whose fake servers send no headers).
   */
  public static Account isolated(Clock clock) {
    return new Account(clock, "isolated", "isolated", false);
  }

  /** An account of its own whose lanes behave as a shared account's (for tests). */
  static Account separate(Clock clock) {
    return new Account(clock, "separate", "separate", true);
  }

  /** The lane of {@code model} (case-insensitive). */
  public Lane lane(String model) {
    String m = model == null ? "" : model.strip().toLowerCase(Locale.ROOT);
    return lanes.computeIfAbsent(
        m,
        k -> {
          Lane l = new Lane(clock, k, gateFirst, "maritaca4j:" + sharedPrefix + ":" + k);
          l.useShared(shared);
          return l;
        });
  }

  /**
   * Keeps this account's buckets and pause in {@code store} too, for every lane (a later call
   * replaces an earlier store; null goes back to this JVM only).
   */
  public void useShared(io.github.maritaca4j.batch.SharedLimits store) {
    this.shared = store;
    lanes.values().forEach(l -> l.useShared(store));
  }

  /** The clock the account's lanes pace on. */
  public Clock clock() {
    return clock;
  }

  @Override
  public String toString() {
    return "Account[" + id + ", lanes=" + lanes.keySet() + "]";
  }

  private static String normalise(String baseUrl) {
    String u = baseUrl == null ? "" : baseUrl.strip().toLowerCase(Locale.ROOT);
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    return u;
  }

  /**
   * The first 16 hex digits of the key's SHA-256: enough to tell keys apart, useless to attackers.
   */
  static String fingerprint(String apiKey) {
    if (apiKey == null) {
      return "nokey";
    }
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256")
              .digest(apiKey.strip().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
