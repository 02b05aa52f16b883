package io.github.maritaca4j.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.maritaca4j.ChatResult;
import io.github.maritaca4j.Choice;
import io.github.maritaca4j.FinishReason;
import io.github.maritaca4j.Message;
import io.github.maritaca4j.Usage;
import io.github.maritaca4j.batchapi.ResultLine;
import io.github.maritaca4j.errors.JobException;
import io.github.maritaca4j.errors.RateLimitException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultFileTest {
  @TempDir Path dir;

  static ChatResult result(String text) {
    return new ChatResult(
        "chatcmpl-1",
        "sabia-4",
        1730807994L,
        List.of(new Choice(0, Message.assistant(text), FinishReason.STOP)),
        new Usage(12, 7, 19, 4),
        null,
        "req-1",
        1,
        Duration.ofMillis(5),
        null);
  }

  @Test
  void writesResultAndFailureLinesThatReadBack() throws Exception {
    Path f = dir.resolve("out.jsonl");
    try (ResultFile out = ResultFile.open(f, SyncPolicy.EVERY_LINE)) {
      out.append(ResultLineWriter.success("batch_req_1", "a", result("Brasília")));
      out.append(
          ResultLineWriter.failure(
              "batch_req_2", "b", new RateLimitException("slow down", null, null, null, null), 21));
    }
    List<String> seen = new ArrayList<>();
    ResultFileScan s = ResultFile.scan(f, true, seen::add);
    assertThat(s.lines()).isEqualTo(2);
    assertThat(s.truncatedBytes()).isZero();
    assertThat(seen).containsExactly("a", "b");

    // judged by the one rule for result lines
    List<String> lines = Files.readAllLines(f);
    ResultLine ok = ResultLine.parse(lines.get(0));
    assertThat(ok.customId()).isEqualTo("a");
    assertThat(ok.isSuccess()).isTrue();
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.result().content()).isEqualTo("Brasília");
    assertThat(ok.result().model()).isEqualTo("sabia-4");
    assertThat(ok.result().usage().cachedPromptTokens()).isEqualTo(4);
    assertThat(ok.text()).isEqualTo(lines.get(0));
    ResultLine failed = ResultLine.parse(lines.get(1));
    assertThat(failed.customId()).isEqualTo("b");
    assertThat(failed.isSuccess()).isFalse();
    assertThat(failed.error().path("code").asText()).isEqualTo("rate_limit_exceeded");
    assertThat(failed.error().path("attempts").asInt()).isEqualTo(21);
    assertThat(failed.text()).isEqualTo(lines.get(1));
  }

  @Test
  void appendsSeveralLinesWithOneWriteAndCountsEach() throws Exception {
    Path f = dir.resolve("out.jsonl");
    java.io.ByteArrayOutputStream held = new java.io.ByteArrayOutputStream();
    held.writeBytes(ResultLineWriter.success("batch_req_1", "a", result("um")));
    held.writeBytes(ResultLineWriter.success("batch_req_2", "b", result("dois")));
    byte[] third = ResultLineWriter.success("batch_req_3", "c", result("três"));
    held.writeBytes(third);
    byte[] all = java.util.Arrays.copyOf(held.toByteArray(), held.size() + 100); // spare room
    try (ResultFile out = ResultFile.open(f, new SyncPolicy(2, null))) {
      out.append(all, held.size(), 3);
      assertThat(out.appended()).isEqualTo(3);
    }
    List<String> seen = new ArrayList<>();
    assertThat(ResultFile.scan(f, true, seen::add).lines()).isEqualTo(3);
    assertThat(seen).containsExactly("a", "b", "c");
    assertThat(Files.size(f)).as("only the given length").isEqualTo(held.size());

    // a process killed in the middle of that write leaves whole lines and a torn one, cut off
    Files.write(f, java.util.Arrays.copyOf(held.toByteArray(), held.size() - third.length / 2));
    seen.clear();
    ResultFileScan s = ResultFile.scan(f, true, seen::add);
    assertThat(seen).containsExactly("a", "b");
    assertThat(s.truncatedBytes()).isEqualTo(third.length - third.length / 2);
  }

  @Test
  void readsOnlyTheCustomIdOfALine() {
    assertThat(ResultFile.customIdOf("{\"id\":\"x\",\"custom_id\":\"q1\",\"response\":null}"))
        .isEqualTo("q1");
    assertThat(ResultFile.customIdOf("{\"custom_id\":7}")).isEqualTo("7");
    assertThatThrownBy(() -> ResultFile.customIdOf("{\"custom_id\":{\"custom_id\":\"x\"}}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("custom_id");
    assertThatThrownBy(() -> ResultFile.customIdOf("[1]"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void cutsOffATornLastLineAndKeepsTheRest() throws Exception {
    Path f = dir.resolve("out.jsonl");
    byte[] whole = ResultLineWriter.success("batch_req_1", "a", result("x"));
    byte[] torn = ResultLineWriter.success("batch_req_2", "b", result("y"));
    try (var out = Files.newOutputStream(f)) {
      out.write(whole);
      out.write(torn, 0, torn.length / 2);
    }
    List<String> ids = new ArrayList<>();
    ResultFileScan readOnly = ResultFile.scan(f, false, ids::add);
    assertThat(ids).containsExactly("a");
    assertThat(readOnly.truncatedBytes()).isZero();
    assertThat(Files.size(f)).isEqualTo(whole.length + torn.length / 2);

    ids.clear();
    ResultFileScan repaired = ResultFile.scan(f, true, ids::add);
    assertThat(ids).containsExactly("a");
    assertThat(repaired.truncatedBytes()).isEqualTo(torn.length / 2);
    assertThat(Files.size(f)).isEqualTo(whole.length);
  }

  @Test
  void aFileWithOnlyAPartialLineBecomesEmpty() throws Exception {
    Path f = dir.resolve("out.jsonl");
    Files.writeString(f, "{\"id\":\"batch_req_1\",\"custom_", StandardCharsets.UTF_8);
    ResultFileScan s = ResultFile.scan(f, true, x -> {});
    assertThat(s.lines()).isZero();
    assertThat(Files.size(f)).isZero();
  }

  @Test
  void refusesAFileThatIsNotAJobsOutput() throws Exception {
    Path f = dir.resolve("notes.jsonl");
    Files.writeString(f, "{\"custom_id\":\"a\"}\nhello world\n{\"custom_id\":\"c\"}\n");
    assertThatThrownBy(() -> ResultFile.scan(f, true, x -> {}))
        .isInstanceOf(JobException.class)
        .hasMessageContaining("line 2");
  }

  @Test
  void aMissingFileIsEmpty() {
    assertThat(ResultFile.scan(dir.resolve("none.jsonl"), true, x -> {}).lines()).isZero();
  }
}
