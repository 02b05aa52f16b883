package io.github.maritaca4j.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.maritaca4j.junit.MaritacaSimulatorExtension;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import io.github.maritaca4j.testing.DocSnippets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The Spring Boot example of {@code docs/testing.md}, run: the JUnit extension's simulator, per
 * class, behind the starter's {@code spring.ai.maritaca.base-url}. The page shows exactly this code
 * ({@link DocSnippets}).
 */
// docs:begin junit-spring
@SpringBootTest(classes = JunitExtensionExampleTest.App.class) // docs:omit
// docs: @SpringBootTest
// docs: class SupportTest {
class JunitExtensionExampleTest { // docs:omit
  @RegisterExtension
  static final MaritacaSimulatorExtension SIM =
      MaritacaSimulatorExtension.builder().perClass().build();

  @DynamicPropertySource
  static void maritaca(DynamicPropertyRegistry registry) {
    registry.add("spring.ai.maritaca.base-url", SIM::baseUrl);
    registry.add("spring.ai.maritaca.api-key", () -> "test-key");
  }

  @Autowired ChatClient.Builder chat;

  @Test
  void answersFromTheSimulator(MaritacaSimulator server) {
    String answer = chat.build().prompt().user("Qual é a capital do Brasil?").call().content();
    assertThat(answer).isEqualTo("A capital do Brasil é Brasília.");
    assertThat(server.stats().ok()).isEqualTo(1);
  }

  // docs: }
  // docs:end

  @SpringBootApplication
  static class App {}

  @Test
  void theTestingPageShowsThisCode() {
    DocSnippets.assertPageShowsRegions(
        Path.of("src/test/java/io/github/maritaca4j/spring/boot/JunitExtensionExampleTest.java"),
        Path.of("../docs/testing.md"));
  }
}
