package io.github.maritaca4j.internal;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the server's "wait this long" hints from response headers, in every form the HTTP spec and
 * OpenAI-style servers use. Internal API.
 *
 * <p>Order: {@code retry-after-ms} (milliseconds, may be fractional), then {@code Retry-After} as
 * delta-seconds (fractions accepted) or as an HTTP-date (IMF-fixdate, obsolete RFC 850 and asctime
 * forms; measured against the response's {@code Date} header when present, so clock skew between
 * client and server does not matter), then the OpenAI-style {@code x-ratelimit-reset-requests} /
 * {@code x-ratelimit-reset-tokens} durations ({@code "1s"}, {@code "6m0s"}, {@code "250ms"}; the
 * longer of the two). Unparseable or negative values are ignored; a date in the past means zero.
 */
public final class RetryHints {
  private RetryHints() {}

  private static final DateTimeFormatter RFC_850 =
      DateTimeFormatter.ofPattern("EEEE, dd-MMM-yy HH:mm:ss 'GMT'", Locale.US);
  private static final DateTimeFormatter ASCTIME =
      DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US);
  private static final Pattern GO_DURATION =
      Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|us|µs|ns|h|m|s)");

  /** The server's retry hint, if any usable one is present. */
  public static Optional<Duration> parse(HttpHeaders headers, Instant now) {
    Optional<String> ms = headers.firstValue("retry-after-ms");
    if (ms.isPresent()) {
      Optional<Duration> d = parseMillis(ms.get());
      if (d.isPresent()) {
        return d;
      }
    }
    Optional<String> ra = headers.firstValue("retry-after");
    if (ra.isPresent()) {
      Instant reference = headers.firstValue("date").flatMap(RetryHints::parseHttpDate).orElse(now);
      Optional<Duration> d = parseRetryAfter(ra.get(), reference);
      if (d.isPresent()) {
        return d;
      }
    }
    Optional<Duration> a =
        headers.firstValue("x-ratelimit-reset-requests").flatMap(RetryHints::parseGoDuration);
    Optional<Duration> b =
        headers.firstValue("x-ratelimit-reset-tokens").flatMap(RetryHints::parseGoDuration);
    if (a.isPresent() && b.isPresent()) {
      return Optional.of(a.get().compareTo(b.get()) >= 0 ? a.get() : b.get());
    }
    return a.isPresent() ? a : b;
  }

  /** {@code retry-after-ms}: non-negative milliseconds, fractions allowed. */
  public static Optional<Duration> parseMillis(String value) {
    try {
      double v = Double.parseDouble(value.trim());
      if (v >= 0 && Double.isFinite(v)) {
        return Optional.of(Duration.ofNanos((long) Math.ceil(v * 1_000_000d)));
      }
    } catch (NumberFormatException e) {
      // ignored: not a hint we can use
    }
    return Optional.empty();
  }

  /** {@code Retry-After}: delta-seconds or an HTTP-date, relative to {@code reference}. */
  public static Optional<Duration> parseRetryAfter(String value, Instant reference) {
    String v = value.trim();
    if (v.isEmpty()) {
      return Optional.empty();
    }
    if (Character.isDigit(v.charAt(0)) || v.charAt(0) == '.') {
      try {
        double s = Double.parseDouble(v);
        if (s >= 0 && Double.isFinite(s)) {
          return Optional.of(Duration.ofNanos((long) Math.ceil(s * 1_000_000_000d)));
        }
      } catch (NumberFormatException e) {
        // fall through to the date forms
      }
    }
    return parseHttpDate(v)
        .map(at -> at.isAfter(reference) ? Duration.between(reference, at) : Duration.ZERO);
  }

  /** An HTTP-date in any of its three forms. */
  public static Optional<Instant> parseHttpDate(String value) {
    String v = value.trim();
    try {
      return Optional.of(ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
    } catch (DateTimeParseException e) {
      // next form
    }
    try {
      ZonedDateTime z = ZonedDateTime.parse(v, RFC_850.withZone(ZoneOffset.UTC));
      return Optional.of(z.toInstant());
    } catch (DateTimeParseException e) {
      // next form
    }
    try {
      return Optional.of(
          LocalDateTime.parse(v.replaceAll("\\s+", " ").replaceFirst(" (\\d) ", "  $1 "), ASCTIME)
              .toInstant(ZoneOffset.UTC));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** Go-style durations as OpenAI's {@code x-ratelimit-reset-*} headers send them. */
  public static Optional<Duration> parseGoDuration(String value) {
    String v = value.trim();
    if (v.isEmpty()) {
      return Optional.empty();
    }
    Matcher m = GO_DURATION.matcher(v);
    double nanos = 0;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        return Optional.empty();
      }
      end = m.end();
      double n = Double.parseDouble(m.group(1));
      nanos +=
          switch (m.group(2)) {
            case "h" -> n * 3600e9;
            case "m" -> n * 60e9;
            case "s" -> n * 1e9;
            case "ms" -> n * 1e6;
            case "us", "µs" -> n * 1e3;
            default -> n;
          };
    }
    if (end != v.length()) {
      // a bare number: seconds
      try {
        double s = Double.parseDouble(v);
        return s >= 0 ? Optional.of(Duration.ofNanos((long) Math.ceil(s * 1e9))) : Optional.empty();
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
    return Optional.of(Duration.ofNanos((long) Math.ceil(nanos)));
  }
}
