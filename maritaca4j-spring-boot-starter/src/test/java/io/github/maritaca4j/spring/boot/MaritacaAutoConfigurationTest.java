package io.github.maritaca4j.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.maritaca4j.ChatListener;
import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.Message;
import io.github.maritaca4j.ServiceTier;
import io.github.maritaca4j.batch.SharedLimits;
import io.github.maritaca4j.micrometer.MaritacaObservability;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import io.github.maritaca4j.springai.MaritacaChatModel;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.model.tool.autoconfigure.ToolCallingAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.annotation.Order;

/** Conditions, properties, customizers and metadata of the auto-configuration. */
class MaritacaAutoConfigurationTest {
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  ToolCallingAutoConfiguration.class, MaritacaAutoConfiguration.class))
          .withPropertyValues(
              "spring.ai.maritaca.api-key=k", "spring.ai.maritaca.base-url=http://127.0.0.1:9/api");

  @Test
  void makesTheClientAndTheModelFromTheProperties() {
    runner
        .withPropertyValues(
            "spring.ai.maritaca.chat.options.model=sabiazinho-4",
            "spring.ai.maritaca.chat.options.temperature=0.2",
            "spring.ai.maritaca.chat.options.max-tokens=300",
            "spring.ai.maritaca.chat.options.stop=FIM,END",
            "spring.ai.maritaca.chat.options.service-tier=flex",
            "spring.ai.maritaca.rate-limits.tier=2",
            "spring.ai.maritaca.rate-limits.rpm=100",
            "spring.ai.maritaca.budget=1.50",
            "spring.ai.maritaca.batch.max-concurrency=9")
        .run(
            context -> {
              assertThat(context).hasSingleBean(ChatMaritaca.class);
              assertThat(context).hasSingleBean(MaritacaChatModel.class);
              ChatMaritaca client = context.getBean(ChatMaritaca.class);
              assertThat(client.baseUrl()).isEqualTo("http://127.0.0.1:9/api");
              assertThat(client.defaults().model()).isEqualTo("sabiazinho-4");
              assertThat(client.defaults().temperature()).isEqualTo(0.2);
              assertThat(client.defaults().maxTokens()).isEqualTo(300);
              assertThat(client.defaults().stop()).containsExactly("FIM", "END");
              assertThat(client.defaults().serviceTier()).isEqualTo(ServiceTier.FLEX);
              MaritacaChatModel model = context.getBean(MaritacaChatModel.class);
              assertThat(model.getOptions().getModel()).isEqualTo("sabiazinho-4");
              assertThat(model.getOptions().getServiceTier()).isEqualTo(ServiceTier.FLEX);
              assertThat(model.batchOptions().budget())
                  .isEqualByComparingTo(new BigDecimal("1.50"));
              assertThat(model.batchOptions().maxConcurrency()).isEqualTo(9);
            });
  }

  @Test
  void backsOffWhenAnotherChatModelIsSelected() {
    runner
        .withPropertyValues("spring.ai.model.chat=openai")
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(MaritacaChatModel.class);
              assertThat(context).doesNotHaveBean(ChatMaritaca.class);
            });
  }

  @Test
  void isSelectedByName() {
    runner
        .withPropertyValues("spring.ai.model.chat=maritaca")
        .run(context -> assertThat(context).hasSingleBean(ChatModel.class));
  }

  @Test
  void keepsTheApplicationsOwnBeans() {
    ChatMaritaca own = ChatMaritaca.builder().apiKey("own").model("sabia-4-thinking").build();
    runner
        .withBean(ChatMaritaca.class, () -> own)
        .run(
            context -> {
              assertThat(context.getBean(ChatMaritaca.class)).isSameAs(own);
              assertThat(context.getBean(MaritacaChatModel.class).client()).isSameAs(own);
            });
  }

  @Order(2)
  static final class Second implements ChatMaritacaBuilderCustomizer {
    @Override
    public void customize(ChatMaritaca.Builder builder) {
      builder.model("sabia-4");
    }
  }

  @Order(1)
  static final class First implements ChatMaritacaBuilderCustomizer {
    @Override
    public void customize(ChatMaritaca.Builder builder) {
      builder.model("sabiazinho-4").maxTokens(42);
    }
  }

  @Test
  void appliesTheCustomizersInOrderAfterTheProperties() {
    runner
        .withPropertyValues("spring.ai.maritaca.chat.options.model=sabia-4-thinking")
        .withBean(Second.class)
        .withBean(First.class)
        .run(
            context -> {
              ChatMaritaca client = context.getBean(ChatMaritaca.class);
              assertThat(client.model()).isEqualTo("sabia-4");
              assertThat(client.defaults().maxTokens()).isEqualTo(42);
            });
  }

  @Test
  void takesTheKeyFromMaritacaApiKeyWhenThePropertyIsNotSet() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(MaritacaAutoConfiguration.class))
        .withPropertyValues("MARITACA_API_KEY=from-the-environment")
        .run(context -> assertThat(context).hasSingleBean(ChatMaritaca.class));
  }

  @Test
  void failsWithoutAKey() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(MaritacaAutoConfiguration.class))
        .withPropertyValues("MARITACA_API_KEY=")
        .run(
            context ->
                assertThat(context)
                    .hasFailed()
                    .getFailure()
                    .rootCause()
                    .isInstanceOf(MissingMaritacaApiKeyException.class)
                    .hasMessageContaining("spring.ai.maritaca.api-key"));
  }

  @Test
  void sharedLimitsWithoutAProviderFailNamingTheUrlWithoutItsPassword() {
    runner
        .withPropertyValues("spring.ai.maritaca.shared-limits=redis://:secret@127.0.0.1:1")
        .run(
            context ->
                assertThat(context)
                    .hasFailed()
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("redis://***@127.0.0.1:1")
                    .hasMessageContaining("maritaca4j-redis")
                    .hasMessageNotContaining("secret"));
  }

  @Test
  void sharedLimitsFromAProviderOnTheClassPathPaceTheClientAndAreClosedWithTheContext() {
    try (MaritacaSimulator sim = MaritacaSimulator.builder().start()) {
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(MaritacaAutoConfiguration.class))
          .withPropertyValues(
              "spring.ai.maritaca.api-key=shared-limits-test-key",
              "spring.ai.maritaca.base-url=" + sim.baseUrl(),
              "spring.ai.maritaca.rate-limits.rpm=600",
              "spring.ai.maritaca.shared-limits=memory://test")
          .run(
              context -> {
                assertThat(context).hasSingleBean(SharedLimits.class);
                MemorySharedLimitsProvider.Store store = MemorySharedLimitsProvider.last;
                assertThat(context.getBean(SharedLimits.class)).isSameAs(store);
                context
                    .getBean(ChatMaritaca.class)
                    .invoke(List.of(Message.user("Qual é a capital do Brasil?")));
                assertThat(store.delegate.calls()).isPositive();
                assertThat(store.closes).hasValue(0);
              });
      assertThat(MemorySharedLimitsProvider.last.closes).hasValue(1);
    }
  }

  @Test
  void anInvalidTierFailsNamingTheValue() {
    runner
        .withPropertyValues("spring.ai.maritaca.rate-limits.tier=9")
        .run(
            context ->
                assertThat(context)
                    .hasFailed()
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("tier")
                    .hasMessageContaining("9"));
  }

  @Test
  void describesEveryPropertyForIdes() throws Exception {
    JsonNode metadata;
    try (InputStream in =
        getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      metadata = new ObjectMapper().readTree(in);
    }
    Set<String> names = new HashSet<>();
    for (JsonNode p : metadata.get("properties")) {
      names.add(p.get("name").asText());
      if (p.get("name").asText().equals("spring.ai.maritaca.api-key")) {
        assertThat(p.get("description").asText()).contains("MARITACA_API_KEY");
      }
    }
    assertThat(names)
        .contains(
            "spring.ai.maritaca.api-key",
            "spring.ai.maritaca.base-url",
            "spring.ai.maritaca.chat.options.model",
            "spring.ai.maritaca.chat.options.temperature",
            "spring.ai.maritaca.chat.options.max-tokens",
            "spring.ai.maritaca.chat.options.top-p",
            "spring.ai.maritaca.chat.options.stop",
            "spring.ai.maritaca.chat.options.service-tier",
            "spring.ai.maritaca.rate-limits.tier",
            "spring.ai.maritaca.rate-limits.rpm",
            "spring.ai.maritaca.rate-limits.tpm-in",
            "spring.ai.maritaca.rate-limits.tpm-out",
            "spring.ai.maritaca.shared-limits",
            "spring.ai.maritaca.budget",
            "spring.ai.maritaca.observations.enabled",
            "spring.ai.maritaca.observations.include-content");
  }

  /** Records the requests it is told of. */
  static final class Recorder implements ChatListener {
    final List<RequestEnd> ends = new CopyOnWriteArrayList<>();

    @Override
    public void onRequestEnd(RequestEnd request) {
      ends.add(request);
    }
  }

  @Test
  void addsEveryChatListenerBeanToTheClient() {
    try (MaritacaSimulator sim = MaritacaSimulator.builder().start()) {
      Recorder recorder = new Recorder();
      runner
          .withPropertyValues("spring.ai.maritaca.base-url=" + sim.baseUrl())
          .withBean("recorder", ChatListener.class, () -> recorder)
          .run(
              context -> {
                ChatMaritaca client = context.getBean(ChatMaritaca.class);
                client.invoke(List.of(Message.user("Qual é a capital do Brasil?")));
                client.batchAsync(List.of(List.of(Message.user("Olá!"))), 1).join();
                assertThat(recorder.ends).hasSize(2);
                assertThat(recorder.ends.get(1).start().isBatch()).isTrue();
                assertThat(context.getBeansOfType(ChatListener.class))
                    .hasSize(2)
                    .containsValue(recorder)
                    .containsValue(context.getBean(MaritacaObservability.class));
              });
    }
  }

  @Test
  void observesBatchesUnlessTurnedOff() {
    runner.run(
        context -> {
          MaritacaObservability obs = context.getBean(MaritacaObservability.class);
          assertThat(obs.includeContent()).isFalse();
          assertThat(obs.toString()).contains("requestMeters=false");
          assertThat(context).hasSingleBean(MaritacaTokenUsageObservationHandler.class);
        });
    runner
        .withPropertyValues("spring.ai.maritaca.observations.include-content=true")
        .run(
            context ->
                assertThat(context.getBean(MaritacaObservability.class).includeContent()).isTrue());
    runner
        .withPropertyValues("spring.ai.maritaca.observations.enabled=false")
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(MaritacaObservability.class);
              assertThat(context).doesNotHaveBean(MaritacaTokenUsageObservationHandler.class);
              assertThat(context).hasSingleBean(ChatMaritaca.class);
            });
  }

  @Test
  void keepsTheApplicationsOwnObservability() {
    MaritacaObservability own = MaritacaObservability.builder().build();
    runner
        .withBean(MaritacaObservability.class, () -> own)
        .run(context -> assertThat(context.getBean(MaritacaObservability.class)).isSameAs(own));
  }
}
