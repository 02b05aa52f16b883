package io.github.maritaca4j.jobs;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A compact set of {@code custom_id}s for files too large to hold: each id is kept as a 128-bit
 * hash (MurmurHash3 x64 128 of its UTF-8 bytes) and, when made with {@link #withLines()}, the
 * number of the line it came from. 17 bytes a slot (25 with lines) at a load factor between 0.35
 * and 0.7, whatever the ids' length: a million ids take about 36 MB (52 MB with lines).
 *
 * <p>Two different ids collide with probability about n² / 2¹²⁹ (for a million ids, 10⁻²⁷): far
 * below the odds of a hardware error, so membership is treated as exact.
 *
 * <p>Not thread-safe.
 */
public final class CustomIdSet {
  private static final float LOAD = 0.7f;

  private long[] his;
  private long[] los;
  private long[] lines;
  private boolean[] used;
  private int size;
  private int mask;
  private final boolean trackLines;

  /** An empty set. */
  public CustomIdSet() {
    this(false);
  }

  private CustomIdSet(boolean trackLines) {
    this.trackLines = trackLines;
    alloc(16);
  }

  /** An empty set that also remembers the line each id came from ({@link #addOrGetLine}). */
  public static CustomIdSet withLines() {
    return new CustomIdSet(true);
  }

  private void alloc(int cap) {
    his = new long[cap];
    los = new long[cap];
    lines = trackLines ? new long[cap] : null;
    used = new boolean[cap];
    mask = cap - 1;
  }

  /** Number of ids. */
  public int size() {
    return size;
  }

  /** Whether the set is empty. */
  public boolean isEmpty() {
    return size == 0;
  }

  /** Whether {@code id} is in the set. */
  public boolean contains(String id) {
    long[] h = hash(id);
    return find(h[0], h[1]) >= 0;
  }

  /** Adds {@code id}; true when it was not there. */
  public boolean add(String id) {
    return addOrGetLine(id, 0) < 0;
  }

  /**
   * Adds {@code id} with the line it came from, unless it is already there.
   *
   * @return -1 when it was added, else the line recorded for the earlier occurrence (0 when the set
   *     does not track lines)
   */
  public long addOrGetLine(String id, long line) {
    long[] h = hash(id);
    int slot = find(h[0], h[1]);
    if (slot >= 0) {
      return lines == null ? 0 : lines[slot];
    }
    if (size + 1 > (int) (his.length * LOAD)) {
      grow();
    }
    insert(h[0], h[1], line);
    size++;
    return -1;
  }

  /** Removes {@code id}; true when it was there. */
  public boolean remove(String id) {
    long[] h = hash(id);
    int slot = find(h[0], h[1]);
    if (slot < 0) {
      return false;
    }
    // backward-shift deletion keeps linear probing chains intact
    int hole = slot;
    int i = (hole + 1) & mask;
    while (used[i]) {
      int home = (int) mix(his[i], los[i]) & mask;
      boolean move = ((i - home) & mask) >= ((i - hole) & mask);
      if (move) {
        his[hole] = his[i];
        los[hole] = los[i];
        if (lines != null) {
          lines[hole] = lines[i];
        }
        hole = i;
      }
      i = (i + 1) & mask;
    }
    used[hole] = false;
    his[hole] = 0;
    los[hole] = 0;
    size--;
    return true;
  }

  private int find(long hi, long lo) {
    int i = (int) mix(hi, lo) & mask;
    while (used[i]) {
      if (his[i] == hi && los[i] == lo) {
        return i;
      }
      i = (i + 1) & mask;
    }
    return -1;
  }

  private void insert(long hi, long lo, long line) {
    int i = (int) mix(hi, lo) & mask;
    while (used[i]) {
      i = (i + 1) & mask;
    }
    used[i] = true;
    his[i] = hi;
    los[i] = lo;
    if (lines != null) {
      lines[i] = line;
    }
  }

  private void grow() {
    long[] oh = his;
    long[] ol = los;
    long[] oli = lines;
    boolean[] ou = used;
    alloc(oh.length * 2);
    for (int i = 0; i < oh.length; i++) {
      if (ou[i]) {
        insert(oh[i], ol[i], oli == null ? 0 : oli[i]);
      }
    }
  }

  /** Removes every id. */
  public void clear() {
    Arrays.fill(used, false);
    size = 0;
  }

  private static long mix(long hi, long lo) {
    return hi ^ (lo >>> 17);
  }

  /** MurmurHash3 x64 128 (seed 0) of the UTF-8 bytes of {@code s}: {hi, lo}. */
  @SuppressWarnings("fallthrough")
  static long[] hash(String s) {
    byte[] data = s.getBytes(StandardCharsets.UTF_8);
    final long c1 = 0x87c37b91114253d5L;
    final long c2 = 0x4cf5ad432745937fL;
    long h1 = 0;
    long h2 = 0;
    int len = data.length;
    int blocks = len / 16;
    for (int i = 0; i < blocks; i++) {
      long k1 = getLong(data, i * 16);
      long k2 = getLong(data, i * 16 + 8);
      k1 *= c1;
      k1 = Long.rotateLeft(k1, 31);
      k1 *= c2;
      h1 ^= k1;
      h1 = Long.rotateLeft(h1, 27);
      h1 += h2;
      h1 = h1 * 5 + 0x52dce729;
      k2 *= c2;
      k2 = Long.rotateLeft(k2, 33);
      k2 *= c1;
      h2 ^= k2;
      h2 = Long.rotateLeft(h2, 31);
      h2 += h1;
      h2 = h2 * 5 + 0x38495ab5;
    }
    long k1 = 0;
    long k2 = 0;
    int tail = blocks * 16;
    switch (len & 15) {
      case 15:
        k2 ^= (long) (data[tail + 14] & 0xff) << 48;
      // fall through
      case 14:
        k2 ^= (long) (data[tail + 13] & 0xff) << 40;
      // fall through
      case 13:
        k2 ^= (long) (data[tail + 12] & 0xff) << 32;
      // fall through
      case 12:
        k2 ^= (long) (data[tail + 11] & 0xff) << 24;
      // fall through
      case 11:
        k2 ^= (long) (data[tail + 10] & 0xff) << 16;
      // fall through
      case 10:
        k2 ^= (long) (data[tail + 9] & 0xff) << 8;
      // fall through
      case 9:
        k2 ^= data[tail + 8] & 0xff;
        k2 *= c2;
        k2 = Long.rotateLeft(k2, 33);
        k2 *= c1;
        h2 ^= k2;
      // fall through
      case 8:
        k1 ^= (long) (data[tail + 7] & 0xff) << 56;
      // fall through
      case 7:
        k1 ^= (long) (data[tail + 6] & 0xff) << 48;
      // fall through
      case 6:
        k1 ^= (long) (data[tail + 5] & 0xff) << 40;
      // fall through
      case 5:
        k1 ^= (long) (data[tail + 4] & 0xff) << 32;
      // fall through
      case 4:
        k1 ^= (long) (data[tail + 3] & 0xff) << 24;
      // fall through
      case 3:
        k1 ^= (long) (data[tail + 2] & 0xff) << 16;
      // fall through
      case 2:
        k1 ^= (long) (data[tail + 1] & 0xff) << 8;
      // fall through
      case 1:
        k1 ^= data[tail] & 0xff;
        k1 *= c1;
        k1 = Long.rotateLeft(k1, 31);
        k1 *= c2;
        h1 ^= k1;
      // fall through
      default:
        break;
    }
    h1 ^= len;
    h2 ^= len;
    h1 += h2;
    h2 += h1;
    h1 = fmix(h1);
    h2 = fmix(h2);
    h1 += h2;
    h2 += h1;
    return new long[] {h1, h2};
  }

  private static long getLong(byte[] b, int i) {
    return (b[i] & 0xffL)
        | (b[i + 1] & 0xffL) << 8
        | (b[i + 2] & 0xffL) << 16
        | (b[i + 3] & 0xffL) << 24
        | (b[i + 4] & 0xffL) << 32
        | (b[i + 5] & 0xffL) << 40
        | (b[i + 6] & 0xffL) << 48
        | (b[i + 7] & 0xffL) << 56;
  }

  private static long fmix(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    k ^= k >>> 33;
    return k;
  }
}
