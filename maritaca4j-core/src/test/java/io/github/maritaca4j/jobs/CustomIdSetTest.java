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

  @Test
  void keepsTenToThirteenBytesAnIdAndGrowsOneTableAtATime() {
    CustomIdSet s = new CustomIdSet();
    for (int n = 1; n <= 300_000; n++) {
      s.add("id-" + n);
      if (n % 50_000 == 0) {
        double perId = (double) s.tableBytes() / n;
        assertThat(perId).as("bytes per id at %d", n).isBetween(9.9, 13.0);
      }
    }
  }

  @Test
  void collidingFingerprintsAreOneEntryAndTheHookForcesThem() {
    // every id starting with "x" gets fingerprint 42: the set cannot tell them apart
    CustomIdSet s =
        new CustomIdSet(false, id -> id.startsWith("x") ? 42L : CustomIdSet.fingerprint(id));
    assertThat(s.add("x1")).isTrue();
    assertThat(s.add("x2")).isFalse();
    assertThat(s.contains("x3")).isTrue();
    assertThat(s.add("y")).isTrue();
    assertThat(s.size()).isEqualTo(2);
    assertThat(s.remove("x9")).isTrue();
    assertThat(s.contains("x1")).isFalse();
    assertThat(s.contains("y")).isTrue();
  }

  @Test
  void foldsAZeroFingerprint() {
    CustomIdSet s = new CustomIdSet(false, id -> 0L);
    assertThat(s.add("a")).isTrue();
    assertThat(s.contains("a")).isTrue();
    assertThat(s.size()).isEqualTo(1);
  }

  @Test
  void removesAcrossWrappedProbeChains() {
    // few fingerprints in one segment, so that chains wrap around the end of its table
    CustomIdSet s = new CustomIdSet(false, id -> 0xFFFF_FFFFL - Long.parseLong(id));
    for (int i = 0; i < 6; i++) {
      assertThat(s.add(Integer.toString(i))).isTrue();
    }
    for (int i = 0; i < 6; i += 2) {
      assertThat(s.remove(Integer.toString(i))).isTrue();
    }
    for (int i = 0; i < 6; i++) {
      assertThat(s.contains(Integer.toString(i))).isEqualTo(i % 2 == 1);
    }
  }

  @Test
  void marksTellTheFirstMeetingFromTheNext() {
    CustomIdSet s = new CustomIdSet();
    s.add("a");
    s.add("b");
    CustomIdSet.Marks m = s.newMarks();
    assertThat(m.mark(s.fingerprintOf("c"))).isEqualTo(-1);
    assertThat(m.mark(s.fingerprintOf("a"))).isZero();
    assertThat(m.mark(s.fingerprintOf("b"))).isZero();
    assertThat(m.mark(s.fingerprintOf("a"))).isEqualTo(1);
    assertThat(s.newMarks().mark(s.fingerprintOf("a"))).isZero();
  }

  @Test
  void sortsItsFingerprints() {
    CustomIdSet s = new CustomIdSet();
    for (int i = 0; i < 1000; i++) {
      s.add("r" + i);
    }
    long[] fps = s.sortedFingerprints();
    assertThat(fps).hasSize(1000).isSorted();
    assertThat(fps).contains(s.fingerprintOf("r7"));
  }
}
