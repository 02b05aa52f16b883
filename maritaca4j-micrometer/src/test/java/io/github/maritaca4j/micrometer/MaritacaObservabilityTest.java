package io.github.maritaca4j.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.maritaca4j.ChatListener;
import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.ChatResult;
import io.github.maritaca4j.Message;
import io.github.maritaca4j.StreamHandler;
import io.github.maritaca4j.TestClocks;
import io.github.maritaca4j.batch.BatchOptions;
import io.github.maritaca4j.batch.BatchResult;
import io.github.maritaca4j.errors.AuthenticationException;
import io.github.maritaca4j.simulator.Latency;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import io.github.maritaca4j.simulator.RateLimit;
import io.github.maritaca4j.simulator.RetryHint;
import io.github.maritaca4j.simulator.SimulatorStats;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Observations and meters of calls, streams and batches against the simulator. */
class MaritacaObservabilityTest {
  private static final List<Message> CAPITAL = List.of(Message.user("Qual é a capital do Brasil?"));
  private static final String NAME = DefaultMaritacaObservationConvention.NAME;

  private final TestObservationRegistry observations = TestObservationRegistry.create();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  private MaritacaObservability observability(boolean content) {
    return MaritacaObservability.builder()
        .observationRegistry(observations)
        .meterRegistry(meters)
        .recordContent(content)
        .build();
  }

  private static ChatMaritaca.Builder client(MaritacaSimulator sim, ChatListener... listeners) {
    ChatMaritaca.Builder b =
        ChatMaritaca.builder()
            .baseUrl(sim.baseUrl())
            // a key of its own: a later simulator may get an earlier one's port, and the
            // account (key and base URL) would then bring the limits it learnt there
            .apiKey("test-key-" + java.util.UUID.randomUUID())
            .retryBackoff(Duration.ofMillis(5), Duration.ofMillis(20))
            .clock(TestClocks.peak());
    for (ChatListener l : listeners) {
      b.listener(l);
    }
    return b;
  }

  private List<MaritacaObservationContext> contexts() {
    List<MaritacaObservationContext> out = new ArrayList<>();
    TestObservationRegistryAssert.assertThat(observations)
        .hasHandledContextsThatSatisfy(
            all ->
                all.stream()
                    .filter(MaritacaObservationContext.class::isInstance)
                    .map(MaritacaObservationContext.class::cast)
                    .forEach(out::add));
    return out;
  }

  private static String low(Observation.Context c, String key) {
    return c.getLowCardinalityKeyValue(key) == null
        ? null
        : c.getLowCardinalityKeyValue(key).getValue();
  }

  private static String high(Observation.Context c, String key) {
    return c.getHighCardinalityKeyValue(key) == null
        ? null
        : c.getHighCardinalityKeyValue(key).getValue();
  }

  private static double tokens(MeterRegistry m, String type) {
    return m.get(MaritacaObservability.TOKEN_USAGE)
        .tag(MaritacaObservability.TOKEN_TYPE, type)
        .summary()
        .totalAmount();
  }

  @Test
  void anInvokeIsOneObservationWithTheGenAiKeysAndItsMeters() {
    try (MaritacaSimulator sim = MaritacaSimulator.builder().seed(1).start()) {
      ChatResult r =
          client(sim, observability(false)).temperature(0.2).maxTokens(300).build().invoke(CAPITAL);

      TestObservationRegistryAssert.assertThat(observations)
          .hasNumberOfObservationsWithNameEqualTo(NAME, 1)
          .hasSingleObservationThat()
          .hasBeenStarted()
          .hasBeenStopped()
          .hasContextualNameEqualTo("chat sabia-4")
          .hasLowCardinalityKeyValue("gen_ai.operation.name", "chat")
          .hasLowCardinalityKeyValue("gen_ai.provider.name", "maritaca")
          .hasLowCardinalityKeyValue("gen_ai.request.model", "sabia-4")
          .hasLowCardinalityKeyValue("gen_ai.response.model", r.model())
          .hasLowCardinalityKeyValue("error.type", "none")
          .hasHighCardinalityKeyValue(
              "gen_ai.usage.input_tokens", Long.toString(r.usage().promptTokens()))
          .hasHighCardinalityKeyValue(
              "gen_ai.usage.output_tokens", Long.toString(r.usage().completionTokens()))
          .hasHighCardinalityKeyValue(
              "gen_ai.usage.cache_read.input_tokens", Long.toString(r.usage().cachedPromptTokens()))
          .hasHighCardinalityKeyValue("gen_ai.response.id", r.id())
          .hasHighCardinalityKeyValue("gen_ai.response.finish_reasons", "stop")
          .hasHighCardinalityKeyValue("gen_ai.request.temperature", "0.2")
          .hasHighCardinalityKeyValue("gen_ai.request.max_tokens", "300")
          .hasHighCardinalityKeyValue("server.address", "127.0.0.1")
          .hasHighCardinalityKeyValue("server.port", Integer.toString(sim.port()))
          .hasHighCardinalityKeyValue(
              "maritaca.cost.brl", r.cost().orElseThrow().total().toPlainString())
          .doesNotHaveHighCardinalityKeyValueWithKey("gen_ai.input.messages")
          .doesNotHaveHighCardinalityKeyValueWithKey("gen_ai.output.messages")
          .doesNotHaveError();

      SimulatorStats s = sim.statsWithoutLog();
      assertThat(tokens(meters, "input")).isEqualTo(s.promptTokens());
      assertThat(tokens(meters, "output")).isEqualTo(s.completionTokens());
      Timer t =
          meters
              .get(MaritacaObservability.OPERATION_DURATION)
              .tag("gen_ai.operation.name", "chat")
              .tag("gen_ai.provider.name", "maritaca")
              .tag("gen_ai.request.model", "sabia-4")
              .tag("gen_ai.response.model", r.model())
              .tag("error.type", "none")
              .timer();
      assertThat(t.count()).isEqualTo(1);
      assertThat(t.totalTime(TimeUnit.NANOSECONDS)).isPositive();
    }
  }

  @Test
  void aStreamIsObservedWithItsUsage() throws Exception {
    try (MaritacaSimulator sim = MaritacaSimulator.builder().seed(2).start()) {
      ChatResult r =
          client(sim, observability(false)).build().stream(CAPITAL, new StreamHandler() {})
              .get(10, TimeUnit.SECONDS);
      List<MaritacaObservationContext> all = contexts();
      assertThat(all).hasSize(1);
      assertThat(high(all.get(0), "maritaca.request.stream")).isEqualTo("true");
      assertThat(high(all.get(0), "gen_ai.usage.output_tokens"))
          .isEqualTo(Long.toString(r.usage().completionTokens()));
      assertThat(tokens(meters, "output")).isEqualTo(r.usage().completionTokens());
    }
  }

  @Test
  void aFailedRequestCarriesItsErrorTypeAndRecordsNoTokens() {
    try (MaritacaSimulator sim = MaritacaSimulator.builder().requireApiKey("right-key").start()) {
      assertThatThrownBy(() -> client(sim, observability(false)).build().invoke(CAPITAL))
          .isInstanceOf(AuthenticationException.class);
      TestObservationRegistryAssert.assertThat(observations)
          .hasSingleObservationThat()
          .hasBeenStopped()
          .hasLowCardinalityKeyValue("error.type", "401")
          .hasLowCardinalityKeyValue("gen_ai.response.model", "none")
          .hasHighCardinalityKeyValue("http.response.status_code", "401")
          .doesNotHaveHighCardinalityKeyValueWithKey("gen_ai.usage.input_tokens")
          .assertThatError()
          .isInstanceOf(AuthenticationException.class);
      assertThat(
              meters
                  .get(MaritacaObservability.OPERATION_DURATION)
                  .tag("error.type", "401")
                  .timer()
                  .count())
          .isEqualTo(1);
      assertThat(meters.find(MaritacaObservability.TOKEN_USAGE).meters()).isEmpty();
    }
  }

  @Test
  void contentIsRecordedOnlyWhenAskedFor() {
    try (MaritacaSimulator sim = MaritacaSimulator.builder().seed(4).start()) {
      ChatResult r = client(sim, observability(true)).build().invoke(CAPITAL);
      MaritacaObservationContext c = contexts().get(0);
      assertThat(high(c, "gen_ai.input.messages"))
          .isEqualTo(
              "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":"
                  + "\"Qual é a capital do Brasil?\"}]}]");
      assertThat(high(c, "gen_ai.output.messages"))
          .startsWith("[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"")
          .endsWith("\"}],\"finish_reason\":\"stop\"}]")
          .contains(r.content().substring(0, Math.min(20, r.content().length())));
    }
  }

  @Test
  void aCallMadeInsideAnObservationIsItsChild() {
    try (MaritacaSimulator sim = MaritacaSimulator.builder().seed(5).start()) {
      ChatMaritaca c = client(sim, observability(false)).build();
      Observation outer = Observation.createNotStarted("ticket.classify", observations);
      outer.observe(() -> c.invoke(CAPITAL));
      MaritacaObservationContext child =
          contexts().stream().filter(x -> NAME.equals(x.getName())).findFirst().orElseThrow();
      assertThat(child.getParentObservation()).isNotNull();
      assertThat(child.getParentObservation().getContextView().getName())
          .isEqualTo("ticket.classify");
    }
  }

  @Test
  void aBatchIsMeasuredRequestByRequestAndAsABatch() throws Exception {
    // 1,200 RPM with a 1 s burst the client does not know: 429s, retried
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder()
            .latency(Latency.fixed(Duration.ofMillis(50)))
            .rateLimit("sabia-4", RateLimit.rpm(1200))
            .burst(Duration.ofSeconds(1))
            .retryHint(RetryHint.MILLIS)
            .start()) {
      MaritacaObservability obs = observability(false);
      // read the gauges right after the observability saw each event (same thread, in order)
      List<String> mismatches = new CopyOnWriteArrayList<>();
      List<BigDecimal> costs = new CopyOnWriteArrayList<>();
      ChatListener probe =
          new ChatListener() {
            @Override
            public void onBatchItemEnd(BatchItemEnd item) {
              costs.add(item.cost().total());
              check(item.state());
            }

            @Override
            public void onBatchItemSent(BatchItemSent item) {
              check(item.state());
            }

            void check(BatchState s) {
              double queued = meters.get("maritaca.batch.items.queued").gauge().value();
              double inFlight = meters.get("maritaca.batch.items.in_flight").gauge().value();
              double budget = meters.get("maritaca.batch.budget.remaining").gauge().value();
              if (queued != s.queued()
                  || inFlight != s.inFlight()
                  || budget != s.budgetLeft().doubleValue()) {
                mismatches.add(s + " vs " + queued + "/" + inFlight + "/" + budget);
              }
            }
          };
      BatchOptions o =
          BatchOptions.builder()
              .maxConcurrency(10)
              .learnFromHeaders(false)
              .budget(new BigDecimal("5.00"))
              .build();
      BatchResult r =
          client(sim, obs, probe).build().batchAsync(numbered(60), o).get(60, TimeUnit.SECONDS);
      assertThat(r.allSucceeded()).isTrue();
      SimulatorStats s = sim.statsWithoutLog();
      assertThat(s.rateLimited()).isPositive();

      // one observation per HTTP request, the 429s among them
      TestObservationRegistryAssert.assertThat(observations)
          .hasNumberOfObservationsWithNameEqualTo(NAME, (int) s.requests());
      List<MaritacaObservationContext> all = contexts();
      assertThat(all.stream().filter(c -> "429".equals(low(c, "error.type"))))
          .hasSize((int) s.rateLimited());
      assertThat(all.stream().filter(c -> "none".equals(low(c, "error.type")))).hasSize(60);
      assertThat(all).allSatisfy(c -> assertThat(high(c, "maritaca.batch.id")).isNotNull());
      assertThat(
              meters
                  .get(MaritacaObservability.OPERATION_DURATION)
                  .tag("error.type", "429")
                  .timer()
                  .count())
          .isEqualTo(s.rateLimited());
      assertThat(tokens(meters, "input")).isEqualTo(s.promptTokens());
      assertThat(tokens(meters, "output")).isEqualTo(s.completionTokens());

      // batch meters
      assertThat(meters.get("maritaca.batch.items.completed").counter().count()).isEqualTo(60);
      assertThat(meters.get("maritaca.batch.items.failed").counter().count()).isZero();
      assertThat(meters.get("maritaca.batch.rate_limited").counter().count())
          .isEqualTo(s.rateLimited());
      assertThat(meters.get("maritaca.batch.rate_limiter.wait").timer().count())
          .isEqualTo(s.requests());
      BigDecimal spent = costs.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
      assertThat(costs).hasSize(60);
      assertThat(meters.get("maritaca.batch.spent").counter().count())
          .isCloseTo(spent.doubleValue(), org.assertj.core.api.Assertions.within(1e-9));
      assertThat(mismatches).isEmpty();
      // the batch is over: nothing queued, in flight or running
      assertThat(meters.get("maritaca.batch.items.queued").gauge().value()).isZero();
      assertThat(meters.get("maritaca.batch.items.in_flight").gauge().value()).isZero();
      assertThat(meters.get("maritaca.batch.active").gauge().value()).isZero();
      assertThat(meters.get("maritaca.batch.budget.remaining").gauge().value()).isZero();
    }
  }

  @Test
  void aRequestFilterKeepsOnlyTheRequestsItAccepts() throws Exception {
    try (MaritacaSimulator sim = MaritacaSimulator.builder().start()) {
      MaritacaObservability obs =
          MaritacaObservability.builder()
              .observationRegistry(observations)
              .meterRegistry(meters)
              .requestFilter(ChatListener.RequestStart::isBatch)
              .build();
      ChatMaritaca c = client(sim, obs).build();
      c.invoke(CAPITAL);
      c.batchAsync(numbered(3), 2).get(10, TimeUnit.SECONDS);
      assertThat(sim.statsWithoutLog().requests()).isEqualTo(4);
      List<MaritacaObservationContext> all = contexts();
      assertThat(all).hasSize(3).allSatisfy(x -> assertThat(x.start().isBatch()).isTrue());
      assertThat(meters.get(MaritacaObservability.OPERATION_DURATION).timer().count()).isEqualTo(3);
      assertThat(meters.get("maritaca.batch.items.completed").counter().count()).isEqualTo(3);
    }
  }

  @Test
  void withoutRequestMetersTheObservationsAndBatchMetersRemain() throws Exception {
    try (MaritacaSimulator sim = MaritacaSimulator.builder().start()) {
      MaritacaObservability obs =
          MaritacaObservability.builder()
              .observationRegistry(observations)
              .meterRegistry(meters)
              .requestMeters(false)
              .build();
      ChatMaritaca c = client(sim, obs).build();
      c.invoke(CAPITAL);
      c.batchAsync(numbered(3), 2).get(10, TimeUnit.SECONDS);
      assertThat(contexts()).hasSize(4);
      assertThat(meters.find(MaritacaObservability.OPERATION_DURATION).meters()).isEmpty();
      assertThat(meters.find(MaritacaObservability.TOKEN_USAGE).meters()).isEmpty();
      assertThat(meters.get("maritaca.batch.items.completed").counter().count()).isEqualTo(3);
      assertThat(obs.toString()).contains("requestMeters=false");
    }
  }

  @Test
  void withoutRegistriesItRecordsNothingAndBreaksNothing() {
    try (MaritacaSimulator sim = MaritacaSimulator.builder().start()) {
      MaritacaObservability obs = MaritacaObservability.builder().build();
      assertThat(client(sim, obs).build().invoke(CAPITAL).content()).isNotBlank();
      assertThat(obs.includeContent()).isFalse();
      assertThat(obs.toString()).contains("observations=none", "meters=none");
    }
  }

  private static List<List<Message>> numbered(int n) {
    List<List<Message>> l = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      l.add(List.of(Message.user("Escreva uma frase sobre o número " + i + ".")));
    }
    return l;
  }
}
