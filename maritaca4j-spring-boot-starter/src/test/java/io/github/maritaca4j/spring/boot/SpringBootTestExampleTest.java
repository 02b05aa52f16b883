package io.github.maritaca4j.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.maritaca4j.batch.BatchListener;
import io.github.maritaca4j.batch.BatchOptions;
import io.github.maritaca4j.batch.BatchProgress;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import io.github.maritaca4j.springai.MaritacaBatchResult;
import io.github.maritaca4j.springai.MaritacaChatModel;
import io.github.maritaca4j.testing.DocSnippets;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The examples of {@code docs/spring.md}, run: the Spring Boot test with {@code
 * DynamicPropertySource} and the batch. The page shows exactly this code ({@link DocSnippets}).
 */
// docs:begin spring-boot-test
@SpringBootTest(classes = SpringBootTestExampleTest.App.class) // docs:omit
// docs: @SpringBootTest
// docs: class TicketsTest {
class SpringBootTestExampleTest { // docs:omit
  static final MaritacaSimulator SIM = MaritacaSimulator.builder().seed(42).start();

  @DynamicPropertySource
  static void maritaca(DynamicPropertyRegistry registry) {
    registry.add("spring.ai.maritaca.base-url", SIM::baseUrl);
    registry.add("spring.ai.maritaca.api-key", () -> "test-key");
  }

  @AfterAll
  static void stop() {
    SIM.close();
  }

  @Autowired ChatClient.Builder chat;

  @Test
  void answers() {
    assertThat(chat.build().prompt().user("Qual é a capital do Brasil?").call().content())
        .isEqualTo("A capital do Brasil é Brasília.");
  }

  // docs: }
  // docs:end

  @SpringBootApplication
  static class App {}

  private static final Logger log = LoggerFactory.getLogger(SpringBootTestExampleTest.class);

  @Autowired MaritacaChatModel model;

  private final Map<Integer, String> answers = new ConcurrentHashMap<>();

  private void use(int index, String text) {
    answers.put(index, text);
  }

  @Test
  void runsTheBatchOfThePage() {
    List<String> tickets =
        List.of("Fui cobrado duas vezes no cartão.", "Meu pedido não chegou.", "Quero cancelar.");
    SIM.reset();
    // docs:begin batch
    List<Prompt> prompts = tickets.stream().map(t -> new Prompt("Classifique: " + t)).toList();

    MaritacaBatchResult result =
        model
            .batch(
                prompts,
                BatchOptions.builder()
                    .maxConcurrency(8)
                    .returnExceptions(true) // failed items hold their error
                    .budget(new BigDecimal("2.00")) // BRL; real spend never exceeds it
                    .listener(
                        new BatchListener() { // progress, on the client's executor
                          @Override
                          public void onProgress(BatchProgress p) {
                            log.info("{}/{}", p.completed(), p.total());
                          }
                        })
                    .build())
            .join();

    for (MaritacaBatchResult.Item item : result) {
      if (item.isSuccess()) use(item.index(), item.response().getResult().getOutput().getText());
      else log.warn("item {} failed", item.index(), item.error());
    }
    result.cost().total(); // BRL
    // docs:end

    assertThat(answers).hasSize(3).allSatisfy((i, text) -> assertThat(text).isNotBlank());
    assertThat(SIM.stats().requests()).isEqualTo(3);
    assertThat(result.cost().total()).isPositive().isLessThan(new BigDecimal("2.00"));
  }

  @Test
  void thePageShowsExactlyTheTestedCode() {
    List<String> regions =
        DocSnippets.assertPageShowsRegions(
            Path.of(
                "src/test/java/io/github/maritaca4j/spring/boot/SpringBootTestExampleTest.java"),
            Path.of("../docs/spring.md"));
    assertThat(regions).containsExactly("spring-boot-test", "batch");
  }
}
