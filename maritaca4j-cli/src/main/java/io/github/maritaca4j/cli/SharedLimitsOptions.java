package io.github.maritaca4j.cli;

import io.github.maritaca4j.batch.SharedLimits;
import io.github.maritaca4j.errors.ConfigurationException;
import java.net.URI;
import picocli.CommandLine.Option;

/**
 * {@code --shared-limits URL}: the account's rate-limit state (token buckets, the 429 pause) kept
 * in a store shared by every process using the key, on any machine ({@link SharedLimits#connect};
 * e.g. {@code redis://host:6379} with {@code maritaca4j-redis} on the class path).
 */
final class SharedLimitsOptions {
  /** The store's URL when {@code --shared-limits} is not given. */
  static final String ENV = "MARITACA_SHARED_LIMITS";

  @Option(
      names = "--shared-limits",
      paramLabel = "URL",
      description =
          "Share the account's rate limits and 429 pauses with every process using this store,"
              + " on any machine, e.g. redis://host:6379 (default: $"
              + ENV
              + ").")
  String url;

  /** The URL given (the option, else the environment variable); null for none. */
  String url(CliEnvironment env) {
    if (url != null) {
      if (url.isBlank()) {
        throw new CliException(ExitCodes.USAGE, "--shared-limits must not be empty");
      }
      return url.strip();
    }
    String v = env.get(ENV);
    return v == null ? null : v.strip();
  }

  /** Where the URL came from, for messages. */
  String source() {
    return url != null ? "--shared-limits" : ENV;
  }

  /**
   * Connects to the store, or returns null when none is given.
   *
   * @throws CliException exit {@link ExitCodes#API} when no provider handles the URL or the store
   *     cannot be reached: one line naming the URL, its password masked
   */
  SharedLimits connect(CliEnvironment env) {
    String u = url(env);
    if (u == null) {
      return null;
    }
    try {
      return SharedLimits.connect(u);
    } catch (ConfigurationException e) {
      throw unusable(u, e, e.getMessage());
    } catch (RuntimeException | LinkageError e) {
      // a provider that broke its contract (or a driver missing a class): still one clear line
      throw unusable(
          u,
          e,
          "cannot connect to "
              + SharedLimits.Provider.redact(u)
              + ": "
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    }
  }

  private CliException unusable(String u, Throwable cause, String message) {
    if (message != null && message.startsWith("shared limits: ")) {
      message = message.substring("shared limits: ".length()); // the option names it already
    }
    CliException c =
        new CliException(
            ExitCodes.API,
            source() + ": " + mask(String.valueOf(message), u) + "; nothing was sent");
    c.initCause(cause);
    return c;
  }

  /** {@code url} without a password, for messages. */
  static String redact(String url) {
    return SharedLimits.Provider.redact(url);
  }

  /**
   * {@code message} with {@code url}'s user information masked wherever it appears (the raw URL
   * too), so that no password reaches the terminal even from a careless provider.
   */
  static String mask(String message, String url) {
    String m = message.replace(url, redact(url));
    String userInfo;
    try {
      userInfo = URI.create(url).getRawUserInfo();
    } catch (IllegalArgumentException e) {
      int at = url.indexOf('@');
      int scheme = url.indexOf("://");
      userInfo = at > scheme && scheme >= 0 ? url.substring(scheme + 3, at) : null;
    }
    if (userInfo != null && userInfo.length() >= 4) {
      m = m.replace(userInfo, "***");
    }
    int colon = userInfo == null ? -1 : userInfo.indexOf(':');
    if (colon >= 0 && userInfo.length() - colon - 1 >= 4) {
      m = m.replace(userInfo.substring(colon + 1), "***"); // the password alone
    }
    return m;
  }
}
