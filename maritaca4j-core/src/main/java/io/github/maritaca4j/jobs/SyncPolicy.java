package io.github.maritaca4j.jobs;

import java.time.Duration;
import java.util.Objects;

/**
 * When appended result lines are forced to the storage device ({@code fsync}).
 *
 * <p>Every line is written whole with one {@code write} call (the lines answered from the response
 * cache, several at once) and no user-space buffering, so once a line is appended (before the job
 * counts its item as done) it is in the operating system's page cache: a killed or crashed JVM
 * (even {@code kill -9}) loses nothing it counted as done. {@code fsync} only matters when the
 * machine itself stops (power cut, kernel panic); then the lines written since the last sync may be
 * lost and their requests are simply sent again on resume. The default forces after 1,000 lines or
 * 1 second, whichever comes first, and always at close. Immutable.
 *
 * @param everyLines force after this many lines (0: no line count)
 * @param every force when this long has passed since the last force at the next append (null: no
 *     time limit)
 */
public record SyncPolicy(int everyLines, Duration every) {

  /** After 1,000 lines or 1 second, and at close. */
  public static final SyncPolicy DEFAULT = new SyncPolicy(1000, Duration.ofSeconds(1));

  /** After every line: safest against power loss, slowest. */
  public static final SyncPolicy EVERY_LINE = new SyncPolicy(1, null);

  /** Only at close (a crash of the machine may lose recent lines; a killed JVM loses none). */
  public static final SyncPolicy AT_CLOSE = new SyncPolicy(0, null);

  public SyncPolicy {
    if (everyLines < 0) {
      throw new IllegalArgumentException("everyLines must not be negative, was " + everyLines);
    }
    if (every != null && (every.isNegative() || every.isZero())) {
      throw new IllegalArgumentException("every must be positive, was " + every);
    }
  }

  /** Forces after {@code lines} lines or {@code interval}, whichever comes first. */
  public static SyncPolicy of(int lines, Duration interval) {
    return new SyncPolicy(lines, Objects.requireNonNull(interval, "interval"));
  }
}
