package io.github.maritaca4j.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.http.HttpHeaders;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the server's "wait this long" hints from response headers, in every form the HTTP spec and
 * OpenAI-style servers use. Internal API; stateless and thread-safe.
 *
 * <p><b>Which hint wins.</b> When several are present, the first usable one in this order is taken;
 * the others are not consulted:
 *
 * <ol>
 *   <li>{@code retry-after-ms}: milliseconds, fractions allowed ({@code "1500"}, {@code "12.5"}).
 *       It is the most precise form, and the one OpenAI's own SDKs prefer.
 *   <li>{@code Retry-After}: delay-seconds ({@code "7"}; fractions such as {@code "1.5"} are
 *       accepted although the spec only has integers) or an HTTP-date in any of its three forms
 *       (IMF-fixdate {@code "Sun, 06 Nov 1994 08:49:37 GMT"}, obsolete RFC 850 {@code "Sunday,
 *       06-Nov-94 08:49:37 GMT"} and asctime {@code "Sun Nov 6 08:49:37 1994"}). A date is measured
 *       against the response's own {@code Date} header when that is present and valid (so a skewed
 *       local clock does not matter), else against the local clock. A date in the past, and {@code
 *       "0"}, mean "retry now" (zero).
 *   <li>Only for 429 answers: the OpenAI-style {@code x-ratelimit-reset-requests} / {@code
 *       x-ratelimit-reset-tokens} Go-style durations ({@code "1s"}, {@code "6m0s"}, {@code
 *       "1m30.5s"}, {@code "250ms"}, {@code "1h2m3s"}, {@code "2µs"}; a bare number is seconds).
 *       When the matching {@code x-ratelimit-remaining-*} header says exactly one of the two limits
 *       is exhausted ({@code 0}), that limit's reset is used; otherwise the longer of the two. On
 *       other statuses these headers describe quota, not the failure, and are ignored.
 * </ol>
 *
 * <p>Header names are case-insensitive. Values are trimmed; a value that is empty, negative, not a
 * number/date/duration, or otherwise malformed is ignored (the next form is tried, and without any
 * usable hint the caller backs off on its own). Absurdly large values saturate instead of
 * overflowing (the caller's cap on server-requested waits then applies).
 */
public final class RetryHints {
  private RetryHints() {}

  /** A non-negative decimal number: no sign, exponent, hex or type suffix. */
  private static final Pattern DECIMAL = Pattern.compile("\\+?(\\d+(?:\\.\\d*)?|\\.\\d+)");

  private static final Pattern GO_DURATION =
      Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|ms|s|m|h)");

  /** IMF-fixdate (RFC 1123), weekday optional and not checked. */
  private static final Pattern IMF =
      Pattern.compile(
          "(?:[a-z]+\\s*,\\s*)?(\\d{1,2})\\s+([a-z]{3})\\s+(\\d{4})\\s+(\\d{1,2}):(\\d{2}):(\\d{2})"
              + "(?:\\s*(?:gmt|utc|ut|z|[+-]0000))?");

  /** Obsolete RFC 850 date, two- or four-digit year. */
  private static final Pattern RFC_850 =
      Pattern.compile(
          "(?:[a-z]+\\s*,\\s*)?(\\d{1,2})-([a-z]{3})-(\\d{2}|\\d{4})\\s+(\\d{1,2}):(\\d{2}):(\\d{2})"
              + "(?:\\s*(?:gmt|utc|ut|z|[+-]0000))?");

  /** ANSI C asctime() format. */
  private static final Pattern ASCTIME =
      Pattern.compile(
          "(?:[a-z]+\\s+)?([a-z]{3})\\s+(\\d{1,2})\\s+(\\d{1,2}):(\\d{2}):(\\d{2})\\s+(\\d{4})");

  private static final List<String> MONTHS =
      List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec");

  private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(Long.MAX_VALUE);

  /**
   * The server's retry hint, reading every form (as for a 429 answer).
   *
   * @see #parse(int, HttpHeaders, Instant)
   */
  public static Optional<Duration> parse(HttpHeaders headers, Instant now) {
    return parse(429, headers, now);
  }

  /**
   * The server's retry hint for a response with this status, if any usable one is present.
   *
   * @param now the local clock, used for an HTTP-date when the response has no valid {@code Date}
   */
  public static Optional<Duration> parse(int status, HttpHeaders headers, Instant now) {
    for (String v : headers.allValues("retry-after-ms")) {
      Optional<Duration> d = parseMillis(v);
      if (d.isPresent()) {
        return d;
      }
    }
    List<String> ra = headers.allValues("retry-after");
    if (!ra.isEmpty()) {
      Instant reference =
          headers.firstValue("date").flatMap(v -> parseHttpDate(v, now)).orElse(now);
      for (String v : ra) {
        Optional<Duration> d = parseRetryAfter(v, reference);
        if (d.isPresent()) {
          return d;
        }
      }
    }
    if (status != 429) {
      return Optional.empty();
    }
    return rateLimitReset(headers);
  }

  /** The OpenAI-style reset hint: the exhausted limit's reset, else the longer of the two. */
  private static Optional<Duration> rateLimitReset(HttpHeaders headers) {
    Optional<Duration> requests =
        headers.firstValue("x-ratelimit-reset-requests").flatMap(RetryHints::parseGoDuration);
    Optional<Duration> tokens =
        headers.firstValue("x-ratelimit-reset-tokens").flatMap(RetryHints::parseGoDuration);
    if (requests.isEmpty() || tokens.isEmpty()) {
      return requests.isPresent() ? requests : tokens;
    }
    boolean requestsOut = exhausted(headers, "x-ratelimit-remaining-requests");
    boolean tokensOut = exhausted(headers, "x-ratelimit-remaining-tokens");
    if (requestsOut != tokensOut) {
      return requestsOut ? requests : tokens;
    }
    return Optional.of(requests.get().compareTo(tokens.get()) >= 0 ? requests.get() : tokens.get());
  }

  private static boolean exhausted(HttpHeaders headers, String name) {
    return headers
        .firstValue(name)
        .map(String::trim)
        .filter(v -> DECIMAL.matcher(v).matches())
        .map(v -> new BigDecimal(v).signum() == 0)
        .orElse(false);
  }

  /** {@code retry-after-ms}: non-negative milliseconds, fractions allowed. */
  public static Optional<Duration> parseMillis(String value) {
    return decimal(value).map(ms -> nanos(ms.movePointRight(6)));
  }

  /**
   * {@code Retry-After}: delta-seconds (fractions accepted) or an HTTP-date, relative to {@code
   * reference} (a date at or before it gives zero).
   */
  public static Optional<Duration> parseRetryAfter(String value, Instant reference) {
    Optional<BigDecimal> seconds = decimal(value);
    if (seconds.isPresent()) {
      return Optional.of(nanos(seconds.get().movePointRight(9)));
    }
    return parseHttpDate(value, reference)
        .map(at -> at.isAfter(reference) ? Duration.between(reference, at) : Duration.ZERO);
  }

  /**
   * An HTTP-date in any of its three forms (weekday names are not checked; {@code GMT} may be
   * missing or written {@code UTC}/{@code +0000}). A two-digit RFC 850 year is the one within 50
   * years after {@code reference}'s year at most, as RFC 9110 section 5.6.7 requires.
   */
  public static Optional<Instant> parseHttpDate(String value, Instant reference) {
    if (value == null) {
      return Optional.empty();
    }
    String v = value.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    try {
      Matcher m = IMF.matcher(v);
      if (m.matches()) {
        return instant(
            Integer.parseInt(m.group(3)),
            m.group(2),
            m.group(1),
            m.group(4),
            m.group(5),
            m.group(6));
      }
      m = RFC_850.matcher(v);
      if (m.matches()) {
        int year = Integer.parseInt(m.group(3));
        if (m.group(3).length() == 2) {
          int now = reference.atZone(ZoneOffset.UTC).getYear();
          year += now - Math.floorMod(now, 100);
          if (year > now + 50) {
            year -= 100;
          }
        }
        return instant(year, m.group(2), m.group(1), m.group(4), m.group(5), m.group(6));
      }
      m = ASCTIME.matcher(v);
      if (m.matches()) {
        return instant(
            Integer.parseInt(m.group(6)),
            m.group(1),
            m.group(2),
            m.group(3),
            m.group(4),
            m.group(5));
      }
    } catch (DateTimeException | NumberFormatException e) {
      // e.g. 31 Feb or 25:00: not a date
    }
    return Optional.empty();
  }

  private static Optional<Instant> instant(
      int year, String month, String day, String hour, String minute, String second) {
    int mon = MONTHS.indexOf(month) + 1;
    if (mon == 0) {
      return Optional.empty();
    }
    int sec = Math.min(59, Integer.parseInt(second)); // a leap second 60 reads as 59
    return Optional.of(
        LocalDateTime.of(
                year,
                mon,
                Integer.parseInt(day),
                Integer.parseInt(hour),
                Integer.parseInt(minute),
                sec)
            .toInstant(ZoneOffset.UTC));
  }

  /**
   * Go-style durations as OpenAI's {@code x-ratelimit-reset-*} headers send them: a sequence of
   * decimal numbers with units {@code h}, {@code m}, {@code s}, {@code ms}, {@code us}/{@code
   * µs}/{@code μs}, {@code ns} ({@code "1h2m3s"}, {@code "0.5s"}, {@code "250ms"}). A bare number
   * is seconds. Negative or malformed values give empty.
   */
  public static Optional<Duration> parseGoDuration(String value) {
    if (value == null) {
      return Optional.empty();
    }
    String v =
        value
            .strip()
            // the micro sign, the Greek mu, and both as UTF-8 bytes read as ISO-8859-1 (the
            // charset HTTP/1.1 header values are decoded with)
            .replace("\u00c2\u00b5", "u")
            .replace("\u00ce\u00bc", "u")
            .replace("\u00b5", "u")
            .replace("\u03bc", "u")
            .toLowerCase(Locale.ROOT);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    Optional<BigDecimal> bare = decimal(v);
    if (bare.isPresent()) {
      return Optional.of(nanos(bare.get().movePointRight(9)));
    }
    Matcher m = GO_DURATION.matcher(v);
    BigDecimal total = BigDecimal.ZERO;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        return Optional.empty();
      }
      end = m.end();
      BigDecimal n = new BigDecimal(m.group(1).endsWith(".") ? m.group(1) + "0" : m.group(1));
      long unit =
          switch (m.group(2)) {
            case "h" -> 3_600_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "s" -> 1_000_000_000L;
            case "ms" -> 1_000_000L;
            case "us" -> 1_000L;
            default -> 1L;
          };
      total = total.add(n.multiply(BigDecimal.valueOf(unit)));
    }
    if (end == 0 || end != v.length()) {
      return Optional.empty();
    }
    return Optional.of(nanos(total));
  }

  /** A non-negative plain decimal, or empty. */
  private static Optional<BigDecimal> decimal(String value) {
    if (value == null) {
      return Optional.empty();
    }
    String v = value.strip();
    if (!DECIMAL.matcher(v).matches()) {
      return Optional.empty();
    }
    if (v.startsWith("+")) {
      v = v.substring(1);
    }
    if (v.endsWith(".")) {
      v = v + "0";
    }
    return Optional.of(new BigDecimal(v));
  }

  /** Nanoseconds rounded up, saturating at {@code Long.MAX_VALUE}. */
  private static Duration nanos(BigDecimal n) {
    if (n.compareTo(MAX_NANOS) >= 0) {
      return Duration.ofNanos(Long.MAX_VALUE);
    }
    return Duration.ofNanos(n.setScale(0, RoundingMode.CEILING).longValueExact());
  }
}
