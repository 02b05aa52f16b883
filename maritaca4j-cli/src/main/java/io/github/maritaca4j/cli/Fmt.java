package io.github.maritaca4j.cli;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Locale;

/** Formatting for people: counts, durations, money. */
final class Fmt {
  private Fmt() {}

  /** {@code 1,234,567}. */
  static String n(long v) {
    return String.format(Locale.ROOT, "%,d", v);
  }

  /** {@code 950}, {@code 12.3k}, {@code 4.5M}. */
  static String compact(long v) {
    if (v < 1000) {
      return Long.toString(v);
    }
    if (v < 1_000_000) {
      return String.format(Locale.ROOT, "%.1fk", v / 1e3);
    }
    if (v < 1_000_000_000) {
      return String.format(Locale.ROOT, "%.1fM", v / 1e6);
    }
    return String.format(Locale.ROOT, "%.1fG", v / 1e9);
  }

  /** {@code R$ 0.0123}: 4 decimals, or 6 below one centavo. */
  static String brl(BigDecimal v) {
    if (v == null) {
      return "R$ -";
    }
    int scale = v.abs().compareTo(new BigDecimal("0.01")) < 0 && v.signum() != 0 ? 6 : 4;
    return "R$ " + v.setScale(scale, RoundingMode.HALF_EVEN).toPlainString();
  }

  /** {@code 850 ms}, {@code 4.1 s}, {@code 2m05s}, {@code 1h02m}. */
  static String duration(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + " ms";
    }
    if (ms < 60_000) {
      return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
    long s = ms / 1000;
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
  }

  /** {@code 0:17}, {@code 12:05}, {@code 3:02:10}. */
  static String clock(long seconds) {
    if (seconds < 0) {
      return "--:--";
    }
    if (seconds >= 3600) {
      return String.format(
          Locale.ROOT, "%d:%02d:%02d", seconds / 3600, (seconds % 3600) / 60, seconds % 60);
    }
    return String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
  }

  /** {@code 35.2}. */
  static String rate(double perSecond) {
    return String.format(Locale.ROOT, perSecond >= 100 ? "%.0f" : "%.1f", perSecond);
  }

  /** One-line, shortened text (for showing answers). */
  static String oneLine(String s, int max) {
    String t = s == null ? "" : s.replaceAll("\\s+", " ").strip();
    return t.length() <= max ? t : t.substring(0, Math.max(0, max - 3)) + "...";
  }
}
