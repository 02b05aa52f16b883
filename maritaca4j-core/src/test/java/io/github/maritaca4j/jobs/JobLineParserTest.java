package io.github.maritaca4j.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.ChatRequest;
import io.github.maritaca4j.Role;
import io.github.maritaca4j.ServiceTier;
import io.github.maritaca4j.cost.PriceTable;
import io.github.maritaca4j.jobs.InputProblem.Kind;
import org.junit.jupiter.api.Test;

class JobLineParserTest {
  private final ChatRequest defaults =
      ChatMaritaca.builder().apiKey("k").model("sabiazinho-4").maxTokens(64).build().defaults();

  private JobLineParser parser() {
    return new JobLineParser(defaults, PriceTable.defaults());
  }

  @Test
  void readsTheBatchApiLine() {
    JobRequest r =
        parser()
            .parse(
                "{\"custom_id\":\"r1\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\","
                    + "\"body\":{\"model\":\"sabia-4\",\"messages\":[{\"role\":\"system\","
                    + "\"content\":\"Seja breve.\"},{\"role\":\"user\",\"content\":\"Oi\"}],"
                    + "\"max_tokens\":10,\"temperature\":0.2,\"stop\":\"FIM\","
                    + "\"service_tier\":\"flex\"}}",
                1);
    assertThat(r.customId()).isEqualTo("r1");
    assertThat(r.line()).isEqualTo(1);
    assertThat(r.request().model()).isEqualTo("sabia-4");
    assertThat(r.request().messages()).hasSize(2);
    assertThat(r.request().messages().get(0).role()).isEqualTo(Role.SYSTEM);
    assertThat(r.request().maxTokens()).isEqualTo(10);
    assertThat(r.request().temperature()).isEqualTo(0.2);
    assertThat(r.request().stop()).containsExactly("FIM");
    assertThat(r.request().serviceTier()).isEqualTo(ServiceTier.FLEX);
  }

  @Test
  void readsTheShorthandsWithTheDefaults() {
    JobRequest m =
        parser()
            .parse(
                "{\"custom_id\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Oi\"}]}", 2);
    assertThat(m.customId()).isEqualTo("m");
    assertThat(m.request().model()).isEqualTo("sabiazinho-4");
    assertThat(m.request().maxTokens()).isEqualTo(64);

    JobRequest p =
        parser().parse("{\"prompt\":\"Qual é a capital do Brasil?\",\"system\":\"Breve.\"}", 7);
    assertThat(p.customId()).isEqualTo("7");
    assertThat(p.request().messages()).hasSize(2);
    assertThat(p.request().messages().get(1).text()).isEqualTo("Qual é a capital do Brasil?");
  }

  @Test
  void readsPartsToolCallsAndToolMessages() {
    JobRequest r =
        parser()
            .parse(
                "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Veja\"},"
                    + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://x/y.png\"}}]},"
                    + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c1\","
                    + "\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]},"
                    + "{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"42\"}],"
                    + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\","
                    + "\"parameters\":{\"type\":\"object\"}}}],\"tool_choice\":\"auto\"}",
                1);
    assertThat(r.request().messages()).hasSize(3);
    assertThat(r.request().messages().get(0).hasImages()).isTrue();
    assertThat(r.request().messages().get(1).toolCalls()).hasSize(1);
    assertThat(r.request().tools()).hasSize(1);
  }

  @Test
  void reportsEachKindOfProblemWithItsLine() {
    assertProblem("{not json", 3, Kind.MALFORMED_JSON);
    assertProblem("[1,2]", 4, Kind.MALFORMED_JSON);
    assertProblem("{\"custom_id\":\"x\"}", 5, Kind.MISSING_MESSAGES);
    assertProblem("{\"custom_id\":\"x\",\"messages\":[]}", 6, Kind.MISSING_MESSAGES);
    assertProblem(
        "{\"custom_id\":\"x\",\"body\":{\"model\":\"sabia-4\"}}", 7, Kind.MISSING_MESSAGES);
    assertProblem("{\"prompt\":\"oi\",\"model\":\"gpt-4o\"}", 8, Kind.UNKNOWN_MODEL);
    assertProblem("{\"prompt\":\"oi\",\"temperature\":9}", 9, Kind.INVALID_REQUEST);
    assertProblem(
        "{\"custom_id\":\"x\",\"url\":\"/v1/embeddings\",\"body\":{\"messages\":[]}}",
        10,
        Kind.INVALID_REQUEST);
    assertProblem("{\"prompt\":\"oi\",\"stream\":true}", 11, Kind.INVALID_REQUEST);
    assertProblem(
        "{\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]}", 12, Kind.INVALID_REQUEST);
    assertProblem("{\"custom_id\":{\"a\":1},\"prompt\":\"oi\"}", 13, Kind.INVALID_REQUEST);
  }

  @Test
  void blankLinesAreSkippedUnknownBodyFieldsSentAndLineFieldsReported() {
    JobLineParser p = parser();
    assertThat(p.parse("   ", 1)).isNull();
    JobRequest flat = p.parse("{\"prompt\":\"oi\",\"seed\":3}", 2);
    assertThat(flat.request().extraBody()).containsOnlyKeys("seed");
    assertThat(flat.request().extraBody().get("seed").toString()).isEqualTo("3");
    JobRequest nested =
        p.parse(
            "{\"custom_id\":\"a\",\"metadata\":{\"k\":1},\"body\":{\"messages\":[{\"role\":"
                + "\"user\",\"content\":\"x\"}],\"user\":\"u\",\"logprobs\":true}}",
            3);
    assertThat(nested.request().extraBody()).containsOnlyKeys("user", "logprobs");
    String wire =
        new String(
            io.github.maritaca4j.internal.WireFormat.writeRequest(nested.request(), false),
            java.nio.charset.StandardCharsets.UTF_8);
    assertThat(wire).contains("\"user\":\"u\"").contains("\"logprobs\":true");
    assertThat(p.ignoredFields()).containsOnly(java.util.Map.entry("metadata", 3L));
  }

  @Test
  void acceptsAnyModelWithoutAPriceTable() {
    JobRequest r =
        new JobLineParser(defaults, null).parse("{\"prompt\":\"oi\",\"model\":\"x\"}", 1);
    assertThat(r.request().model()).isEqualTo("x");
  }

  @Test
  void problemsAreWordedInTheLinesOwnTerms() {
    // Jackson's location ("Source: REDACTED ... line: 1") is replaced by the column
    assertMessage("{\"prompt\":\"a\"", 2, Kind.MALFORMED_JSON, "line 2: malformed JSON: ");
    assertThatThrownBy(() -> parser().parse("{\"prompt\":\"a\"", 2))
        .hasMessageNotContaining("REDACTED")
        .hasMessageNotContaining("line: 1")
        .hasMessageContaining("(column ");
    // the builder's Java names become the JSON field names
    assertMessage(
        "{\"prompt\":\"a\",\"max_tokens\":-3}",
        6,
        Kind.INVALID_REQUEST,
        "line 6: \"max_tokens\" must be between 1 and 32768, was -3");
    assertMessage(
        "{\"prompt\":\"a\",\"temperature\":9}",
        7,
        Kind.INVALID_REQUEST,
        "line 7: \"temperature\" must be between");
    // a Batch API line without its body
    assertMessage(
        "{\"custom_id\":\"e\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\"}",
        8,
        Kind.MISSING_MESSAGES,
        "line 8: no \"body\"");
  }

  @Test
  void bytesThatAreNotUtf8AreAProblemOfTheirLine() {
    // what ResultFile.reader puts where the file has bytes that are not UTF-8
    String line = "{\"prompt\":\"ol" + ResultFile.MALFORMED_INPUT + "\"}";
    assertMessage(line, 3, Kind.MALFORMED_JSON, "line 3: not valid UTF-8 (at character 14)");
    // U+FFFD is a valid character: a line holding one is accepted
    assertThat(parser().parse("{\"prompt\":\"ol\uFFFD\"}", 4).request().messages()).hasSize(1);
  }

  private void assertMessage(String line, long n, Kind kind, String start) {
    assertThatThrownBy(() -> parser().parse(line, n))
        .isInstanceOfSatisfying(
            InputLineException.class,
            e -> {
              assertThat(e.problem().kind()).as(line).isEqualTo(kind);
              assertThat(e.getMessage()).startsWith(start);
            });
  }

  private void assertProblem(String line, long n, Kind kind) {
    assertThatThrownBy(() -> parser().parse(line, n))
        .isInstanceOfSatisfying(
            InputLineException.class,
            e -> {
              assertThat(e.problem().kind()).as(line).isEqualTo(kind);
              assertThat(e.problem().line()).isEqualTo(n);
              assertThat(e.getMessage()).startsWith("line " + n + ": ");
            });
  }
}
