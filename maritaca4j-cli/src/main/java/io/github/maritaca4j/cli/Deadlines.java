package io.github.maritaca4j.cli;

import io.github.maritaca4j.cost.PriceTable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code --deadline}: a duration from now ({@code 2h}, {@code 90m}, {@code 1d12h}, {@code
 * PT2H}), a time of day ({@code 06:00}: the next one, in Brasília time, the zone of Maritaca's
 * prices), or a date and time ({@code 2026-01-08T06:00}, Brasília time, or with an offset or {@code
 * Z}).
 */
final class Deadlines {
  private static final Pattern DURATION =
      Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m(?:in)?)?(?:(\\d+)s)?");
  private static final Pattern TIME = Pattern.compile("\\d{1,2}:\\d{2}(?::\\d{2})?");

  private Deadlines() {}

  /**
   * The deadline as an instant after {@code clock}'s now.
   *
   * @throws CliException (usage) when it cannot be read or is not in the future
   */
  static Instant parse(String text, Clock clock) {
    String s = text.strip().toLowerCase(Locale.ROOT);
    Instant now = clock.instant();
    Instant at;
    Matcher m = DURATION.matcher(s);
    if (!s.isEmpty() && m.matches()) {
      Duration d = Duration.ZERO;
      d = d.plusDays(num(m.group(1)));
      d = d.plusHours(num(m.group(2)));
      d = d.plusMinutes(num(m.group(3)));
      d = d.plusSeconds(num(m.group(4)));
      at = now.plus(d);
    } else if (s.startsWith("pt") || s.startsWith("p")) {
      try {
        at = now.plus(Duration.parse(text.strip()));
      } catch (DateTimeParseException e) {
        throw bad(text);
      }
    } else if (TIME.matcher(s).matches()) {
      LocalTime t;
      try {
        t = LocalTime.parse(s.length() == 4 ? "0" + s : s);
      } catch (DateTimeParseException e) {
        throw bad(text);
      }
      ZonedDateTime local = now.atZone(PriceTable.OFF_PEAK_ZONE);
      ZonedDateTime candidate = local.with(t);
      if (!candidate.toInstant().isAfter(now)) {
        candidate = candidate.plusDays(1);
      }
      at = candidate.toInstant();
    } else {
      at = dateTime(text.strip());
    }
    if (!at.isAfter(now)) {
      throw new CliException(
          ExitCodes.USAGE,
          "--deadline "
              + text
              + " is in the past (it is "
              + now.atZone(PriceTable.OFF_PEAK_ZONE).toLocalDateTime().withNano(0)
              + " in Brasília now); give a later time or a duration such as 8h");
    }
    return at;
  }

  private static Instant dateTime(String s) {
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeParseException e) {
      // no offset: Brasília time
    }
    try {
      return LocalDateTime.parse(s).atZone(PriceTable.OFF_PEAK_ZONE).toInstant();
    } catch (DateTimeParseException e) {
      throw bad(s);
    }
  }

  private static long num(String g) {
    return g == null ? 0 : Long.parseLong(g);
  }

  private static CliException bad(String text) {
    return new CliException(
        ExitCodes.USAGE,
        "--deadline: cannot read '"
            + text
            + "': give a duration (8h, 90m, 1d12h), a time (06:00, Brasília) or a date and time"
            + " (2026-01-08T06:00, Brasília, or with an offset)");
  }
}
