package io.github.maritaca4j.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.maritaca4j.batch.SharedLimits;
import io.github.maritaca4j.batch.SharedLimits.Bucket;
import io.github.maritaca4j.errors.ConfigurationException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What {@link RedisSharedLimits} adds to the SPI's contract: how it connects (and fails to), one
 * round trip per call, keys that expire, a script Redis forgot, Redis lost and back.
 */
class RedisSharedLimitsTest {
  private static final Bucket[] RPM = {new Bucket(60, 3), Bucket.NONE, Bucket.NONE};
  private static final double[] ONE = {1, 0, 0};

  private static String lane() {
    return "maritaca4j:test-" + UUID.randomUUID() + ":sabia-4";
  }

  @Test
  void anUnreachableRedisIsAConfigurationExceptionNamingTheUrlWithoutItsPassword() {
    int port = RedisServer.freePort(); // nothing listens there
    String url = "redis://:s3cret@127.0.0.1:" + port + "/2";
    long start = System.nanoTime();
    assertThatThrownBy(() -> SharedLimits.connect(url))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("redis://***@127.0.0.1:" + port + "/2")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret"));
    assertThatThrownBy(() -> RedisSharedLimits.connect(url))
        .isInstanceOf(ConfigurationException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret"));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void aUrlThatIsNotRedisIsAConfigurationException() {
    assertThatThrownBy(() -> RedisSharedLimits.connect("redis://"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("redis://");
    RedisSharedLimitsProvider p = new RedisSharedLimitsProvider();
    assertThat(p.supports(URI.create("redis://h:6379"))).isTrue();
    assertThat(p.supports(URI.create("REDISS://h:6380"))).isTrue();
    assertThat(p.supports(URI.create("http://h"))).isFalse();
    assertThat(p.supports(URI.create("h:6379/0"))).isFalse();
  }

  @Test
  void theProviderIsFoundByTheUrlsScheme() {
    try (RedisServer server = RedisServer.startOrSkip();
        SharedLimits s = SharedLimits.connect(server.url())) {
      assertThat(s).isInstanceOf(RedisSharedLimits.class);
      assertThat(s.tryTake(lane(), RPM, ONE)).isZero();
    }
  }

  @Test
  void aPasswordIsSentAndAWrongOneIsRefusedWithoutShowingIt() {
    try (RedisServer server = RedisServer.startOrSkip("--requirepass", "s3cret")) {
      String good = "redis://:s3cret@127.0.0.1:" + server.port();
      try (RedisSharedLimits s = RedisSharedLimits.connect(good)) {
        assertThat(s.tryTake(lane(), RPM, ONE)).isZero();
        assertThat(s.url()).doesNotContain("s3cret");
        assertThat(s.toString()).doesNotContain("s3cret");
      }
      assertThatThrownBy(
              () -> RedisSharedLimits.connect("redis://:wrong@127.0.0.1:" + server.port()))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("127.0.0.1:" + server.port())
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("wrong@"));
    }
  }

  @Test
  void everyCallIsOneRoundTripAndALaneIsOneHashThatExpires() {
    try (RedisServer server = RedisServer.startOrSkip();
        RedisSharedLimits s = RedisSharedLimits.connect(server.url());
        Admin admin = new Admin(server.url())) {
      String lane = lane();
      s.tryTake(lane, RPM, ONE); // warm
      long before = admin.calls("evalsha");
      for (int i = 0; i < 100; i++) {
        s.tryTake(lane, RPM, ONE);
      }
      s.adjust(lane, RPM, new double[] {1, 0, 0});
      s.pause(lane, RPM, 0, -1);
      s.clamp(lane, RPM, new double[] {2, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY});
      assertThat(admin.calls("evalsha") - before).isEqualTo(103);
      assertThat(admin.calls("eval")).isZero(); // the script went once, with SCRIPT LOAD

      Map<String, String> hash = admin.redis.hgetall(lane);
      assertThat(hash).containsKeys("l1", "t1", "p").doesNotContainKeys("l2", "l3");
      assertThat(Double.parseDouble(hash.get("l1"))).isLessThanOrEqualTo(2.0);
      // gone once whole again (a few seconds at one request a second) and idle for IDLE
      long ttl = admin.redis.pttl(lane);
      assertThat(ttl)
          .isGreaterThan(RedisSharedLimits.IDLE.toMillis())
          .isLessThan(RedisSharedLimits.IDLE.toMillis() + 200_000);
    }
  }

  @Test
  void aPauseKeepsTheLaneAtLeastUntilItEnds() {
    try (RedisServer server = RedisServer.startOrSkip();
        RedisSharedLimits s = RedisSharedLimits.connect(server.url());
        Admin admin = new Admin(server.url())) {
      String lane = lane();
      long hour = TimeUnit.HOURS.toNanos(1);
      s.pause(lane, RPM, hour, -1);
      assertThat(admin.redis.pttl(lane))
          .isGreaterThan(TimeUnit.HOURS.toMillis(1) + RedisSharedLimits.IDLE.toMillis() - 5_000);
      assertThat(s.tryTake(lane, RPM, ONE)).isBetween(hour - 5_000_000_000L, hour);
      String forever = lane();
      s.pause(forever, RPM, Long.MAX_VALUE, 0); // absurd, still an integer TTL for Redis
      assertThat(s.tryTake(forever, RPM, ONE)).isGreaterThan(hour);
    }
  }

  @Test
  void manyThreadsOfTwoClientsNeverTakeMoreThanTheBucketHolds() throws Exception {
    // 100 requests of burst, one more a minute: exactly 100 grants however the calls interleave
    Bucket[] slow = {new Bucket(1, 100), new Bucket(60, 1_000), Bucket.NONE};
    try (RedisServer server = RedisServer.startOrSkip();
        RedisSharedLimits a = RedisSharedLimits.connect(server.url());
        RedisSharedLimits b = RedisSharedLimits.connect(server.url())) {
      String lane = lane();
      AtomicInteger granted = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<?>> all = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          RedisSharedLimits s = t % 2 == 0 ? a : b;
          all.add(
              pool.submit(
                  () -> {
                    for (int i = 0; i < 40; i++) {
                      if (s.tryTake(lane, slow, new double[] {1, 5, 0}) == 0) {
                        granted.incrementAndGet();
                      }
                    }
                  }));
        }
        for (Future<?> f : all) {
          f.get(30, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(granted.get()).isEqualTo(100);
    }
  }

  @Test
  void aScriptRedisForgotIsSentAgain() {
    try (RedisServer server = RedisServer.startOrSkip();
        RedisSharedLimits s = RedisSharedLimits.connect(server.url());
        Admin admin = new Admin(server.url())) {
      String lane = lane();
      assertThat(s.tryTake(lane, RPM, ONE)).isZero();
      admin.redis.scriptFlush();
      assertThat(s.tryTake(lane, RPM, ONE)).isZero();
      assertThat(admin.calls("eval")).isEqualTo(1);
      assertThat(s.tryTake(lane, RPM, ONE)).isZero();
      assertThat(s.tryTake(lane, RPM, ONE)).isPositive(); // the state survived: 3 taken of 3
      assertThat(admin.calls("eval")).isEqualTo(1); // cached again by EVAL
    }
  }

  @Test
  void theDatabaseOfTheUrlIsTheOneUsed() {
    try (RedisServer server = RedisServer.startOrSkip();
        RedisSharedLimits s = RedisSharedLimits.connect(server.url() + "/3");
        Admin admin = new Admin(server.url())) {
      String lane = lane();
      s.tryTake(lane, RPM, ONE);
      assertThat(admin.redis.exists(lane)).isZero();
      admin.redis.select(3);
      assertThat(admin.redis.exists(lane)).isEqualTo(1);
    }
  }

  @Test
  void aCallersClientIsUsedAndLeftOpen() {
    try (RedisServer server = RedisServer.startOrSkip()) {
      RedisClient client = RedisClient.create(server.url());
      try {
        try (RedisSharedLimits s = RedisSharedLimits.connect(client)) {
          assertThat(s.tryTake(lane(), RPM, ONE)).isZero();
        }
        try (StatefulRedisConnection<String, String> c = client.connect()) {
          assertThat(c.sync().ping()).isEqualTo("PONG");
        }
      } finally {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      }
    }
  }

  @Test
  void withRedisGoneEveryCallThrowsQuicklyAndOnceBackItIsUsedAgain() throws Exception {
    try (RedisServer server = RedisServer.startOrSkip();
        RedisSharedLimits s = RedisSharedLimits.connect(server.url())) {
      String lane = lane();
      assertThat(s.tryTake(lane, RPM, ONE)).isZero();
      server.stop();
      for (int i = 0; i < 3; i++) {
        long start = System.nanoTime();
        assertThatThrownBy(() -> s.tryTake(lane, RPM, ONE))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining(server.url());
        assertThat(Duration.ofNanos(System.nanoTime() - start))
            .isLessThan(RedisSharedLimits.COMMAND_TIMEOUT.plusMillis(300));
      }
      server.start(); // empty: the lane starts afresh
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      Long back = null;
      while (back == null && System.nanoTime() < deadline) {
        try {
          back = s.tryTake(lane, RPM, ONE);
        } catch (IllegalStateException e) {
          Thread.sleep(50); // Lettuce reconnects by itself
        }
      }
      assertThat(back).as("used again once Redis is back").isZero();
    }
  }

  /** A connection of the test's own, to look inside Redis. */
  static final class Admin implements AutoCloseable {
    final RedisClient client;
    final StatefulRedisConnection<String, String> connection;
    final RedisCommands<String, String> redis;

    Admin(String url) {
      client = RedisClient.create(url);
      connection = client.connect();
      redis = connection.sync();
    }

    /** Calls of {@code command} since the server started ({@code INFO commandstats}). */
    long calls(String command) {
      String info = redis.info("commandstats");
      String prefix = "cmdstat_" + command + ":calls=";
      for (String line : info.split("\r?\n")) {
        if (line.startsWith(prefix)) {
          String rest = line.substring(prefix.length());
          return Long.parseLong(rest.substring(0, rest.indexOf(',')));
        }
      }
      return 0;
    }

    @Override
    public void close() {
      connection.close();
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }
}
