package io.github.maritaca4j.batch;

import io.github.maritaca4j.errors.ConfigurationException;
import java.net.URI;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * Rate-limit state kept outside this JVM, so that processes on several machines using one API key
 * share its limits and its 429 pause: an SPI ({@code maritaca4j-redis} implements it on Redis). A
 * client given one ({@code ChatMaritaca.builder().sharedLimits(...)}) keeps admitting requests in
 * its own lanes (turns, the first answer, learning limits and bursts) but takes every request's
 * tokens from the shared buckets and honours the shared pause.
 *
 * <p>A lane is one account (key fingerprint and base URL) and model, named by a string the core
 * makes; each holds three buckets, in this order: requests, input tokens, output tokens. Their
 * configuration ({@link Bucket}) comes with every call, from the calling process's view (the limits
 * it was told or learnt). Time is the store's own clock, never the callers'.
 *
 * <p>Implementations are thread-safe. A failing store (unreachable, timing out) throws from any
 * method: the client then paces locally, logs a warning once, and tries the store again a second
 * later; no request is lost or sent twice because of it.
 */
public interface SharedLimits extends AutoCloseable {

  /**
   * One bucket of a lane: refilled at {@code limitPerMinute / 60 s} up to {@code capacity} units
   * (the burst). A bucket whose limit is 0 does not exist (is never short).
   */
  record Bucket(long limitPerMinute, double capacity) {
    /** No such limit. */
    public static final Bucket NONE = new Bucket(0, 0);

    public Bucket {
      if (limitPerMinute < 0 || capacity < 0 || Double.isNaN(capacity)) {
        throw new IllegalArgumentException(
            "bucket limit and capacity must not be negative: " + limitPerMinute + ", " + capacity);
      }
    }
  }

  /**
   * Takes {@code demand[i]} from bucket {@code i} of every existing bucket, atomically, when the
   * lane is not paused and each level is at least {@code min(demand[i], capacity)} (a level may
   * then go negative: debt); otherwise takes nothing.
   *
   * @param buckets three buckets: requests, input tokens, output tokens
   * @param demand three amounts, in the same order
   * @return 0 when taken; else the nanoseconds until it would be (the pause's end, or until the
   *     shortest bucket has refilled enough)
   */
  long tryTake(String lane, Bucket[] buckets, double[] demand);

  /**
   * Gives back ({@code delta[i] > 0}) or charges ({@code < 0}) amounts, never raising a level above
   * its capacity: the settlement of a request with its actual usage, or a refund.
   */
  void adjust(String lane, Bucket[] buckets, double[] delta);

  /**
   * After a 429: pauses the lane for every process until {@code pauseNanos} from now (never
   * shortening a pause in force) and lowers every bucket's level to {@code -marginNanos} worth of
   * its refill at most (the server's buckets are about empty). A negative {@code marginNanos}
   * leaves the levels as they are (a 429 for flex capacity, not for rate).
   */
  void pause(String lane, Bucket[] buckets, long pauseNanos, long marginNanos);

  /**
   * Lowers levels to at most {@code max[i]} (the server said no more remains); {@code
   * Double.POSITIVE_INFINITY} leaves a bucket as it is.
   */
  void clamp(String lane, Bucket[] buckets, double[] max);

  /** Releases connections. */
  @Override
  void close();

  /**
   * Connects to the store at {@code url} through the first {@link Provider} on the class path that
   * supports it (e.g. {@code redis://host:6379} with {@code maritaca4j-redis}).
   *
   * @throws ConfigurationException when no provider supports the URL, or the store cannot be
   *     reached (the message names the URL, never a password in it)
   */
  static SharedLimits connect(String url) {
    Objects.requireNonNull(url, "url");
    URI uri;
    try {
      uri = URI.create(url.strip());
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("shared limits: not a URL: " + Provider.redact(url));
    }
    for (Provider p : ServiceLoader.load(Provider.class, SharedLimits.class.getClassLoader())) {
      if (p.supports(uri)) {
        return p.connect(uri);
      }
    }
    throw new ConfigurationException(
        "shared limits: nothing on the class path handles "
            + Provider.redact(url)
            + " (for redis:// URLs add io.github.maritaca4j:maritaca4j-redis)");
  }

  /** Makes {@link SharedLimits} from URLs; found with {@link ServiceLoader}. */
  interface Provider {
    /** Whether this provider handles {@code url} (by its scheme). */
    boolean supports(URI url);

    /**
     * Connects, failing at once with a {@link ConfigurationException} naming the URL (redacted)
     * when the store cannot be reached.
     */
    SharedLimits connect(URI url);

    /**
     * {@code url} without a password ({@code redis://:secret@host} becomes {@code
     * redis://***@host}).
     */
    static String redact(String url) {
      if (url == null) {
        return null;
      }
      return url.replaceAll("(?<=://)[^/@]*@", "***@");
    }
  }
}
