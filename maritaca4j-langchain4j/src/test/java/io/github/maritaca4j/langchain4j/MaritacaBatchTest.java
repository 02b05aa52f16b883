package io.github.maritaca4j.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.message.AudioContent;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.Message;
import io.github.maritaca4j.TestClocks;
import io.github.maritaca4j.batch.BatchOptions;
import io.github.maritaca4j.cost.CostEstimate;
import io.github.maritaca4j.cost.PricingMode;
import io.github.maritaca4j.simulator.Latency;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MaritacaBatchTest {
  private static final List<String> COUNTRIES =
      List.of(
          "Brasil",
          "Argentina",
          "Chile",
          "Peru",
          "Colômbia",
          "Uruguai",
          "Paraguai",
          "Bolívia",
          "Venezuela",
          "Equador");
  private static final List<String> CAPITALS =
      List.of(
          "Brasília",
          "Buenos Aires",
          "Santiago",
          "Lima",
          "Bogotá",
          "Montevidéu",
          "Assunção",
          "Sucre",
          "Caracas",
          "Quito");

  private static MaritacaSimulator sim;
  private static MaritacaChatModel model;

  @BeforeAll
  static void start() {
    // a little latency with jitter, so that completion order differs from input order
    sim =
        MaritacaSimulator.builder()
            .latency(Latency.of(Duration.ofMillis(20), Duration.ZERO, 0.8))
            .start();
    model = builder(Pinned.peak()).build();
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  /** A model on the simulator whose client is {@code client} (for its pinned clock). */
  private static MaritacaChatModel.Builder builder(ChatMaritaca client) {
    return MaritacaChatModel.builder().client(client).baseUrl(sim.baseUrl()).apiKey("test-key");
  }

  @BeforeEach
  void reset() {
    sim.reset();
  }

  private static List<List<ChatMessage>> questions() {
    List<List<ChatMessage>> inputs = new ArrayList<>();
    for (String country : COUNTRIES) {
      String article =
          List.of("Argentina", "Colômbia", "Bolívia", "Venezuela").contains(country) ? "da" : "do";
      inputs.add(List.of(UserMessage.from("Qual é a capital " + article + " " + country + "?")));
    }
    return inputs;
  }

  @Test
  void batchAsyncReturnsTheAnswersInInputOrderWithinTheConcurrencyCap() {
    List<ChatResponse> responses = model.batchAsync(questions(), 3).join();

    assertThat(responses).hasSize(COUNTRIES.size());
    for (int i = 0; i < responses.size(); i++) {
      assertThat(responses.get(i).aiMessage().text()).contains(CAPITALS.get(i));
      assertThat(responses.get(i).metadata()).isInstanceOf(MaritacaChatResponseMetadata.class);
    }
    assertThat(sim.stats().maxInFlight()).isLessThanOrEqualTo(3);
    assertThat(sim.stats().ok()).isEqualTo(COUNTRIES.size());
  }

  @Test
  void batchWithProgressReportsEachItemOnceWithAFixedTotal() {
    List<int[]> calls = new ArrayList<>();
    List<ChatResponse> reported = new ArrayList<>();
    Thread caller = Thread.currentThread();
    List<Thread> threads = new ArrayList<>();

    List<ChatResponse> responses =
        model.batchWithProgress(
            questions(),
            3,
            (completed, total, response) -> {
              calls.add(new int[] {completed, total});
              reported.add(response);
              threads.add(Thread.currentThread());
            });

    assertThat(calls).extracting(c -> c[0]).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    assertThat(calls).extracting(c -> c[1]).containsOnly(10);
    assertThat(reported).doesNotContainNull();
    assertThat(reported)
        .extracting(r -> r.aiMessage().text())
        .containsExactlyInAnyOrderElementsOf(
            responses.stream().map(r -> r.aiMessage().text()).toList());
    assertThat(threads).containsOnly(caller);
    for (int i = 0; i < responses.size(); i++) {
      assertThat(responses.get(i).aiMessage().text()).contains(CAPITALS.get(i));
    }
  }

  @Test
  void withReturnExceptionsEveryItemIsAnAnswerOrAnError() {
    List<ChatRequest> requests = new ArrayList<>();
    for (List<ChatMessage> q : questions().subList(0, 4)) {
      requests.add(ChatRequest.builder().messages(q).build());
    }
    requests.set(
        2, ChatRequest.builder().messages(UserMessage.from("Oi")).modelName("sabia-99").build());

    MaritacaBatchResult result =
        model
            .batchRequestsAsync(
                requests, BatchOptions.builder().maxConcurrency(2).returnExceptions(true).build())
            .join();

    assertThat(result.size()).isEqualTo(4);
    assertThat(result.successes())
        .extracting(MaritacaBatchResult.Item::index)
        .containsExactly(0, 1, 3);
    MaritacaBatchResult.Item failed = result.get(2);
    assertThat(failed.isSuccess()).isFalse();
    assertThat(failed.error()).isInstanceOf(ModelNotFoundException.class);
    assertThat(failed.source().error().statusCode()).isEqualTo(404);
    assertThat(result.get(3).response().aiMessage().text()).contains("Lima");
    assertThat(result.allSucceeded()).isFalse();
    assertThat(result.summary().failed()).isEqualTo(1);
    assertThat(result.cost().total()).isPositive();
    assertThat(result.cost().mode()).isEqualTo(PricingMode.STANDARD); // noon in Brasília
    assertThat(result.tokenUsage().outputTokenCount()).isPositive();
    assertThatThrownBy(result::responses).isInstanceOf(ModelNotFoundException.class);
  }

  @Test
  void withoutReturnExceptionsTheFirstFailureFailsTheBatch() {
    List<ChatRequest> requests =
        List.of(
            ChatRequest.builder().messages(UserMessage.from("Oi")).modelName("sabia-99").build(),
            ChatRequest.builder().messages(UserMessage.from("Qual é a capital do Peru?")).build());

    CompletableFuture<MaritacaBatchResult> f =
        model.batchRequestsAsync(requests, BatchOptions.builder().maxConcurrency(1).build());

    assertThatThrownBy(f::get)
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(ModelNotFoundException.class);
  }

  @Test
  void eachBatchedRequestKeepsItsOwnParameters() {
    List<ChatRequest> requests =
        List.of(
            ChatRequest.builder()
                .messages(UserMessage.from("Qual é a capital do Chile?"))
                .responseFormat(ResponseFormat.JSON)
                .build(),
            ChatRequest.builder()
                .messages(UserMessage.from("Qual é a capital do Chile?"))
                .modelName("sabiazinho-4")
                .build());

    MaritacaBatchResult result = model.batchRequestsAsync(requests, BatchOptions.defaults()).join();

    assertThat(result.get(0).response().aiMessage().text()).startsWith("{");
    assertThat(result.get(1).response().modelName()).isEqualTo("sabiazinho-4");
    assertThat(result.get(1).response().aiMessage().text())
        .isEqualTo("A capital do Chile é Santiago.");
  }

  @Test
  void batchAsyncWithOptionsAppliesStopSequences() {
    MaritacaBatchResult result =
        model
            .batchAsync(
                questions().subList(0, 2), BatchOptions.builder().stop(List.of(" é ")).build())
            .join();

    assertThat(result.responses())
        .extracting(r -> r.aiMessage().text())
        .containsExactly("A capital do Brasil", "A capital da Argentina");
  }

  /** The estimate is at the prices in force when it is made: the client's clock decides. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.maritaca4j.TestClocks#windows")
  void estimatesTheCostBeforeRunning(TestClocks.Window window) {
    List<List<ChatMessage>> inputs = questions();
    MaritacaChatModel model = builder(Pinned.client(window.clock())).build();

    CostEstimate e = model.estimateBatchCost(inputs, 500);

    assertThat(e.totalRequests()).isEqualTo(10);
    assertThat(e.totalOutputTokens()).isEqualTo(5000);
    long expectedInput = 0;
    for (List<ChatMessage> conversation : inputs) {
      expectedInput +=
          model
              .client()
              .tokenCounter()
              .countRequest(model.client().request(Mapping.toMessages(conversation)).build());
    }
    assertThat(e.totalInputTokens()).isEqualTo(expectedInput);
    assertThat(e.totalCost()).isEqualByComparingTo(e.totalInputCost().add(e.totalOutputCost()));
    assertThat(e.pricingMode()).isEqualTo(window.mode());
    assertThat(e.totalCost())
        .isEqualByComparingTo(Pinned.sabia4(expectedInput, null, 5000, window.mode()));
    assertThat(e.model()).isEqualTo("sabia-4");
    assertThat(sim.stats().requests()).isZero();
  }

  @Test
  void anEmptyBatchSendsNothing() {
    assertThat(model.batchAsync(List.of(), 3).join()).isEmpty();
    assertThat(model.batchWithProgress(List.of(), 3, null)).isEmpty();
    assertThat(sim.stats().requests()).isZero();
  }

  @Test
  void rejectsBadInputsBeforeSending() {
    assertThatThrownBy(() -> model.batchAsync(List.of(List.of()), 3))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> model.batchAsync(questions(), 0))
        .isInstanceOf(InvalidRequestException.class);
    List<List<ChatMessage>> audio =
        List.of(List.of(UserMessage.from(AudioContent.from("AAAA", "audio/wav"))));
    assertThatThrownBy(() -> model.batchAsync(audio, 3))
        .isInstanceOf(UnsupportedFeatureException.class);
    assertThat(sim.stats().requests()).isZero();
  }

  @Test
  void cancellingTheFutureStopsTheBatch() {
    List<List<ChatMessage>> many = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      many.add(List.of(SystemMessage.from("Seja breve."), UserMessage.from("Pergunta " + i)));
    }

    CompletableFuture<List<ChatResponse>> f = model.batchAsync(many, 1);
    f.cancel(true);

    assertThatThrownBy(f::join).isInstanceOf(java.util.concurrent.CancellationException.class);
    assertThat(sim.statsWithoutLog().requests()).isLessThan(50);
  }

  @Test
  void batchMessagesMatchTheChatPath() {
    List<Message> converted = Mapping.toMessages(questions().get(0));
    assertThat(converted).containsExactly(Message.user("Qual é a capital do Brasil?"));
  }
}
