package io.github.maritaca4j.examples.tickets;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.maritaca4j.simulator.MaritacaSimulator;
import io.github.maritaca4j.spring.boot.MaritacaAutoConfiguration;
import io.github.maritaca4j.spring.boot.MissingMaritacaApiKeyException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The simulator starts only when nothing points the application at Maritaca. */
class EmbeddedSimulatorConditionTest {
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withUserConfiguration(EmbeddedSimulatorConfiguration.class)
          .withConfiguration(AutoConfigurations.of(MaritacaAutoConfiguration.class))
          // whatever the machine's environment holds
          .withPropertyValues("MARITACA_API_KEY=");

  @Test
  void startsWhenNoKeyNorBaseUrlIsSet() {
    runner.run(context -> assertThat(context).hasSingleBean(MaritacaSimulator.class));
  }

  @Test
  void staysOffWhenAKeyIsSet() {
    runner
        .withPropertyValues("spring.ai.maritaca.api-key=real-key")
        .run(context -> assertThat(context).doesNotHaveBean(MaritacaSimulator.class));
  }

  @Test
  void staysOffWhenTheEnvironmentsKeyIsSet() {
    runner
        .withPropertyValues("MARITACA_API_KEY=real-key")
        .run(context -> assertThat(context).doesNotHaveBean(MaritacaSimulator.class));
  }

  @Test
  void staysOffWhenABaseUrlIsSetAndTheStarterAsksForTheKey() {
    runner
        .withPropertyValues("spring.ai.maritaca.base-url=http://127.0.0.1:8080/api")
        .run(
            context ->
                assertThat(context)
                    .hasFailed()
                    .getFailure()
                    .rootCause()
                    .isInstanceOf(MissingMaritacaApiKeyException.class));
  }

  @Test
  void thePropertyDecidesWhenSet() {
    runner
        .withPropertyValues("spring.ai.maritaca.api-key=real-key", "tickets.simulator.enabled=true")
        .run(context -> assertThat(context).hasSingleBean(MaritacaSimulator.class));
    runner
        .withPropertyValues("tickets.simulator.enabled=false", "spring.ai.maritaca.api-key=k")
        .run(context -> assertThat(context).doesNotHaveBean(MaritacaSimulator.class));
  }
}
