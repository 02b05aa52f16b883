package io.github.maritaca4j.internal.tokens;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.Arrays;
import java.util.Base64;

/**
 * A byte-level BPE vocabulary (token bytes → rank) in a compact, allocation-free hash table. Read
 * from the tiktoken format: one {@code base64(token-bytes) rank} a line. Immutable after
 * construction, so safe to share between threads. Internal API.
 */
public final class Vocabulary {

  private final byte[] pool;
  private final int[] offset; // by rank; -1 for a gap
  private final int[] length; // by rank
  private final int[] slots; // rank + 1, 0 = empty
  private final int mask;
  private final int size;
  private final int[] singleByte = new int[256];

  private Vocabulary(byte[] pool, int[] offset, int[] length, int size) {
    this.pool = pool;
    this.offset = offset;
    this.length = length;
    this.size = size;
    int cap = Integer.highestOneBit(Math.max(16, size * 2 - 1)) << 1;
    this.slots = new int[cap];
    this.mask = cap - 1;
    for (int r = 0; r < offset.length; r++) {
      if (offset[r] < 0) {
        continue;
      }
      int h = hash(pool, offset[r], length[r]) & mask;
      while (slots[h] != 0) {
        int other = slots[h] - 1;
        if (equal(pool, offset[other], length[other], pool, offset[r], length[r])) {
          throw new IllegalArgumentException(
              "token with rank " + r + " repeats the bytes of rank " + other);
        }
        h = (h + 1) & mask;
      }
      slots[h] = r + 1;
    }
    for (int b = 0; b < 256; b++) {
      singleByte[b] = lookup(new byte[] {(byte) b}, 0, 1);
    }
  }

  /**
   * Reads a tiktoken-format vocabulary.
   *
   * @throws IllegalArgumentException naming the line when the text is malformed, or when a single
   *     byte has no token (byte-level BPE needs all 256)
   */
  public static Vocabulary read(Reader reader) throws IOException {
    BufferedReader in =
        reader instanceof BufferedReader b ? b : new BufferedReader(reader, 1 << 16);
    Base64.Decoder b64 = Base64.getDecoder();
    byte[] pool = new byte[1 << 20];
    int used = 0;
    int[] ranks = new int[1 << 17];
    int[] offs = new int[1 << 17];
    int[] lens = new int[1 << 17];
    int n = 0;
    int maxRank = -1;
    String line;
    int lineNo = 0;
    while ((line = in.readLine()) != null) {
      lineNo++;
      if (line.isBlank()) {
        continue;
      }
      int sp = line.indexOf(' ');
      if (sp <= 0 || line.indexOf(' ', sp + 1) >= 0) {
        throw new IllegalArgumentException(
            "line " + lineNo + ": expected 'base64-token rank', got '" + abbreviate(line) + "'");
      }
      byte[] token;
      int rank;
      try {
        token = b64.decode(line.substring(0, sp));
        rank = Integer.parseInt(line.substring(sp + 1).trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "line " + lineNo + ": " + e.getMessage() + " in '" + abbreviate(line) + "'");
      }
      if (rank < 0 || token.length == 0) {
        throw new IllegalArgumentException(
            "line " + lineNo + ": empty token or negative rank in '" + abbreviate(line) + "'");
      }
      if (used + token.length > pool.length) {
        pool = Arrays.copyOf(pool, Math.max(pool.length * 2, used + token.length));
      }
      System.arraycopy(token, 0, pool, used, token.length);
      if (n == ranks.length) {
        ranks = Arrays.copyOf(ranks, n * 2);
        offs = Arrays.copyOf(offs, n * 2);
        lens = Arrays.copyOf(lens, n * 2);
      }
      ranks[n] = rank;
      offs[n] = used;
      lens[n] = token.length;
      n++;
      used += token.length;
      maxRank = Math.max(maxRank, rank);
    }
    if (n == 0) {
      throw new IllegalArgumentException("the vocabulary is empty");
    }
    int[] offset = new int[maxRank + 1];
    int[] length = new int[maxRank + 1];
    Arrays.fill(offset, -1);
    for (int i = 0; i < n; i++) {
      if (offset[ranks[i]] >= 0) {
        throw new IllegalArgumentException("rank " + ranks[i] + " appears twice");
      }
      offset[ranks[i]] = offs[i];
      length[ranks[i]] = lens[i];
    }
    Vocabulary v = new Vocabulary(Arrays.copyOf(pool, used), offset, length, n);
    for (int b = 0; b < 256; b++) {
      if (v.singleByte[b] < 0) {
        throw new IllegalArgumentException(
            "not a byte-level vocabulary: no token for the single byte 0x"
                + Integer.toHexString(b));
      }
    }
    return v;
  }

  /** Number of tokens. */
  public int size() {
    return size;
  }

  /** The rank of {@code b[from, from+len)}, or -1 when it is not a token. */
  public int rank(byte[] b, int from, int len) {
    if (len == 1) {
      return singleByte[b[from] & 0xff];
    }
    return lookup(b, from, len);
  }

  private int lookup(byte[] b, int from, int len) {
    int h = hash(b, from, len) & mask;
    int s;
    while ((s = slots[h]) != 0) {
      int r = s - 1;
      if (length[r] == len && equal(pool, offset[r], len, b, from, len)) {
        return r;
      }
      h = (h + 1) & mask;
    }
    return -1;
  }

  /** The rank of a single byte (always present). */
  int byteRank(int unsignedByte) {
    return singleByte[unsignedByte];
  }

  /** The bytes of token {@code rank}. */
  public byte[] bytes(int rank) {
    if (rank < 0 || rank >= offset.length || offset[rank] < 0) {
      throw new IllegalArgumentException("no token with id " + rank);
    }
    return Arrays.copyOfRange(pool, offset[rank], offset[rank] + length[rank]);
  }

  private static int hash(byte[] b, int from, int len) {
    int h = 0x811c9dc5 ^ len;
    for (int i = from, end = from + len; i < end; i++) {
      h = (h ^ b[i]) * 0x01000193;
    }
    return h ^ (h >>> 15);
  }

  private static boolean equal(byte[] a, int ao, int len, byte[] b, int bo, int blen) {
    return len == blen && Arrays.equals(a, ao, ao + len, b, bo, bo + len);
  }

  private static String abbreviate(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "..." : s;
  }
}
