package io.github.maritaca4j.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.AudioContent;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.listener.ChatModelErrorContext;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelRequestContext;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.ToolChoice;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.ServiceTier;
import io.github.maritaca4j.TestClocks;
import io.github.maritaca4j.cost.PricingMode;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MaritacaChatModelTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static MaritacaSimulator sim;
  private static MaritacaChatModel model;

  @BeforeAll
  static void start() {
    sim = MaritacaSimulator.builder().seed(42).start();
    model = builder(Pinned.peak()).build();
  }

  /** A model on the simulator whose client is {@code client} (for its pinned clock). */
  private static MaritacaChatModel.Builder builder(ChatMaritaca client) {
    return MaritacaChatModel.builder().client(client).baseUrl(sim.baseUrl()).apiKey("test-key");
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  @BeforeEach
  void reset() {
    sim.reset();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.maritaca4j.TestClocks#windows")
  void answersAPlainQuestionWithUsageCostAndMetadata(TestClocks.Window window) {
    MaritacaChatModel model = builder(Pinned.client(window.clock())).build();
    ChatResponse response =
        model.chat(
            ChatRequest.builder()
                .messages(UserMessage.from("Qual é a capital do Brasil?"))
                .build());

    assertThat(response.aiMessage().text()).isEqualTo("A capital do Brasil é Brasília.");
    assertThat(response.aiMessage().hasToolExecutionRequests()).isFalse();
    assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(response.id()).isNotBlank();
    assertThat(response.modelName()).isEqualTo("sabia-4");
    assertThat(response.tokenUsage().inputTokenCount()).isPositive();
    assertThat(response.tokenUsage().outputTokenCount()).isPositive();
    assertThat(response.tokenUsage().totalTokenCount())
        .isEqualTo(
            response.tokenUsage().inputTokenCount() + response.tokenUsage().outputTokenCount());
    assertThat(response.metadata()).isInstanceOf(MaritacaChatResponseMetadata.class);
    MaritacaChatResponseMetadata meta = (MaritacaChatResponseMetadata) response.metadata();
    assertThat(meta.tokenUsage().cachedInputTokenCount()).isNotNull();
    assertThat(meta.costBrl()).isPositive();
    // the list price at noon in Brasília, 70 % of it at 23:00 (off-peak: 22:00-06:00)
    assertThat(meta.cost().orElseThrow().mode()).isEqualTo(window.mode());
    assertThat(meta.costBrl())
        .isEqualByComparingTo(
            Pinned.sabia4(
                response.tokenUsage().inputTokenCount(),
                meta.tokenUsage().cachedInputTokenCount(),
                response.tokenUsage().outputTokenCount(),
                window.mode()));
    assertThat(meta.attempts()).isEqualTo(1);
    assertThat(meta.serviceTier()).isEqualTo(ServiceTier.STANDARD);
    assertThat(meta.rateLimitStatus()).isEmpty(); // this simulator has no limits, so no headers
    assertThat(sim.stats().ok()).isEqualTo(1);
  }

  @Test
  void metadataCarriesTheRateLimitHeaders() {
    try (MaritacaSimulator limited =
        MaritacaSimulator.builder()
            .rateLimit("sabia-4", io.github.maritaca4j.simulator.RateLimit.of(1_000, 2_000_000, 0))
            .start()) {
      MaritacaChatModel m =
          MaritacaChatModel.builder()
              .client(Pinned.peak())
              .baseUrl(limited.baseUrl())
              .apiKey("test-key")
              .build();
      ChatResponse response = m.chat(UserMessage.from("Olá"));
      MaritacaChatResponseMetadata meta = (MaritacaChatResponseMetadata) response.metadata();
      io.github.maritaca4j.RateLimitStatus s = meta.rateLimitStatus().orElseThrow();
      assertThat(s.limitRequests()).isEqualTo(1_000);
      assertThat(s.remainingRequests()).isBetween(0L, 999L);
      assertThat(s.limitTokens()).isEqualTo(2_000_000);
      assertThat(meta.toBuilder().build()).isEqualTo(meta);
    }
  }

  @Test
  void theStringShortcutWorks() {
    assertThat(model.chat("Qual é a capital do Chile?"))
        .isEqualTo("A capital do Chile é Santiago.");
  }

  @Test
  void sendsRequestParametersAndReportsACutAnswer() {
    ChatResponse response =
        model.chat(
            ChatRequest.builder()
                .messages(UserMessage.from("Escreva um texto longo sobre a história do Brasil."))
                .maxOutputTokens(5)
                .temperature(0.1)
                .build());

    assertThat(response.finishReason()).isEqualTo(FinishReason.LENGTH);
    assertThat(response.tokenUsage().outputTokenCount()).isEqualTo(5);
  }

  @Test
  void sendsSystemUserImageAndAssistantMessages() {
    ChatResponse response =
        model.chat(
            SystemMessage.from("Você é um assistente conciso."),
            UserMessage.from("Qual é a capital da Argentina?"),
            AiMessage.from("A capital da Argentina é Buenos Aires."),
            UserMessage.from(
                TextContent.from("Qual é a capital do Peru?"),
                ImageContent.from("https://example.com/mapa.png")));

    assertThat(response.aiMessage().text()).isEqualTo("A capital do Peru é Lima.");
  }

  @Test
  void callsAToolWhenRequiredAndAnswersWithItsResult() {
    ToolSpecification weather =
        ToolSpecification.builder()
            .name("consultar_clima")
            .description("Consulta o clima atual de uma cidade")
            .parameters(
                JsonObjectSchema.builder()
                    .addStringProperty("cidade", "nome da cidade")
                    .required("cidade")
                    .build())
            .build();
    UserMessage question = UserMessage.from("Vou viajar amanhã. Como estará o tempo em Recife?");

    ChatResponse first =
        model.chat(
            ChatRequest.builder()
                .messages(question)
                .toolSpecifications(weather)
                .toolChoice(ToolChoice.REQUIRED)
                .build());

    assertThat(first.finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
    assertThat(first.aiMessage().text()).isNull();
    ToolExecutionRequest call = first.aiMessage().toolExecutionRequests().get(0);
    assertThat(call.name()).isEqualTo("consultar_clima");
    assertThat(call.id()).isNotBlank();
    assertThat(call.arguments()).contains("\"cidade\"").contains("Recife");

    ChatResponse second =
        model.chat(
            ChatRequest.builder()
                .messages(
                    question,
                    first.aiMessage(),
                    ToolExecutionResultMessage.from(call, "Recife: 29 °C, sol"))
                .toolSpecifications(weather)
                .build());

    assertThat(second.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(second.aiMessage().text()).contains("Recife: 29 °C, sol");
  }

  @Test
  void answersInJsonFollowingASchema() throws Exception {
    JsonSchema schema =
        JsonSchema.builder()
            .name("Capital")
            .rootElement(
                JsonObjectSchema.builder()
                    .addStringProperty("pais")
                    .addStringProperty("capital")
                    .addIntegerProperty("populacao")
                    .required("pais", "capital", "populacao")
                    .build())
            .build();

    ChatResponse response =
        model.chat(
            ChatRequest.builder()
                .messages(UserMessage.from("Qual é a capital do Japão?"))
                .responseFormat(
                    ResponseFormat.builder()
                        .type(ResponseFormatType.JSON)
                        .jsonSchema(schema)
                        .build())
                .build());

    JsonNode json = JSON.readTree(response.aiMessage().text());
    assertThat(json.path("pais").isTextual()).isTrue();
    assertThat(json.path("capital").asText()).isEqualTo("Tóquio");
    assertThat(json.path("populacao").isInt()).isTrue();
  }

  @Test
  void answersAnyJsonObjectWithoutASchema() throws Exception {
    ChatResponse response =
        model.chat(
            ChatRequest.builder()
                .messages(UserMessage.from("Qual é a capital da Itália?"))
                .responseFormat(ResponseFormat.JSON)
                .build());

    assertThat(JSON.readTree(response.aiMessage().text()).isObject()).isTrue();
  }

  @Test
  void builderSettingsBecomeTheDefaultRequestParametersAndTheClientsDefaults() {
    MaritacaChatModel m =
        builder(Pinned.peak())
            .modelName("sabiazinho-4")
            .temperature(0.2)
            .maxTokens(100)
            .stopSequences("FIM")
            .serviceTier(ServiceTier.FLEX)
            .defaultRequestParameters(
                ChatRequestParameters.builder().temperature(0.9).topP(0.5).build())
            .build();

    MaritacaChatRequestParameters p = m.defaultRequestParameters();
    assertThat(p.modelName()).isEqualTo("sabiazinho-4");
    assertThat(p.temperature()).isEqualTo(0.2); // the explicit setter wins
    assertThat(p.topP()).isEqualTo(0.5);
    assertThat(p.maxOutputTokens()).isEqualTo(100);
    assertThat(p.stopSequences()).containsExactly("FIM");
    assertThat(p.serviceTier()).isEqualTo(ServiceTier.FLEX);
    assertThat(m.client().defaults().model()).isEqualTo("sabiazinho-4");
    assertThat(m.client().defaults().temperature()).isEqualTo(0.2);
    assertThat(m.client().defaults().serviceTier()).isEqualTo(ServiceTier.FLEX);

    ChatResponse response =
        m.chat(
            ChatRequest.builder()
                .messages(UserMessage.from("Qual é a capital do Uruguai?"))
                .build());
    assertThat(response.modelName()).isEqualTo("sabiazinho-4");
    MaritacaChatResponseMetadata meta = (MaritacaChatResponseMetadata) response.metadata();
    assertThat(meta.serviceTier()).isEqualTo(ServiceTier.FLEX);
    assertThat(meta.cost().orElseThrow().mode()).isEqualTo(PricingMode.FLEX);
  }

  /** Flex is half price at any hour: the off-peak discount never applies to it. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.maritaca4j.TestClocks#windows")
  void perRequestServiceTierOverridesTheDefault(TestClocks.Window window) {
    MaritacaChatModel model = builder(Pinned.client(window.clock())).build();
    ChatResponse response =
        model.chat(
            ChatRequest.builder()
                .messages(UserMessage.from("Qual é a capital do Peru?"))
                .parameters(
                    MaritacaChatRequestParameters.builder().serviceTier(ServiceTier.FLEX).build())
                .build());

    MaritacaChatResponseMetadata meta = (MaritacaChatResponseMetadata) response.metadata();
    assertThat(meta.serviceTier()).isEqualTo(ServiceTier.FLEX);
    // flex: half the standard price, in both windows
    assertThat(meta.cost().orElseThrow().mode()).isEqualTo(PricingMode.FLEX);
    BigDecimal standard =
        BigDecimal.valueOf(response.tokenUsage().inputTokenCount())
            .multiply(new BigDecimal("5"))
            .add(
                BigDecimal.valueOf(response.tokenUsage().outputTokenCount())
                    .multiply(new BigDecimal("20")))
            .movePointLeft(6);
    assertThat(meta.costBrl()).isEqualByComparingTo(standard.divide(BigDecimal.valueOf(2)));
  }

  @Test
  void buildsOnAnExistingClient() {
    ChatMaritaca client =
        ChatMaritaca.builder()
            .clock(TestClocks.peak())
            .baseUrl(sim.baseUrl())
            .apiKey("test-key")
            .model("sabiazinho-4")
            .maxTokens(64)
            .build();

    MaritacaChatModel m = MaritacaChatModel.of(client);

    assertThat(m.defaultRequestParameters().modelName()).isEqualTo("sabiazinho-4");
    assertThat(m.defaultRequestParameters().maxOutputTokens()).isEqualTo(64);
    assertThat(m.chat("Qual é a capital do Chile?")).isEqualTo("A capital do Chile é Santiago.");
  }

  @Test
  void supportsJsonSchemaResponses() {
    assertThat(model.supportedCapabilities()).contains(Capability.RESPONSE_FORMAT_JSON_SCHEMA);
  }

  @Test
  void rejectsTopKAsUnsupported() {
    ChatRequest request = ChatRequest.builder().messages(UserMessage.from("Oi")).topK(5).build();

    assertThatThrownBy(() -> model.chat(request)).isInstanceOf(UnsupportedFeatureException.class);
    assertThat(sim.stats().requests()).isZero();
  }

  @Test
  void rejectsContentTheApiCannotTake() {
    UserMessage audio = UserMessage.from(AudioContent.from("AAAA", "audio/wav"));

    assertThatThrownBy(() -> model.chat(audio)).isInstanceOf(UnsupportedFeatureException.class);
  }

  @Test
  void rejectsAnOutOfRangeParameterBeforeSending() {
    ChatRequest request =
        ChatRequest.builder().messages(UserMessage.from("Oi")).temperature(3.0).build();

    assertThatThrownBy(() -> model.chat(request))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("temperature");
    assertThat(sim.stats().requests()).isZero();
  }

  @Test
  void rejectsAnInvalidBuilderValueAtBuildTime() {
    assertThatThrownBy(() -> MaritacaChatModel.builder().baseUrl(sim.baseUrl()).topP(1.5).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("topP");
  }

  @Test
  void tellsListenersAboutRequestsAndResponses() {
    List<String> events = new ArrayList<>();
    ChatModelListener listener =
        new ChatModelListener() {
          @Override
          public void onRequest(ChatModelRequestContext ctx) {
            events.add("request:" + ctx.chatRequest().parameters().modelName());
          }

          @Override
          public void onResponse(ChatModelResponseContext ctx) {
            events.add("response:" + ctx.chatResponse().aiMessage().text());
          }

          @Override
          public void onError(ChatModelErrorContext ctx) {
            events.add("error:" + ctx.error().getClass().getSimpleName());
          }
        };
    MaritacaChatModel m = builder(Pinned.peak()).listeners(listener).build();

    m.chat("Qual é a capital do Brasil?");
    assertThatThrownBy(
        () ->
            m.chat(
                ChatRequest.builder()
                    .messages(UserMessage.from("Oi"))
                    .modelName("sabia-99")
                    .build()));

    assertThat(events)
        .containsExactly(
            "request:sabia-4",
            "response:A capital do Brasil é Brasília.",
            "request:sabia-99",
            "error:ModelNotFoundException");
  }
}
