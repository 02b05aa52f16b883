package io.github.maritaca4j.internal.tokens;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Exact byte-level BPE in the tiktoken manner: NFC normalisation, a split pattern, then each
 * piece's UTF-8 bytes merged by rank (the lowest-ranked adjacent pair first, leftmost on ties), as
 * tiktoken's {@code byte_pair_merge}. Special tokens are not recognised: text is encoded as
 * ordinary text. Thread-safe: the vocabulary is immutable, and the ids of short pieces are kept in
 * a bounded concurrent cache. Internal API.
 */
public final class BytePairEncoder {

  /** Sabiá's split pattern (see maritaca-api.md). */
  public static final String SABIA_PATTERN =
      "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}|"
          + " ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

  /** Pieces longer than this many bytes are merged with a heap instead of rescans. */
  static final int HEAP_THRESHOLD = 128;

  private static final int NONE = Integer.MAX_VALUE;

  /** Pieces up to this many chars have their ids remembered. */
  static final int MAX_CACHED_PIECE = 32;

  /** The piece cache is emptied when it reaches this many entries. */
  static final int CACHE_LIMIT = 50_000;

  private final ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>();

  private final Vocabulary vocabulary;
  private final Pattern pattern; // null: Sabiá's pattern, by SabiaSplitter
  private final int heapThreshold;

  /** An encoder that splits with {@code pattern}. */
  public BytePairEncoder(Vocabulary vocabulary, Pattern pattern) {
    this(vocabulary, Objects.requireNonNull(pattern, "pattern"), HEAP_THRESHOLD);
  }

  /** An encoder with Sabiá's split pattern, applied by the fast {@link SabiaSplitter}. */
  public static BytePairEncoder sabia(Vocabulary vocabulary) {
    return new BytePairEncoder(vocabulary, null, HEAP_THRESHOLD);
  }

  /**
   * An encoder that merges pieces longer than {@code heapThreshold} bytes with a heap (the result
   * is the same either way; tests use this to exercise both paths). A null {@code pattern} means
   * Sabiá's, applied by {@link SabiaSplitter}.
   */
  public BytePairEncoder(Vocabulary vocabulary, Pattern pattern, int heapThreshold) {
    this.vocabulary = Objects.requireNonNull(vocabulary, "vocabulary");
    this.pattern = pattern;
    this.heapThreshold = heapThreshold;
  }

  /** Sabiá's pattern, compiled with {@link Pattern#UNICODE_CHARACTER_CLASS}. */
  public static Pattern sabiaPattern() {
    return Pattern.compile(SABIA_PATTERN, Pattern.UNICODE_CHARACTER_CLASS);
  }

  public Vocabulary vocabulary() {
    return vocabulary;
  }

  /** Token ids of {@code text}. */
  public int[] encode(String text) {
    IntBuffer out = new IntBuffer(Math.max(8, text.length() / 3));
    run(text, out);
    return out.toArray();
  }

  /** Number of tokens of {@code text}. */
  public int count(String text) {
    return run(text, null);
  }

  /** The UTF-8 bytes the tokens stand for. */
  public byte[] decode(int[] ids) {
    byte[] out = new byte[ids.length * 4];
    int n = 0;
    for (int id : ids) {
      byte[] b = vocabulary.bytes(id);
      if (n + b.length > out.length) {
        out = Arrays.copyOf(out, Math.max(out.length * 2, n + b.length));
      }
      System.arraycopy(b, 0, out, n, b.length);
      n += b.length;
    }
    return Arrays.copyOf(out, n);
  }

  private int run(String text, IntBuffer out) {
    if (text.isEmpty()) {
      return 0;
    }
    String s = Nfc.normalize(text);
    Work w = new Work();
    int count = 0;
    if (pattern == null) {
      for (int start = 0, n = s.length(); start < n; ) {
        int end = SabiaSplitter.next(s, start);
        count += piece(s, start, end, w, out);
        start = end;
      }
      return count;
    }
    Matcher m = pattern.matcher(s);
    while (m.find()) {
      count += piece(s, m.start(), m.end(), w, out);
    }
    return count;
  }

  /** Encodes {@code s[start, end)}, through the piece cache when it is short. */
  private int piece(String s, int start, int end, Work w, IntBuffer out) {
    if (end - start > MAX_CACHED_PIECE) {
      return piece(w, utf8(s, start, end, w), out);
    }
    String key = s.substring(start, end);
    int[] ids = cache.get(key);
    if (ids == null) {
      IntBuffer tmp = new IntBuffer(4);
      piece(w, utf8(s, start, end, w), tmp);
      ids = tmp.toArray();
      if (cache.size() >= CACHE_LIMIT) {
        cache.clear();
      }
      cache.put(key, ids);
    }
    if (out != null) {
      for (int id : ids) {
        out.add(id);
      }
    }
    return ids.length;
  }

  /** Encodes one piece held in {@code w.bytes[0, n)}; returns its token count. */
  private int piece(Work w, int n, IntBuffer out) {
    byte[] b = w.bytes;
    if (n == 0) {
      return 0;
    }
    int whole = vocabulary.rank(b, 0, n);
    if (whole >= 0) {
      if (out != null) {
        out.add(whole);
      }
      return 1;
    }
    return n > heapThreshold ? mergeWithHeap(w, n, out) : mergeByScanning(w, n, out);
  }

  /** tiktoken's algorithm: O(n²) but fast for the short pieces of ordinary text. */
  private int mergeByScanning(Work w, int n, IntBuffer out) {
    byte[] b = w.bytes;
    int[] pos = w.ints(0, n + 1);
    int[] rk = w.ints(1, n + 1);
    int parts = n + 1; // boundaries 0..n; part i is [pos[i], pos[i+1])
    for (int i = 0; i < n - 1; i++) {
      pos[i] = i;
      int r = vocabulary.rank(b, i, 2);
      rk[i] = r < 0 ? NONE : r;
    }
    pos[n - 1] = n - 1;
    rk[n - 1] = NONE;
    pos[n] = n;
    rk[n] = NONE;
    while (true) {
      int min = NONE;
      int at = -1;
      for (int i = 0; i < parts - 1; i++) {
        if (rk[i] < min) {
          min = rk[i];
          at = i;
        }
      }
      if (at < 0) {
        break;
      }
      if (at > 0) {
        rk[at - 1] = pairRank(b, pos, parts, at - 1);
      }
      rk[at] = pairRank(b, pos, parts, at);
      // remove boundary at + 1
      System.arraycopy(pos, at + 2, pos, at + 1, parts - at - 2);
      System.arraycopy(rk, at + 2, rk, at + 1, parts - at - 2);
      parts--;
    }
    if (out != null) {
      for (int i = 0; i < parts - 1; i++) {
        out.add(vocabulary.rank(b, pos[i], pos[i + 1] - pos[i]));
      }
    }
    return parts - 1;
  }

  /** The rank of parts i and i+1 merged, computed before boundary i+1 is removed. */
  private int pairRank(byte[] b, int[] pos, int parts, int i) {
    if (i + 3 < parts) {
      int r = vocabulary.rank(b, pos[i], pos[i + 3] - pos[i]);
      return r < 0 ? NONE : r;
    }
    return NONE;
  }

  /**
   * The same merge order with a linked list and a min-heap of (rank, start): O(n log n), for long
   * pieces such as a long run of spaces. Ties on rank go to the leftmost pair, as in the scan.
   */
  private int mergeWithHeap(Work w, int n, IntBuffer out) {
    byte[] b = w.bytes;
    int[] next = w.ints(0, n + 1); // part starting at i: next part's start (n = end)
    int[] prev = w.ints(1, n + 1);
    int[] pair = w.ints(2, n + 1); // rank of part i merged with its successor, NONE if not a token
    LongHeap heap = new LongHeap(n);
    for (int i = 0; i < n; i++) {
      next[i] = i + 1;
      prev[i] = i - 1;
    }
    for (int i = 0; i < n - 1; i++) {
      int r = vocabulary.rank(b, i, 2);
      pair[i] = r < 0 ? NONE : r;
      if (r >= 0) {
        heap.push(((long) r << 32) | i);
      }
    }
    pair[n - 1] = NONE;
    int parts = n;
    while (!heap.isEmpty()) {
      long top = heap.pop();
      int r = (int) (top >>> 32);
      int i = (int) top;
      if (pair[i] != r) {
        continue; // stale: part i was merged away or has grown since
      }
      int j = next[i]; // the part merged into i
      int k = next[j];
      next[i] = k;
      if (k < n) {
        prev[k] = i;
      }
      pair[j] = NONE;
      parts--;
      pair[i] = rankOf(b, i, k < n ? next[k] : -1);
      if (pair[i] != NONE) {
        heap.push(((long) pair[i] << 32) | i);
      }
      int p = prev[i];
      if (p >= 0) {
        pair[p] = rankOf(b, p, k);
        if (pair[p] != NONE) {
          heap.push(((long) pair[p] << 32) | p);
        }
      }
    }
    if (out != null) {
      for (int i = 0; i < n; i = next[i]) {
        out.add(vocabulary.rank(b, i, next[i] - i));
      }
    }
    return parts;
  }

  private int rankOf(byte[] b, int from, int to) {
    if (to < 0) {
      return NONE;
    }
    int r = vocabulary.rank(b, from, to - from);
    return r < 0 ? NONE : r;
  }

  /** UTF-8 of {@code s[from, to)} into {@code w.bytes} (lone surrogates become '?'). */
  private static int utf8(String s, int from, int to, Work w) {
    byte[] b = w.bytes(4 * (to - from));
    int n = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        b[n++] = (byte) c;
      } else if (c < 0x800) {
        b[n++] = (byte) (0xc0 | (c >> 6));
        b[n++] = (byte) (0x80 | (c & 0x3f));
      } else if (Character.isHighSurrogate(c)
          && i + 1 < to
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        b[n++] = (byte) (0xf0 | (cp >> 18));
        b[n++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
        b[n++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
        b[n++] = (byte) (0x80 | (cp & 0x3f));
      } else if (Character.isSurrogate(c)) {
        b[n++] = '?';
      } else {
        b[n++] = (byte) (0xe0 | (c >> 12));
        b[n++] = (byte) (0x80 | ((c >> 6) & 0x3f));
        b[n++] = (byte) (0x80 | (c & 0x3f));
      }
    }
    return n;
  }

  /** Per-call scratch space. */
  private static final class Work {
    byte[] bytes = new byte[256];
    final int[][] ints = {new int[257], new int[257], new int[257]};

    byte[] bytes(int capacity) {
      if (bytes.length < capacity) {
        bytes = new byte[Math.max(capacity, bytes.length * 2)];
      }
      return bytes;
    }

    int[] ints(int which, int capacity) {
      if (ints[which].length < capacity) {
        ints[which] = new int[Math.max(capacity, ints[which].length * 2)];
      }
      return ints[which];
    }
  }

  /** A growable int list. */
  private static final class IntBuffer {
    int[] a;
    int n;

    IntBuffer(int capacity) {
      a = new int[capacity];
    }

    void add(int v) {
      if (n == a.length) {
        a = Arrays.copyOf(a, n * 2);
      }
      a[n++] = v;
    }

    int[] toArray() {
      return Arrays.copyOf(a, n);
    }
  }

  /** A binary min-heap of longs. */
  private static final class LongHeap {
    long[] h;
    int n;

    LongHeap(int capacity) {
      h = new long[Math.max(16, capacity)];
    }

    boolean isEmpty() {
      return n == 0;
    }

    void push(long v) {
      if (n == h.length) {
        h = Arrays.copyOf(h, n * 2);
      }
      int i = n++;
      while (i > 0) {
        int parent = (i - 1) >>> 1;
        if (h[parent] <= v) {
          break;
        }
        h[i] = h[parent];
        i = parent;
      }
      h[i] = v;
    }

    long pop() {
      long top = h[0];
      long last = h[--n];
      int i = 0;
      while (true) {
        int c = 2 * i + 1;
        if (c >= n) {
          break;
        }
        if (c + 1 < n && h[c + 1] < h[c]) {
          c++;
        }
        if (h[c] >= last) {
          break;
        }
        h[i] = h[c];
        i = c;
      }
      if (n > 0) {
        h[i] = last;
      }
      return top;
    }
  }
}
