package io.github.maritaca4j.jobs;

import io.github.maritaca4j.cost.PriceTable;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.Objects;

/**
 * One night of Maritaca's off-peak prices: from {@link PriceTable#OFF_PEAK_START} (inclusive) to
 * {@link PriceTable#OFF_PEAK_END} (exclusive) the next morning, in {@link
 * PriceTable#OFF_PEAK_ZONE}. Pure arithmetic on instants; immutable.
 *
 * @param start the first instant of the window
 * @param end the first instant after the window
 */
public record OffPeakWindow(Instant start, Instant end) {

  public OffPeakWindow {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (!end.isAfter(start)) {
      throw new IllegalArgumentException("end " + end + " must be after start " + start);
    }
  }

  /**
   * The window in force at {@code when}, or else the next one to start: its {@link #start()} is
   * {@code when} or earlier when {@code when} is off-peak, later otherwise.
   */
  public static OffPeakWindow atOrAfter(Instant when) {
    Objects.requireNonNull(when, "when");
    ZonedDateTime local = when.atZone(PriceTable.OFF_PEAK_ZONE);
    LocalDate day = local.toLocalDate();
    LocalTime t = local.toLocalTime();
    if (t.isBefore(PriceTable.OFF_PEAK_END)) {
      day = day.minusDays(1); // the window that started yesterday evening
      OffPeakWindow w = startingOn(day);
      if (w.contains(when)) {
        return w;
      }
      day = day.plusDays(1);
    }
    return startingOn(day);
  }

  /** The window that starts in the evening of {@code day} (Brasília date). */
  public static OffPeakWindow startingOn(LocalDate day) {
    Instant s = day.atTime(PriceTable.OFF_PEAK_START).atZone(PriceTable.OFF_PEAK_ZONE).toInstant();
    LocalDate endDay =
        PriceTable.OFF_PEAK_END.isAfter(PriceTable.OFF_PEAK_START) ? day : day.plusDays(1);
    Instant e = endDay.atTime(PriceTable.OFF_PEAK_END).atZone(PriceTable.OFF_PEAK_ZONE).toInstant();
    return new OffPeakWindow(s, e);
  }

  /** Whether {@code when} falls in this window. */
  public boolean contains(Instant when) {
    return !when.isBefore(start) && when.isBefore(end);
  }

  /** The window after this one. */
  public OffPeakWindow next() {
    return atOrAfter(end);
  }

  /** How long the window lasts. */
  public Duration length() {
    return Duration.between(start, end);
  }

  /**
   * When {@code work} of sending, started at {@code from} (in this window or before it) and done
   * only inside off-peak windows, is finished: it goes on night after night.
   */
  public static Instant finishWithinWindows(Instant from, Duration work) {
    Objects.requireNonNull(work, "work");
    OffPeakWindow w = atOrAfter(from);
    Instant t = w.contains(from) ? from : w.start();
    Duration left = work;
    while (true) {
      Duration room = Duration.between(t, w.end());
      if (left.compareTo(room) <= 0) {
        return t.plus(left);
      }
      left = left.minus(room);
      w = w.next();
      t = w.start();
    }
  }

  /** The share (0 to 1) of {@code [from, from + work)} that falls in off-peak windows. */
  public static double offPeakShare(Instant from, Duration work) {
    if (work.isZero() || work.isNegative()) {
      return atOrAfter(from).contains(from) ? 1 : 0;
    }
    Instant to = from.plus(work);
    long inside = 0;
    OffPeakWindow w = atOrAfter(from);
    while (w.start().isBefore(to)) {
      Instant a = w.start().isAfter(from) ? w.start() : from;
      Instant b = w.end().isBefore(to) ? w.end() : to;
      if (b.isAfter(a)) {
        inside += Duration.between(a, b).toMillis();
      }
      w = w.next();
    }
    return Math.min(1.0, inside / (double) Math.max(1, work.toMillis()));
  }
}
