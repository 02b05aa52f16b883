package io.github.maritaca4j.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.Result;
import dev.langchain4j.service.SystemMessage;
import dev.langchain4j.service.TokenStream;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AiServicesTest {
  private static MaritacaSimulator sim;
  private static MaritacaChatModel model;

  @BeforeAll
  static void start() {
    sim = MaritacaSimulator.builder().seed(42).start();
    model = MaritacaChatModel.builder().baseUrl(sim.baseUrl()).apiKey("test-key").build();
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  static class WeatherTools {
    final List<String> calls = new CopyOnWriteArrayList<>();

    @Tool("Consulta o clima atual de uma cidade")
    String clima(@P(name = "cidade", value = "nome da cidade") String cidade) {
      calls.add(cidade);
      return "Em " + cidade + " faz 23 °C com sol.";
    }
  }

  interface Assistant {
    @SystemMessage("Você é um assistente de viagens. Responda em português.")
    Result<String> chat(String message);
  }

  @Test
  void runsTheToolTheModelCallsAndAnswersWithItsResult() {
    WeatherTools tools = new WeatherTools();
    Assistant assistant =
        AiServices.builder(Assistant.class)
            .chatModel(model)
            .tools(tools)
            .chatMemory(MessageWindowChatMemory.withMaxMessages(10))
            .build();

    Result<String> result = assistant.chat("Como está o clima em Curitiba?");

    assertThat(tools.calls).containsExactly("Curitiba");
    assertThat(result.content()).contains("Em Curitiba faz 23 °C com sol.");
    assertThat(result.toolExecutions())
        .singleElement()
        .satisfies(e -> assertThat(e.request().name()).isEqualTo("clima"));
    // two model calls (the tool call, then the answer): their usage is summed, cached tokens too
    assertThat(result.tokenUsage()).isInstanceOf(MaritacaTokenUsage.class);
    assertThat(result.tokenUsage().inputTokenCount()).isPositive();
  }

  record Capital(String pais, String capital) {}

  interface Extractor {
    Capital capital(String question);
  }

  @Test
  void returnsARecordThroughAJsonSchemaResponseFormat() {
    Extractor extractor = AiServices.create(Extractor.class, model);
    long before = sim.statsWithoutLog().requests();

    Capital capital = extractor.capital("Qual é a capital da França?");

    assertThat(capital.capital()).isEqualTo("Paris");
    assertThat(capital.pais()).isNotBlank();
    assertThat(sim.statsWithoutLog().requests() - before).isEqualTo(1);
  }

  interface StreamingAssistant {
    TokenStream chat(String message);
  }

  @Test
  void streamsThroughATokenStream() throws Exception {
    MaritacaStreamingChatModel streaming =
        MaritacaStreamingChatModel.builder().baseUrl(sim.baseUrl()).apiKey("test-key").build();
    StreamingAssistant assistant =
        AiServices.builder(StreamingAssistant.class)
            .streamingChatModel(streaming)
            .tools(new WeatherTools())
            .build();
    List<String> partials = new CopyOnWriteArrayList<>();
    CompletableFuture<String> done = new CompletableFuture<>();

    assistant
        .chat("Como está o clima em Salvador?")
        .onPartialResponse(partials::add)
        .onCompleteResponse(r -> done.complete(r.aiMessage().text()))
        .onError(done::completeExceptionally)
        .start();

    String text = done.get(10, TimeUnit.SECONDS);
    assertThat(text).contains("Em Salvador faz 23 °C com sol.");
    assertThat(String.join("", partials)).endsWith(text);
  }
}
