package io.github.maritaca4j.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.maritaca4j.errors.ApiException;
import io.github.maritaca4j.errors.AuthenticationException;
import io.github.maritaca4j.errors.BadRequestException;
import io.github.maritaca4j.errors.ConfigurationException;
import io.github.maritaca4j.errors.ConnectionException;
import io.github.maritaca4j.errors.MaritacaException;
import io.github.maritaca4j.errors.NotFoundException;
import io.github.maritaca4j.errors.RateLimitException;
import io.github.maritaca4j.errors.RequestTimeoutException;
import io.github.maritaca4j.errors.ServerException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps HTTP error responses and transport failures to the exception tree. The one place that
 * decides status → exception. Internal API; stateless.
 */
public final class ErrorMapper {
  private static final int MAX_MESSAGE = 1000;
  private static final Pattern CHARSET =
      Pattern.compile("(?i)charset\\s*=\\s*\"?([A-Za-z0-9._:+-]+)");
  private static final Pattern SPACE = Pattern.compile("[\\s\\p{Cntrl}]+");
  private static final Pattern HTML_TITLE = Pattern.compile("(?is)<title[^>]*>(.*?)</title>");
  private static final Pattern HTML_SCRIPT = Pattern.compile("(?is)<(script|style)[^>]*>.*?</\\1>");
  private static final Pattern HTML_TAG = Pattern.compile("(?s)<[^>]*>");

  private ErrorMapper() {}

  /**
   * The exception for an error response. The body may be JSON in any common shape (OpenAI's {@code
   * {"error": {"message", "type", "code"}}} with {@code code} a string, a number or null; {@code
   * {"error": "..."}}; {@code {"message": "..."}}; FastAPI's {@code {"detail": "..."}} or its 422
   * list of {@code {"loc", "msg"}} objects), plain text, an HTML error page from a proxy, empty, or
   * not valid in its charset: the message is always one readable line, at most {@value
   * #MAX_MESSAGE} characters, and never contains {@code secret}.
   *
   * @param secret a value that must never appear in the message (the API key), or null
   */
  public static ApiException fromResponse(
      int status, HttpHeaders headers, byte[] body, Instant now, String secret) {
    String message = null;
    String type = null;
    String code = null;
    String contentType = headers.firstValue("content-type").orElse("");
    String text = decode(body, contentType);
    JsonNode root = null;
    try {
      if (!text.isBlank()) {
        root = Json.MAPPER.readTree(text);
      }
    } catch (IOException e) {
      root = null;
    }
    if (root != null && root.isObject()) {
      JsonNode err = root.get("error");
      if (err != null && err.isObject()) {
        message = messageOf(err);
        type = scalarOrNull(err.get("type"));
        code = scalarOrNull(err.get("code"));
      } else if (err != null && err.isValueNode() && !err.isNull()) {
        message = err.asText();
      }
      if (message == null) {
        message = messageOf(root);
      }
      if (message == null && root.has("detail") && !root.get("detail").isNull()) {
        message = detail(root.get("detail"));
      }
      if (type == null) {
        type = scalarOrNull(root.get("type"));
      }
      if (code == null) {
        code = scalarOrNull(root.get("code"));
      }
      if (message == null && type == null && code == null) {
        message = root.toString(); // an unknown shape: show it whole rather than nothing
      }
    } else if (root != null && root.isTextual()) {
      message = root.asText();
    } else if (!text.isBlank()) {
      message = looksLikeHtml(text, contentType) ? htmlText(text) : text;
    }
    if (message != null && message.isBlank()) {
      message = null;
    }
    if (message == null && status / 100 == 3) {
      message =
          "redirect not followed"
              + headers.firstValue("location").map(l -> " (Location: " + l + ")").orElse("");
    }
    String requestId =
        headers.firstValue("x-request-id").or(() -> headers.firstValue("request-id")).orElse(null);
    Duration retryAfter = RetryHints.parse(status, headers, now).orElse(null);
    return of(
        status,
        clean(message, secret),
        clean(type, secret),
        clean(code, secret),
        clean(requestId, secret),
        retryAfter);
  }

  /** The body as text: in the charset its Content-Type names, else UTF-8; bad bytes replaced. */
  private static String decode(byte[] body, String contentType) {
    if (body == null || body.length == 0) {
      return "";
    }
    Charset cs = StandardCharsets.UTF_8;
    Matcher m = CHARSET.matcher(contentType);
    if (m.find()) {
      try {
        cs = Charset.forName(m.group(1));
      } catch (IllegalArgumentException e) {
        // unknown or illegal charset name: keep UTF-8
      }
    }
    String text = new String(body, cs); // malformed input becomes U+FFFD, never an exception
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }

  /** A node's {@code message} (or {@code msg}), when it is a non-blank scalar or structure. */
  private static String messageOf(JsonNode node) {
    for (String field : new String[] {"message", "msg"}) {
      JsonNode n = node.get(field);
      if (n == null || n.isNull()) {
        continue;
      }
      String s = n.isValueNode() ? n.asText() : n.toString();
      if (!s.isBlank()) {
        return s;
      }
    }
    return null;
  }

  /**
   * FastAPI's {@code detail}: a string, or a list of validation errors {@code {"loc": [...], "msg":
   * "..."}} rendered as {@code "body.temperature: Input should be ...; ..."}.
   */
  private static String detail(JsonNode d) {
    if (d.isValueNode()) {
      return d.asText();
    }
    if (!d.isArray()) {
      String m = messageOf(d);
      return m != null ? m : d.toString();
    }
    StringBuilder sb = new StringBuilder();
    for (JsonNode item : d) {
      if (sb.length() > 0) {
        sb.append("; ");
      }
      if (!item.isObject()) {
        sb.append(item.isValueNode() ? item.asText() : item.toString());
        continue;
      }
      JsonNode loc = item.get("loc");
      if (loc != null && loc.isArray() && !loc.isEmpty()) {
        StringBuilder path = new StringBuilder();
        for (JsonNode p : loc) {
          if (path.length() > 0) {
            path.append('.');
          }
          path.append(p.asText());
        }
        sb.append(path).append(": ");
      }
      String m = messageOf(item);
      sb.append(m != null ? m : item.toString());
    }
    return sb.toString();
  }

  private static String scalarOrNull(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return null;
    }
    String s = n.isValueNode() ? n.asText() : n.toString();
    return s.isBlank() ? null : s;
  }

  private static boolean looksLikeHtml(String text, String contentType) {
    String t = text.stripLeading();
    return contentType.toLowerCase(Locale.ROOT).contains("html")
        || t.regionMatches(true, 0, "<!doctype html", 0, 14)
        || t.regionMatches(true, 0, "<html", 0, 5);
  }

  /** An HTML error page's gist: its title, else its text without tags. */
  private static String htmlText(String html) {
    Matcher t = HTML_TITLE.matcher(html);
    String s = t.find() ? t.group(1) : null;
    if (s == null || s.isBlank()) {
      s =
          HTML_TAG
              .matcher(
                  HTML_SCRIPT.matcher(html).replaceAll(" ")) // script and style bodies are no text
              .replaceAll(" ");
    }
    return s.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
  }

  /** The exception for a status and parsed fields (the status → class table). */
  public static ApiException of(
      int status, String message, String type, String code, String requestId, Duration retryAfter) {
    if (status == 401 || status == 403) {
      return new AuthenticationException(status, message, type, code, requestId, retryAfter);
    }
    if (status == 400 || status == 422) {
      return new BadRequestException(status, message, type, code, requestId, retryAfter);
    }
    if (status == 404) {
      return new NotFoundException(status, message, type, code, requestId, retryAfter);
    }
    if (status == 429) {
      return new RateLimitException(message, type, code, requestId, retryAfter);
    }
    if (status >= 500 && status <= 599) {
      return new ServerException(status, message, type, code, requestId, retryAfter);
    }
    return new ApiException(status, message, type, code, requestId, retryAfter);
  }

  /**
   * An {@code error} sent inside an event stream: an object in the OpenAI shape or a bare string.
   * The status is the object's {@code status} / {@code status_code} when given, else a numeric
   * {@code code} in 400..599, else guessed from the type or code ({@code rate_limit*} → 429, {@code
   * invalid_request_error} → 400, {@code authentication_error} → 401, {@code permission_error} →
   * 403, {@code not_found_error} → 404), else 500.
   */
  static MaritacaException streamError(JsonNode err) {
    return streamError(err, null);
  }

  /** As {@link #streamError(JsonNode)}, never repeating {@code secret}. */
  static MaritacaException streamError(JsonNode err, String secret) {
    boolean obj = err.isObject();
    String message = obj ? messageOf(err) : err.isValueNode() ? err.asText() : err.toString();
    if (obj && message == null && err.has("detail")) {
      message = detail(err.get("detail"));
    }
    String type = obj ? scalarOrNull(err.get("type")) : null;
    String code = obj ? scalarOrNull(err.get("code")) : null;
    int status = 0;
    if (obj) {
      for (String field : new String[] {"status", "status_code", "code"}) {
        int s = httpStatus(err.get(field));
        if (s != 0) {
          status = s;
          break;
        }
      }
    }
    if (status == 0) {
      String kind =
          ((type == null ? "" : type) + " " + (code == null ? "" : code)).toLowerCase(Locale.ROOT);
      if (kind.contains("rate_limit") || kind.contains("too_many_requests")) {
        status = 429;
      } else if (kind.contains("invalid_request")) {
        status = 400;
      } else if (kind.contains("authentication")) {
        status = 401;
      } else if (kind.contains("permission")) {
        status = 403;
      } else if (kind.contains("not_found")) {
        status = 404;
      } else {
        status = 500;
      }
    }
    return of(status, clean(message, secret), clean(type, secret), clean(code, secret), null, null);
  }

  /** An HTTP error status (400..599) given as a number or numeric text, else 0. */
  private static int httpStatus(JsonNode n) {
    if (n == null) {
      return 0;
    }
    int v;
    if (n.isIntegralNumber()) {
      v = n.asInt();
    } else if (n.isTextual() && n.asText().strip().matches("\\d{3}")) {
      v = Integer.parseInt(n.asText().strip());
    } else {
      return 0;
    }
    return v >= 400 && v <= 599 ? v : 0;
  }

  /**
   * The exception for a transport-level failure (from a future), unwrapped. MaritacaExceptions pass
   * through; cancellations are rethrown as they are.
   */
  public static RuntimeException fromThrowable(Throwable t, String host) {
    Throwable c = unwrap(t);
    if (c instanceof MaritacaException m) {
      return m;
    }
    if (c instanceof CancellationException ce) {
      return ce;
    }
    if (c instanceof HttpTimeoutException) {
      return new RequestTimeoutException(
          "no answer from " + host + " in time: " + c.getMessage(), c);
    }
    if (unresolved(c)) {
      // the JDK client reports an unknown host as a message-less ConnectException whose cause is
      // an UnresolvedAddressException (or a bare one, or UnknownHostException): not a refusal
      return new ConnectionException(
          "cannot resolve host "
              + hostName(host)
              + " (is the base URL right? is there a network and DNS?)",
          c);
    }
    if (c instanceof ConnectException) {
      // the JDK client's ConnectException usually has no message: a refused connection
      String m = c.getMessage();
      return new ConnectionException(
          "cannot connect to "
              + host
              + ": "
              + (m == null || m.isBlank() ? "connection refused (is the server running?)" : m),
          c);
    }
    if (c instanceof IOException) {
      return new ConnectionException("connection to " + host + " failed: " + describe(c), c);
    }
    if (c instanceof RuntimeException r) {
      return r;
    }
    return new MaritacaException("request to " + host + " failed: " + describe(c), c);
  }

  /** Whether the failure, or one of its causes, is a host name that has no address. */
  private static boolean unresolved(Throwable t) {
    int depth = 0;
    for (Throwable c = t; c != null && depth < 16; c = c.getCause(), depth++) {
      if (c instanceof UnresolvedAddressException || c instanceof UnknownHostException) {
        return true;
      }
    }
    return false;
  }

  /** {@code host[:port]} without the port. */
  private static String hostName(String host) {
    return host == null ? "?" : host.replaceFirst(":\\d+$", "");
  }

  /**
   * {@code t} unwrapped, except that the JDK's complaint about an invalid header value (which
   * quotes the value, and so the API key when the key holds a line break or another control
   * character) is replaced by a {@link ConfigurationException} that does not.
   */
  public static Throwable redactHeaderFailure(Throwable t) {
    Throwable c = unwrap(t);
    if (c instanceof IllegalArgumentException
        && c.getMessage() != null
        && c.getMessage().startsWith("invalid header value")) {
      return new ConfigurationException(
          "a request header value is not valid HTTP; is there a line break or another control"
              + " character in the API key (MARITACA_API_KEY)?");
    }
    return c;
  }

  /** Strips CompletionException / ExecutionException layers ({@link MaritacaException#unwrap}). */
  public static Throwable unwrap(Throwable t) {
    return MaritacaException.unwrap(t);
  }

  private static String describe(Throwable t) {
    String m = t.getMessage();
    return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
  }

  /**
   * One line of at most {@value #MAX_MESSAGE} characters: the secret replaced by {@code ***},
   * control characters and runs of white space collapsed to one space.
   */
  static String clean(String message, String secret) {
    if (message == null) {
      return null;
    }
    String m = message;
    if (secret != null) {
      String k = secret.strip();
      if (k.length() >= 4) {
        m = m.replace(k, "***");
      }
    }
    m = SPACE.matcher(m).replaceAll(" ").strip();
    if (m.isEmpty()) {
      return null;
    }
    if (m.length() > MAX_MESSAGE) {
      int cut = MAX_MESSAGE;
      if (Character.isHighSurrogate(m.charAt(cut - 1))) {
        cut--;
      }
      m = m.substring(0, cut) + "...";
    }
    return m;
  }
}
