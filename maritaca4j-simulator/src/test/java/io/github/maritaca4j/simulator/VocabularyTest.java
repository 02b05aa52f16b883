package io.github.maritaca4j.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class VocabularyTest {
  /** The Sabiá vocabulary in the workspace's shared folder (not part of the project). */
  static final Path SABIA = Path.of("../../shared/tokenizers/sabia.tiktoken");

  static int promptTokens(MaritacaSimulator sim, String text) {
    return Http.json(
            Http.post(sim.baseUrl() + "/chat/completions", Http.chat("sabia-4", text, null)))
        .path("usage")
        .path("prompt_tokens")
        .asInt();
  }

  @Test
  void countsWithTheGivenVocabulary() {
    assumeTrue(Files.isReadable(SABIA), "no Sabiá vocabulary beside the project");
    String pt = "A questão apresentada sugere vários fatores relevantes ao longo do tempo.";
    try (MaritacaSimulator sabia = MaritacaSimulator.builder().vocabulary(SABIA).start();
        MaritacaSimulator cl100k = MaritacaSimulator.builder().start()) {
      assertThat(promptTokens(sabia, "Olá, mundo!")).isEqualTo(5 + 4 + 3);
      assertThat(promptTokens(sabia, "Como vai você?")).isEqualTo(4 + 4 + 3);
      assertThat(promptTokens(sabia, "2024")).isEqualTo(4 + 4 + 3);
      assertThat(promptTokens(sabia, pt)).isEqualTo(18 + 4 + 3);
      assertThat(promptTokens(cl100k, pt)).isEqualTo(20 + 4 + 3);
    }
  }

  @Test
  void unreadableVocabularyIsRejectedAtOnce() {
    assertThatThrownBy(() -> MaritacaSimulator.builder().vocabulary(Path.of("/nope/x.tiktoken")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("/nope/x.tiktoken");
  }
}
