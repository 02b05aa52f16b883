package io.github.maritaca4j.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.batch.BatchRequest;
import dev.langchain4j.model.batch.BatchResponse;
import dev.langchain4j.model.batch.BatchState;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.Result;
import dev.langchain4j.service.SystemMessage;
import io.github.maritaca4j.batch.BatchOptions;
import io.github.maritaca4j.cost.CostEstimate;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import io.github.maritaca4j.testing.DocSnippets;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The examples of {@code docs/langchain4j.md}, run against the simulator. Each region between
 * {@code // docs:begin NAME} and {@code // docs:end} must be the code block of the page that
 * follows {@code <!-- tested: NAME -->}, compared without whitespace (the page may wrap lines as it
 * likes). Lines ending with {@code // docs:omit} exist only here (to point the example at the
 * simulator, to pin the clock at noon in Brasília so that costs do not depend on the hour, to poll
 * fast); a comment {@code // docs: CODE} is a line that only the page has.
 */
class DocsExamplesTest {
  private static MaritacaSimulator sim;
  private static String simulator;

  @BeforeAll
  static void start() {
    sim = MaritacaSimulator.builder().batchPace(Duration.ofMillis(5)).start();
    simulator = sim.baseUrl();
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  // docs:begin aiservices-types
  record Capital(String pais, String capital) {}

  interface AgenteDeViagens {
    @SystemMessage("Você é um agente de viagens. Responda em português, em poucas frases.")
    Result<String> conversar(String mensagem);

    Capital capital(String pergunta);
  }

  class Ferramentas {
    @Tool("Consulta o clima atual de uma cidade")
    String clima(@P(name = "cidade", value = "o nome da cidade") String cidade) {
      return "Em " + cidade + " faz 23 °C, com sol."; // chame aqui um serviço de verdade
    }
  }

  // docs:end

  @Test
  void aiServicesWithSabia() {
    // docs:begin aiservices-use
    MaritacaCostTracker custos = new MaritacaCostTracker();
    MaritacaChatModel sabia =
        MaritacaChatModel.builder() // chave em MARITACA_API_KEY
            .client(Pinned.peak()) // docs:omit
            .apiKey("test-key") // docs:omit
            .baseUrl(simulator) // docs:omit
            .modelName("sabia-4")
            .temperature(0.3)
            .maxRetries(3) // 429 e 5xx: novas tentativas respeitando o Retry-After
            .listeners(custos)
            .build();

    AgenteDeViagens agente =
        AiServices.builder(AgenteDeViagens.class)
            .chatModel(sabia)
            .tools(new Ferramentas())
            .chatMemory(MessageWindowChatMemory.withMaxMessages(20))
            .build();

    Result<String> resposta = agente.conversar("Como está o clima em Curitiba?");
    System.out.println(resposta.content());
    // "De acordo com o resultado da ferramenta: Em Curitiba faz 23 °C, com sol."

    Capital capital = agente.capital("Qual é a capital do Brasil?"); // saída estruturada
    System.out.println(capital); // Capital[pais=Brasil, capital=Brasília]

    System.out.printf(
        "%d respostas, %s tokens, R$ %s%n",
        custos.responses(), custos.tokenUsage().totalTokenCount(), custos.totalBrl());
    // docs:end

    assertThat(resposta.content()).contains("Em Curitiba faz 23 °C, com sol.");
    assertThat(resposta.toolExecutions())
        .singleElement()
        .satisfies(e -> assertThat(e.result()).isEqualTo("Em Curitiba faz 23 °C, com sol."));
    assertThat(capital).isEqualTo(new Capital("Brasil", "Brasília"));
    assertThat(custos.responses()).isEqualTo(3); // tool call, answer, structured answer
    assertThat(custos.totalBrl()).isPositive();
    assertThat(custos.failures()).isZero();
  }

  @Test
  void batches() {
    // docs:begin batch
    MaritacaChatModel sabia =
        MaritacaChatModel.builder()
            .client(Pinned.peak()) // docs:omit
            .apiKey("test-key") // docs:omit
            .baseUrl(simulator) // docs:omit
            .modelName("sabia-4")
            .build();

    List<List<ChatMessage>> perguntas = new ArrayList<>();
    for (String pais : List.of("do Brasil", "da Argentina", "do Chile", "do Peru", "da Colômbia")) {
      perguntas.add(List.of(UserMessage.from("Qual é a capital " + pais + "?")));
    }

    // abatch_estimate_cost(inputs, max_output_tokens=500): nada é enviado
    CostEstimate estimativa = sabia.estimateBatchCost(perguntas, 500);
    System.out.println(estimativa.summary());
    if (estimativa.totalCost().compareTo(new BigDecimal("1.00")) > 0) {
      throw new IllegalStateException("caro demais: " + estimativa.summary());
    }

    // abatch_with_concurrency(inputs, max_concurrency=3): respostas na ordem das perguntas
    List<ChatResponse> respostas = sabia.batchAsync(perguntas, 3).join();
    respostas.forEach(r -> System.out.println(r.aiMessage().text()));

    // batch_with_progress(inputs, max_concurrency=3, callback=on_progress)
    sabia.batchWithProgress(
        perguntas, 3, (feitas, total, resposta) -> System.out.printf("%d/%d%n", feitas, total));

    // return_exceptions=True: cada item é uma resposta ou um erro
    MaritacaBatchResult lote =
        sabia
            .batchAsync(
                perguntas, BatchOptions.builder().maxConcurrency(5).returnExceptions(true).build())
            .join();
    for (MaritacaBatchResult.Item item : lote) {
      System.out.println(
          item.isSuccess()
              ? item.index() + ": " + item.response().aiMessage().text()
              : item.index() + " falhou: " + item.error().getMessage());
    }
    System.out.println("Custo real: R$ " + lote.cost().total());
    // docs:end

    assertThat(estimativa.totalRequests()).isEqualTo(5);
    assertThat(estimativa.totalOutputTokens()).isEqualTo(2500);
    assertThat(respostas)
        .extracting(r -> r.aiMessage().text())
        .containsExactly(
            "A capital do Brasil é Brasília.",
            "A capital da Argentina é Buenos Aires.",
            "A capital do Chile é Santiago.",
            "A capital do Peru é Lima.",
            "A capital da Colômbia é Bogotá.");
    assertThat(lote.allSucceeded()).isTrue();
    assertThat(lote.responses())
        .extracting(r -> r.aiMessage().text())
        .containsExactlyElementsOf(respostas.stream().map(r -> r.aiMessage().text()).toList());
  }

  @Test
  void batchApi() throws Exception {
    // docs:begin batch-api
    MaritacaChatModel sabia =
        MaritacaChatModel.builder()
            .client(Pinned.peak()) // docs:omit
            .apiKey("test-key") // docs:omit
            .baseUrl(simulator) // docs:omit
            .modelName("sabia-4")
            .build();
    MaritacaBatchChatModel batchApi = MaritacaBatchChatModel.of(sabia);

    List<ChatRequest> pedidos =
        List.of(
            ChatRequest.builder().messages(UserMessage.from("Qual é a capital do Brasil?")).build(),
            ChatRequest.builder().messages(UserMessage.from("Qual é a capital do Chile?")).build());
    String id = batchApi.submit(new BatchRequest<>(pedidos)).batchId();

    // ... mais tarde (até 24 h): consulte até terminar
    BatchResponse<ChatResponse> lote = batchApi.retrieve(id);
    while (!lote.state().isTerminal()) {
      // docs: Thread.sleep(Duration.ofMinutes(10).toMillis());
      Thread.sleep(10); // docs:omit
      lote = batchApi.retrieve(id);
    }
    if (lote.state() == BatchState.SUCCEEDED) {
      lote.responses().forEach(r -> System.out.println(r.aiMessage().text()));
    }
    // docs:end

    assertThat(lote.state()).isEqualTo(BatchState.SUCCEEDED);
    assertThat(lote.responses())
        .extracting(r -> r.aiMessage().text())
        .containsExactly("A capital do Brasil é Brasília.", "A capital do Chile é Santiago.");
  }

  @Test
  void aChatModel() {
    // docs:begin chat-model
    // docs: import dev.langchain4j.model.chat.ChatModel;
    // docs: import io.github.maritaca4j.langchain4j.MaritacaChatModel;
    ChatModel sabia =
        MaritacaChatModel.builder() // key from MARITACA_API_KEY
            .client(Pinned.peak()) // docs:omit
            .apiKey("test-key") // docs:omit
            .baseUrl(simulator) // docs:omit
            .modelName("sabia-4") // or "sabiazinho-4", any alias
            .temperature(0.3)
            .build();

    String answer = sabia.chat("Qual é a capital do Brasil?");
    // docs:end

    assertThat(answer).isEqualTo("A capital do Brasil é Brasília.");
  }

  @Test
  void streamingWaitsForTheAnswer() {
    // docs:begin streaming
    StreamingChatModel sabia =
        MaritacaStreamingChatModel.builder()
            .client(Pinned.peak()) // docs:omit
            .apiKey("test-key") // docs:omit
            .baseUrl(simulator) // docs:omit
            .modelName("sabia-4")
            .build();

    CompletableFuture<ChatResponse> fim = new CompletableFuture<>();
    sabia.chat(
        "Conte uma história curta sobre o Pantanal.",
        new StreamingChatResponseHandler() {
          @Override
          public void onPartialResponse(String text) {
            System.out.print(text);
            partes.append(text); // docs:omit
          }

          @Override
          public void onCompleteResponse(ChatResponse response) {
            fim.complete(response);
          }

          @Override
          public void onError(Throwable error) {
            fim.completeExceptionally(error);
          }
        });

    // chat(...) returns at once: wait for the end, or a main method ends before the answer arrives
    ChatResponse resposta =
        fim.join(); // usage, cost; a failure comes wrapped in a CompletionException
    System.out.println();
    // docs:end

    assertThat(resposta.aiMessage().text()).isNotBlank().isEqualTo(partes.toString());
    assertThat(resposta.tokenUsage().outputTokenCount()).isPositive();
    assertThat(((MaritacaChatResponseMetadata) resposta.metadata()).costBrl()).isPositive();
  }

  private final StringBuffer partes = new StringBuffer();

  // ---- the page shows this code

  @Test
  void thePageShowsExactlyTheTestedCode() {
    List<String> regions =
        DocSnippets.assertPageShowsRegions(
            Path.of("src/test/java/io/github/maritaca4j/langchain4j/DocsExamplesTest.java"),
            Path.of("../docs/langchain4j.md"));
    assertThat(regions)
        .contains(
            "chat-model", "streaming", "aiservices-types", "aiservices-use", "batch", "batch-api");
  }
}
