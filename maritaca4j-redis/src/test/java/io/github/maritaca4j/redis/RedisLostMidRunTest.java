package io.github.maritaca4j.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.batch.BatchItem;
import io.github.maritaca4j.batch.BatchListener;
import io.github.maritaca4j.batch.BatchOptions;
import io.github.maritaca4j.batch.BatchResult;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

/**
 * Redis stops in the middle of a batch that keeps its limits there, and starts again (empty) before
 * the batch ends: the batch completes with every item answered exactly once, the client warns once
 * that it paces alone, and uses Redis again once it is back.
 */
class RedisLostMidRunTest {
  static final long RPM = 2400;
  static final int N = 160;

  @Test
  void aBatchOutlivesRedisAndUsesItAgainOnceItIsBack() throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream originalErr = System.err;
    try (RedisServer redis = RedisServer.startOrSkip();
        RedisSharedLimits store = RedisSharedLimits.connect(redis.url());
        MaritacaSimulator sim = Batches.limited(RPM)) {
      System.setErr(new PrintStream(new Tee(originalErr, captured), true, StandardCharsets.UTF_8));
      String key = "k-" + UUID.randomUUID();
      ChatMaritaca client = Batches.client(sim.baseUrl(), key, RPM).sharedLimits(store).build();
      AtomicInteger done = new AtomicInteger();
      BatchOptions options =
          Batches.options(20).toBuilder()
              .listener(
                  new BatchListener() {
                    @Override
                    public void onItemCompleted(BatchItem item) {
                      done.incrementAndGet();
                    }
                  })
              .build();
      CompletableFuture<BatchResult> batch =
          client.batchAsync(Batches.questions("perdido", N), options);

      awaitAtLeast(done::get, 30, batch);
      redis.stop();
      int doneAtStop = done.get();
      awaitAtLeast(done::get, doneAtStop + 40, batch);
      redis.start(); // empty: the lane starts afresh
      RedisSharedLimitsTest.Admin admin = new RedisSharedLimitsTest.Admin(redis.url());
      try {
        BatchResult r = batch.get(60, TimeUnit.SECONDS);
        assertThat(r.successCount()).isEqualTo(N);
        // every item once: as many answers as items, each item with its own question's answer
        assertThat(sim.statsWithoutLog().ok()).isEqualTo(N);
        Set<Integer> indices = new HashSet<>();
        r.items().forEach(i -> indices.add(i.index()));
        assertThat(indices).hasSize(N);

        String log = captured.toString(StandardCharsets.UTF_8);
        // one warning for the whole outage, however many calls failed
        assertThat(count(log, "shared rate limits unavailable")).as(log).isEqualTo(1);
        assertThat(log).containsPattern("WARN .*shared rate limits unavailable");

        // once back, Redis is used again: by this batch's end or by the next requests
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (admin.calls("evalsha") + admin.calls("eval") == 0 && System.nanoTime() < deadline) {
          client.batchAsync(Batches.questions("de volta", 5), 5).get(30, TimeUnit.SECONDS);
          Thread.sleep(200);
        }
        assertThat(admin.calls("evalsha") + admin.calls("eval")).isPositive();
        assertThat(admin.redis.dbsize()).isPositive(); // the lane's hash
        assertThat(captured.toString(StandardCharsets.UTF_8))
            .contains("shared rate limits are back");
      } finally {
        admin.close();
      }
    } finally {
      System.setErr(originalErr);
    }
  }

  private static void awaitAtLeast(IntSupplier done, int n, CompletableFuture<?> batch)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (done.getAsInt() < n && !batch.isDone() && System.nanoTime() < deadline) {
      Thread.sleep(2);
    }
    assertThat(done.getAsInt()).as("items done").isGreaterThanOrEqualTo(n);
  }

  private static int count(String s, String word) {
    int n = 0;
    for (int i = s.indexOf(word); i >= 0; i = s.indexOf(word, i + word.length())) {
      n++;
    }
    return n;
  }

  /** Writes to two streams. */
  private static final class Tee extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    Tee(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public synchronized void write(int c) {
      try {
        a.write(c);
      } catch (IOException e) {
        // the original stream's trouble is not the test's
      }
      synchronized (b) {
        try {
          b.write(c);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }

    @Override
    public synchronized void write(byte[] buf, int off, int len) {
      try {
        a.write(buf, off, len);
      } catch (IOException e) {
        // as above
      }
      synchronized (b) {
        try {
          b.write(buf, off, len);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }

    @Override
    public void flush() {
      try {
        a.flush();
      } catch (IOException e) {
        // as above
      }
    }
  }
}
