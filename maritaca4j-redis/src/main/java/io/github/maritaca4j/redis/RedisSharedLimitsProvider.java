package io.github.maritaca4j.redis;

import io.github.maritaca4j.batch.SharedLimits;
import java.net.URI;
import java.util.Locale;

/**
 * Makes {@link RedisSharedLimits} for {@link SharedLimits#connect(String)}: handles {@code
 * redis://} and {@code rediss://} URLs. Registered in {@code
 * META-INF/services/io.github.maritaca4j.batch.SharedLimits$Provider}, so that having this module
 * on the class path is enough. Stateless and thread-safe.
 */
public final class RedisSharedLimitsProvider implements SharedLimits.Provider {
  /** For {@link java.util.ServiceLoader}. */
  public RedisSharedLimitsProvider() {}

  @Override
  public boolean supports(URI url) {
    String scheme = url == null ? null : url.getScheme();
    if (scheme == null) {
      return false;
    }
    String s = scheme.toLowerCase(Locale.ROOT);
    return s.equals("redis") || s.equals("rediss");
  }

  /**
   * {@link RedisSharedLimits#connect(String)}.
   *
   * @throws io.github.maritaca4j.errors.ConfigurationException when Redis cannot be reached
   */
  @Override
  public SharedLimits connect(URI url) {
    return RedisSharedLimits.connect(url.toString());
  }
}
