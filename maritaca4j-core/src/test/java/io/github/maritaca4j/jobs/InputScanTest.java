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
    InputScan.Report r = InputScan.validate(in, parser(), null);
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
}
