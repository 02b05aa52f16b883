package io.github.maritaca4j.internal.batch;

import java.util.OptionalLong;
import java.util.function.IntToLongFunction;

/**
 * The batch-wide pause after a 429 ("the server said 429, everyone waits") and the counting of 429
 * episodes. Not thread-safe: the run's lock guards it. Times are {@code long} nanoseconds on the
 * run's clock, passed in, so it is tested without one.
 *
 * <p>It owns:
 *
 * <ul>
 *   <li>the instant dispatch may resume ({@link #resumeAt()}): a 429 pauses every item, whatever
 *       its model, for the server's hint or, without one, the backoff for the number of consecutive
 *       episodes. A pause is only ever extended, never shortened, by a later 429 (one for a request
 *       already on the wire included);
 *   <li>episodes: a 429 for an attempt sent at or after the start of the last episode opens a new
 *       one; a 429 for an attempt sent before it (it was on the wire when the episode began)
 *       belongs to that episode. {@link #episodes()} counts them over the run; the consecutive
 *       count, the backoff's retry number, goes back to 0 on any success ({@link #onSuccess()}).
 * </ul>
 *
 * <p>What a 429 does to the buckets ({@link RateState#onRateLimited}) and to the concurrency limit
 * ({@link AdaptiveLimit#onOverload}) is theirs; the run combines them with this.
 */
final class RatePause {
  /**
   * What one 429 decided.
   *
   * @param newEpisode whether it opened a new episode
   * @param pauseNanos the pause it asked for, from its arrival: the hint, else the backoff (the
   *     pause in force may be longer, see {@link #resumeAt()})
   */
  record Decision(boolean newEpisode, long pauseNanos) {}

  private long resumeAt = Long.MIN_VALUE;
  private long lastEpisodeStart = Long.MIN_VALUE;
  private int consecutiveEpisodes;
  private long episodes;

  /**
   * A 429 that the run retries: counts its episode and pauses dispatch until at least {@code now +
   * pause}, where the pause is {@code hintNanos} when the server gave one, else {@code
   * backoffNanos} applied to the consecutive episodes (at least 1); {@code backoffNanos} is called
   * only without a hint.
   *
   * @param sentAt when the refused attempt was sent
   * @param hintNanos the server's retry hint, if any (used as given, even 0 or negative)
   * @param backoffNanos the pause for the n-th consecutive episode, n from 1
   * @param now when the 429 arrived
   */
  Decision onRateLimited(
      long sentAt, OptionalLong hintNanos, IntToLongFunction backoffNanos, long now) {
    boolean newEpisode = sentAt >= lastEpisodeStart;
    if (newEpisode) {
      episodes++;
      consecutiveEpisodes++;
      lastEpisodeStart = now;
    }
    long pause =
        hintNanos.isPresent()
            ? hintNanos.getAsLong()
            : backoffNanos.applyAsLong(Math.max(1, consecutiveEpisodes));
    resumeAt = Math.max(resumeAt, now + pause);
    return new Decision(newEpisode, pause);
  }

  /** A success: the next episode's backoff starts over (the episode count does not). */
  void onSuccess() {
    consecutiveEpisodes = 0;
  }

  /** Whether nothing may be sent at {@code now}. */
  boolean isPaused(long now) {
    return now < resumeAt;
  }

  /** The first instant dispatch may resume; {@link Long#MIN_VALUE} before any 429. */
  long resumeAt() {
    return resumeAt;
  }

  /** Episodes since the run began. */
  long episodes() {
    return episodes;
  }

  /** Episodes since the last success: the backoff's retry number (when at least 1). */
  int consecutiveEpisodes() {
    return consecutiveEpisodes;
  }
}
