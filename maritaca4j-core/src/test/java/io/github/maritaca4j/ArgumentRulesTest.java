package io.github.maritaca4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.maritaca4j.simulator.MaritacaSimulator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The one documented rule for invalid arguments: the JDK's IllegalArgumentException or
 * NullPointerException at once, nothing sent (docs/client.md, "Errors").
 */
class ArgumentRulesTest {

  @Test
  void invalidArgumentsFailAtOnceWithTheJdksExceptionsAndSendNothing() {
    try (MaritacaSimulator sim = MaritacaSimulator.builder().start()) {
      ChatMaritaca c =
          ChatMaritaca.builder()
              .baseUrl(sim.baseUrl())
              .apiKey("k")
              .clock(TestClocks.peak())
              .build();
      assertThatThrownBy(() -> c.invoke(List.<Message>of()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("at least one message");
      assertThatThrownBy(() -> c.invokeAsync(List.<Message>of()))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> c.invoke((List<Message>) null))
          .isInstanceOf(NullPointerException.class);
      assertThatThrownBy(() -> c.batchAsync(List.of(List.of()), 2))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("inputs[0]");
      assertThatThrownBy(() -> c.batchAsync(List.of(List.of(Message.user("oi"))), 0))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(sim.statsWithoutLog().requests()).isZero();
    }
  }
}
