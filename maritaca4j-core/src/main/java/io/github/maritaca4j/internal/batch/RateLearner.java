package io.github.maritaca4j.internal.batch;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * What a lane does while nothing tells it the account's request rate (no limit configured, no
 * {@code x-ratelimit-*} headers): a paced first wave, and a request rate learnt from the 429s. Not
 * thread-safe: the lane's lock guards it. Times are {@code long} nanoseconds, passed in.
 *
 * <p><b>The paced wave.</b> After the first answer, until a rate is learnt (or, while no 429 comes,
 * for {@link #RAMP_SENDS} admissions), admissions are at least {@link #RAMP_GAP_NANOS} apart (at
 * most 500 a second): a server whose burst is small refuses the first request beyond it, and the
 * refusal comes back while only a few more have gone, instead of a whole wave sent at once. Spaced
 * admissions also reach the server in the order they were admitted, which the measurement counts
 * on.
 *
 * <p><b>The learnt rate.</b> A rate-limit 429 says the server's bucket was empty when the refused
 * request arrived. Between two such instants the server accepted what it refilled, give or take one
 * request, whatever its burst: so the requests admitted between two refused ones, less those
 * refused, over the time between them, is the account's rate. Windows shorter than {@link
 * #MIN_WINDOW_NANOS} or longer than {@link #MAX_WINDOW_NANOS}, with fewer than {@link
 * #MIN_ACCEPTED} accepted requests, or in which the client stopped sending for a while (a gap
 * between admissions, pauses aside, over {@link #MAX_GAP_FACTOR} times the mean spacing) are not
 * used: an interactive client's occasional 429s minutes apart say nothing of the rate. A window in
 * which the client sent less than the server refilled measures low (the server's bucket
 * overflowed), so a measurement lowers a learnt rate by at most {@link #MAX_DROP} at a time, and
 * while the learnt rate holds requests back it is raised every {@link #RAISE_EVERY_NANOS} by {@link
 * #RAISE} of the last measurement; the next 429 measures it again. Raised linearly, the rate passes
 * the server's slowly, and the server's bucket drains slowly: a 429 every ten seconds or more once
 * the estimate is close.
 */
final class RateLearner {
  /** The least spacing between admissions of the paced first wave. */
  static final long RAMP_GAP_NANOS = 2_000_000L;

  /** The paced first wave ends after this many admissions without a 429. */
  static final int RAMP_SENDS = 256;

  /** The shortest time between two refusals that measures the rate. */
  static final long MIN_WINDOW_NANOS = 1_000_000_000L;

  /** The longest time between two refusals that measures the rate. */
  static final long MAX_WINDOW_NANOS = 60_000_000_000L;

  /** The fewest accepted requests between two refusals that measure the rate. */
  static final int MIN_ACCEPTED = 5;

  /**
   * A window measures only if no gap between admissions in it (pauses after 429s aside) was longer
   * than this many times its mean spacing (or {@link #MIN_GAP_NANOS}): a client that stopped
   * sending let the server's bucket fill up, and perhaps overflow.
   */
  static final double MAX_GAP_FACTOR = 4.0;

  /** The gap always allowed in a measuring window. */
  static final long MIN_GAP_NANOS = 100_000_000L;

  /** How often a learnt rate that holds requests back is raised. */
  static final long RAISE_EVERY_NANOS = 1_000_000_000L;

  /** By how much a learnt rate is raised at a time (of the rate last measured). */
  static final double RAISE = 0.01;

  /**
   * A new measurement lowers a learnt rate by at most this factor at a time: a window in which the
   * client sent less than the server refilled measures low (the server's bucket overflowed).
   */
  static final double MAX_DROP = 0.9;

  private static final int MAX_EMPTIES = 64;

  private boolean told;
  private boolean refusedOnce;
  private long seq;
  private long refused;
  private int rampSent;
  private long lastAdmit;
  private boolean admittedOnce;
  private long learned;
  private long lastRaise;
  private boolean heldBack;
  private long measured;

  /**
   * Instants the server's bucket was empty: {sentAt, seq, refused count then, longest gap between
   * admissions since}.
   */
  private final ArrayDeque<long[]> empties = new ArrayDeque<>();

  /** A limit is known (configured or from headers): nothing more is learnt. */
  void told() {
    told = true;
  }

  boolean isTold() {
    return told;
  }

  /** The learnt requests per minute; 0 before any. */
  long learned() {
    return learned;
  }

  /**
   * Nanoseconds the next admission waits for the paced first wave; 0 when it need not.
   *
   * @param answered whether the lane has had an answer (the first request goes alone before)
   */
  long rampWait(boolean answered, long now) {
    if (told || learned > 0 || !answered || !admittedOnce) {
      return 0;
    }
    if (!refusedOnce && rampSent >= RAMP_SENDS) {
      return 0; // no 429 so far: the server took a paced wave, the rest go as they come
    }
    return Math.max(0, lastAdmit + RAMP_GAP_NANOS - now);
  }

  /**
   * An admission at {@code now}.
   *
   * @param answered whether the lane had an answer before it (it counts toward the paced wave)
   * @param resumedAt when the lane's last pause ended ({@link Long#MIN_VALUE} for none): the time
   *     paused is not a gap in sending
   * @return its sequence number, for {@link #onRateLimited}
   */
  long admitted(boolean answered, long now, long resumedAt) {
    if (answered && !refusedOnce) {
      rampSent++;
    }
    if (admittedOnce && !empties.isEmpty()) {
      long from = resumedAt != Long.MIN_VALUE && resumedAt - lastAdmit > 0 ? resumedAt : lastAdmit;
      long gap = Math.max(0, now - from);
      for (long[] e : empties) {
        e[3] = Math.max(e[3], gap);
      }
    }
    lastAdmit = now;
    admittedOnce = true;
    return ++seq;
  }

  /** The learnt rate kept someone waiting. */
  void heldBack() {
    heldBack = true;
  }

  /**
   * A rate-limit 429 for the admission {@code seqOfRefused} sent at {@code sentAt}.
   *
   * @return the newly measured requests per minute, or 0 when this refusal measures nothing (the
   *     first one, a window too short, a limit already known)
   */
  long onRateLimited(long sentAt, long seqOfRefused, long now) {
    refusedOnce = true;
    refused++;
    lastRaise = now;
    heldBack = false;
    if (told) {
      return 0;
    }
    long[] base = null;
    for (Iterator<long[]> it = empties.descendingIterator(); it.hasNext(); ) {
      long[] e = it.next();
      if (sentAt - e[0] >= MIN_WINDOW_NANOS) {
        base = e;
        break;
      }
    }
    empties.addLast(new long[] {sentAt, seqOfRefused, refused, 0});
    if (empties.size() > MAX_EMPTIES) {
      empties.removeFirst();
    }
    if (base == null || sentAt - base[0] > MAX_WINDOW_NANOS) {
      return 0;
    }
    long accepted = (seqOfRefused - base[1]) - (refused - base[2]);
    if (accepted < MIN_ACCEPTED) {
      return 0;
    }
    long window = sentAt - base[0];
    if (base[3] > Math.max(MIN_GAP_NANOS, MAX_GAP_FACTOR * window / accepted)) {
      return 0; // the client paused sending in the window: the server's bucket may have filled
    }
    double perSecond = (accepted + 0.5) / (window / 1e9);
    long m = Math.max(1, Math.round(perSecond * 60));
    learned = learned > 0 ? Math.max(m, (long) (learned * MAX_DROP)) : m;
    measured = learned;
    return learned;
  }

  /**
   * The raised requests per minute when it is time to raise a learnt rate that holds requests back,
   * else 0.
   */
  long maybeRaise(long now) {
    if (told || learned <= 0 || now - lastRaise < RAISE_EVERY_NANOS) {
      return 0;
    }
    lastRaise = now;
    if (!heldBack) {
      return 0;
    }
    heldBack = false;
    learned += Math.max(1, Math.round(measured * RAISE));
    return learned;
  }
}
