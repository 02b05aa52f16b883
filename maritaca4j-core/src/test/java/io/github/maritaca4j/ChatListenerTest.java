package io.github.maritaca4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.maritaca4j.batch.BatchOptions;
import io.github.maritaca4j.batch.BatchResult;
import io.github.maritaca4j.batch.RateLimits;
import io.github.maritaca4j.errors.AuthenticationException;
import io.github.maritaca4j.errors.ConnectionException;
import io.github.maritaca4j.simulator.Faults;
import io.github.maritaca4j.simulator.Latency;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import io.github.maritaca4j.simulator.RateLimit;
import io.github.maritaca4j.simulator.RetryHint;
import io.github.maritaca4j.simulator.SimulatorStats;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@link ChatListener} events of single calls, streams and batches, over HTTP to the simulator. */
class ChatListenerTest {
  private static final List<Message> CAPITAL = List.of(Message.user("Qual é a capital do Brasil?"));

  /** Records every event. */
  static final class Recorder implements ChatListener {
    final boolean content;
    final ConcurrentLinkedQueue<RequestStart> starts = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<RequestEnd> ends = new ConcurrentLinkedQueue<>();
    final List<Object> batchEvents = new CopyOnWriteArrayList<>();

    Recorder(boolean content) {
      this.content = content;
    }

    @Override
    public boolean includeContent() {
      return content;
    }

    @Override
    public void onRequestStart(RequestStart request) {
      starts.add(request);
    }

    @Override
    public void onRequestEnd(RequestEnd request) {
      ends.add(request);
    }

    @Override
    public void onBatchStart(BatchStart batch) {
      batchEvents.add(batch);
    }

    @Override
    public void onBatchItemSent(BatchItemSent item) {
      batchEvents.add(item);
    }

    @Override
    public void onBatchRateLimited(BatchRateLimited event) {
      batchEvents.add(event);
    }

    @Override
    public void onBatchItemEnd(BatchItemEnd item) {
      batchEvents.add(item);
    }

    @Override
    public void onBatchEnd(BatchEnd batch) {
      batchEvents.add(batch);
    }

    <E> List<E> batch(Class<E> type) {
      return batchEvents.stream().filter(type::isInstance).map(type::cast).toList();
    }
  }

  /** Throws from every method. */
  static final class Throwing implements ChatListener {
    final AtomicInteger calls = new AtomicInteger();

    private RuntimeException boom() {
      calls.incrementAndGet();
      return new IllegalStateException("listener bug");
    }

    @Override
    public boolean includeContent() {
      throw boom();
    }

    @Override
    public void onRequestStart(RequestStart request) {
      throw boom();
    }

    @Override
    public void onRequestEnd(RequestEnd request) {
      throw boom();
    }

    @Override
    public void onBatchStart(BatchStart batch) {
      throw boom();
    }

    @Override
    public void onBatchItemSent(BatchItemSent item) {
      throw boom();
    }

    @Override
    public void onBatchItemEnd(BatchItemEnd item) {
      throw boom();
    }

    @Override
    public void onBatchEnd(BatchEnd batch) {
      throw boom();
    }
  }

  private static ChatMaritaca.Builder client(MaritacaSimulator sim, ChatListener... listeners) {
    ChatMaritaca.Builder b =
        ChatMaritaca.builder()
            .baseUrl(sim.baseUrl())
            .apiKey("test-key")
            .retryBackoff(Duration.ofMillis(5), Duration.ofMillis(20))
            .clock(TestClocks.peak());
    for (ChatListener l : listeners) {
      b.listener(l);
    }
    return b;
  }

  private static List<List<Message>> numbered(int n) {
    List<List<Message>> l = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      l.add(List.of(Message.user("Escreva uma frase sobre o número " + i + ".")));
    }
    return l;
  }

  @Test
  void anInvokeReportsOneRequestWithItsParametersUsageAndCost() {
    Recorder plain = new Recorder(false);
    Recorder withContent = new Recorder(true);
    try (MaritacaSimulator sim = MaritacaSimulator.builder().seed(1).start()) {
      ChatMaritaca c =
          client(sim, plain, withContent).temperature(0.3).maxTokens(200).topP(0.9).build();
      ChatResult r = c.invoke(CAPITAL);

      assertThat(plain.starts).hasSize(1);
      assertThat(plain.ends).hasSize(1);
      ChatListener.RequestStart s = plain.starts.peek();
      assertThat(s.operation()).isEqualTo("chat");
      assertThat(s.serverAddress()).isEqualTo("127.0.0.1");
      assertThat(s.serverPort()).isEqualTo(sim.port());
      assertThat(s.model()).isEqualTo("sabia-4");
      assertThat(s.stream()).isFalse();
      assertThat(s.isBatch()).isFalse();
      assertThat(s.itemIndex()).isEqualTo(-1);
      assertThat(s.attempt()).isEqualTo(1);
      assertThat(s.parameters().temperature()).isEqualTo(0.3);
      assertThat(s.parameters().maxTokens()).isEqualTo(200);
      assertThat(s.parameters().topP()).isEqualTo(0.9);
      assertThat(s.messages()).isEmpty();

      ChatListener.RequestEnd e = plain.ends.peek();
      assertThat(e.start()).isEqualTo(s);
      assertThat(e.isSuccess()).isTrue();
      assertThat(e.httpStatus()).isEqualTo(200);
      assertThat(e.isRateLimited()).isFalse();
      assertThat(e.responseId()).isEqualTo(r.id()).isNotBlank();
      assertThat(e.responseModel()).isEqualTo(r.model());
      assertThat(e.finishReasons()).containsExactly(FinishReason.STOP);
      assertThat(e.usage()).isEqualTo(r.usage());
      assertThat(e.usage().promptTokens()).isEqualTo(sim.statsWithoutLog().promptTokens());
      assertThat(e.cost()).isEqualTo(r.cost().orElseThrow());
      assertThat(e.errorType()).isNull();
      assertThat(e.duration()).isPositive();
      assertThat(e.output()).isEmpty();

      // only the listener that asks for content sees the prompt and the answer
      assertThat(withContent.starts.peek().messages()).isEqualTo(CAPITAL);
      assertThat(withContent.starts.peek().id()).isEqualTo(s.id());
      assertThat(withContent.ends.peek().output())
          .extracting(Message::text)
          .containsExactly(r.content());
      assertThat(withContent.ends.peek().start().messages()).isEqualTo(CAPITAL);
    }
  }

  @Test
  void aStreamReportsOneStreamedRequestWithTheWholeUsage() throws Exception {
    Recorder rec = new Recorder(false);
    try (MaritacaSimulator sim = MaritacaSimulator.builder().seed(2).start()) {
      ChatResult r =
          client(sim, rec).build().stream(CAPITAL, new StreamHandler() {})
              .get(10, TimeUnit.SECONDS);
      assertThat(rec.starts).singleElement().satisfies(s -> assertThat(s.stream()).isTrue());
      ChatListener.RequestEnd e = rec.ends.peek();
      assertThat(rec.ends).hasSize(1);
      assertThat(e.httpStatus()).isEqualTo(200);
      assertThat(e.usage()).isEqualTo(r.usage());
      assertThat(e.usage().completionTokens()).isPositive();
      assertThat(e.finishReasons()).containsExactly(FinishReason.STOP);
      assertThat(e.cost()).isEqualTo(r.cost().orElseThrow());
    }
  }

  @Test
  void everyRetriedAttemptIsARequestOfItsOwn() {
    Recorder rec = new Recorder(false);
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder()
            .seed(11)
            .faults(Faults.builder().serverErrorRate(0.3, 500, 503).build())
            .start()) {
      ChatMaritaca c = client(sim, rec).maxRetries(10).build();
      for (int i = 0; i < 20; i++) {
        c.invoke(List.of(Message.user("Item " + i)));
      }
      SimulatorStats s = sim.statsWithoutLog();
      assertThat(s.faults("server_error")).isPositive();
      assertThat(rec.starts).hasSize((int) s.requests());
      assertThat(rec.ends).hasSize((int) s.requests());
      assertThat(rec.ends.stream().filter(ChatListener.RequestEnd::isSuccess)).hasSize(20);
      assertThat(rec.ends.stream().filter(e -> !e.isSuccess()))
          .hasSize((int) s.faults("server_error"))
          .allSatisfy(e -> assertThat(e.errorType()).isIn("500", "503"));
      // the attempts of each call count 1, 2, ...: as many first attempts as calls
      assertThat(rec.starts.stream().filter(st -> st.attempt() == 1)).hasSize(20);
      assertThat(rec.starts.stream().mapToInt(ChatListener.RequestStart::attempt).max().orElse(0))
          .isGreaterThan(1);
    }
  }

  @Test
  void aFailedRequestHasAnErrorTypeAndNoUsage() {
    Recorder rec = new Recorder(false);
    try (MaritacaSimulator sim = MaritacaSimulator.builder().requireApiKey("right-key").start()) {
      assertThatThrownBy(() -> client(sim, rec).build().invoke(CAPITAL))
          .isInstanceOf(AuthenticationException.class);
      ChatListener.RequestEnd e = rec.ends.peek();
      assertThat(rec.ends).hasSize(1);
      assertThat(e.isSuccess()).isFalse();
      assertThat(e.httpStatus()).isEqualTo(401);
      assertThat(e.errorType()).isEqualTo("401");
      assertThat(e.error()).isInstanceOf(AuthenticationException.class);
      assertThat(e.usage()).isEqualTo(Usage.ZERO);
      assertThat(e.cost()).isNull();
      assertThat(e.responseId()).isNull();
    }
  }

  @Test
  void aConnectionFailureIsTypedByItsExceptionClass() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    Recorder rec = new Recorder(false);
    ChatMaritaca c =
        ChatMaritaca.builder()
            .baseUrl("http://127.0.0.1:" + port)
            .apiKey("k")
            .maxRetries(1)
            .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(2))
            .listener(rec)
            .build();
    assertThatThrownBy(() -> c.invoke(CAPITAL)).isInstanceOf(ConnectionException.class);
    assertThat(rec.ends)
        .hasSize(2)
        .allSatisfy(
            e -> {
              assertThat(e.httpStatus()).isZero();
              assertThat(e.errorType()).isEqualTo(ConnectionException.class.getName());
            });
  }

  @Test
  void aBatchReportsEveryAttemptEvery429AndItsItems() throws Exception {
    Recorder rec = new Recorder(false);
    // 1,200 RPM with a 1 s burst (20 requests) and limits the client does not know: 429s
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder()
            .latency(Latency.fixed(Duration.ofMillis(50)))
            .rateLimit("sabia-4", RateLimit.rpm(1200))
            .burst(Duration.ofSeconds(1))
            .retryHint(RetryHint.MILLIS)
            .start()) {
      BatchOptions o =
          BatchOptions.builder()
              .maxConcurrency(10)
              .learnFromHeaders(false)
              .returnExceptions(true)
              .budget(new BigDecimal("10.00"))
              .build();
      BatchResult r =
          client(sim, rec).build().batchAsync(numbered(60), o).get(60, TimeUnit.SECONDS);
      assertThat(r.allSucceeded()).isTrue();
      SimulatorStats s = sim.statsWithoutLog();
      assertThat(s.rateLimited()).isPositive();

      // request events: one per HTTP request the server saw
      assertThat(rec.starts).hasSize((int) s.requests());
      assertThat(rec.ends).hasSize((int) s.requests());
      assertThat(rec.ends.stream().filter(ChatListener.RequestEnd::isRateLimited))
          .hasSize((int) s.rateLimited())
          .allSatisfy(e -> assertThat(e.errorType()).isEqualTo("429"));
      long batchId = rec.starts.peek().batchId();
      assertThat(batchId).isNotZero();
      assertThat(rec.starts).allSatisfy(st -> assertThat(st.batchId()).isEqualTo(batchId));
      assertThat(rec.starts.stream().map(ChatListener.RequestStart::itemIndex).distinct())
          .hasSize(60);

      // batch events
      assertThat(rec.batchEvents.get(0))
          .isEqualTo(new ChatListener.BatchStart(batchId, 60, 10, new BigDecimal("10.00")));
      assertThat(rec.batch(ChatListener.BatchItemSent.class)).hasSize((int) s.requests());
      assertThat(rec.batch(ChatListener.BatchRateLimited.class)).hasSize((int) s.rateLimited());
      List<ChatListener.BatchItemEnd> items = rec.batch(ChatListener.BatchItemEnd.class);
      assertThat(items).hasSize(60).allSatisfy(i -> assertThat(i.isSuccess()).isTrue());
      BigDecimal costs =
          items.stream().map(i -> i.cost().total()).reduce(BigDecimal.ZERO, BigDecimal::add);
      ChatListener.BatchEnd end =
          (ChatListener.BatchEnd) rec.batchEvents.get(rec.batchEvents.size() - 1);
      assertThat(end.failure()).isNull();
      assertThat(end.state().completed()).isEqualTo(60);
      assertThat(end.state().failed()).isZero();
      assertThat(end.state().queued()).isZero();
      assertThat(end.state().inFlight()).isZero();
      assertThat(end.state().rateLimited()).isEqualTo(s.rateLimited());
      assertThat(end.state().spent()).isEqualByComparingTo(costs);
      assertThat(end.state().budgetLeft())
          .isEqualByComparingTo(new BigDecimal("10.00").subtract(costs));
      // the counters move: the first sends see the rest queued, the in-flight count never passes
      // the cap, completions only grow
      List<ChatListener.BatchItemSent> sent = rec.batch(ChatListener.BatchItemSent.class);
      assertThat(sent.get(0).state().queued()).isEqualTo(59);
      assertThat(sent).allSatisfy(e -> assertThat(e.state().inFlight()).isBetween(1, 10));
      assertThat(items.stream().mapToInt(i -> i.state().completed()))
          .containsExactlyElementsOf(
              java.util.stream.IntStream.rangeClosed(1, 60).boxed().toList());
      // (whether an item waits for the limiter here depends on timing: see the paced test below)
      assertThat(sent).allSatisfy(e -> assertThat(e.rateLimiterWait().isNegative()).isFalse());
    }
  }

  @Test
  void aBatchPacedByKnownLimitsReportsTheTimeItemsWaitedForTheLimiter() throws Exception {
    Recorder rec = new Recorder(false);
    // 600 RPM with a 1 s burst, known to the client: 10 requests go at once, the other 20 one
    // every 100 ms, each waiting at the head of the queue for its token
    try (MaritacaSimulator sim = MaritacaSimulator.builder().start()) {
      RateLimits limits = RateLimits.rpm(600).withBurst(Duration.ofSeconds(1));
      BatchOptions o = BatchOptions.builder().maxConcurrency(30).rateLimits(limits).build();
      BatchResult r =
          client(sim, rec).build().batchAsync(numbered(30), o).get(60, TimeUnit.SECONDS);
      assertThat(r.allSucceeded()).isTrue();
      List<Duration> waits =
          rec.batch(ChatListener.BatchItemSent.class).stream()
              .map(ChatListener.BatchItemSent::rateLimiterWait)
              .toList();
      assertThat(waits).hasSize(30);
      assertThat(waits.get(0)).isZero();
      assertThat(waits.stream().filter(d -> d.compareTo(Duration.ofMillis(50)) > 0))
          .hasSizeGreaterThanOrEqualTo(15);
      assertThat(waits.stream().reduce(Duration.ZERO, Duration::plus))
          .isGreaterThan(Duration.ofMillis(1500));
    }
  }

  @Test
  void a429ThatEndsAnItemIsReportedToo() throws Exception {
    Recorder rec = new Recorder(false);
    // 60 RPM with a 1 s burst: one request goes, the others are refused; no 429 retries allowed
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder()
            .rateLimit("sabia-4", RateLimit.rpm(60))
            .burst(Duration.ofSeconds(1))
            .retryHint(RetryHint.MILLIS)
            .start()) {
      BatchOptions o =
          BatchOptions.builder()
              .maxConcurrency(5)
              .learnFromHeaders(false)
              .maxRateLimitRetries(0)
              .returnExceptions(true)
              .build();
      BatchResult r = client(sim, rec).build().batchAsync(numbered(5), o).get(30, TimeUnit.SECONDS);
      SimulatorStats s = sim.statsWithoutLog();
      assertThat(s.rateLimited()).isPositive();
      List<ChatListener.BatchRateLimited> limited = rec.batch(ChatListener.BatchRateLimited.class);
      assertThat(limited).hasSize((int) s.rateLimited());
      assertThat(limited).allSatisfy(e -> assertThat(e.pause()).isZero());
      List<ChatListener.BatchItemEnd> failed =
          rec.batch(ChatListener.BatchItemEnd.class).stream().filter(e -> !e.isSuccess()).toList();
      assertThat(failed).hasSize((int) s.rateLimited());
      assertThat(failed).allSatisfy(e -> assertThat(e.errorType()).isEqualTo("429"));
      assertThat(r.items().stream().filter(i -> !i.isSuccess())).hasSize(failed.size());
    }
  }

  @Test
  void aFailFastBatchEndsWithItsFailure() {
    Recorder rec = new Recorder(false);
    try (MaritacaSimulator sim = MaritacaSimulator.builder().requireApiKey("right-key").start()) {
      assertThatThrownBy(
              () -> client(sim, rec).build().batchAsync(numbered(5), 1).get(10, TimeUnit.SECONDS))
          .hasCauseInstanceOf(AuthenticationException.class);
      List<ChatListener.BatchItemEnd> items = rec.batch(ChatListener.BatchItemEnd.class);
      assertThat(items).singleElement().satisfies(i -> assertThat(i.errorType()).isEqualTo("401"));
      List<ChatListener.BatchEnd> ends = rec.batch(ChatListener.BatchEnd.class);
      assertThat(ends)
          .singleElement()
          .satisfies(e -> assertThat(e.failure()).isInstanceOf(AuthenticationException.class));
      assertThat(ends.get(0).state().failed()).isEqualTo(1);
    }
  }

  @Test
  void aThrowingListenerBreaksNothingAndTheNextListenerStillHears() throws Exception {
    Throwing bad = new Throwing();
    Recorder rec = new Recorder(false);
    try (MaritacaSimulator sim = MaritacaSimulator.builder().seed(3).start()) {
      ChatMaritaca c = client(sim, bad, rec).build();
      assertThat(c.invoke(CAPITAL).content()).contains("Brasília");
      assertThat(c.stream(CAPITAL, new StreamHandler() {}).get(10, TimeUnit.SECONDS).content())
          .contains("Brasília");
      BatchResult r =
          c.batchAsync(numbered(5), BatchOptions.withConcurrency(2)).get(10, TimeUnit.SECONDS);
      assertThat(r.allSucceeded()).isTrue();
      assertThat(c.batchWithProgress(numbered(3), 2, (done, total, res) -> {})).hasSize(3);
      assertThat(sim.statsWithoutLog().ok()).isEqualTo(10);
      assertThat(rec.starts).hasSize(10);
      assertThat(rec.ends).hasSize(10);
      assertThat(bad.calls.get()).isGreaterThan(20);
      Map<Class<?>, Long> kinds =
          rec.batchEvents.stream()
              .collect(Collectors.groupingBy(Object::getClass, Collectors.counting()));
      assertThat(kinds)
          .containsEntry(ChatListener.BatchStart.class, 2L)
          .containsEntry(ChatListener.BatchItemEnd.class, 8L)
          .containsEntry(ChatListener.BatchEnd.class, 2L);
    }
  }

  @Test
  void theBuilderAddsListenersAndDerivedClientsKeepThem() {
    Recorder a = new Recorder(false);
    Recorder b = new Recorder(false);
    try (MaritacaSimulator sim = MaritacaSimulator.builder().start()) {
      ChatMaritaca c = client(sim, a).build();
      ChatMaritaca d = c.toBuilder().listener(b).build();
      d.invoke(CAPITAL);
      c.invoke(CAPITAL);
      assertThat(a.ends).hasSize(2);
      assertThat(b.ends).hasSize(1);
      assertThatThrownBy(() -> ChatMaritaca.builder().listener(null))
          .isInstanceOf(NullPointerException.class);
    }
  }
}
