package io.github.maritaca4j.springai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.simulator.Faults;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.observation.ChatModelObservationDocumentation.LowCardinalityKeyNames;
import org.springframework.ai.chat.observation.DefaultChatModelObservationConvention;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.retry.TransientAiException;

/** Each call and stream is one Spring AI chat-model observation with provider "maritaca". */
class ObservationTest {

  private static MaritacaChatModel model(MaritacaSimulator sim, TestObservationRegistry registry) {
    return MaritacaChatModel.builder()
        .client(ChatMaritaca.builder().baseUrl(sim.baseUrl()).apiKey("k").maxRetries(0).build())
        .observationRegistry(registry)
        .build();
  }

  @Test
  void aCallIsObservedWithProviderModelAndTokens() {
    TestObservationRegistry registry = TestObservationRegistry.create();
    try (MaritacaSimulator sim = MaritacaSimulator.builder().start()) {
      model(sim, registry)
          .call(new Prompt("Oi", MaritacaChatOptions.builder().model("sabiazinho-4").build()));
    }

    TestObservationRegistryAssert.assertThat(registry)
        .hasNumberOfObservationsEqualTo(1)
        .hasObservationWithNameEqualTo(DefaultChatModelObservationConvention.DEFAULT_NAME)
        .that()
        .hasLowCardinalityKeyValue(LowCardinalityKeyNames.AI_PROVIDER.asString(), "maritaca")
        .hasLowCardinalityKeyValue(LowCardinalityKeyNames.REQUEST_MODEL.asString(), "sabiazinho-4")
        .hasLowCardinalityKeyValue(LowCardinalityKeyNames.RESPONSE_MODEL.asString(), "sabiazinho-4")
        .hasBeenStarted()
        .hasBeenStopped();
  }

  @Test
  void aStreamIsOneObservation() {
    TestObservationRegistry registry = TestObservationRegistry.create();
    try (MaritacaSimulator sim = MaritacaSimulator.builder().start()) {
      model(sim, registry).stream(new Prompt("Conte uma história.")).collectList().block();
    }

    TestObservationRegistryAssert.assertThat(registry)
        .hasNumberOfObservationsEqualTo(1)
        .hasObservationWithNameEqualTo(DefaultChatModelObservationConvention.DEFAULT_NAME)
        .that()
        .hasLowCardinalityKeyValue(LowCardinalityKeyNames.AI_PROVIDER.asString(), "maritaca")
        .hasBeenStopped();
  }

  @Test
  void aFailedCallIsObservedWithItsError() {
    TestObservationRegistry registry = TestObservationRegistry.create();
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder()
            .faults(Faults.builder().serverErrorRate(1.0, 500).build())
            .start()) {
      Throwable t = catchThrowable(() -> model(sim, registry).call(new Prompt("Oi")));
      assertThat(t).isInstanceOf(TransientAiException.class);
    }

    TestObservationRegistryAssert.assertThat(registry)
        .hasObservationWithNameEqualTo(DefaultChatModelObservationConvention.DEFAULT_NAME)
        .that()
        .hasError();
  }
}
