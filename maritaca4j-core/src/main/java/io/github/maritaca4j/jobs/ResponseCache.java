package io.github.maritaca4j.jobs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Answers kept by the canonical hash of what determines them ({@link RequestKey}): a {@link
 * JsonlJob} given one ({@link JsonlJob.Builder#cache}) answers a request found in it without
 * sending it, at zero cost, and stores every new answer in it. The {@code maritaca4j-cache} module
 * has a durable implementation on SQLite, safe for several processes at once; {@link
 * #inMemory(int)} is a bounded one for one process.
 *
 * <p>An entry is the JSON text of a chat completion object, as the API sent it. An implementation
 * returns null for an entry it cannot read whole (a corrupt entry is sent again, never served); the
 * job checks the JSON too and sends the request again when it is not a chat completion.
 *
 * <p>Implementations must be thread-safe: a job calls {@link #get} and {@link #put} from the
 * batch's threads.
 */
public interface ResponseCache extends AutoCloseable {

  /**
   * The stored answer of {@code key}, or null when there is none or it cannot be read.
   *
   * @param key a {@link RequestKey#of} hash
   */
  String get(String key);

  /**
   * The stored answers of several keys at once (those found; an entry that cannot be read is left
   * out). The default calls {@link #get} for each; an implementation may do better (one query).
   *
   * @param keys {@link RequestKey#of} hashes
   */
  default Map<String, String> getAll(List<String> keys) {
    Map<String, String> found = new java.util.HashMap<>();
    for (String k : keys) {
      String v = get(k);
      if (v != null) {
        found.put(k, v);
      }
    }
    return found;
  }

  /**
   * Stores {@code completionJson} as the answer of {@code key}, replacing an earlier one.
   *
   * @param key a {@link RequestKey#of} hash
   * @param completionJson a chat completion object, as JSON text
   */
  void put(String key, String completionJson);

  /** Releases the cache's resources; the default does nothing. */
  @Override
  default void close() {}

  /**
   * A cache in this process's memory, holding the {@code maxEntries} most recently used answers.
   * Thread-safe.
   *
   * @throws IllegalArgumentException when {@code maxEntries < 1}
   */
  static ResponseCache inMemory(int maxEntries) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be >= 1, was " + maxEntries);
    }
    Map<String, String> map =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, String> e) {
            return size() > maxEntries;
          }
        };
    return new ResponseCache() {
      @Override
      public synchronized String get(String key) {
        return map.get(Objects.requireNonNull(key, "key"));
      }

      @Override
      public synchronized void put(String key, String completionJson) {
        map.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(completionJson));
      }

      @Override
      public String toString() {
        return "ResponseCache.inMemory(" + maxEntries + ")";
      }
    };
  }
}
