package io.github.maritaca4j.springai;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.ServiceTier;
import io.github.maritaca4j.TestClocks;
import io.github.maritaca4j.cost.Cost;
import io.github.maritaca4j.cost.PricingMode;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import io.github.maritaca4j.simulator.RateLimit;
import io.github.maritaca4j.simulator.SimulatorStats.RequestRecord;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.metadata.EmptyRateLimit;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;

class MaritacaChatModelTest {
  private static MaritacaSimulator sim;
  private static MaritacaChatModel model;

  @BeforeAll
  static void start() {
    sim =
        MaritacaSimulator.builder()
            .seed(42)
            .rateLimit("sabiazinho-4", RateLimit.of(10_000, 10_000_000, 1_000_000))
            .start();
    model = MaritacaChatModel.of(client());
  }

  static ChatMaritaca client() {
    return ChatMaritaca.builder()
        .baseUrl(sim.baseUrl())
        .apiKey("test-key")
        .clock(TestClocks.peak())
        .build();
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  @BeforeEach
  void reset() {
    sim.reset();
  }

  @Test
  void answersAPromptWithUsageCostAndMetadata() {
    ChatResponse response = model.call(new Prompt("Qual é a capital do Brasil?"));

    assertThat(response.getResult().getOutput().getText())
        .isEqualTo("A capital do Brasil é Brasília.");
    assertThat(response.getResult().getMetadata().getFinishReason()).isEqualTo("STOP");
    assertThat(response.getMetadata().getModel()).isEqualTo("sabia-4");
    assertThat(response.getMetadata().getId()).isNotBlank();
    RequestRecord sent = sim.stats().log().get(0);
    DefaultUsage usage = (DefaultUsage) response.getMetadata().getUsage();
    assertThat(usage.getPromptTokens()).isEqualTo(sent.promptTokens()).isPositive();
    assertThat(usage.getCompletionTokens()).isEqualTo(sent.completionTokens()).isPositive();
    assertThat(usage.getTotalTokens())
        .isEqualTo(usage.getPromptTokens() + usage.getCompletionTokens());
    assertThat(usage.getCacheReadInputTokens()).isZero();
    assertThat(usage.getNativeUsage()).isInstanceOf(io.github.maritaca4j.Usage.class);
    Cost cost = response.getMetadata().get(Mapping.COST);
    assertThat(cost.mode()).isEqualTo(PricingMode.STANDARD);
    assertThat(cost.total()).isPositive();
    assertThat((Integer) response.getMetadata().get(Mapping.ATTEMPTS)).isEqualTo(1);
    assertThat((String) response.getMetadata().get(Mapping.SERVICE_TIER)).isEqualTo("standard");
    // the simulator sends no x-ratelimit-* headers for a model without limits
    assertThat(response.getMetadata().getRateLimit()).isInstanceOf(EmptyRateLimit.class);
  }

  @Test
  void thePromptsOptionsOverrideTheDefaultsAndReachTheServer() {
    ChatResponse response =
        model.call(
            new Prompt(
                List.of(
                    new SystemMessage("Responda em português."),
                    new UserMessage("Conte uma história longa sobre o Brasil.")),
                MaritacaChatOptions.builder()
                    .model("sabiazinho-4")
                    .maxTokens(5)
                    .serviceTier(ServiceTier.FLEX)
                    .build()));

    assertThat(response.getResult().getMetadata().getFinishReason()).isEqualTo("LENGTH");
    assertThat(response.getMetadata().getUsage().getCompletionTokens()).isEqualTo(5);
    assertThat(response.getMetadata().getModel()).isEqualTo("sabiazinho-4");
    assertThat(sim.stats().log().get(0).model()).isEqualTo("sabiazinho-4");
    assertThat((String) response.getMetadata().get(Mapping.SERVICE_TIER)).isEqualTo("flex");
    Cost cost = response.getMetadata().get(Mapping.COST);
    assertThat(cost.mode()).isEqualTo(PricingMode.FLEX);
    // sabiazinho-4 is limited in this simulator: it sends x-ratelimit-* headers
    MaritacaRateLimit limit = (MaritacaRateLimit) response.getMetadata().getRateLimit();
    assertThat(limit.getRequestsLimit()).isEqualTo(10_000L);
    assertThat(limit.getRequestsRemaining()).isBetween(1L, 10_000L);
    assertThat(limit.getTokensLimit()).isEqualTo(10_000_000L);
  }

  @Test
  void portableOptionsOfAnotherKindApplyToo() {
    ChatResponse response =
        model.call(
            new Prompt(
                "Conte uma história longa sobre o Brasil.",
                ChatOptions.builder().maxTokens(3).temperature(0.1).build()));

    assertThat(response.getMetadata().getUsage().getCompletionTokens()).isEqualTo(3);
    assertThat(response.getMetadata().getModel()).isEqualTo("sabia-4");
  }

  @Test
  void aConversationWithAnAssistantTurnIsSent() {
    ChatResponse response =
        model.call(
            new Prompt(
                List.of(
                    new UserMessage("Olá"),
                    new AssistantMessage("Olá! Como posso ajudar?"),
                    new UserMessage("Qual é a capital da Argentina?"))));

    assertThat(response.getResult().getOutput().getText())
        .isEqualTo("A capital da Argentina é Buenos Aires.");
  }

  @Test
  void streamsTheSameAnswerInPiecesAndEndsWithUsage() {
    Prompt prompt = new Prompt("Conte uma história sobre o Brasil.");
    String whole = model.call(prompt).getResult().getOutput().getText();

    List<ChatResponse> chunks = model.stream(prompt).collectList().block();

    assertThat(chunks).hasSizeGreaterThan(2);
    String streamed =
        chunks.stream().map(c -> c.getResult().getOutput().getText()).collect(Collectors.joining());
    assertThat(streamed).isEqualTo(whole);
    ChatResponse last = chunks.get(chunks.size() - 1);
    assertThat(last.getResult().getMetadata().getFinishReason()).isEqualTo("STOP");
    assertThat(last.getMetadata().getUsage().getCompletionTokens()).isPositive();
    assertThat((Cost) last.getMetadata().get(Mapping.COST)).isNotNull();
    assertThat(sim.stats().requests()).isEqualTo(2);
  }

  @Test
  void cachedInputTokensOfARepeatedLongPromptAreReported() {
    StringBuilder context = new StringBuilder();
    for (int i = 0; context.length() < 12_000; i++) {
      context.append("Cláusula ").append(i).append(": o contratante paga em dia. ");
    }
    Prompt first =
        new Prompt(List.of(new SystemMessage(context.toString()), new UserMessage("Resuma.")));
    Prompt second =
        new Prompt(List.of(new SystemMessage(context.toString()), new UserMessage("Liste.")));

    DefaultUsage cold = (DefaultUsage) model.call(first).getMetadata().getUsage();
    DefaultUsage warm = (DefaultUsage) model.call(second).getMetadata().getUsage();

    assertThat(cold.getPromptTokens()).isGreaterThan(1024);
    assertThat(cold.getCacheReadInputTokens()).isZero();
    assertThat(warm.getCacheReadInputTokens())
        .isEqualTo((long) sim.stats().log().get(1).cachedTokens())
        .isGreaterThanOrEqualTo(1024L);
    assertThat(((io.github.maritaca4j.Usage) warm.getNativeUsage()).cachedPromptTokens())
        .isEqualTo(warm.getCacheReadInputTokens());
  }

  @Test
  void defaultOptionsOfTheBuilderApplyToEveryCall() {
    MaritacaChatModel small =
        MaritacaChatModel.builder()
            .client(client())
            .defaultOptions(
                MaritacaChatOptions.builder().model("sabiazinho-4").maxTokens(4).build())
            .build();

    assertThat(small.getOptions().getModel()).isEqualTo("sabiazinho-4");
    ChatResponse response = small.call(new Prompt("Conte uma história longa sobre o Brasil."));
    assertThat(response.getMetadata().getUsage().getCompletionTokens()).isEqualTo(4);
    assertThat(sim.stats().log().get(0).model()).isEqualTo("sabiazinho-4");
  }
}
