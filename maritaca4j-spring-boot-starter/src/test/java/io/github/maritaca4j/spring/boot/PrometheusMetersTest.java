package io.github.maritaca4j.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.Message;
import io.github.maritaca4j.batch.BatchOptions;
import io.github.maritaca4j.batch.BatchResult;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import io.github.maritaca4j.simulator.SimulatorStats;
import io.github.maritaca4j.springai.MaritacaChatModel;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * In a Prometheus registry, which refuses a meter whose name is taken by a meter of another type or
 * with other tag keys: {@code ChatClient} calls (observed by Spring AI) and batches (observed by
 * the starter's listener) register no clashing meter, and the scrape shows both.
 */
@SpringBootTest(classes = {PrometheusMetersTest.App.class, PrometheusMetersTest.Prometheus.class})
class PrometheusMetersTest {
  static final MaritacaSimulator SIM = MaritacaSimulator.builder().seed(11).start();
  static final List<String> FAILURES = new CopyOnWriteArrayList<>();

  @DynamicPropertySource
  static void maritaca(DynamicPropertyRegistry registry) {
    registry.add("spring.ai.maritaca.base-url", SIM::baseUrl);
    registry.add("spring.ai.maritaca.api-key", () -> "test-key");
    registry.add("spring.ai.maritaca.chat.options.model", () -> "sabiazinho-4");
  }

  @AfterAll
  static void stop() {
    SIM.close();
  }

  @SpringBootApplication
  static class App {}

  @TestConfiguration
  static class Prometheus {
    @Bean
    PrometheusMeterRegistry prometheusMeterRegistry() {
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      registry.config().onMeterRegistrationFailed((id, reason) -> FAILURES.add(reason));
      return registry;
    }
  }

  @Autowired ChatClient.Builder chat;
  @Autowired ChatMaritaca chatMaritaca;
  @Autowired MaritacaChatModel chatModel;
  @Autowired PrometheusMeterRegistry prometheus;

  @Test
  void callsAndBatchesRegisterNoClashingMeter() {
    // every path, in the order that would expose a clash at the second registration
    chatMaritaca.batchAsync(List.of(List.of(Message.user("Olá!"))), 1).join();
    chat.build().prompt().user("Qual é a capital da França?").call().content();
    chat.build().prompt().user("Qual é a capital da Itália?").stream()
        .content()
        .collect(Collectors.joining())
        .block();
    chatModel.batch(List.of(new Prompt("Qual é a capital do Chile?"))).join();
    SIM.reset();
    double inputBefore = tokens("input");
    long operationsBefore = operations();
    List<List<Message>> inputs = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      inputs.add(List.of(Message.user("Qual é a capital da Argentina? (" + i + ")")));
    }

    BatchResult result =
        chatMaritaca.batchAsync(inputs, BatchOptions.builder().maxConcurrency(8).build()).join();

    SimulatorStats stats = SIM.stats();
    assertThat(result.successCount()).isEqualTo(100);
    assertThat(FAILURES).isEmpty();
    assertThat(prometheus.get("maritaca.batch.items.completed").counter().count()).isEqualTo(102);
    String scrape = prometheus.scrape();
    assertThat(scrape)
        .contains("maritaca_batch_items_completed_total 102.0")
        .contains("maritaca_batch_items_failed_total 0.0")
        .contains("gen_ai_client_token_usage_total{")
        .contains("gen_ai_client_operation_seconds_count{")
        .doesNotContain("gen_ai_client_operation_duration")
        .doesNotContain("error_type=");
    // the 100 requests once each in Spring AI's chat timer and token counter
    assertThat(operations() - operationsBefore).isEqualTo(stats.requests()).isEqualTo(100);
    assertThat((long) (tokens("input") - inputBefore)).isEqualTo(stats.promptTokens());
  }

  private double tokens(String type) {
    return prometheus
        .find("gen_ai.client.token.usage")
        .tag("gen_ai.token.type", type)
        .counters()
        .stream()
        .mapToDouble(c -> c.count())
        .sum();
  }

  private long operations() {
    return prometheus.find("gen_ai.client.operation").timers().stream()
        .mapToLong(t -> t.count())
        .sum();
  }
}
