package io.github.maritaca4j.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.cost.PriceTable;
import io.github.maritaca4j.jobs.InputProblem.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputScanTest {
  @TempDir Path dir;

  private JobLineParser parser() {
    return new JobLineParser(
        ChatMaritaca.builder().apiKey("k").build().defaults(), PriceTable.defaults());
  }

  @Test
  void reportsEveryProblemWithItsLineNumber() throws Exception {
    Path in = dir.resolve("in.jsonl");
    Files.writeString(
        in,
        "\uFEFF{\"custom_id\":\"a\",\"prompt\":\"oi\"}\n"
            + "{\"custom_id\":\"b\",\"prompt\":\"oi\"\n"
            + "\n"
            + "{\"custom_id\":\"c\"}\n"
            + "{\"custom_id\":\"a\",\"prompt\":\"de novo\"}\n"
            + "{\"custom_id\":\"d\",\"prompt\":\"oi\",\"model\":\"gpt-4\"}\n"
            + "{\"custom_id\":\"e\",\"prompt\":\"oi\"}\n");
    InputReport r = InputScan.validate(in, parser(), null);
    assertThat(r.isValid()).isFalse();
    assertThat(r.lines()).isEqualTo(7);
    assertThat(r.requests()).isEqualTo(2);
    assertThat(r.problemCount()).isEqualTo(4);
    assertThat(r.problems())
        .extracting(InputProblem::line, InputProblem::kind)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(2L, Kind.MALFORMED_JSON),
            org.assertj.core.groups.Tuple.tuple(4L, Kind.MISSING_MESSAGES),
            org.assertj.core.groups.Tuple.tuple(5L, Kind.DUPLICATE_CUSTOM_ID),
            org.assertj.core.groups.Tuple.tuple(6L, Kind.UNKNOWN_MODEL));
    assertThat(r.problems().get(2).message()).contains("first on line 1");
    assertThat(r.describe()).contains("4 problems (nothing was sent)").contains("line 6:");
  }

  @Test
  void skipsDoneIdsButStillChecksThem() throws Exception {
    Path in = dir.resolve("in.jsonl");
    Files.writeString(
        in,
        "{\"custom_id\":\"a\",\"prompt\":\"1\"}\n"
            + "{\"custom_id\":\"b\",\"prompt\":\"2\"}\n"
            + "{\"custom_id\":\"a\",\"prompt\":\"3\"}\n");
    List<String> ids = new ArrayList<>();
    try (InputScan s = InputScan.open(in, parser(), "a"::equals, 10, true)) {
      s.forEachRemaining(r -> ids.add(r.customId()));
      assertThat(s.report().skipped()).isEqualTo(1);
      assertThat(s.report().problemCount()).isEqualTo(1);
    }
    assertThat(ids).containsExactly("b");
  }

  /** Every id gets the same fingerprint: every line after the first is a candidate duplicate. */
  private static CustomIdSet allCollide() {
    return new CustomIdSet(false, id -> 42L);
  }

  private static String line(String id) {
    return "{\"custom_id\":\"" + id + "\",\"prompt\":\"oi\"}\n";
  }

  private List<String> drain(InputScan s) {
    List<String> ids = new ArrayList<>();
    s.forEachRemaining(r -> ids.add(r.customId()));
    return ids;
  }

  @Test
  void aFingerprintCollisionNeverMakesAValidFileFail() throws Exception {
    Path in = dir.resolve("in.jsonl");
    Files.writeString(in, line("a") + line("b") + "\n" + line("c") + line("d"));
    try (InputScan s = InputScan.open(in, parser(), null, 10, allCollide(), null)) {
      assertThat(drain(s)).containsExactly("a", "b", "c", "d");
      InputReport r = s.report();
      assertThat(r.isValid()).isTrue();
      assertThat(r.requests()).isEqualTo(4);
      assertThat(r.models().values()).containsExactly(4L);
    }
  }

  @Test
  void aTrueDuplicateAmongCollisionsIsReportedWithBothLines() throws Exception {
    Path in = dir.resolve("in.jsonl");
    Files.writeString(
        in,
        line("a")
            + line("b")
            + "{\"custom_id\":\"x\"}\n"
            + line("c")
            + line("b")
            + line("a")
            + line("d")
            + line("b"));
    try (InputScan s = InputScan.open(in, parser(), null, 10, allCollide(), null)) {
      drain(s);
      InputReport r = s.report();
      assertThat(r.problemCount()).isEqualTo(4);
      assertThat(r.problemsByKind())
          .containsEntry(Kind.DUPLICATE_CUSTOM_ID, 3L)
          .containsEntry(Kind.MISSING_MESSAGES, 1L);
      assertThat(r.problems())
          .extracting(InputProblem::line, InputProblem::message)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(3L, r.problems().get(0).message()),
              org.assertj.core.groups.Tuple.tuple(5L, "duplicate custom_id 'b' (first on line 2)"),
              org.assertj.core.groups.Tuple.tuple(6L, "duplicate custom_id 'a' (first on line 1)"),
              org.assertj.core.groups.Tuple.tuple(8L, "duplicate custom_id 'b' (first on line 2)"));
      assertThat(r.requests()).isEqualTo(4);
      assertThat(r.models().values()).containsExactly(4L);
    }
  }

  @Test
  void theSameReportWithRealFingerprintsAndInSmallVerificationRounds() throws Exception {
    Path in = dir.resolve("in.jsonl");
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 50; i++) {
      sb.append(line("id" + i));
    }
    for (int i = 49; i >= 0; i -= 7) {
      sb.append(line("id" + i)); // lines 51.. repeat ids 49, 42, ..., 0
    }
    sb.append("not json\n");
    Files.writeString(in, sb.toString());
    for (CustomIdSet seen : new CustomIdSet[] {new CustomIdSet(), allCollide()}) {
      try (InputScan s = InputScan.open(in, parser(), null, 5, seen, null).verifyRound(1)) {
        drain(s);
        InputReport r = s.report();
        assertThat(r.problemCount()).isEqualTo(9);
        assertThat(r.problemsByKind()).containsEntry(Kind.DUPLICATE_CUSTOM_ID, 8L);
        assertThat(r.requests()).isEqualTo(50);
        assertThat(r.problems())
            .extracting(InputProblem::message)
            .containsExactly(
                "duplicate custom_id 'id49' (first on line 50)",
                "duplicate custom_id 'id42' (first on line 43)",
                "duplicate custom_id 'id35' (first on line 36)",
                "duplicate custom_id 'id28' (first on line 29)",
                "duplicate custom_id 'id21' (first on line 22)");
      }
    }
  }

  @Test
  void doneIdsAreMarkedNotCopiedAndStillCheckedExactly() throws Exception {
    Path in = dir.resolve("in.jsonl");
    Files.writeString(in, line("a") + line("b") + line("c") + line("a") + line("e"));
    for (boolean collide : new boolean[] {false, true}) {
      CustomIdSet done = collide ? allCollide() : new CustomIdSet();
      CustomIdSet seen = collide ? allCollide() : new CustomIdSet();
      done.add("a");
      if (!collide) {
        done.add("c");
      }
      java.util.function.Predicate<String> skip = id -> id.equals("a") || id.equals("c");
      try (InputScan s = InputScan.open(in, parser(), skip, 10, seen, done)) {
        assertThat(drain(s)).containsExactly("b", "e");
        InputReport r = s.report();
        assertThat(r.skipped()).isEqualTo(2);
        assertThat(r.requests()).isEqualTo(2);
        assertThat(r.problems())
            .extracting(InputProblem::message)
            .containsExactly("duplicate custom_id 'a' (first on line 1)");
      }
      assertThat(seen.size()).isEqualTo(collide ? 0 : 2); // b and e; a and c only marked in done
    }
  }
}
