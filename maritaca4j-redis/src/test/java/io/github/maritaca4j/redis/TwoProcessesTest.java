package io.github.maritaca4j.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.batch.BatchResult;
import io.github.maritaca4j.batch.SharedLimits.Bucket;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two processes, one key: a batch in a child JVM and one in this JVM, at once, against one
 * simulator enforcing 1,200 RPM with a 500 ms burst, each process told those limits. With the
 * limits shared on Redis the two together stay within them (a few 429s, see below); each pacing
 * alone, they send about twice what the server allows and meet many 429s. Each test prints the
 * simulator's 429s and when they came (request number and milliseconds from the first arrival).
 */
class TwoProcessesTest {
  static final long RPM = 1200;
  static final int PER_PROCESS = 40;
  static final int CONCURRENCY = 20;

  @TempDir Path dir;

  @BeforeAll
  static void warmUp() throws Exception {
    Batches.warmUp();
  }

  @Test
  void withTheLimitsOnRedisTwoProcessesStayWithinTheAccountsLimits() throws Exception {
    try (RedisServer redis = RedisServer.startOrSkip();
        RedisSharedLimits store = RedisSharedLimits.connect(redis.url());
        MaritacaSimulator sim = Batches.limited(RPM)) {
      long rateLimited = runBoth(sim, redis.url(), store);
      // The shared buckets start a margin short, as a process's own do (before that change: 1 to
      // 4 in 80 requests, each first burst racing the server's refill). Each process pacing alone
      // meets 19 to 31 (the test below).
      assertThat(rateLimited).isLessThanOrEqualTo(2);
    }
  }

  @Test
  void withoutRedisEachProcessTakesTheWholeLimitAndMany429sFollow() throws Exception {
    try (MaritacaSimulator sim = Batches.limited(RPM)) {
      long rateLimited = runBoth(sim, "none", null);
      assertThat(rateLimited).isGreaterThanOrEqualTo(12);
    }
  }

  /** Runs both batches at once; returns the simulator's 429s. */
  private long runBoth(MaritacaSimulator sim, String redisUrl, RedisSharedLimits store)
      throws Exception {
    String key = "k-" + UUID.randomUUID();
    Process child = startChild(sim, key, redisUrl);
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      ChatMaritaca.Builder b = Batches.client(sim.baseUrl(), key, RPM);
      if (store != null) {
        b.sharedLimits(store);
        store.tryTake("maritaca4j:warm-up:" + key, WARM_UP, ONE); // Lettuce's classes
      }
      ChatMaritaca client = b.build();
      expectLine(child, out, "READY");
      OutputStream in = child.getOutputStream();
      in.write("go\n".getBytes(StandardCharsets.UTF_8));
      in.flush();
      CompletableFuture<BatchResult> mine =
          client.batchAsync(Batches.questions("pai", PER_PROCESS), Batches.options(CONCURRENCY));
      String done = expectLine(child, out, "DONE");
      BatchResult r = mine.get(60, TimeUnit.SECONDS);
      assertThat(r.successCount()).isEqualTo(PER_PROCESS);
      assertThat(done).isEqualTo("DONE ok=" + PER_PROCESS + " failed=0");
      assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(sim.statsWithoutLog().ok()).isEqualTo(2L * PER_PROCESS);
      var stats = sim.stats();
      var log = new ArrayList<>(stats.log());
      log.sort(Comparator.comparingLong(x -> x.arrivalNanos()));
      long t0 = log.isEmpty() ? 0 : log.get(0).arrivalNanos();
      StringBuilder sb = new StringBuilder("429s=" + stats.rateLimited() + " at");
      int i = 0;
      for (var rec : log) {
        if (!rec.outcome().equals("ok")) {
          sb.append(' ')
              .append(i)
              .append('@')
              .append((rec.arrivalNanos() - t0) / 1_000_000)
              .append("ms");
        }
        i++;
      }
      System.out.println((store != null ? "shared on Redis: " : "each process alone: ") + sb);
      return stats.rateLimited();
    } finally {
      child.destroyForcibly();
    }
  }

  private static final double[] ONE = {1, 0, 0};
  private static final Bucket[] WARM_UP = {new Bucket(60, 3), Bucket.NONE, Bucket.NONE};

  private Process startChild(MaritacaSimulator sim, String key, String redisUrl) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.add("-Xmx128m");
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(ChildBatch.class.getName());
    cmd.addAll(
        List.of(
            sim.baseUrl(),
            key,
            Long.toString(RPM),
            redisUrl,
            Integer.toString(PER_PROCESS),
            Integer.toString(CONCURRENCY)));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.redirectError(dir.resolve("child.err").toFile());
    return pb.start();
  }

  private String expectLine(Process child, BufferedReader out, String prefix) throws Exception {
    CompletableFuture<String> line =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                String l;
                while ((l = out.readLine()) != null) {
                  if (l.startsWith(prefix)) {
                    return l;
                  }
                }
                return null;
              } catch (Exception e) {
                return null;
              }
            });
    String l;
    try {
      l = line.get(60, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      l = null;
    }
    if (l == null) {
      child.destroyForcibly();
      Path err = dir.resolve("child.err");
      throw new AssertionError(
          "the child said no " + prefix + ": " + (Files.exists(err) ? Files.readString(err) : ""));
    }
    return l;
  }
}
