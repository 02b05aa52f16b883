package io.github.maritaca4j.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.maritaca4j.ChatRequest;
import io.github.maritaca4j.ChatResult;
import io.github.maritaca4j.TestClocks;
import io.github.maritaca4j.Usage;
import io.github.maritaca4j.internal.ChatSender;
import io.github.maritaca4j.internal.Clock;
import io.github.maritaca4j.internal.ManualClock;
import io.github.maritaca4j.internal.batch.BatchEngine;
import io.github.maritaca4j.internal.batch.BatchEnv;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Progress callbacks and listeners with real threads: serialized, complete, robust. */
class CallbackTest {
  private final ExecutorService pool = Executors.newFixedThreadPool(8);
  private final ExecutorService callbacks = Executors.newFixedThreadPool(4);

  @AfterEach
  void shutdown() {
    pool.shutdownNow();
    callbacks.shutdownNow();
  }

  /** Answers on one of 8 threads after 0-3 ms, so completions race. */
  private ChatSender racingSender() {
    return r ->
        CompletableFuture.supplyAsync(
            () -> {
              try {
                Thread.sleep(ThreadLocalRandom.current().nextInt(4));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return FakeServer.answer(r, Usage.of(3, 4));
            },
            pool);
  }

  private BatchEngine engine(ChatSender sender) {
    return new BatchEngine(
        new BatchEnv(
            sender,
            Fixtures.POLICY,
            Clock.system(TestClocks.peak()), // real timers, wall time at noon in Brasília
            callbacks,
            r -> 10,
            Fixtures::worstCase,
            (r, u) -> Fixtures.cost(u),
            m -> 32_768));
  }

  @Test
  void progressCountsOneToTotalExactlyOnceAndNeverConcurrently() throws Exception {
    int n = 300;
    AtomicInteger active = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    List<Integer> completed = Collections.synchronizedList(new ArrayList<>());
    List<Integer> totals = Collections.synchronizedList(new ArrayList<>());
    BatchListener listener =
        new BatchListener() {
          @Override
          public void onItemStarted(int index, int attempt) {
            enter();
          }

          @Override
          public void onItemCompleted(BatchItem item) {
            enter();
          }

          void enter() {
            if (active.incrementAndGet() > 1) {
              overlaps.incrementAndGet();
            }
            active.decrementAndGet();
          }
        };
    CompletableFuture<BatchResult> f =
        engine(racingSender())
            .run(
                Fixtures.requests(n),
                BatchOptions.builder().maxConcurrency(16).listener(listener).build(),
                (done, total, result) -> {
                  if (active.incrementAndGet() > 1) {
                    overlaps.incrementAndGet();
                  }
                  completed.add(done);
                  totals.add(total);
                  Thread.yield();
                  active.decrementAndGet();
                });
    BatchResult r = f.get(30, TimeUnit.SECONDS);
    assertThat(r.allSucceeded()).isTrue();
    List<Integer> expected = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      expected.add(i);
    }
    assertThat(completed)
        .containsExactlyElementsOf(expected); // all ran before the future completed
    assertThat(totals).containsOnly(n);
    assertThat(overlaps.get()).isZero();
  }

  @Test
  void aCallbackThatThrowsLosesNoResult() throws Exception {
    List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
    BatchListener throwingListener =
        new BatchListener() {
          @Override
          public void onItemCompleted(BatchItem item) {
            throw new IllegalStateException("listener bug");
          }
        };
    CompletableFuture<BatchResult> f =
        engine(racingSender())
            .run(
                Fixtures.requests(50),
                BatchOptions.builder().maxConcurrency(8).listener(throwingListener).build(),
                (done, total, result) -> {
                  seen.add(done);
                  if (done % 2 == 0) {
                    throw new IllegalStateException("callback bug at " + done);
                  }
                });
    BatchResult r = f.get(30, TimeUnit.SECONDS);
    assertThat(r.allSucceeded()).isTrue();
    assertThat(r.results()).hasSize(50);
    assertThat(seen).hasSize(50);
  }

  @Test
  void theSynchronousFormRunsCallbacksOnTheCallingThread() {
    Thread caller = Thread.currentThread();
    List<Thread> threads = Collections.synchronizedList(new ArrayList<>());
    BatchListener listener =
        new BatchListener() {
          @Override
          public void onItemSucceeded(BatchItem item) {
            threads.add(Thread.currentThread());
          }
        };
    BatchResult r =
        engine(racingSender())
            .runSync(
                Fixtures.requests(40),
                BatchOptions.builder().maxConcurrency(6).listener(listener).build(),
                (done, total, result) -> threads.add(Thread.currentThread()));
    assertThat(r.successCount()).isEqualTo(40);
    assertThat(threads).hasSize(80).containsOnly(caller);
  }

  @Test
  void theSynchronousFormThrowsTheFailureItself() {
    io.github.maritaca4j.errors.BadRequestException bad =
        new io.github.maritaca4j.errors.BadRequestException(400, "no", null, null, null, null);
    BatchEngine e = engine(r -> CompletableFuture.failedFuture(bad));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> e.runSync(Fixtures.requests(3), BatchOptions.defaults(), null))
        .isSameAs(bad);
  }

  @Test
  void eventsArriveInOrderForEachItem() {
    ManualClock clock = new ManualClock();
    FakeServer server = new FakeServer(clock).latency(Duration.ofMillis(10));
    AtomicInteger left = new AtomicInteger(1);
    server.failures(
        r ->
            left.getAndDecrement() > 0
                ? new io.github.maritaca4j.errors.ServerException(500, "x", null, null, null, null)
                : null);
    List<String> events = new ArrayList<>();
    BatchListener l =
        new BatchListener() {
          @Override
          public void onItemStarted(int index, int attempt) {
            events.add("start " + index + "#" + attempt);
          }

          @Override
          public void onItemRetried(
              int index,
              io.github.maritaca4j.errors.MaritacaException reason,
              int attempt,
              Duration d) {
            events.add("retry " + index + "#" + attempt + " " + reason.statusCode() + " " + d);
          }

          @Override
          public void onItemSucceeded(BatchItem item) {
            events.add("ok " + item.index());
          }

          @Override
          public void onItemCompleted(BatchItem item) {
            events.add("done " + item.index());
          }

          @Override
          public void onProgress(BatchProgress p) {
            events.add("progress " + p.completed() + "/" + p.total() + " in " + p.inputTokens());
          }
        };
    CompletableFuture<BatchResult> f =
        new BatchEngine(Fixtures.env(server, clock))
            .run(
                Fixtures.requests(1),
                BatchOptions.builder().listener(l).build(),
                (done, total, result) -> events.add("callback " + done + "/" + total));
    Fixtures.runAll(clock);
    f.join();
    assertThat(events)
        .containsExactly(
            "start 0#1",
            "retry 0#1 500 PT0.075S",
            "start 0#2",
            "ok 0",
            "done 0",
            "callback 1/1",
            "progress 1/1 in 10");
  }

  @Test
  void theResultCarriesAttemptsAndCost() {
    ManualClock clock = new ManualClock();
    FakeServer server = new FakeServer(clock);
    CompletableFuture<List<ChatResult>> f =
        new BatchEngine(Fixtures.env(server, clock))
            .runForResults(Fixtures.requests(2), BatchOptions.defaults(), null);
    Fixtures.runAll(clock);
    ChatResult first = f.join().get(0);
    assertThat(first.attempts()).isEqualTo(1);
    assertThat(first.latency()).isEqualTo(Duration.ofMillis(200));
    assertThat(first.cost())
        .hasValueSatisfying(c -> assertThat(c.total()).isEqualByComparingTo("0.02"));
    ChatRequest unused = null;
    assertThat(unused).isNull();
  }
}
