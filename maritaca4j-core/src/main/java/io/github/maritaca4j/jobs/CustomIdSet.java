package io.github.maritaca4j.jobs;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.ToLongFunction;

/**
 * A compact set of {@code custom_id}s for files too large to hold: each id is kept as a 64-bit
 * fingerprint (the first half of MurmurHash3 x64 128 of its UTF-8 bytes) and, when made with {@link
 * #withLines()}, the number of the line it came from. The fingerprints live in 1024 open addressing
 * tables (picked by the fingerprint's top bits) that each grow by a quarter when they are 80 %
 * full: 8 bytes a slot (16 with lines) at a load factor between 0.64 and 0.8, so 10-12.5 bytes an
 * id (20-25 with lines) whatever the ids' length, about 12 MB for a million ids; a resize briefly
 * holds one table twice, about 1/1024 of the set.
 *
 * <p><b>Membership is by fingerprint.</b> Two different ids have the same fingerprint with
 * probability 2⁻⁶⁴, so among n ids some pair collides with probability about n² / 2⁶⁵ (10⁻⁸ for a
 * million ids, 3·10⁻⁶ for ten million): then {@link #contains} says yes, and {@link #add} says no,
 * for an id that was never added. Where that matters the caller checks the answer exactly: {@link
 * InputScan} takes an id already "seen" only as a candidate duplicate and verifies every candidate
 * against the file itself, so a collision never makes a valid file fail. The sets of done ids of
 * {@link JsonlJob} and {@link BatchApiJob} are not checked that way: there a collision between a
 * done id and another id (odds about n·m / 2⁶⁴) would count the other as done.
 *
 * <p>Not thread-safe.
 */
final class CustomIdSet {
  /**
   * 1024 tables: up to about 40 million ids each stays under 512 KB, so that G1 (1 MB regions in a
   * heap below 2 GB) does not allocate it as a humongous object, rounded up to whole regions.
   */
  private static final int SEGMENT_BITS = 10;

  private static final int SEGMENTS = 1 << SEGMENT_BITS;
  private static final int MIN_CAPACITY = 8;
  private static final double MAX_LOAD = 0.8;

  /** Per segment: fingerprints, 0 for an empty slot. */
  private final long[][] keys = new long[SEGMENTS][];

  /** Per segment: the line of each slot's id; null unless tracking lines. */
  private final long[][] lines;

  private final int[] counts = new int[SEGMENTS];
  private final int[] limits = new int[SEGMENTS];
  private final ToLongFunction<String> hasher;
  private int size;

  /** An empty set. */
  public CustomIdSet() {
    this(false, CustomIdSet::fingerprint);
  }

  /**
   * An empty set with its own fingerprint function: a test hook to force collisions. The function
   * must be deterministic; 0 is folded into 1.
   */
  CustomIdSet(boolean trackLines, ToLongFunction<String> hasher) {
    this.hasher = hasher;
    this.lines = trackLines ? new long[SEGMENTS][] : null;
    for (int s = 0; s < SEGMENTS; s++) {
      alloc(s, MIN_CAPACITY);
    }
  }

  /** An empty set that also remembers the line each id came from ({@link #addOrGetLine}). */
  public static CustomIdSet withLines() {
    return new CustomIdSet(true, CustomIdSet::fingerprint);
  }

  private void alloc(int s, int cap) {
    keys[s] = new long[cap];
    if (lines != null) {
      lines[s] = new long[cap];
    }
    limits[s] = Math.min(cap - 1, (int) (cap * MAX_LOAD));
  }

  /** Number of ids (distinct fingerprints). */
  public int size() {
    return size;
  }

  /** Whether the set is empty. */
  public boolean isEmpty() {
    return size == 0;
  }

  /** Whether {@code id} is in the set (by fingerprint: see the class comment). */
  public boolean contains(String id) {
    return containsFingerprint(fingerprintOf(id));
  }

  /** Adds {@code id}; true when it was not there (by fingerprint: see the class comment). */
  public boolean add(String id) {
    return addFingerprint(fingerprintOf(id));
  }

  /**
   * Adds {@code id} with the line it came from, unless it is already there.
   *
   * @return -1 when it was added, else the line recorded for the earlier occurrence (0 when the set
   *     does not track lines)
   */
  public long addOrGetLine(String id, long line) {
    return addFingerprintOrGetLine(fingerprintOf(id), line);
  }

  /** Removes {@code id}; true when it was there. */
  public boolean remove(String id) {
    long fp = fingerprintOf(id);
    int s = segment(fp);
    int slot = find(s, fp);
    if (slot < 0) {
      return false;
    }
    long[] t = keys[s];
    long[] l = lines == null ? null : lines[s];
    int cap = t.length;
    // backward-shift deletion keeps linear probing chains intact
    int hole = slot;
    int i = next(hole, cap);
    while (t[i] != 0) {
      int home = home(t[i], cap);
      if (Math.floorMod(i - home, cap) >= Math.floorMod(i - hole, cap)) {
        t[hole] = t[i];
        if (l != null) {
          l[hole] = l[i];
        }
        hole = i;
      }
      i = next(i, cap);
    }
    t[hole] = 0;
    counts[s]--;
    size--;
    return true;
  }

  /** Removes every id (the tables keep their size). */
  public void clear() {
    for (int s = 0; s < SEGMENTS; s++) {
      Arrays.fill(keys[s], 0);
      counts[s] = 0;
    }
    size = 0;
  }

  /** The fingerprint this set keeps for {@code id}: never 0. */
  long fingerprintOf(String id) {
    long fp = hasher.applyAsLong(id);
    return fp == 0 ? 1 : fp;
  }

  boolean containsFingerprint(long fp) {
    return find(segment(fp), fp) >= 0;
  }

  boolean addFingerprint(long fp) {
    return addFingerprintOrGetLine(fp, 0) < 0;
  }

  private long addFingerprintOrGetLine(long fp, long line) {
    int s = segment(fp);
    int slot = find(s, fp);
    if (slot >= 0) {
      return lines == null ? 0 : lines[s][slot];
    }
    if (counts[s] + 1 > limits[s]) {
      grow(s);
    }
    insert(s, fp, line);
    counts[s]++;
    size++;
    return -1;
  }

  /** Every fingerprint in the set, sorted (signed order). */
  long[] sortedFingerprints() {
    long[] out = new long[size];
    int n = 0;
    for (long[] t : keys) {
      for (long k : t) {
        if (k != 0) {
          out[n++] = k;
        }
      }
    }
    Arrays.sort(out);
    return out;
  }

  /** Bytes held by the tables (for tests and measurements). */
  long tableBytes() {
    long slots = 0;
    for (long[] t : keys) {
      slots += t.length;
    }
    return slots * (lines == null ? 8 : 16);
  }

  /**
   * One bit per slot of this set, to mark the ids met in a pass over a file (an id met twice is
   * then a candidate duplicate). The set must not change while marks are in use.
   */
  Marks newMarks() {
    return new Marks();
  }

  /** See {@link #newMarks()}. */
  final class Marks {
    private final long[][] bits = new long[SEGMENTS][];

    private Marks() {
      for (int s = 0; s < SEGMENTS; s++) {
        bits[s] = new long[(keys[s].length + 63) >>> 6];
      }
    }

    /**
     * Marks {@code fp}'s slot.
     *
     * @return -1 when {@code fp} is not in the set, 0 when it is and was not marked yet, 1 when it
     *     was marked already
     */
    int mark(long fp) {
      int s = segment(fp);
      int i = find(s, fp);
      if (i < 0) {
        return -1;
      }
      long[] b = bits[s];
      long m = 1L << i;
      if ((b[i >>> 6] & m) != 0) {
        return 1;
      }
      b[i >>> 6] |= m;
      return 0;
    }
  }

  private int find(int s, long fp) {
    long[] t = keys[s];
    int cap = t.length;
    int i = home(fp, cap);
    while (true) {
      long k = t[i];
      if (k == fp) {
        return i;
      }
      if (k == 0) {
        return -1;
      }
      i = next(i, cap);
    }
  }

  private void insert(int s, long fp, long line) {
    long[] t = keys[s];
    int cap = t.length;
    int i = home(fp, cap);
    while (t[i] != 0) {
      i = next(i, cap);
    }
    t[i] = fp;
    if (lines != null) {
      lines[s][i] = line;
    }
  }

  private void grow(int s) {
    long[] ot = keys[s];
    long[] ol = lines == null ? null : lines[s];
    int cap = ot.length;
    if (cap >= 1 << 30) {
      throw new IllegalStateException("custom_id set too large");
    }
    alloc(s, cap + Math.max(MIN_CAPACITY, cap >>> 2));
    for (int i = 0; i < cap; i++) {
      if (ot[i] != 0) {
        insert(s, ot[i], ol == null ? 0 : ol[i]);
      }
    }
  }

  private static int segment(long fp) {
    return (int) (fp >>> (64 - SEGMENT_BITS));
  }

  /** The home slot, from the low 32 bits (the segment came from the top 6). */
  private static int home(long fp, int cap) {
    return (int) (((fp & 0xFFFFFFFFL) * cap) >>> 32);
  }

  private static int next(int i, int cap) {
    return i + 1 == cap ? 0 : i + 1;
  }

  /** The default fingerprint of {@code s}: the first half of {@link #hash}. */
  static long fingerprint(String s) {
    return hash(s)[0];
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
