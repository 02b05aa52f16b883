package io.github.maritaca4j.redis;

import io.github.maritaca4j.batch.SharedLimits;
import io.github.maritaca4j.errors.ConfigurationException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SharedLimits} on Redis: every process of every machine that uses one API key and connects
 * to the same Redis shares the account's token buckets (requests, input tokens, output tokens per
 * minute) and its pause after a 429.
 *
 * <pre>{@code
 * SharedLimits shared = RedisSharedLimits.connect("redis://:secret@redis.internal:6379/0");
 * ChatMaritaca model = ChatMaritaca.builder()
 *     .rateLimits(RateLimits.tier(2, "sabia-4"))
 *     .sharedLimits(shared)
 *     .build();
 * }</pre>
 *
 * <p>Each lane (account and model) is one Redis hash named by the lane, holding each bucket's level
 * and last refill and the end of the pause. Every operation is one round trip: one Lua script
 * (loaded once, then run by its SHA with {@code EVALSHA}, sent again only when Redis answers {@code
 * NOSCRIPT}) that reads Redis's clock ({@code TIME}), refills, decides and writes atomically; the
 * machines' clocks are never used. A lane's hash expires once it is as good as absent (no pause,
 * every bucket refilled to its capacity) and has stayed so for {@link #IDLE} more.
 *
 * <p><b>Failures.</b> Connecting fails at once with a {@link ConfigurationException} naming the URL
 * (its password hidden). Afterwards, with Redis gone or slow, each method throws an {@link
 * IllegalStateException} within the command timeout ({@link #COMMAND_TIMEOUT} unless the URL sets
 * {@code ?timeout=}; commands are rejected at once while disconnected): the client then paces in
 * its own process, logs a warning once and tries again a second later, while Lettuce reconnects in
 * the background.
 *
 * <p>Thread-safe: one multiplexed connection serves every thread. {@link #close()} releases it (and
 * the Lettuce client, when this object made it).
 */
public final class RedisSharedLimits implements SharedLimits {
  private static final Logger LOG = LoggerFactory.getLogger(RedisSharedLimits.class);

  /** The command timeout used unless the URL gives one ({@code ?timeout=2s}). */
  public static final Duration COMMAND_TIMEOUT = Duration.ofMillis(500);

  /** How long a lane stays in Redis once it is idle and its buckets are whole again. */
  public static final Duration IDLE = Duration.ofMinutes(5);

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  private static final String SCRIPT = loadScript();
  private static final String INFINITE = "inf";

  private final String url;
  private final RedisClient ownedClient;
  private final ClientResources ownedResources;
  private final StatefulRedisConnection<String, String> connection;
  private final String idleMillis = Long.toString(IDLE.toMillis());
  private final String sha;

  private RedisSharedLimits(
      String url,
      RedisClient ownedClient,
      ClientResources ownedResources,
      StatefulRedisConnection<String, String> connection,
      String sha) {
    this.url = url;
    this.ownedClient = ownedClient;
    this.ownedResources = ownedResources;
    this.connection = connection;
    this.sha = sha;
  }

  /**
   * Connects to the Redis at {@code url}: {@code redis://[:password@]host[:port][/db]}, {@code
   * rediss://} for TLS, or any other form Lettuce's {@link RedisURI} reads (user names, {@code
   * ?timeout=}...). The client made for it rejects commands while disconnected, times commands out
   * after {@link #COMMAND_TIMEOUT} (unless the URL says otherwise) and reconnects by itself.
   *
   * @throws ConfigurationException when {@code url} is not a Redis URL or Redis cannot be reached
   *     or refuses the connection (wrong password); the message names the URL without its password
   */
  public static RedisSharedLimits connect(String url) {
    Objects.requireNonNull(url, "url");
    String shown = SharedLimits.Provider.redact(url.strip());
    RedisURI uri;
    try {
      uri = RedisURI.create(url.strip());
    } catch (RuntimeException e) {
      throw new ConfigurationException("shared limits: not a Redis URL: " + shown);
    }
    if (uri.getTimeout() == null || uri.getTimeout().equals(RedisURI.DEFAULT_TIMEOUT_DURATION)) {
      uri.setTimeout(COMMAND_TIMEOUT);
    }
    ClientResources resources =
        DefaultClientResources.builder()
            .ioThreadPoolSize(2)
            .computationThreadPoolSize(2)
            .reconnectDelay(
                Delay.exponential(
                    Duration.ofMillis(100), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
            .build();
    RedisClient client = RedisClient.create(resources, uri);
    client.setOptions(
        ClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .timeoutOptions(TimeoutOptions.enabled())
            .socketOptions(SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).build())
            .build());
    try {
      return open(shown, client, resources, client.connect(StringCodec.UTF8));
    } catch (RuntimeException e) {
      shutdown(client, resources);
      throw unreachable(shown, e);
    }
  }

  /**
   * Uses a connection of {@code client}, to the client's own URI, with the client's options (its
   * disconnected behaviour, reconnection and resources are the caller's), its command timeout set
   * to {@link #COMMAND_TIMEOUT}. {@link #close()} closes that connection, not the client. Prefer
   * {@link ClientOptions.DisconnectedBehavior#REJECT_COMMANDS}: otherwise a method called while
   * Redis is away waits for the whole timeout.
   *
   * @throws ConfigurationException when Redis cannot be reached
   */
  public static RedisSharedLimits connect(RedisClient client) {
    Objects.requireNonNull(client, "client");
    String shown = "the RedisClient's default URI";
    try {
      StatefulRedisConnection<String, String> c = client.connect(StringCodec.UTF8);
      c.setTimeout(COMMAND_TIMEOUT);
      return open(shown, null, null, c);
    } catch (RuntimeException e) {
      throw unreachable(shown, e);
    }
  }

  /**
   * As {@link #connect(RedisClient)}, to {@code uri} (its timeout, when set, is kept).
   *
   * @throws ConfigurationException when Redis cannot be reached
   */
  public static RedisSharedLimits connect(RedisClient client, RedisURI uri) {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(uri, "uri");
    String shown = SharedLimits.Provider.redact(uri.toURI().toString());
    try {
      StatefulRedisConnection<String, String> c = client.connect(StringCodec.UTF8, uri);
      if (uri.getTimeout() == null || uri.getTimeout().equals(RedisURI.DEFAULT_TIMEOUT_DURATION)) {
        c.setTimeout(COMMAND_TIMEOUT);
      }
      return open(shown, null, null, c);
    } catch (RuntimeException e) {
      throw unreachable(shown, e);
    }
  }

  private static RedisSharedLimits open(
      String shown,
      RedisClient ownedClient,
      ClientResources ownedResources,
      StatefulRedisConnection<String, String> c) {
    try {
      String sha = c.sync().scriptLoad(SCRIPT); // also proves Redis answers
      LOG.debug("shared limits on Redis at {} (script {})", shown, sha);
      return new RedisSharedLimits(shown, ownedClient, ownedResources, c, sha);
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
  }

  private static ConfigurationException unreachable(String shown, RuntimeException e) {
    String why = e.getMessage();
    Throwable cause = e.getCause();
    if (cause != null && cause.getMessage() != null && !cause.getMessage().equals(why)) {
      why = why + ": " + cause.getMessage();
    }
    return new ConfigurationException(
        "shared limits: cannot use Redis at " + shown + " (" + redactSecrets(why) + ")");
  }

  private static String redactSecrets(String message) {
    return message == null ? "no detail" : SharedLimits.Provider.redact(message);
  }

  /** The Redis this store uses, its password hidden. */
  public String url() {
    return url;
  }

  @Override
  public long tryTake(String lane, Bucket[] buckets, double[] demand) {
    return run(lane, "take", buckets, amounts(demand, false), idleMillis);
  }

  @Override
  public void adjust(String lane, Bucket[] buckets, double[] delta) {
    run(lane, "adjust", buckets, amounts(delta, false), idleMillis);
  }

  @Override
  public void pause(String lane, Bucket[] buckets, long pauseNanos, long marginNanos) {
    run(
        lane,
        "pause",
        buckets,
        new String[] {Long.toString(Math.max(0, pauseNanos)), Long.toString(marginNanos), "0"},
        idleMillis);
  }

  @Override
  public void clamp(String lane, Bucket[] buckets, double[] max) {
    run(lane, "clamp", buckets, amounts(max, true), idleMillis);
  }

  private long run(String lane, String op, Bucket[] buckets, String[] amounts, String idle) {
    Objects.requireNonNull(lane, "lane");
    if (buckets == null || buckets.length != 3) {
      throw new IllegalArgumentException("three buckets: requests, input tokens, output tokens");
    }
    String[] args = new String[11];
    args[0] = op;
    for (int i = 0; i < 3; i++) {
      Bucket b = Objects.requireNonNull(buckets[i], "bucket");
      args[1 + 2 * i] = Long.toString(b.limitPerMinute());
      args[2 + 2 * i] = Double.toString(b.capacity());
      args[7 + i] = amounts[i];
    }
    args[10] = idle;
    String[] keys = {lane};
    try {
      Long r;
      try {
        r = connection.sync().evalsha(sha, ScriptOutputType.INTEGER, keys, args);
      } catch (RedisNoScriptException e) {
        // Redis forgot the script (restarted, SCRIPT FLUSH): EVAL sends it and caches it again
        LOG.debug("shared limits: Redis at {} lost the script; sending it again", url);
        r = connection.sync().eval(SCRIPT, ScriptOutputType.INTEGER, keys, args);
      }
      return r == null ? 0 : Math.max(0, r);
    } catch (RedisException e) {
      throw new IllegalStateException("Redis at " + url + ": " + e.getMessage(), e);
    }
  }

  private static String[] amounts(double[] a, boolean infiniteAllowed) {
    if (a == null || a.length != 3) {
      throw new IllegalArgumentException("three amounts: requests, input tokens, output tokens");
    }
    String[] s = new String[3];
    for (int i = 0; i < 3; i++) {
      double v = a[i];
      if (infiniteAllowed && !(v < Double.POSITIVE_INFINITY)) {
        s[i] = INFINITE; // also NaN: no bound
      } else if (Double.isNaN(v) || Double.isInfinite(v)) {
        throw new IllegalArgumentException("not a finite amount: " + v);
      } else {
        s[i] = Double.toString(v);
      }
    }
    return s;
  }

  /** Closes the connection, and the Lettuce client when this object made it. */
  @Override
  public void close() {
    try {
      connection.close();
    } finally {
      if (ownedClient != null) {
        shutdown(ownedClient, ownedResources);
      }
    }
  }

  private static void shutdown(RedisClient client, ClientResources resources) {
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }

  @Override
  public String toString() {
    return "RedisSharedLimits[" + url + "]";
  }

  private static String loadScript() {
    try (InputStream in = RedisSharedLimits.class.getResourceAsStream("shared-limits.lua")) {
      if (in == null) {
        throw new IllegalStateException("shared-limits.lua missing from maritaca4j-redis's jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
