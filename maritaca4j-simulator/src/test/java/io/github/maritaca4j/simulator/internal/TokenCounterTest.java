package io.github.maritaca4j.simulator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenCounterTest {

  @Test
  void countsTheReferenceExamples() {
    assertThat(TokenCounter.count("Olá, mundo!")).isEqualTo(5);
    assertThat(TokenCounter.count("Como vai você?")).isEqualTo(4);
  }

  @Test
  void digitsAreOneTokenEach() {
    assertThat(TokenCounter.count("1234567")).isEqualTo(7);
    assertThat(TokenCounter.count("ano 2024")).isEqualTo(TokenCounter.count("ano ") + 4);
  }

  @Test
  void piecesConcatenateBackToTheText() {
    String s = "Olá,  mundo!\n\nEm 2024, 3,5% dos   brasileiros... disseram: 'sim'.";
    assertThat(String.join("", TokenCounter.pieces(s))).isEqualTo(s);
    int sum =
        TokenCounter.pieces(s).stream().mapToInt(p -> TokenCounter.encodePiece(p).length).sum();
    assertThat(sum).isEqualTo(TokenCounter.count(s));
  }

  @Test
  void truncateKeepsExactlyTheFirstTokens() {
    String s = "A capital do Brasil é Brasília, fundada em 1960.";
    for (int n = 1; n < TokenCounter.count(s); n++) {
      String head = TokenCounter.truncate(s, n);
      assertThat(s).startsWith(head);
      assertThat(TokenCounter.count(head)).isLessThanOrEqualTo(n);
    }
    assertThat(TokenCounter.truncate(s, 1000)).isEqualTo(s);
  }
}
