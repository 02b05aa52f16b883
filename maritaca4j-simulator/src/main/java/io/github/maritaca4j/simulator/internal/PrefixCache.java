package io.github.maritaca4j.simulator.internal;

import com.knuddels.jtokkit.api.IntArrayList;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers the prompts of answered requests (as token ids, per model) and tells how many leading
 * tokens a new prompt shares with one of them. As on a real server, a prompt counts only once its
 * request has been answered ({@link #remember}): requests sent together with the first of a prefix
 * find nothing and pay in full ({@link #lookup} is made when a request arrives). Rule: when the
 * longest shared prefix is at least {@link #MIN_TOKENS} tokens, {@code cached_tokens} is that
 * length rounded down to a multiple of {@link #BLOCK}; otherwise 0. At most {@link #MAX_KEYS}
 * distinct first blocks and {@link #PER_KEY} prompts each are kept, least recently used first out.
 * Thread-safe (synchronized).
 */
public final class PrefixCache {
  public static final int MIN_TOKENS = 1024;
  public static final int BLOCK = 128;
  static final int MAX_KEYS = 512;
  static final int PER_KEY = 8;

  private final LinkedHashMap<Key, ArrayDeque<int[]>> entries =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, ArrayDeque<int[]>> e) {
          return size() > MAX_KEYS;
        }
      };

  private record Key(String model, int hash) {}

  private static Key key(String model, int[] arr) {
    int h = 1;
    for (int i = 0; i < MIN_TOKENS; i++) {
      h = 31 * h + arr[i];
    }
    return new Key(model, h);
  }

  /** The cached tokens of a prompt arriving now, by the rule above, among answered prompts. */
  public int lookup(String model, IntArrayList ids) {
    int n = ids.size();
    if (n < MIN_TOKENS) {
      return 0;
    }
    int[] arr = ids.toArray();
    Key key = key(model, arr);
    synchronized (this) {
      ArrayDeque<int[]> list = entries.get(key);
      if (list == null) {
        return 0;
      }
      int best = 0;
      for (int[] other : list) {
        int lim = Math.min(other.length, arr.length);
        int i = 0;
        while (i < lim && other[i] == arr[i]) {
          i++;
        }
        best = Math.max(best, i);
      }
      return best >= MIN_TOKENS ? best / BLOCK * BLOCK : 0;
    }
  }

  /** Remembers the prompt of a request that has been answered. */
  public void remember(String model, IntArrayList ids) {
    if (ids.size() < MIN_TOKENS) {
      return;
    }
    int[] arr = ids.toArray();
    Key key = key(model, arr);
    synchronized (this) {
      ArrayDeque<int[]> list = entries.computeIfAbsent(key, k -> new ArrayDeque<>());
      for (Iterator<int[]> it = list.iterator(); it.hasNext(); ) {
        if (java.util.Arrays.equals(it.next(), arr)) {
          it.remove(); // same prompt: re-added below as the most recent
        }
      }
      list.addFirst(arr);
      while (list.size() > PER_KEY) {
        list.removeLast();
      }
    }
  }

  /** {@link #lookup} then {@link #remember}: a request answered at once. */
  public int lookupAndRemember(String model, IntArrayList ids) {
    int cached = lookup(model, ids);
    remember(model, ids);
    return cached;
  }

  public synchronized void clear() {
    entries.clear();
  }
}
