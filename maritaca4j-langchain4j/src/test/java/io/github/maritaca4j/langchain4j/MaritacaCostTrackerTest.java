package io.github.maritaca4j.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import io.github.maritaca4j.cost.PricingMode;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MaritacaCostTrackerTest {
  private static MaritacaSimulator sim;

  @BeforeAll
  static void start() {
    sim = MaritacaSimulator.start();
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  @Test
  void addsUpCostAndUsageOfCallsFromManyThreads() throws Exception {
    MaritacaCostTracker costs = new MaritacaCostTracker();
    MaritacaChatModel model =
        MaritacaChatModel.builder()
            .client(Pinned.peak())
            .baseUrl(sim.baseUrl())
            .apiKey("k")
            .listeners(costs)
            .build();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<ChatResponse>> futures = new ArrayList<>();
    try {
      for (int i = 0; i < 12; i++) {
        String q = "Pergunta número " + i;
        futures.add(
            pool.submit(
                () -> model.chat(ChatRequest.builder().messages(UserMessage.from(q)).build())));
      }
      BigDecimal expected = BigDecimal.ZERO;
      long tokens = 0;
      for (Future<ChatResponse> f : futures) {
        ChatResponse r = f.get(10, TimeUnit.SECONDS);
        MaritacaChatResponseMetadata meta = (MaritacaChatResponseMetadata) r.metadata();
        assertThat(meta.cost().orElseThrow().mode()).isEqualTo(PricingMode.STANDARD); // noon
        expected = expected.add(meta.costBrl());
        tokens += r.tokenUsage().totalTokenCount();
      }

      assertThat(costs.responses()).isEqualTo(12);
      assertThat(costs.totalBrl()).isEqualByComparingTo(expected);
      assertThat(costs.tokenUsage().totalTokenCount()).isEqualTo((int) tokens);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void countsStreamsAndFailuresAndStartsAgainAfterReset() throws Exception {
    MaritacaCostTracker costs = new MaritacaCostTracker();
    MaritacaStreamingChatModel model =
        MaritacaStreamingChatModel.builder()
            .client(Pinned.peak())
            .baseUrl(sim.baseUrl())
            .apiKey("k")
            .listeners(costs)
            .build();
    CompletableFuture<ChatResponse> done = new CompletableFuture<>();

    model.chat(
        "Escreva sobre o Cerrado.",
        new StreamingChatResponseHandler() {
          @Override
          public void onCompleteResponse(ChatResponse r) {
            done.complete(r);
          }

          @Override
          public void onError(Throwable e) {
            done.completeExceptionally(e);
          }
        });
    ChatResponse r = done.get(10, TimeUnit.SECONDS);
    MaritacaChatModel failing =
        MaritacaChatModel.builder()
            .client(Pinned.peak())
            .baseUrl(sim.baseUrl())
            .apiKey("k")
            .modelName("sabia-99")
            .listeners(costs)
            .build();
    catchThrowable(() -> failing.chat("Oi"));

    assertThat(costs.responses()).isEqualTo(1);
    assertThat(costs.failures()).isEqualTo(1);
    assertThat(costs.totalBrl())
        .isEqualByComparingTo(((MaritacaChatResponseMetadata) r.metadata()).costBrl());

    costs.reset();
    assertThat(costs.responses()).isZero();
    assertThat(costs.totalBrl()).isZero();
  }
}
