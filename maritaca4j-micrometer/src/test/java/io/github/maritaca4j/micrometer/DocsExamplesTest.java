package io.github.maritaca4j.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.maritaca4j.ChatListener;
import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.Message;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import io.github.maritaca4j.testing.DocSnippets;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The examples of {@code docs/observability.md}, run against the simulator: each region between
 * {@code // docs:begin NAME} and {@code // docs:end} is the page's block after {@code <!-- tested:
 * NAME -->} (whitespace aside); {@code // docs:omit} lines point the example at the simulator.
 */
class DocsExamplesTest {

  @Test
  void theQuickStartMeasuresACall() {
    TestObservationRegistry testObservations = TestObservationRegistry.create();
    ObservationRegistry observationRegistry = testObservations;
    MeterRegistry meterRegistry = new SimpleMeterRegistry();
    try (MaritacaSimulator sim = MaritacaSimulator.builder().start()) {
      // docs:begin quick-start
      MaritacaObservability obs =
          MaritacaObservability.builder()
              .observationRegistry(observationRegistry) // traces (and timers, through its handlers)
              .meterRegistry(meterRegistry) // token, duration and batch meters
              .recordContent(false) // the default: no prompts, no answers
              .build();
      ChatMaritaca model =
          ChatMaritaca.builder()
              .baseUrl(sim.baseUrl()) // docs:omit
              .apiKey("test") // docs:omit
              .listener(obs)
              .build();
      // docs:end
      model.invoke(List.of(Message.user("Olá!")));
      TestObservationRegistryAssert.assertThat(testObservations)
          .hasSingleObservationThat()
          .hasNameEqualTo("gen_ai.client.operation");
      assertThat(meterRegistry.get("gen_ai.client.operation.duration").timer().count())
          .isEqualTo(1);
    }
  }

  @Test
  void aListenerOfYourOwn() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
    try (MaritacaSimulator sim = MaritacaSimulator.builder().start()) {
      // docs:begin own-listener
      ChatMaritaca model =
          ChatMaritaca.builder()
              .baseUrl(sim.baseUrl()) // docs:omit
              .apiKey("test") // docs:omit
              .listener(
                  new ChatListener() {
                    @Override
                    public void onRequestEnd(RequestEnd e) {
                      out.printf(
                          "%s %d in %d ms, %d tokens, R$ %s%n",
                          e.start().model(),
                          e.httpStatus(),
                          e.duration().toMillis(),
                          e.usage().totalTokens(),
                          e.cost() == null ? "?" : e.cost().total());
                    }
                  })
              .build();
      // docs:end
      model.invoke(List.of(Message.user("Olá!")));
    }
    assertThat(buffer.toString(StandardCharsets.UTF_8))
        .startsWith("sabia-4 200 in ")
        .contains("R$ 0.");
  }

  @Test
  void thePageShowsTheseExamples() {
    assertThat(
            DocSnippets.assertPageShowsRegions(
                Path.of("src/test/java/io/github/maritaca4j/micrometer/DocsExamplesTest.java"),
                Path.of("../docs/observability.md")))
        .containsExactly("quick-start", "own-listener");
  }
}
