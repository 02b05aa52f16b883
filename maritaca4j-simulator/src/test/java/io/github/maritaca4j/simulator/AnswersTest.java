package io.github.maritaca4j.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Answers: canned, templated, stop sequences, tools, response_format, n, prefix cache. */
class AnswersTest {
  static MaritacaSimulator sim;
  static String url;

  static final String WEATHER_TOOL =
      "{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"description\":\"Clima atual de"
          + " uma cidade\",\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},"
          + "\"unit\":{\"type\":\"string\",\"enum\":[\"celsius\",\"fahrenheit\"]},\"days\":{\"type\":\"integer\","
          + "\"minimum\":1},\"detailed\":{\"type\":\"boolean\"}},\"required\":[\"city\",\"unit\",\"days\"]}}}";

  @BeforeAll
  static void start() {
    sim = MaritacaSimulator.builder().seed(11).start();
    url = sim.baseUrl() + "/chat/completions";
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  private static JsonNode ask(String body) {
    HttpResponse<String> r = Http.post(url, body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Http.json(r);
  }

  private static String content(JsonNode j) {
    return j.path("choices").get(0).path("message").path("content").asText();
  }

  @ParameterizedTest
  @CsvSource({
    "Qual é a capital do Brasil?, Brasília",
    "qual a capital da argentina, Buenos Aires",
    "Qual é a capital do Chile?, Santiago",
    "Qual é a capital do Peru?, Lima",
    "Qual é a capital da Colômbia?, Bogotá",
    "Qual é a capital do Uruguai?, Montevidéu",
    "Qual é a capital do Paraguai?, Assunção",
    "Qual é a capital da Venezuela?, Caracas",
    "Qual é a capital do Equador?, Quito",
    "Qual é a capital de Portugal?, Lisboa",
    "Qual é a capital da França?, Paris",
    "What is the capital of Argentina?, Buenos Aires",
    "What is the capital of Colombia?, Bogotá",
    "Quem escreveu Dom Casmurro?, Machado de Assis",
    "Quem descobriu o Brasil?, Cabral",
  })
  void demoQuestionsGetSensibleAnswers(String question, String expected) {
    assertThat(content(ask(Http.chat("sabia-4", question, null)))).contains(expected);
  }

  @Test
  void otherPromptsGetTemplatedPortugueseOfTheConfiguredLength() {
    try (MaritacaSimulator fixed =
        MaritacaSimulator.builder().answerLength(AnswerLength.fixed(200)).start()) {
      JsonNode j =
          Http.json(
              Http.post(
                  fixed.baseUrl() + "/chat/completions",
                  Http.chat("sabia-4", "Fale sobre economia.", null)));
      int tokens = j.path("usage").path("completion_tokens").asInt();
      assertThat(tokens).isBetween(200, 240); // ends at the end of a sentence
      assertThat(content(j)).endsWith(".");
      assertThat(j.path("choices").get(0).path("finish_reason").asText()).isEqualTo("stop");
    }
  }

  @Test
  void differentSeedsGiveDifferentAnswers() {
    String body = Http.chat("sabia-4", "Fale sobre economia.", null);
    try (MaritacaSimulator other = MaritacaSimulator.builder().seed(12).start()) {
      String a = content(ask(body));
      String b = content(Http.json(Http.post(other.baseUrl() + "/chat/completions", body)));
      assertThat(a).isNotEqualTo(b);
    }
  }

  @Test
  void stopSequenceTruncatesTheAnswer() {
    String full = content(ask(Http.chat("sabia-4", "Qual é a capital do Brasil?", null)));
    JsonNode j =
        ask(Http.chat("sabia-4", "Qual é a capital do Brasil?", "\"stop\":[\"Bras\", \"zzz\"]"));
    assertThat(content(j)).isEqualTo(full.substring(0, full.indexOf("Bras")));
    assertThat(j.path("choices").get(0).path("finish_reason").asText()).isEqualTo("stop");
  }

  @Test
  void requiredToolChoiceAnswersWithAToolCallFillingRequiredProperties() throws Exception {
    JsonNode j =
        ask(
            Http.chat(
                "sabia-4",
                "Como está o tempo em Porto Alegre?",
                "\"tools\":[" + WEATHER_TOOL + "],\"tool_choice\":\"required\""));
    JsonNode c = j.path("choices").get(0);
    assertThat(c.path("finish_reason").asText()).isEqualTo("tool_calls");
    assertThat(c.path("message").path("content").isNull()).isTrue();
    JsonNode call = c.path("message").path("tool_calls").get(0);
    assertThat(call.path("id").asText()).startsWith("call_");
    assertThat(call.path("type").asText()).isEqualTo("function");
    assertThat(call.path("function").path("name").asText()).isEqualTo("get_weather");
    JsonNode args = Http.JSON.readTree(call.path("function").path("arguments").asText());
    assertThat(args.path("city").asText()).isEqualTo("Porto Alegre");
    assertThat(args.path("unit").asText()).isEqualTo("celsius");
    assertThat(args.path("days").isInt()).isTrue();
    assertThat(args.path("days").asInt()).isGreaterThanOrEqualTo(1);
    assertThat(j.path("usage").path("completion_tokens").asInt()).isPositive();
  }

  @Test
  void autoToolChoiceCallsAToolOnlyWhenTheQuestionMentionsIt() {
    JsonNode weather =
        ask(Http.chat("sabia-4", "Qual o clima em Recife?", "\"tools\":[" + WEATHER_TOOL + "]"));
    assertThat(weather.path("choices").get(0).path("finish_reason").asText())
        .isEqualTo("tool_calls");
    JsonNode other =
        ask(Http.chat("sabia-4", "Qual é a capital do Peru?", "\"tools\":[" + WEATHER_TOOL + "]"));
    assertThat(other.path("choices").get(0).path("finish_reason").asText()).isEqualTo("stop");
    JsonNode none =
        ask(
            Http.chat(
                "sabia-4",
                "Qual o clima em Recife?",
                "\"tools\":[" + WEATHER_TOOL + "],\"tool_choice\":\"none\""));
    assertThat(none.path("choices").get(0).path("finish_reason").asText()).isEqualTo("stop");
  }

  @Test
  void autoToolChoiceSplitsCamelCaseToolNames() {
    String camel =
        "{\"type\":\"function\",\"function\":{\"name\":\"getStockPrice\",\"parameters\":{\"type\":\"object\",\"properties\":{\"symbol\":{\"type\":\"string\"}},\"required\":[\"symbol\"]}}}";
    JsonNode j =
        ask(Http.chat("sabia-4", "What is the stock price of ACME?", "\"tools\":[" + camel + "]"));
    JsonNode c = j.path("choices").get(0);
    assertThat(c.path("finish_reason").asText()).isEqualTo("tool_calls");
    assertThat(c.path("message").path("tool_calls").get(0).path("function").path("name").asText())
        .isEqualTo("getStockPrice");
  }

  @Test
  void namedToolChoiceCallsThatFunction() {
    String other =
        "{\"type\":\"function\",\"function\":{\"name\":\"search\",\"parameters\":{\"type\":\"object\",\"properties\":{\"query\":{\"type\":\"string\"}},\"required\":[\"query\"]}}}";
    JsonNode j =
        ask(
            Http.chat(
                "sabia-4",
                "Qual o clima em Recife?",
                "\"tools\":["
                    + WEATHER_TOOL
                    + ","
                    + other
                    + "],\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"search\"}}"));
    JsonNode call = j.path("choices").get(0).path("message").path("tool_calls").get(0);
    assertThat(call.path("function").path("name").asText()).isEqualTo("search");
    assertThat(call.path("function").path("arguments").asText()).contains("Recife");
  }

  @Test
  void aToolResultGetsAFinalTextAnswer() {
    String body =
        "{\"model\":\"sabia-4\",\"tools\":["
            + WEATHER_TOOL
            + "],\"messages\":["
            + "{\"role\":\"user\",\"content\":\"Qual o clima em Recife?\"},"
            + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Recife\\\"}\"}}]},"
            + "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"29 graus, ensolarado\"}]}";
    JsonNode j = ask(body);
    assertThat(j.path("choices").get(0).path("finish_reason").asText()).isEqualTo("stop");
    assertThat(content(j)).contains("29 graus, ensolarado");
  }

  @Test
  void jsonSchemaResponseFormatGivesAConformingObject() throws Exception {
    String rf =
        "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"r\",\"strict\":true,\"schema\":"
            + "{\"type\":\"object\",\"properties\":{\"capital\":{\"type\":\"string\"},\"population\":{\"type\":\"integer\"},"
            + "\"area\":{\"type\":\"number\"},\"coastal\":{\"type\":\"boolean\"},\"continent\":{\"type\":\"string\",\"enum\":[\"América do Sul\",\"Europa\"]},"
            + "\"neighbours\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
            + "\"mayor\":{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"}},\"required\":[\"name\"]}},"
            + "\"required\":[\"capital\",\"population\",\"area\",\"coastal\",\"continent\",\"neighbours\",\"mayor\"],\"additionalProperties\":false}}}";
    JsonNode o =
        Http.JSON.readTree(content(ask(Http.chat("sabia-4", "Qual é a capital do Brasil?", rf))));
    assertThat(o.path("capital").asText()).isEqualTo("Brasília");
    assertThat(o.path("population").isIntegralNumber()).isTrue();
    assertThat(o.path("area").isNumber()).isTrue();
    assertThat(o.path("coastal").isBoolean()).isTrue();
    assertThat(o.path("continent").asText()).isEqualTo("América do Sul");
    assertThat(o.path("neighbours").isArray()).isTrue();
    assertThat(o.path("neighbours").get(0).isTextual()).isTrue();
    assertThat(o.path("mayor").path("name").isTextual()).isTrue();
    JsonNode obj =
        Http.JSON.readTree(
            content(
                ask(
                    Http.chat(
                        "sabia-4",
                        "Qual é a capital do Chile?",
                        "\"response_format\":{\"type\":\"json_object\"}"))));
    assertThat(obj.isObject()).isTrue();
  }

  @Test
  void nChoicesAreAllReturnedAndCounted() {
    JsonNode j = ask(Http.chat("sabia-4", "Fale sobre o mar.", "\"n\":3,\"max_tokens\":10"));
    assertThat(j.path("choices")).hasSize(3);
    assertThat(j.path("usage").path("completion_tokens").asInt()).isEqualTo(30);
  }

  @Test
  void repeatedLongPrefixReportsCachedTokensInBlocksOf128() {
    String longText = "O rio Amazonas atravessa a floresta. ".repeat(200); // > 1024 tokens
    String first =
        "{\"model\":\"sabia-4\",\"messages\":[{\"role\":\"system\",\"content\":\""
            + longText
            + "\"},{\"role\":\"user\",\"content\":\"Pergunta um\"}]}";
    String second = first.replace("Pergunta um", "Outra pergunta diferente");
    JsonNode a = ask(first);
    assertThat(a.path("usage").path("prompt_tokens_details").path("cached_tokens").asInt())
        .isZero();
    JsonNode b = ask(second);
    int cached = b.path("usage").path("prompt_tokens_details").path("cached_tokens").asInt();
    int prompt = b.path("usage").path("prompt_tokens").asInt();
    assertThat(cached).isGreaterThanOrEqualTo(1024).isLessThan(prompt);
    assertThat(cached % 128).isZero();
    assertThat(prompt - cached).isLessThan(128 + 20);
    // short prompts never hit the cache
    ask(Http.chat("sabia-4", "curta", null));
    JsonNode c = ask(Http.chat("sabia-4", "curta", null));
    assertThat(c.path("usage").path("prompt_tokens_details").path("cached_tokens").asInt())
        .isZero();
  }

  @Test
  void promptTokensFollowTheDocumentedFormula() {
    // "Olá, mundo!" is 5 tokens: 5 + 4 (message) + 3 (priming) = 12
    JsonNode j = ask(Http.chat("sabia-4", "Olá, mundo!", null));
    assertThat(j.path("usage").path("prompt_tokens").asInt()).isEqualTo(12);
    // digits count one token each: "2024" is 4
    JsonNode d = ask(Http.chat("sabia-4", "2024", null));
    assertThat(d.path("usage").path("prompt_tokens").asInt()).isEqualTo(4 + 4 + 3);
  }
}
