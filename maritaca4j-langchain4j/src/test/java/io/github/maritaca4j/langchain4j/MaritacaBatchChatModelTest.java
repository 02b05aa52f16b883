package io.github.maritaca4j.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.model.batch.BatchItemResult;
import dev.langchain4j.model.batch.BatchPage;
import dev.langchain4j.model.batch.BatchPagination;
import dev.langchain4j.model.batch.BatchRequest;
import dev.langchain4j.model.batch.BatchResponse;
import dev.langchain4j.model.batch.BatchState;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.TestClocks;
import io.github.maritaca4j.cost.PricingMode;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MaritacaBatchChatModelTest {

  private static ChatRequest question(String text) {
    return ChatRequest.builder().messages(UserMessage.from(text)).build();
  }

  private static MaritacaBatchChatModel batchModel(MaritacaSimulator sim) {
    return batchModel(sim, Pinned.peak());
  }

  /** A Batch API model on the simulator whose client is {@code client} (for its clock). */
  private static MaritacaBatchChatModel batchModel(MaritacaSimulator sim, ChatMaritaca client) {
    return MaritacaBatchChatModel.of(
        MaritacaChatModel.builder()
            .client(client)
            .baseUrl(sim.baseUrl())
            .apiKey("test-key")
            .build());
  }

  /** Polls as a user would, until the batch ends (a bound, not a timed assertion). */
  private static BatchResponse<ChatResponse> awaitEnd(MaritacaBatchChatModel model, String id)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    BatchResponse<ChatResponse> r = model.retrieve(id);
    while (!r.state().isTerminal() && System.nanoTime() < deadline) {
      Thread.sleep(10);
      r = model.retrieve(id);
    }
    return r;
  }

  /** Batch API answers cost half the list price at any hour: off-peak never applies to them. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.maritaca4j.TestClocks#windows")
  void submitsAndRetrievesResultsInSubmissionOrderAtBatchPrices(TestClocks.Window window)
      throws Exception {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder().batchPace(Duration.ofMillis(5)).start()) {
      MaritacaBatchChatModel model = batchModel(sim, Pinned.client(window.clock()));
      List<String> tooManyStops = new ArrayList<>();
      for (int i = 0; i < 17; i++) {
        tooManyStops.add("s" + i);
      }
      List<ChatRequest> requests =
          List.of(
              question("Qual é a capital do Brasil?"),
              question("Qual é a capital do Chile?"),
              ChatRequest.builder()
                  .messages(UserMessage.from("Oi"))
                  .stopSequences(tooManyStops) // the server rejects this line
                  .build(),
              question("Qual é a capital do Peru?"));

      BatchResponse<ChatResponse> submitted = model.submit(new BatchRequest<>(requests));

      assertThat(submitted.batchId()).isNotBlank();
      assertThat(submitted.state()).isIn(BatchState.PENDING, BatchState.RUNNING);
      assertThat(submitted.results()).isEmpty();

      BatchResponse<ChatResponse> done = awaitEnd(model, submitted.batchId());

      assertThat(done.state()).isEqualTo(BatchState.SUCCEEDED);
      assertThat(done.results()).hasSize(4);
      assertThat(done.results())
          .extracting(BatchItemResult::isSuccess)
          .containsExactly(true, true, false, true);
      assertThat(done.results().get(0).response().aiMessage().text())
          .isEqualTo("A capital do Brasil é Brasília.");
      assertThat(done.results().get(1).response().aiMessage().text())
          .isEqualTo("A capital do Chile é Santiago.");
      assertThat(done.results().get(3).response().aiMessage().text())
          .isEqualTo("A capital do Peru é Lima.");
      assertThat(done.results().get(2).error().message()).containsIgnoringCase("stop");
      assertThat(done.errors()).hasSize(1);

      ChatResponse first = done.responses().get(0);
      MaritacaChatResponseMetadata meta = (MaritacaChatResponseMetadata) first.metadata();
      assertThat(meta.cost())
          .hasValueSatisfying(c -> assertThat(c.mode()).isEqualTo(PricingMode.BATCH));
      // half of sabia-4's list price (R$ 5 / R$ 20 per million tokens)
      BigDecimal listPrice =
          BigDecimal.valueOf(
                  first.tokenUsage().inputTokenCount() * 5L
                      + first.tokenUsage().outputTokenCount() * 20L)
              .movePointLeft(6);
      assertThat(meta.costBrl()).isEqualByComparingTo(listPrice.divide(BigDecimal.valueOf(2)));
      // the Batch API is not the chat endpoint: no real-time request was made
      assertThat(sim.stats().requests()).isZero();
    }
  }

  @Test
  void aBatchTheWindowClosesOnReportsEveryUnrunRequestAsAFailure() throws Exception {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder()
            .batchPace(Duration.ofMillis(5))
            .batchExpiry(Duration.ofMillis(1))
            .start()) {
      MaritacaBatchChatModel model = batchModel(sim);

      String id =
          model
              .submit(
                  new BatchRequest<>(
                      List.of(
                          question("Qual é a capital do Brasil?"),
                          question("Qual é a capital do Chile?"))))
              .batchId();
      BatchResponse<ChatResponse> done = awaitEnd(model, id);

      assertThat(done.state()).isEqualTo(BatchState.EXPIRED);
      assertThat(done.results()).hasSize(2).noneMatch(BatchItemResult::isSuccess);
      assertThat(done.errors())
          .allSatisfy(
              e ->
                  assertThat(e.details())
                      .singleElement()
                      .satisfies(d -> assertThat(d).containsEntry("code", "batch_expired")));
    }
  }

  @Test
  void cancelsARunningBatch() throws Exception {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder().batchPace(Duration.ofMillis(200)).start()) {
      MaritacaBatchChatModel model = batchModel(sim);
      String id = model.submit(new BatchRequest<>(List.of(question("Oi")))).batchId();

      model.cancel(id);

      assertThat(model.retrieve(id).state()).isIn(BatchState.RUNNING, BatchState.CANCELLED);
      assertThat(awaitEnd(model, id).state()).isEqualTo(BatchState.CANCELLED);
    }
  }

  @Test
  void listsBatchesNewestFirstPageByPage() {
    try (MaritacaSimulator sim = MaritacaSimulator.start()) {
      MaritacaBatchChatModel model = batchModel(sim);
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        ids.add(model.submit(new BatchRequest<>(List.of(question("Pergunta " + i)))).batchId());
      }

      BatchPage<ChatResponse> first = model.list(new BatchPagination(2, null));
      BatchPage<ChatResponse> second = model.list(new BatchPagination(2, first.nextPageToken()));

      assertThat(first.batches())
          .extracting(BatchResponse::batchId)
          .containsExactly(ids.get(2), ids.get(1));
      assertThat(first.nextPageToken()).isNotNull();
      assertThat(second.batches()).extracting(BatchResponse::batchId).containsExactly(ids.get(0));
      assertThat(second.nextPageToken()).isNull();
    }
  }

  @Test
  void rejectsWhatTheBatchApiCannotTakeBeforeSending() {
    try (MaritacaSimulator sim = MaritacaSimulator.start()) {
      MaritacaBatchChatModel model = batchModel(sim);
      ChatRequest small =
          ChatRequest.builder().messages(UserMessage.from("Oi")).modelName("sabiazinho-4").build();

      assertThatThrownBy(() -> model.submit(new BatchRequest<>(List.of(question("Oi"), small))))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("one model");
      assertThatThrownBy(() -> model.submit(new BatchRequest<>(List.of())))
          .isInstanceOf(InvalidRequestException.class);
      assertThat(model.list(null).batches()).isEmpty();
    }
  }

  @Test
  void mapsTheBatchApiStatusesToLangChain4jStates() {
    assertThat(MaritacaBatchChatModel.state(io.github.maritaca4j.batchapi.BatchStatus.VALIDATING))
        .isEqualTo(BatchState.PENDING);
    assertThat(MaritacaBatchChatModel.state(io.github.maritaca4j.batchapi.BatchStatus.FINALIZING))
        .isEqualTo(BatchState.RUNNING);
    assertThat(MaritacaBatchChatModel.state(io.github.maritaca4j.batchapi.BatchStatus.CANCELLING))
        .isEqualTo(BatchState.RUNNING);
    assertThat(MaritacaBatchChatModel.state(io.github.maritaca4j.batchapi.BatchStatus.FAILED))
        .isEqualTo(BatchState.FAILED);
    assertThat(MaritacaBatchChatModel.state(io.github.maritaca4j.batchapi.BatchStatus.UNKNOWN))
        .isEqualTo(BatchState.UNSPECIFIED);
  }
}
