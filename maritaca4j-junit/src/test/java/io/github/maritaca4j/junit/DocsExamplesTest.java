package io.github.maritaca4j.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.Message;
import io.github.maritaca4j.batch.BatchOptions;
import io.github.maritaca4j.batch.BatchResult;
import io.github.maritaca4j.simulator.Faults;
import io.github.maritaca4j.simulator.Latency;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import io.github.maritaca4j.simulator.RateLimit;
import io.github.maritaca4j.testing.DocSnippets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * The example of {@code docs/testing.md}: the region between {@code // docs:begin NAME} and {@code
 * // docs:end} is the page's block after {@code <!-- tested: NAME -->} (whitespace aside), run here
 * through the JUnit test kit.
 */
class DocsExamplesTest {

  // docs:begin per-class
  // docs: class TicketClassifierTest {
  static class TicketClassifierTest { // docs:omit
    @RegisterExtension
    static MaritacaSimulatorExtension sim =
        MaritacaSimulatorExtension.builder()
            .simulator(
                b ->
                    b // any option of MaritacaSimulator.Builder
                        .latency(Latency.fixed(Duration.ofMillis(20)))
                        .rateLimit("sabia-4", RateLimit.rpm(600))
                        .faults(Faults.builder().serverErrorRate(0.05).build()))
            .perClass() // or perTest(), the default
            .build();

    @Test
    void classifiesEveryTicket(MaritacaSimulator server) { // injected
      ChatMaritaca model =
          ChatMaritaca.builder()
              .baseUrl(server.baseUrl()) // or sim.baseUrl()
              .apiKey("test")
              .retryBackoff(Duration.ofMillis(5), Duration.ofMillis(20)) // docs:omit
              .maxRetries(5) // docs:omit
              .build();
      List<List<Message>> tickets =
          List.of(
              List.of(Message.user("Classifique: 'Meu boleto não chegou.'")),
              List.of(Message.user("Classifique: 'O aplicativo fecha sozinho.'")));
      BatchResult result = model.batchAsync(tickets, BatchOptions.withConcurrency(5)).join();
      assertThat(result.allSucceeded()).isTrue();
      assertThat(server.stats().ok()).isEqualTo(2);
    }
  }

  // docs:end

  @Test
  void theExampleRuns() {
    EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(TicketClassifierTest.class))
        .execute()
        .testEvents()
        .assertStatistics(s -> s.started(1).succeeded(1));
  }

  @Test
  void thePageShowsTheExample() {
    assertThat(
            DocSnippets.assertPageShowsRegions(
                Path.of("src/test/java/io/github/maritaca4j/junit/DocsExamplesTest.java"),
                Path.of("../docs/testing.md")))
        .containsExactly("per-class");
  }
}
