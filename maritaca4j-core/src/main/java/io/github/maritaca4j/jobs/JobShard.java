package io.github.maritaca4j.jobs;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * Shard {@code index} of {@code count} (1 to count): the lines of a job's input whose {@code
 * custom_id} hashes to it, so that N processes (on N machines) given one input file and {@code 1/N}
 * to {@code N/N} each run a disjoint part of it, together all of it ({@link
 * JsonlJob.Builder#shard(JobShard)}, {@code maritaca batch run --shard K/N}).
 *
 * <p>The shard of an id is stable across machines, JVMs and versions: {@code 1 + (h mod count)},
 * where {@code h} is the first 8 bytes of the SHA-256 digest of the id's UTF-8 bytes read as an
 * unsigned big-endian 64-bit integer. In Python: {@code
 * int.from_bytes(hashlib.sha256(cid.encode()).digest()[:8], "big") % n + 1}. A line without {@code
 * custom_id} has its line number as id ({@code "3"}), so the file must be the same everywhere.
 *
 * @param index which shard, from 1 to {@code count}
 * @param count how many shards, at least 1 ({@code 1/1} is the whole input)
 */
public record JobShard(int index, int count) {

  private static final ThreadLocal<MessageDigest> SHA_256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("SHA-256 is missing from this JVM", e);
            }
          });

  /**
   * @throws IllegalArgumentException unless {@code 1 <= index <= count}
   */
  public JobShard {
    if (count < 1) {
      throw new IllegalArgumentException("shard count must be at least 1, was " + count);
    }
    if (index < 1 || index > count) {
      throw new IllegalArgumentException(
          "shard index must be between 1 and " + count + ", was " + index);
    }
  }

  /** Shard {@code index} of {@code count}. */
  public static JobShard of(int index, int count) {
    return new JobShard(index, count);
  }

  /**
   * Reads {@code K/N} ({@code "2/3"}: the second of three shards).
   *
   * @throws IllegalArgumentException when the text is not {@code K/N} with {@code 1 <= K <= N}
   */
  public static JobShard parse(String text) {
    Objects.requireNonNull(text, "text");
    String s = text.strip();
    int slash = s.indexOf('/');
    int k;
    int n;
    try {
      if (slash < 0 || !s.matches("\\d+/\\d+")) {
        throw new NumberFormatException();
      }
      k = Integer.parseInt(s.substring(0, slash));
      n = Integer.parseInt(s.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a shard: write K/N, e.g. 2/3 for the second of three");
    }
    if (n < 1) {
      throw new IllegalArgumentException("'" + text + "': N must be at least 1");
    }
    if (k < 1 || k > n) {
      throw new IllegalArgumentException(
          "'" + text + "': K must be between 1 and N (" + n + "), was " + k);
    }
    return new JobShard(k, n);
  }

  /** The shard, from 1 to {@code count}, of {@code customId} (see the class comment). */
  public static int indexOf(String customId, int count) {
    Objects.requireNonNull(customId, "customId");
    if (count < 1) {
      throw new IllegalArgumentException("shard count must be at least 1, was " + count);
    }
    if (count == 1) {
      return 1;
    }
    MessageDigest md = SHA_256.get();
    byte[] d = md.digest(customId.getBytes(StandardCharsets.UTF_8));
    long h = 0;
    for (int i = 0; i < 8; i++) {
      h = (h << 8) | (d[i] & 0xFF);
    }
    return 1 + (int) Long.remainderUnsigned(h, count);
  }

  /** Whether the request with this {@code custom_id} belongs to this shard. */
  public boolean contains(String customId) {
    return count == 1 || indexOf(customId, count) == index;
  }

  /** {@code K/N}, as {@link #parse} reads it. */
  @Override
  public String toString() {
    return index + "/" + count;
  }
}
