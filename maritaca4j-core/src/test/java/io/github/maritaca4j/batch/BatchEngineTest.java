package io.github.maritaca4j.batch;

import static io.github.maritaca4j.batch.Fixtures.engine;
import static io.github.maritaca4j.batch.Fixtures.requests;
import static io.github.maritaca4j.batch.Fixtures.runAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.maritaca4j.ChatRequest;
import io.github.maritaca4j.ChatResult;
import io.github.maritaca4j.errors.BadRequestException;
import io.github.maritaca4j.errors.MaritacaException;
import io.github.maritaca4j.errors.RateLimitException;
import io.github.maritaca4j.errors.ServerException;
import io.github.maritaca4j.internal.ManualClock;
import io.github.maritaca4j.internal.batch.BatchEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The engine's behaviour against a fake server in virtual time. */
class BatchEngineTest {
  private final ManualClock clock = new ManualClock();
  private final long t0 = clock.nanoTime();
  private final FakeServer server = new FakeServer(clock);

  private static BadRequestException badRequest() {
    return new BadRequestException(400, "bad", "invalid_request_error", "invalid", null, null);
  }

  private static ServerException unavailable() {
    return new ServerException(503, "busy", "server_error", null, null, null);
  }

  @Test
  void returnsResultsInInputOrderWhateverTheCompletionOrder() {
    server.latency(r -> Duration.ofMillis(FakeServer.indexOf(r) % 3 == 0 ? 300 : 100));
    CompletableFuture<BatchResult> f =
        engine(server, clock).run(requests(20), BatchOptions.withConcurrency(3), null);
    runAll(clock);
    BatchResult r = f.join();
    assertThat(r.size()).isEqualTo(20);
    for (int i = 0; i < 20; i++) {
      assertThat(r.get(i).index()).isEqualTo(i);
      assertThat(r.get(i).result().content()).isEqualTo("a" + i);
    }
    assertThat(r.results()).extracting(ChatResult::content).startsWith("a0", "a1", "a2");
  }

  @Test
  void neverHasMoreThanMaxConcurrencyInFlightAndFillsEverySlot() {
    CompletableFuture<BatchResult> f =
        engine(server, clock).run(requests(100), BatchOptions.withConcurrency(10), null);
    runAll(clock);
    BatchResult r = f.join();
    assertThat(server.maxInFlight()).isEqualTo(10);
    // 100 requests, 10 at a time, 200 ms each: exactly 2 s, no slot ever idle
    assertThat(r.wallTime()).isEqualTo(Duration.ofSeconds(2));
    assertThat(r.usage().promptTokens()).isEqualTo(1000);
    assertThat(r.cost().total()).isEqualByComparingTo("2.0"); // 100 × (10 × 0.001 + 5 × 0.002)
  }

  @Test
  void emptyInputCompletesWithoutARequest() {
    CompletableFuture<BatchResult> f =
        engine(server, clock).run(requests(0), BatchOptions.defaults(), null);
    assertThat(f).isCompleted();
    assertThat(f.join().items()).isEmpty();
    assertThat(server.requests()).isZero();
  }

  @Test
  void appliesTheBatchStopSequencesToEveryRequest() {
    BatchOptions o = BatchOptions.builder().stop(List.of("FIM", "\n\n")).build();
    CompletableFuture<BatchResult> f = engine(server, clock).run(requests(3), o, null);
    runAll(clock);
    f.join();
    assertThat(server.sent())
        .extracting(s -> s.request().stop())
        .containsOnly(List.of("FIM", "\n\n"));
  }

  @Test
  void failFastCompletesWithTheFirstPermanentFailureAndSendsNothingMore() {
    BadRequestException bad = badRequest();
    server.latency(Duration.ofMillis(100)).failures(r -> FakeServer.indexOf(r) == 3 ? bad : null);
    CompletableFuture<BatchResult> f =
        engine(server, clock).run(requests(20), BatchOptions.withConcurrency(2), null);
    runAll(clock);
    // t=0: 0,1; t=100: 2,3; t=200: 2 succeeds (4 is sent), then 3 fails: the batch ends
    assertThat(server.requests()).isEqualTo(5);
    assertThat(server.calls().get(4)).isCancelled();
    assertThatThrownBy(f::get).isInstanceOf(ExecutionException.class).cause().isSameAs(bad);
    assertThatThrownBy(() -> BatchEngine.join(f)).isSameAs(bad);
  }

  @Test
  void returnExceptionsKeepsGoingAndReportsEachFailureInPlace() {
    server.failures(r -> Set.of(3, 7).contains(FakeServer.indexOf(r)) ? badRequest() : null);
    List<String> progress = new ArrayList<>();
    BatchOptions o = BatchOptions.builder().maxConcurrency(4).returnExceptions(true).build();
    CompletableFuture<BatchResult> f =
        engine(server, clock)
            .run(
                requests(10),
                o,
                (done, total, result) ->
                    progress.add(done + "/" + total + ":" + (result == null ? "x" : "ok")));
    runAll(clock);
    BatchResult r = f.join();
    assertThat(r.failures()).extracting(BatchItem::index).containsExactly(3, 7);
    assertThat(r.failures())
        .allSatisfy(i -> assertThat(i.error()).isInstanceOf(BadRequestException.class));
    assertThat(r.successCount()).isEqualTo(8);
    assertThat(r.get(3).attempts()).isEqualTo(1); // 400 is not retried
    assertThat(progress).hasSize(10);
    assertThat(progress).filteredOn(p -> p.endsWith("x")).hasSize(2);
    assertThat(progress.get(9)).startsWith("10/10");
    assertThatThrownBy(r::results).isInstanceOf(BadRequestException.class);
  }

  @Test
  void retriesServerErrorsAfterTheirOwnBackoffAndKeepsTheCauses() {
    AtomicInteger failuresLeft = new AtomicInteger(2);
    server
        .latency(Duration.ofMillis(100))
        .failures(
            r ->
                FakeServer.indexOf(r) == 0 && failuresLeft.getAndDecrement() > 0
                    ? unavailable()
                    : null);
    CompletableFuture<BatchResult> f =
        engine(server, clock).run(requests(1), BatchOptions.defaults(), null);
    runAll(clock);
    BatchItem item = f.join().get(0);
    // backoff with random 0.5: retry 1 = 75 ms, retry 2 = 150 ms
    assertThat(server.sendMillis(t0)).containsExactly(0L, 175L, 425L);
    assertThat(item.attempts()).isEqualTo(3);
    assertThat(item.retryCauses())
        .hasSize(2)
        .allSatisfy(e -> assertThat(e.statusCode()).isEqualTo(503));
    assertThat(item.latency()).isEqualTo(Duration.ofMillis(525));
    assertThat(item.result().attempts()).isEqualTo(3);
  }

  @Test
  void aRetryWaitingForItsBackoffHoldsNoSlot() {
    AtomicInteger failuresLeft = new AtomicInteger(1);
    server
        .latency(Duration.ofMillis(100))
        .failures(
            r ->
                FakeServer.indexOf(r) == 0 && failuresLeft.getAndDecrement() > 0
                    ? unavailable()
                    : null);
    CompletableFuture<BatchResult> f =
        engine(server, clock).run(requests(3), BatchOptions.withConcurrency(1), null);
    runAll(clock);
    f.join();
    // 0 fails at 100 and waits 75 ms: meanwhile 1 takes the slot; 0 goes first when it is due
    assertThat(server.sent()).extracting(FakeServer.Sent::index).containsExactly(0, 1, 0, 2);
    assertThat(server.sendMillis(t0)).containsExactly(0L, 100L, 200L, 300L);
  }

  @Test
  void failsAnItemWhoseRetriesRanOut() {
    ServerException e = unavailable();
    server.failures(r -> e);
    CompletableFuture<BatchResult> f =
        engine(server, clock).run(requests(1), BatchOptions.defaults(), null);
    runAll(clock);
    assertThatThrownBy(() -> BatchEngine.join(f)).isSameAs(e);
    assertThat(server.requests()).isEqualTo(3); // maxRetries 2 + 1
  }

  @Test
  void aServerErrorAskingForMoreThanMaxRetryAfterEndsTheItemAtOnce() {
    // a 503 announcing an hour of maintenance: the item fails with it, nothing waits an hour
    ServerException maintenance =
        new ServerException(503, "maintenance", "server_error", null, null, Duration.ofHours(1));
    server.failures(r -> FakeServer.indexOf(r) == 1 ? maintenance : null);
    BatchOptions o = BatchOptions.builder().returnExceptions(true).build();
    CompletableFuture<BatchResult> f = engine(server, clock).run(requests(3), o, null);
    runAll(clock);
    BatchResult r = f.join();
    assertThat(r.get(1).error()).isSameAs(maintenance);
    assertThat(((ServerException) r.get(1).error()).retryAfter()).contains(Duration.ofHours(1));
    assertThat(r.get(1).attempts()).isEqualTo(1);
    assertThat(r.get(0).isSuccess()).isTrue();
    assertThat(r.get(2).isSuccess()).isTrue();
    assertThat(server.requests()).isEqualTo(3);
  }

  @Test
  void maxAttemptsOverridesTheClientsRetries() {
    server.failures(r -> unavailable());
    BatchOptions o = BatchOptions.builder().maxAttempts(5).returnExceptions(true).build();
    CompletableFuture<BatchResult> f = engine(server, clock).run(requests(1), o, null);
    runAll(clock);
    BatchItem item = f.join().get(0);
    assertThat(item.isSuccess()).isFalse();
    assertThat(item.attempts()).isEqualTo(5);
    assertThat(item.retryCauses()).hasSize(4);
  }

  @Test
  void a429PausesTheWholeBatchAndTheItemGoesBackToTheFrontWithoutASlot() {
    AtomicInteger left = new AtomicInteger(1);
    server
        .latency(Duration.ofMillis(100))
        .failures(
            r ->
                FakeServer.indexOf(r) == 0 && left.getAndDecrement() > 0
                    ? new RateLimitException("slow down", null, null, null, Duration.ofSeconds(1))
                    : null);
    List<String> events = new ArrayList<>();
    BatchOptions o =
        BatchOptions.builder()
            .maxConcurrency(2)
            .adaptive(false)
            .listener(
                new BatchListener() {
                  @Override
                  public void onRateLimited(int index, Duration pause) {
                    events.add("429 " + index + " " + pause);
                  }
                })
            .build();
    CompletableFuture<BatchResult> f = engine(server, clock).run(requests(4), o, null);
    runAll(clock);
    BatchResult r = f.join();
    // t=100: 0 gets 429 (wait 1 s) and 1 succeeds: nothing is sent until 1100, then 0 first
    assertThat(server.sent()).extracting(FakeServer.Sent::index).containsExactly(0, 1, 0, 2, 3);
    assertThat(server.sendMillis(t0)).containsExactly(0L, 0L, 1100L, 1100L, 1200L);
    assertThat(events).containsExactly("429 0 PT1S");
    assertThat(r.rateLimitedCount()).isEqualTo(1);
    assertThat(r.get(0).attempts()).isEqualTo(2);
    assertThat(r.get(0).retryCauses()).singleElement().isInstanceOf(RateLimitException.class);
  }

  @Test
  void aWaitLongerThanTheClientAllowsFailsTheItem() {
    server.failures(
        r -> new RateLimitException("come back tomorrow", null, null, null, Duration.ofHours(1)));
    CompletableFuture<BatchResult> f =
        engine(server, clock).run(requests(1), BatchOptions.defaults(), null);
    runAll(clock);
    assertThatThrownBy(() -> BatchEngine.join(f))
        .isInstanceOfSatisfying(
            RateLimitException.class, e -> assertThat(e.exceededMaxWait()).isTrue());
    assertThat(server.requests()).isEqualTo(1);
  }

  @Test
  void theRateLimitAllowanceIsSeparateFromMaxAttempts() {
    server.failures(r -> new RateLimitException("busy", null, null, null, Duration.ofMillis(10)));
    BatchOptions o =
        BatchOptions.builder().maxAttempts(1).maxRateLimitRetries(3).returnExceptions(true).build();
    CompletableFuture<BatchResult> f = engine(server, clock).run(requests(1), o, null);
    runAll(clock);
    BatchItem item = f.join().get(0);
    assertThat(item.attempts()).isEqualTo(4);
    assertThat(item.error()).isInstanceOf(RateLimitException.class);
  }

  @Test
  void cancellingTheFutureStopsDispatchAndCancelsTheRequestsInFlight() {
    server.latency(Duration.ofMillis(100));
    CompletableFuture<BatchResult> f =
        engine(server, clock).run(requests(100), BatchOptions.withConcurrency(5), null);
    clock.advance(Duration.ofMillis(250));
    assertThat(server.requests()).isEqualTo(15);
    f.cancel(true);
    runAll(clock);
    assertThat(server.requests()).isEqualTo(15);
    assertThat(server.calls().subList(10, 15)).allSatisfy(c -> assertThat(c).isCancelled());
    assertThat(f).isCancelled();
  }

  @Test
  void streamsAnIteratorLazilyAndDeliversEachItemWithItsIndex() {
    AtomicInteger pulled = new AtomicInteger();
    Iterator<ChatRequest> source =
        new Iterator<>() {
          final List<ChatRequest> all = requests(50);
          int i;

          @Override
          public boolean hasNext() {
            return i < all.size();
          }

          @Override
          public ChatRequest next() {
            pulled.incrementAndGet();
            return all.get(i++);
          }
        };
    Set<Integer> seen = new TreeSet<>();
    List<Integer> completedOrder = new ArrayList<>();
    List<Boolean> contents = new ArrayList<>();
    server.latency(r -> Duration.ofMillis(100 + (FakeServer.indexOf(r) % 2) * 50));
    BatchOptions o =
        BatchOptions.builder()
            .maxConcurrency(4)
            .listener(
                new BatchListener() {
                  @Override
                  public void onItemCompleted(BatchItem item) {
                    seen.add(item.index());
                    completedOrder.add(item.index());
                    contents.add(item.result().content().equals("a" + item.index()));
                  }
                })
            .build();
    CompletableFuture<BatchSummary> f = engine(server, clock).stream(source, 50, o);
    clock.advance(Duration.ofMillis(1));
    assertThat(pulled.get()).isEqualTo(4); // only what can be sent
    runAll(clock);
    BatchSummary s = f.join();
    assertThat(s.total()).isEqualTo(50);
    assertThat(s.succeeded()).isEqualTo(50);
    assertThat(s.usage().promptTokens()).isEqualTo(500);
    assertThat(seen).hasSize(50).first().isEqualTo(0);
    assertThat(completedOrder).isNotEqualTo(List.copyOf(seen)); // completion order, not input order
    assertThat(contents).hasSize(50).containsOnly(true);
  }

  @Test
  void anIteratorThatThrowsEndsTheBatchWithItsException() {
    IllegalStateException boom = new IllegalStateException("disk gone");
    Iterator<ChatRequest> source =
        new Iterator<>() {
          int i;

          @Override
          public boolean hasNext() {
            return true;
          }

          @Override
          public ChatRequest next() {
            if (i == 3) {
              throw boom;
            }
            return requests(10).get(i++);
          }
        };
    CompletableFuture<BatchSummary> f =
        engine(server, clock).stream(
            source, -1, BatchOptions.builder().returnExceptions(true).build());
    runAll(clock);
    assertThatThrownBy(() -> BatchEngine.join(f)).isSameAs(boom);
  }

  @Test
  void aSenderThatThrowsSynchronouslyFailsOnlyThatAttempt() {
    AtomicInteger calls = new AtomicInteger();
    BatchEngine e =
        new BatchEngine(
            Fixtures.env(
                r -> {
                  if (calls.getAndIncrement() == 0) {
                    throw unavailable();
                  }
                  return server.send(r);
                },
                clock));
    CompletableFuture<BatchResult> f = e.run(requests(2), BatchOptions.defaults(), null);
    runAll(clock);
    BatchResult r = f.join();
    assertThat(r.allSucceeded()).isTrue();
    assertThat(r.items()).extracting(BatchItem::attempts).containsExactlyInAnyOrder(1, 2);
  }

  @Test
  void aSynchronousSenderDoesNotRecurse() {
    BatchEngine e =
        new BatchEngine(
            Fixtures.env(
                r ->
                    CompletableFuture.completedFuture(
                        FakeServer.answer(r, io.github.maritaca4j.Usage.of(1, 1))),
                clock));
    CompletableFuture<BatchResult> f =
        e.run(requests(20_000), BatchOptions.withConcurrency(8), null);
    assertThat(f.join().size()).isEqualTo(20_000);
  }

  @Test
  void rejectsBadInputsAtOnce() {
    assertThatThrownBy(() -> BatchEngine.requests(Fixtures.TEMPLATE, List.of(List.of())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("inputs[0]");
    assertThatThrownBy(() -> BatchEngine.requests(Fixtures.TEMPLATE, null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void anExceptionThatIsNotAMaritacaExceptionIsWrapped() {
    BatchEngine e =
        new BatchEngine(
            Fixtures.env(
                r -> CompletableFuture.failedFuture(new IllegalStateException("bug")), clock));
    CompletableFuture<BatchResult> f = e.run(requests(1), BatchOptions.defaults(), null);
    assertThatThrownBy(() -> BatchEngine.join(f))
        .isInstanceOf(MaritacaException.class)
        .hasCauseInstanceOf(IllegalStateException.class);
  }
}
