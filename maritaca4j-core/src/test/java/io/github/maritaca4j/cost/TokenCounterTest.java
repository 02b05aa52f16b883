package io.github.maritaca4j.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.maritaca4j.ChatRequest;
import io.github.maritaca4j.ContentPart;
import io.github.maritaca4j.Message;
import io.github.maritaca4j.ResponseFormat;
import io.github.maritaca4j.Tool;
import io.github.maritaca4j.ToolCall;
import io.github.maritaca4j.errors.ConfigurationException;
import io.github.maritaca4j.internal.Json;
import io.github.maritaca4j.internal.tokens.BytePairEncoder;
import io.github.maritaca4j.internal.tokens.DefaultTokenCounter;
import io.github.maritaca4j.internal.tokens.PromptCounting;
import io.github.maritaca4j.internal.tokens.SabiaSplitter;
import io.github.maritaca4j.internal.tokens.Vocabulary;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TokenCounterTest {

  /** The strings and ids of {@code cost/token-ids.jsonl} (computed once, cross-checked below). */
  private static List<Map.Entry<String, int[]>> expectedIds() throws IOException {
    List<Map.Entry<String, int[]>> out = new ArrayList<>();
    try (InputStream in = TokenCounterTest.class.getResourceAsStream("/cost/token-ids.jsonl")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode n = Json.MAPPER.readTree(line);
        int[] ids = new int[n.get("ids").size()];
        for (int i = 0; i < ids.length; i++) {
          ids[i] = n.get("ids").get(i).intValue();
        }
        out.add(Map.entry(n.get("text").asText(), ids));
      }
    }
    return out;
  }

  static String portugueseSample() throws IOException {
    try (InputStream in =
        TokenCounterTest.class.getResourceAsStream("/cost/portuguese-sample.txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  // ------------------------------------------------------------------ exact counting

  @ParameterizedTest
  @CsvSource({"'Olá, mundo!', 5", "'Como vai você?', 4"})
  void exactCounterReproducesTheReferenceCounts(String text, int tokens) {
    BpeTokenCounter exact = SharedTokenizerFile.require();
    assertThat(exact.count(text)).isEqualTo(tokens);
    assertThat(exact.encode(text)).hasSize(tokens);
    assertThat(exact.decode(exact.encode(text))).isEqualTo(text);
    assertThat(exact.vocabularySize()).isEqualTo(151_643);
  }

  @Test
  void exactCounterGivesTheReviewedIdsForAFewHundredVariedStrings() throws IOException {
    BpeTokenCounter exact = SharedTokenizerFile.require();
    List<Map.Entry<String, int[]>> cases = expectedIds();
    assertThat(cases).hasSizeGreaterThan(250);
    for (Map.Entry<String, int[]> c : cases) {
      assertThat(exact.encode(c.getKey()))
          .as("ids of %s", Json.write(c.getKey()))
          .isEqualTo(c.getValue());
      assertThat(exact.count(c.getKey())).isEqualTo(c.getValue().length);
    }
  }

  @Test
  void expectedIdsAgreeWithAnIndependentSimpleBpe() throws IOException {
    SharedTokenizerFile.require();
    NaiveBpe naive = new NaiveBpe(SharedTokenizerFile.path().orElseThrow());
    for (Map.Entry<String, int[]> c : expectedIds()) {
      List<Integer> ids = Arrays.stream(c.getValue()).boxed().collect(Collectors.toList());
      assertThat(naive.encode(c.getKey())).as("ids of %s", Json.write(c.getKey())).isEqualTo(ids);
    }
  }

  @Test
  void heapMergeAndScanMergeAgreeOnLongAndRandomPieces() throws IOException {
    SharedTokenizerFile.require();
    Vocabulary v;
    try (var r = Files.newBufferedReader(SharedTokenizerFile.path().orElseThrow())) {
      v = Vocabulary.read(r);
    }
    BytePairEncoder scanOnly =
        new BytePairEncoder(v, BytePairEncoder.sabiaPattern(), Integer.MAX_VALUE);
    BytePairEncoder heapAlways = new BytePairEncoder(v, BytePairEncoder.sabiaPattern(), 1);
    Random random = new Random(42);
    String alphabet = "aaabcdeeéçãõ  \u00a0\n0123😀日!?";
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      int len = 1 + random.nextInt(i < 250 ? 40 : 400);
      texts.add(
          random
              .ints(len, 0, alphabet.length())
              .mapToObj(k -> String.valueOf(alphabet.charAt(k)))
              .collect(Collectors.joining()));
    }
    texts.add(portugueseSample());
    texts.add("abcabcabc".repeat(40));
    for (String t : texts) {
      assertThat(heapAlways.encode(t)).isEqualTo(scanOnly.encode(t));
    }
  }

  @Test
  void handWrittenSplitterFindsTheSamePiecesAsTheRegex() throws IOException {
    Pattern regex = BytePairEncoder.sabiaPattern();
    List<String> texts = new ArrayList<>();
    for (Map.Entry<String, int[]> c : expectedIds()) {
      texts.add(c.getKey());
    }
    texts.add(portugueseSample());
    String[] atoms = {
      "a", "Z", "é", "ß", "ſ", "日", "'", "'s", "'S", "'ſ", "'re", "'RE", "'ll", "'Ll", "'d", "'x",
      " ", "  ", "\t", "\n", "\r", "\r\n", "\u000b", "\f", "\u0085", "\u00a0", "\u2003", "\u2028",
      "\u3000", "0", "7", "²", "٣", "Ⅻ", "½", "!", "?!", ".", "-", "$", "😀", "🇧🇷", "\ud800",
      "\udc00", "\u0301", "e\u0301", "_", "@", "#"
    };
    Random random = new Random(7);
    for (int i = 0; i < 3000; i++) {
      StringBuilder sb = new StringBuilder();
      for (int j = 1 + random.nextInt(10); j > 0; j--) {
        sb.append(atoms[random.nextInt(atoms.length)]);
      }
      texts.add(sb.toString());
    }
    for (String t : texts) {
      List<String> expected = new ArrayList<>();
      Matcher m = regex.matcher(t);
      while (m.find()) {
        expected.add(m.group());
      }
      List<String> actual = new ArrayList<>();
      for (int start = 0; start < t.length(); ) {
        int end = SabiaSplitter.next(t, start);
        actual.add(t.substring(start, end));
        start = end;
      }
      assertThat(actual).as("pieces of %s", Json.write(t)).isEqualTo(expected);
    }
  }

  @Test
  void textIsNormalisedToNfcFirst() {
    BpeTokenCounter exact = SharedTokenizerFile.require();
    assertThat(exact.encode("ac\u0327a\u0303o")).isEqualTo(exact.encode("ação"));
    assertThat(exact.encode("cafe\u0301")).isEqualTo(exact.encode("café"));
  }

  @Test
  void specialTokenTextAndLoneSurrogatesAreOrdinaryText() {
    BpeTokenCounter exact = SharedTokenizerFile.require();
    assertThat(exact.count("<|endoftext|>")).isGreaterThan(1);
    assertThat(exact.count("a\uD800b")).isPositive();
    assertThat(exact.count("")).isZero();
  }

  @Test
  void malformedVocabularyFilesAreRejected(@TempDir Path dir) throws IOException {
    Path bad = dir.resolve("bad.tiktoken");
    Files.writeString(bad, "IQ== 0\nnot base64 at all\n");
    assertThatThrownBy(() -> TokenCounter.fromVocabulary(bad))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("bad.tiktoken")
        .hasMessageContaining("line 2");
    Path tooSmall = dir.resolve("small.tiktoken");
    Files.writeString(tooSmall, "IQ== 0\nIg== 1\n");
    assertThatThrownBy(() -> TokenCounter.fromVocabulary(tooSmall))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("single byte");
    assertThatThrownBy(() -> TokenCounter.fromVocabulary(dir.resolve("missing.tiktoken")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("missing.tiktoken");
  }

  @Test
  void aTinyByteLevelVocabularyMergesByRank() throws IOException {
    // all 256 bytes, then "ab" (rank 256), "bc" (257), "abc" (258)
    StringBuilder sb = new StringBuilder();
    java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();
    for (int b = 0; b < 256; b++) {
      sb.append(b64.encodeToString(new byte[] {(byte) b})).append(' ').append(b).append('\n');
    }
    sb.append(b64.encodeToString("ab".getBytes(StandardCharsets.US_ASCII))).append(" 256\n");
    sb.append(b64.encodeToString("bc".getBytes(StandardCharsets.US_ASCII))).append(" 257\n");
    sb.append(b64.encodeToString("abc".getBytes(StandardCharsets.US_ASCII))).append(" 258\n");
    Vocabulary v = Vocabulary.read(new StringReader(sb.toString()));
    BytePairEncoder e = new BytePairEncoder(v, BytePairEncoder.sabiaPattern());
    assertThat(e.encode("abc")).containsExactly(258); // whole piece is a token
    assertThat(e.encode("abcd")).containsExactly(258, 'd'); // ab first (lower rank), then abc
    assertThat(e.encode("bcab")).containsExactly(257, 256);
    assertThat(e.encode("abab")).containsExactly(256, 256);
  }

  // ------------------------------------------------------------------ the estimator

  @Test
  void estimatorIsWithinOnePercentOfExactOnPortugueseProse() throws IOException {
    BpeTokenCounter exact = SharedTokenizerFile.require();
    String sample = portugueseSample();
    int truth = exact.count(sample);
    int estimate = TokenCounter.estimator().count(sample);
    assertThat((double) estimate).isCloseTo(truth, within(truth * 0.01));
    // and message by message (short texts, where rounding matters most)
    long truthByLine = 0;
    long estimateByLine = 0;
    for (String line : sample.split("\n")) {
      truthByLine += exact.count(line);
      estimateByLine += TokenCounter.estimator().count(line);
    }
    assertThat((double) estimateByLine).isCloseTo(truthByLine, within(truthByLine * 0.01));
  }

  @Test
  void estimatorIsExactOnEnglishAndCodeInTheReviewedStrings() throws IOException {
    BpeTokenCounter exact = SharedTokenizerFile.require();
    String english =
        "The quick brown fox jumps over the lazy dog. Please summarise the following document"
            + " in three bullet points, and return JSON: {\"items\": [1, 2, 3]}.";
    assertThat(TokenCounter.estimator().count(english)).isEqualTo(exact.count(english));
  }

  @ParameterizedTest
  @CsvSource({"'7', 1", "'42', 2", "'2024', 4", "'123456789012345', 15", "' 2024', 5"})
  void estimatorCountsOneTokenPerDigit(String text, int tokens) {
    assertThat(TokenCounter.estimator().count(text)).isEqualTo(tokens);
  }

  @Test
  void estimatorHandlesEmptyAndDecomposedText() {
    TokenCounter e = TokenCounter.estimator();
    assertThat(e.count("")).isZero();
    assertThat(e.count("ac\u0327a\u0303o")).isEqualTo(e.count("ação"));
    assertThat(TokenCounter.estimator()).isSameAs(e);
  }

  // ------------------------------------------------------------------ defaults

  @Test
  void defaultsAreTheEstimatorUnlessAFileIsNamed(@TempDir Path dir) {
    assertThat(DefaultTokenCounter.resolve(null, null)).isSameAs(TokenCounter.estimator());
    assertThat(DefaultTokenCounter.resolve(" ", "")).isSameAs(TokenCounter.estimator());
    assertThatThrownBy(() -> DefaultTokenCounter.resolve(null, dir.resolve("nope").toString()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(TokenCounter.TOKENIZER_FILE_ENV);
    assertThatThrownBy(() -> DefaultTokenCounter.resolve(dir.toString(), null))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(TokenCounter.TOKENIZER_FILE_PROPERTY);
    SharedTokenizerFile.path()
        .ifPresent(
            p ->
                assertThat(DefaultTokenCounter.resolve(null, p.toString()).count("Olá, mundo!"))
                    .isEqualTo(5));
  }

  // ------------------------------------------------------------------ framing

  /** Counts one token per character: makes the framing arithmetic visible. */
  private static final TokenCounter CHARS = String::length;

  @Test
  void messagesAddTheDocumentedFraming() {
    List<Message> msgs =
        List.of(
            Message.system("abc"), // 5 + 3
            Message.user("hello").withName("ana"), // 5 + 5 + 1 + 3
            Message.assistant(null, List.of(new ToolCall("c1", "f", "{}"))), // 5 + 8 + 1 + 2
            Message.tool("c1", "ok"), // 5 + 2 + 2 + 2
            Message.user(
                List.of(
                    ContentPart.text("ver"),
                    ContentPart.imageUrl("https://x/y.png"),
                    ContentPart.imageUrl("https://x/z.png").withDetail("low")))); // 5+3+765+85
    long expected =
        (5 + 3)
            + (5 + 5 + TokenOverhead.PER_NAME + 3)
            + (5 + TokenOverhead.PER_TOOL_CALL + 1 + 2)
            + (5 + 2 + TokenOverhead.PER_TOOL_RESULT + 2)
            + (5 + 3 + TokenOverhead.IMAGE + TokenOverhead.IMAGE_LOW_DETAIL);
    assertThat(TokenOverhead.PER_MESSAGE).isEqualTo(5);
    assertThat(CHARS.countMessages(msgs)).isEqualTo(expected);
    assertThat(PromptCounting.messages(CHARS, msgs)).isEqualTo(expected);
  }

  @Test
  void requestsAddPrimingToolsAndResponseSchema() {
    Tool tool = Tool.function("tempo", "Previsão do tempo", Map.of("type", "object"));
    ChatRequest plain = ChatRequest.builder().addMessage(Message.user("oi")).build();
    assertThat(CHARS.countRequest(plain)).isEqualTo(5 + 2 + TokenOverhead.REPLY_PRIMING);

    String toolJson =
        "{\"type\":\"function\",\"function\":{\"name\":\"tempo\","
            + "\"description\":\"Previsão do tempo\",\"parameters\":{\"type\":\"object\"}}}";
    ChatRequest withTool = plain.toBuilder().tools(List.of(tool)).build();
    assertThat(CHARS.countRequest(withTool))
        .isEqualTo(
            5 + 2 + 3 + TokenOverhead.TOOLS_PREAMBLE + TokenOverhead.PER_TOOL + toolJson.length());

    ChatRequest withSchema =
        plain.toBuilder()
            .responseFormat(ResponseFormat.jsonSchema("r", Map.of("type", "object")))
            .build();
    String schemaJson = "{\"name\":\"r\",\"schema\":{\"type\":\"object\"},\"strict\":true}";
    assertThat(CHARS.countRequest(withSchema))
        .isEqualTo(5 + 2 + 3 + TokenOverhead.RESPONSE_SCHEMA + schemaJson.length());
    ChatRequest jsonObject = plain.toBuilder().responseFormat(ResponseFormat.JSON_OBJECT).build();
    assertThat(CHARS.countRequest(jsonObject)).isEqualTo(5 + 2 + 3);
  }

  @Test
  void emptyMessageListCountsNothing() {
    assertThat(TokenCounter.estimator().countMessages(List.of())).isZero();
  }
}
