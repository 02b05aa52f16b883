package io.github.maritaca4j.simulator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenCounterTest {
  static final TokenCounter T = TokenCounter.cl100k();

  @Test
  void countsTheReferenceExamples() {
    assertThat(T.count("Olá, mundo!")).isEqualTo(5);
    assertThat(T.count("Como vai você?")).isEqualTo(4);
  }

  @Test
  void digitsAreOneTokenEach() {
    assertThat(T.count("1234567")).isEqualTo(7);
    assertThat(T.count("ano 2024")).isEqualTo(T.count("ano ") + 4);
  }

  @Test
  void piecesConcatenateBackToTheText() {
    String s = "Olá,  mundo!\n\nEm 2024, 3,5% dos   brasileiros... disseram: 'sim'.";
    assertThat(String.join("", TokenCounter.pieces(s))).isEqualTo(s);
    int sum = TokenCounter.pieces(s).stream().mapToInt(p -> T.encodePiece(p).length).sum();
    assertThat(sum).isEqualTo(T.count(s));
  }

  @Test
  void truncateKeepsExactlyTheFirstTokens() {
    String s = "A capital do Brasil é Brasília, fundada em 1960.";
    for (int n = 1; n < T.count(s); n++) {
      String head = T.truncate(s, n);
      assertThat(s).startsWith(head);
      assertThat(T.count(head)).isLessThanOrEqualTo(n);
    }
    assertThat(T.truncate(s, 1000)).isEqualTo(s);
  }
}
