package io.github.maritaca4j.examples.tickets;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Classifies Portuguese support tickets with Sabiá through maritaca4j's batch engine: {@code POST
 * /tickets/classify}. With no Maritaca key configured it starts an embedded simulator and talks to
 * it ({@link EmbeddedSimulatorConfiguration}); with {@code MARITACA_API_KEY} (or {@code
 * spring.ai.maritaca.api-key}) it talks to Maritaca.
 */
@SpringBootApplication
public class TicketsApplication {
  /** Starts the application. */
  public static void main(String[] args) {
    SpringApplication.run(TicketsApplication.class, args);
  }
}
