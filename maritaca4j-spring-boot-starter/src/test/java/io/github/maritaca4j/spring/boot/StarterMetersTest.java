package io.github.maritaca4j.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.Message;
import io.github.maritaca4j.batch.BatchOptions;
import io.github.maritaca4j.batch.BatchResult;
import io.github.maritaca4j.micrometer.MaritacaObservability;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import io.github.maritaca4j.simulator.SimulatorStats;
import io.github.maritaca4j.springai.MaritacaBatchResult;
import io.github.maritaca4j.springai.MaritacaChatModel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.observation.ChatModelObservationDocumentation.LowCardinalityKeyNames;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * With Boot's Micrometer auto-configuration on the class path (as Actuator brings it), the
 * starter's model is observed in the context's registry and Spring AI's chat meters appear in the
 * context's {@link MeterRegistry}, tagged with provider "maritaca"; a batch run through the {@link
 * ChatMaritaca} bean shows there as well: the batch meters, and its requests in the same timer and
 * token counter as {@code ChatClient} calls, once each.
 */
@SpringBootTest(classes = StarterMetersTest.App.class)
class StarterMetersTest {
  static final MaritacaSimulator SIM = MaritacaSimulator.builder().seed(9).start();

  @DynamicPropertySource
  static void maritaca(DynamicPropertyRegistry registry) {
    registry.add("spring.ai.maritaca.base-url", SIM::baseUrl);
    registry.add("spring.ai.maritaca.api-key", () -> "test-key");
  }

  @AfterAll
  static void stop() {
    SIM.close();
  }

  @SpringBootApplication
  static class App {}

  private static final String PROVIDER = LowCardinalityKeyNames.AI_PROVIDER.asString();
  private static final String TOKENS = "gen_ai.client.token.usage";

  @Autowired ChatClient.Builder chat;
  @Autowired ChatMaritaca chatMaritaca;
  @Autowired MaritacaChatModel chatModel;
  @Autowired MeterRegistry meters;

  @BeforeEach
  void reset() {
    SIM.reset();
  }

  private double operations() {
    return meters.find("gen_ai.client.operation").tag(PROVIDER, "maritaca").timers().stream()
        .mapToLong(Timer::count)
        .sum();
  }

  private double tokens(String type) {
    return meters
        .find(TOKENS)
        .tag(PROVIDER, "maritaca")
        .tag("gen_ai.token.type", type)
        .counters()
        .stream()
        .mapToDouble(Counter::count)
        .sum();
  }

  private double counter(String name) {
    return meters.get(name).counter().count();
  }

  @Test
  void aChatClientCallShowsInTheMeterRegistry() {
    double operationsBefore = operations();
    double inputBefore = tokens("input");
    double batchItemsBefore = counter("maritaca.batch.items.completed");

    chat.build().prompt().user("Qual é a capital da França?").call().content();
    long promptTokens = SIM.stats().promptTokens();

    Timer operation = meters.get("gen_ai.client.operation").tag(PROVIDER, "maritaca").timer();
    assertThat(operation.count()).isGreaterThanOrEqualTo(1);
    assertThat(operations() - operationsBefore).isEqualTo(1);
    assertThat((long) (tokens("input") - inputBefore)).isEqualTo(promptTokens);
    // a single call is Spring AI's to observe: neither a batch item nor a second observation
    assertThat(counter("maritaca.batch.items.completed")).isEqualTo(batchItemsBefore);
  }

  @Test
  void aBatchThroughTheClientBeanShowsInTheMeterRegistry() {
    double operationsBefore = operations();
    double inputBefore = tokens("input");
    double outputBefore = tokens("output");
    double totalBefore = tokens("total");
    double completedBefore = counter("maritaca.batch.items.completed");
    double spentBefore = counter("maritaca.batch.spent");
    long waitsBefore = meters.get("maritaca.batch.rate_limiter.wait").timer().count();
    List<List<Message>> inputs = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      inputs.add(List.of(Message.user("Qual é a capital da Argentina? (" + i + ")")));
    }

    BatchResult result =
        chatMaritaca.batchAsync(inputs, BatchOptions.builder().maxConcurrency(4).build()).join();

    SimulatorStats stats = SIM.stats();
    assertThat(result.successCount()).isEqualTo(100);
    assertThat(stats.requests()).isEqualTo(100);
    assertThat(counter("maritaca.batch.items.completed") - completedBefore).isEqualTo(100);
    assertThat(counter("maritaca.batch.items.failed")).isZero();
    assertThat(counter("maritaca.batch.rate_limited")).isZero();
    assertThat(counter("maritaca.batch.spent") - spentBefore)
        .isCloseTo(result.cost().total().doubleValue(), org.assertj.core.data.Offset.offset(1e-9));
    assertThat(meters.get("maritaca.batch.rate_limiter.wait").timer().count() - waitsBefore)
        .isEqualTo(100);
    assertThat(meters.get("maritaca.batch.items.queued").gauge().value()).isZero();
    assertThat(meters.get("maritaca.batch.items.in_flight").gauge().value()).isZero();
    assertThat(meters.get("maritaca.batch.active").gauge().value()).isZero();
    // every batch request once in the chat timer and token counter, tagged as Spring AI tags
    assertThat(operations() - operationsBefore).isEqualTo(stats.requests());
    assertThat((long) (tokens("input") - inputBefore)).isEqualTo(stats.promptTokens());
    assertThat((long) (tokens("output") - outputBefore)).isEqualTo(stats.completionTokens());
    assertThat((long) (tokens("total") - totalBefore))
        .isEqualTo(stats.promptTokens() + stats.completionTokens());
    assertThat(
            meters
                .get("gen_ai.client.operation")
                .tag(PROVIDER, "maritaca")
                .tag(LowCardinalityKeyNames.AI_OPERATION_TYPE.asString(), "chat")
                .tag(LowCardinalityKeyNames.REQUEST_MODEL.asString(), chatMaritaca.model())
                .tag(LowCardinalityKeyNames.RESPONSE_MODEL.asString(), chatMaritaca.model())
                .tag("error", "none")
                .timer()
                .count())
        .isGreaterThanOrEqualTo(100);
    assertConsistentMeters();
  }

  @Test
  void aBatchThroughTheModelBeanShowsInTheMeterRegistry() {
    double operationsBefore = operations();
    double completedBefore = counter("maritaca.batch.items.completed");
    List<Prompt> prompts = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      prompts.add(new Prompt("Qual é a capital do Chile?"));
    }

    MaritacaBatchResult result = chatModel.batch(prompts).join();

    assertThat(result.failureCount()).isZero();
    assertThat(counter("maritaca.batch.items.completed") - completedBefore).isEqualTo(30);
    assertThat(operations() - operationsBefore).isEqualTo(SIM.stats().requests()).isEqualTo(30);
    assertConsistentMeters();
  }

  @Test
  void theStartersListenerRecordsNoRequestMetersOfItsOwn() {
    assertThat(meters.find(MaritacaObservability.OPERATION_DURATION).meters()).isEmpty();
    chatMaritaca.batchAsync(List.of(List.of(Message.user("Olá!"))), 1).join();
    assertThat(meters.find(MaritacaObservability.OPERATION_DURATION).meters()).isEmpty();
    assertThat(meters.find(TOKENS).meters())
        .allSatisfy(m -> assertThat(m).isInstanceOf(Counter.class));
    assertConsistentMeters();
  }

  /** One meter type and one set of tag keys per name, as Prometheus requires. */
  private void assertConsistentMeters() {
    Map<String, Meter.Type> types = new HashMap<>();
    Map<String, Set<String>> keys = new HashMap<>();
    for (Meter m : meters.getMeters()) {
      String name = m.getId().getName();
      Set<String> k = new TreeSet<>();
      for (Tag t : m.getId().getTags()) {
        k.add(t.getKey());
      }
      Meter.Type before = types.putIfAbsent(name, m.getId().getType());
      assertThat(before == null ? m.getId().getType() : before)
          .as("type of %s", name)
          .isEqualTo(m.getId().getType());
      Set<String> keysBefore = keys.putIfAbsent(name, k);
      assertThat(keysBefore == null ? k : keysBefore).as("tag keys of %s", name).isEqualTo(k);
    }
    assertThat(types).containsKeys("gen_ai.client.operation", TOKENS);
  }
}
