package io.github.maritaca4j.redis;

import io.github.maritaca4j.batch.SharedLimits;
import io.github.maritaca4j.testing.SharedLimitsContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** {@link RedisSharedLimits} against a real {@code redis-server} keeps the SPI's contract. */
class RedisSharedLimitsContractTest extends SharedLimitsContract {
  private static RedisServer server;
  private static RedisSharedLimits store;

  @BeforeAll
  static void start() {
    if (RedisServer.binary() != null) {
      server = RedisServer.startOrSkip();
      store = RedisSharedLimits.connect(server.url());
    }
  }

  @BeforeEach
  void redisInstalled() {
    // each test reported as skipped, with the reason, when there is no redis-server
    Assumptions.assumeTrue(store != null, RedisServer.INSTALL_HINT);
  }

  @AfterAll
  static void stop() {
    if (store != null) {
      store.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Override
  protected SharedLimits store() {
    return store;
  }
}
