package io.github.maritaca4j.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CustomIdSetTest {

  @Test
  void addsFindsAndRemovesIdsAcrossGrowth() {
    CustomIdSet s = new CustomIdSet();
    for (int i = 0; i < 100_000; i++) {
      assertThat(s.add("request-" + i)).isTrue();
    }
    assertThat(s.size()).isEqualTo(100_000);
    for (int i = 0; i < 100_000; i++) {
      assertThat(s.contains("request-" + i)).isTrue();
    }
    assertThat(s.contains("request-100000")).isFalse();
    assertThat(s.add("request-7")).isFalse();
    for (int i = 0; i < 100_000; i += 2) {
      assertThat(s.remove("request-" + i)).isTrue();
    }
    assertThat(s.size()).isEqualTo(50_000);
    for (int i = 0; i < 100_000; i++) {
      assertThat(s.contains("request-" + i)).isEqualTo(i % 2 == 1);
    }
  }

  @Test
  void remembersTheLineOfTheFirstOccurrence() {
    CustomIdSet s = CustomIdSet.withLines();
    assertThat(s.addOrGetLine("a", 3)).isEqualTo(-1);
    assertThat(s.addOrGetLine("b", 4)).isEqualTo(-1);
    assertThat(s.addOrGetLine("a", 9)).isEqualTo(3);
  }

  @Test
  void hashesEveryTailLengthDifferently() {
    CustomIdSet s = new CustomIdSet();
    String base = "çãõ-ids-0123456789abcdefghijklmnopqrstuvwxyz";
    for (int n = 0; n <= base.length(); n++) {
      assertThat(s.add(base.substring(0, n))).isTrue();
    }
    assertThat(s.contains("")).isTrue();
    assertThat(CustomIdSet.hash("a")).isNotEqualTo(CustomIdSet.hash("b"));
  }
}
