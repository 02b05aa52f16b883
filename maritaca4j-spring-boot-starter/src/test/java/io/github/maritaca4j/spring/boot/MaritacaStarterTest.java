package io.github.maritaca4j.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.Message;
import io.github.maritaca4j.batch.BatchOptions;
import io.github.maritaca4j.batch.BatchResult;
import io.github.maritaca4j.micrometer.MaritacaObservationContext;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import io.github.maritaca4j.simulator.SimulatorStats.RequestRecord;
import io.github.maritaca4j.springai.MaritacaBatchResult;
import io.github.maritaca4j.springai.MaritacaChatModel;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.observation.ChatModelObservationDocumentation.LowCardinalityKeyNames;
import org.springframework.ai.chat.observation.DefaultChatModelObservationConvention;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The starter alone, pointed at a simulator started by the test: ChatClient calls (plain,
 * streaming, tools, entity), a batch of 100 prompts, observations in the context's registry.
 */
@SpringBootTest(classes = {MaritacaStarterTest.App.class, MaritacaStarterTest.Observed.class})
class MaritacaStarterTest {
  static final MaritacaSimulator SIM = MaritacaSimulator.builder().seed(5).start();

  @DynamicPropertySource
  static void maritaca(DynamicPropertyRegistry registry) {
    registry.add("spring.ai.maritaca.base-url", SIM::baseUrl);
    registry.add("spring.ai.maritaca.api-key", () -> "test-key");
    registry.add("spring.ai.maritaca.chat.options.model", () -> "sabiazinho-4");
    registry.add("spring.ai.maritaca.batch.max-concurrency", () -> "6");
  }

  @AfterAll
  static void stop() {
    SIM.close();
  }

  @SpringBootApplication
  static class App {}

  @TestConfiguration
  static class Observed {
    @Bean
    TestObservationRegistry observationRegistry() {
      return TestObservationRegistry.create();
    }
  }

  @Autowired ChatClient.Builder chatClientBuilder;
  @Autowired ChatModel chatModel;
  @Autowired MaritacaChatModel maritacaChatModel;
  @Autowired ChatMaritaca chatMaritaca;
  @Autowired ObservationRegistry observationRegistry;

  @BeforeEach
  void reset() {
    SIM.reset();
    ((TestObservationRegistry) observationRegistry).clear();
  }

  @Test
  void theBeansAreMaritacasAndTakeTheProperties() {
    assertThat(chatModel).isSameAs(maritacaChatModel);
    assertThat(maritacaChatModel.client()).isSameAs(chatMaritaca);
    assertThat(chatMaritaca.baseUrl()).isEqualTo(SIM.baseUrl());
    assertThat(chatMaritaca.model()).isEqualTo("sabiazinho-4");
    assertThat(maritacaChatModel.batchOptions().maxConcurrency()).isEqualTo(6);
  }

  @Test
  void servesAPlainChatClientCall() {
    String answer =
        chatClientBuilder.build().prompt().user("Qual é a capital do Uruguai?").call().content();

    assertThat(answer).isEqualTo("A capital do Uruguai é Montevidéu.");
    RequestRecord sent = SIM.stats().log().get(0);
    assertThat(sent.model()).isEqualTo("sabiazinho-4");
    TestObservationRegistryAssert.assertThat((TestObservationRegistry) observationRegistry)
        .hasObservationWithNameEqualTo(DefaultChatModelObservationConvention.DEFAULT_NAME)
        .that()
        .hasLowCardinalityKeyValue(LowCardinalityKeyNames.AI_PROVIDER.asString(), "maritaca")
        .hasLowCardinalityKeyValue(LowCardinalityKeyNames.REQUEST_MODEL.asString(), "sabiazinho-4")
        .hasBeenStopped();
    // observed once, by Spring AI: the starter's listener leaves single calls alone
    assertThat(maritacaContexts()).isEmpty();
    TestObservationRegistryAssert.assertThat((TestObservationRegistry) observationRegistry)
        .hasNumberOfObservationsWithNameEqualTo(
            DefaultChatModelObservationConvention.DEFAULT_NAME, 1);
  }

  /** The observations of maritaca4j requests (batch requests) handled by the registry. */
  private List<MaritacaObservationContext> maritacaContexts() {
    List<MaritacaObservationContext> out = new ArrayList<>();
    TestObservationRegistryAssert.assertThat((TestObservationRegistry) observationRegistry)
        .hasHandledContextsThatSatisfy(
            all ->
                all.stream()
                    .filter(MaritacaObservationContext.class::isInstance)
                    .map(MaritacaObservationContext.class::cast)
                    .forEach(out::add));
    return out;
  }

  @Test
  void servesAStreamingChatClientCall() {
    String answer =
        chatClientBuilder.build().prompt().user("Qual é a capital da Bolívia?").stream()
            .content()
            .collect(Collectors.joining())
            .block();

    assertThat(answer).isEqualTo("A capital da Bolívia é Sucre (sede do governo: La Paz).");
  }

  static final class Clock {
    int calls;

    @Tool(description = "The current time in a timezone")
    String currentTime(String timezone) {
      calls++;
      return "10:30 em " + timezone;
    }
  }

  @Test
  void servesAChatClientCallWithTools() {
    Clock clock = new Clock();

    String answer =
        chatClientBuilder
            .build()
            .prompt()
            .user("Qual é o time atual no timezone de Brasília?")
            .tools(clock)
            .call()
            .content();

    assertThat(clock.calls).isEqualTo(1);
    assertThat(answer).startsWith("De acordo com o resultado da ferramenta:").contains("10:30");
    assertThat(SIM.stats().requests()).isEqualTo(2);
  }

  record Country(String country, String capital, int population) {}

  @Test
  void servesAChatClientEntity() {
    Country country =
        chatClientBuilder
            .build()
            .prompt()
            .user("Qual é a capital do Brasil?")
            .call()
            .entity(Country.class, spec -> spec.useProviderStructuredOutput());

    assertThat(country.country()).isEqualTo("Brasil");
    assertThat(country.capital()).isNotBlank();
    assertThat(country.population()).isEqualTo(1);
  }

  @Test
  void runsABatchOfAHundredPromptsThroughTheModelBean() {
    List<Prompt> prompts = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      prompts.add(new Prompt("Qual é a capital do " + (i % 2 == 0 ? "Chile" : "Peru") + "?"));
    }

    MaritacaBatchResult result = maritacaChatModel.batch(prompts).join();

    assertThat(result.size()).isEqualTo(100);
    assertThat(result.failureCount()).isZero();
    for (int i = 0; i < 100; i++) {
      assertThat(result.get(i).response().getResult().getOutput().getText())
          .isEqualTo(i % 2 == 0 ? "A capital do Chile é Santiago." : "A capital do Peru é Lima.");
    }
    assertThat(SIM.stats().requests()).isEqualTo(100);
    assertThat(SIM.stats().maxInFlight()).isLessThanOrEqualTo(6);
    assertThat(result.cost().total()).isPositive();
  }

  @Test
  void runsABatchThroughTheClientBean() {
    List<List<Message>> inputs = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      inputs.add(List.of(Message.user("Qual é a capital da Argentina?")));
    }

    BatchResult result =
        chatMaritaca.batchAsync(inputs, BatchOptions.builder().maxConcurrency(4).build()).join();

    assertThat(result.successCount()).isEqualTo(100);
    assertThat(result.results().get(99).content())
        .isEqualTo("A capital da Argentina é Buenos Aires.");
    assertThat(SIM.stats().maxInFlight()).isLessThanOrEqualTo(4);
    // one observation per request, named and keyed as Spring AI's chat model observations
    List<MaritacaObservationContext> observed = maritacaContexts();
    assertThat(observed).hasSize((int) SIM.stats().requests()).hasSize(100);
    assertThat(observed.stream().map(c -> c.start().itemIndex()).distinct()).hasSize(100);
    for (MaritacaObservationContext c : observed) {
      assertThat(c.getName()).isEqualTo(DefaultChatModelObservationConvention.DEFAULT_NAME);
      assertThat(c.getContextualName()).isEqualTo("chat sabiazinho-4");
      assertThat(
              c.getLowCardinalityKeyValue(LowCardinalityKeyNames.AI_PROVIDER.asString()).getValue())
          .isEqualTo("maritaca");
      assertThat(c.getLowCardinalityKeyValues().stream().map(kv -> kv.getKey()).toList())
          .containsExactlyInAnyOrder(
              LowCardinalityKeyNames.AI_OPERATION_TYPE.asString(),
              LowCardinalityKeyNames.AI_PROVIDER.asString(),
              LowCardinalityKeyNames.REQUEST_MODEL.asString(),
              LowCardinalityKeyNames.RESPONSE_MODEL.asString());
      assertThat(c.getHighCardinalityKeyValue("maritaca.batch.id")).isNotNull();
      assertThat(c.getHighCardinalityKeyValue("gen_ai.input.messages")).isNull(); // content off
      assertThat(c.end().isSuccess()).isTrue();
    }
  }
}
