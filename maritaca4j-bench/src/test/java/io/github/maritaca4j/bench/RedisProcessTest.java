package io.github.maritaca4j.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** S9's own redis-server: started on a free port, answering, its statistics read, stopped. */
class RedisProcessTest {

  @Test
  void startsAnswersCountsAndStops() throws Exception {
    Path binary = RedisProcess.binary();
    Assumptions.assumeTrue(binary != null, "redis-server: " + RedisProcess.INSTALL_HINT);
    String url;
    try (RedisProcess redis = RedisProcess.start(binary)) {
      url = redis.url();
      assertThat(url).startsWith("redis://127.0.0.1:");
      // persistence off
      assertThat(redis.command("CONFIG", "GET", "appendonly")).isEqualTo("appendonly\nno");
      assertThat(redis.command("CONFIG", "GET", "save")).isEqualTo("save\n");
      redis.resetStats();
      assertThat(redis.command("SET", "k", "v")).isEqualTo("OK");
      assertThat(redis.command("GET", "k")).isEqualTo("v");
      redis.flushAll();
      assertThat(redis.command("GET", "k")).isEmpty();
      RedisProcess.Stats stats = redis.stats();
      assertThat(stats.byCommand())
          .containsEntry("set", 1L)
          .containsEntry("get", 2L)
          .containsEntry("flushall", 1L);
      assertThat(stats.scripts()).isZero();
      assertThat(redis.command("EVAL", "return redis.call('TIME')[1]", "0")).matches("\\d+");
      assertThat(redis.stats().scripts()).isEqualTo(1);
      assertThat(stats.cpuSeconds()).isPositive();
    }
    int port = Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
    try (java.net.Socket s = new java.net.Socket()) {
      s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 200);
      throw new AssertionError("redis-server still listening on " + port);
    } catch (java.io.IOException expected) {
      // stopped
    }
  }
}
