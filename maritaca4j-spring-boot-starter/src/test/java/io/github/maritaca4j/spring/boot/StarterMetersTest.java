package io.github.maritaca4j.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.maritaca4j.simulator.MaritacaSimulator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.observation.ChatModelObservationDocumentation.LowCardinalityKeyNames;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * With Boot's Micrometer auto-configuration on the class path (as Actuator brings it), the
 * starter's model is observed in the context's registry and Spring AI's chat meters appear in the
 * context's {@link MeterRegistry}, tagged with provider "maritaca".
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

  @Autowired ChatClient.Builder chat;
  @Autowired MeterRegistry meters;

  @Test
  void aChatClientCallShowsInTheMeterRegistry() {
    chat.build().prompt().user("Qual é a capital da França?").call().content();
    long promptTokens = SIM.stats().promptTokens();

    Timer operation = meters.get("gen_ai.client.operation").tag(PROVIDER, "maritaca").timer();
    assertThat(operation.count()).isEqualTo(1);
    Counter input =
        meters
            .get("gen_ai.client.token.usage")
            .tag(PROVIDER, "maritaca")
            .tag("gen_ai.token.type", "input")
            .counter();
    assertThat((long) input.count()).isEqualTo(promptTokens);
  }
}
