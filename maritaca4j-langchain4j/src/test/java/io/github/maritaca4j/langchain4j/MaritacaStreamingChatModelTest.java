package io.github.maritaca4j.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ToolChoice;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.FinishReason;
import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.ChatResult;
import io.github.maritaca4j.Choice;
import io.github.maritaca4j.Message;
import io.github.maritaca4j.TestClocks;
import io.github.maritaca4j.ToolCall;
import io.github.maritaca4j.Usage;
import io.github.maritaca4j.simulator.Latency;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MaritacaStreamingChatModelTest {
  private static MaritacaSimulator sim;
  private static MaritacaStreamingChatModel model;

  @BeforeAll
  static void start() {
    sim = MaritacaSimulator.builder().seed(7).start();
    model = builder(Pinned.peak()).build();
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  /** A streaming model on the simulator whose client is {@code client} (for its pinned clock). */
  private static MaritacaStreamingChatModel.Builder builder(ChatMaritaca client) {
    return MaritacaStreamingChatModel.builder()
        .client(client)
        .baseUrl(sim.baseUrl())
        .apiKey("test-key");
  }

  /** Records every callback; {@link #done} completes with the response or the error. */
  static class Recorder implements StreamingChatResponseHandler {
    final List<String> partials = new CopyOnWriteArrayList<>();
    final List<PartialToolCall> partialCalls = new CopyOnWriteArrayList<>();
    final List<CompleteToolCall> completeCalls = new CopyOnWriteArrayList<>();
    final List<Throwable> errors = new CopyOnWriteArrayList<>();
    final CompletableFuture<ChatResponse> done = new CompletableFuture<>();

    @Override
    public void onPartialResponse(String partialResponse) {
      partials.add(partialResponse);
    }

    @Override
    public void onPartialToolCall(PartialToolCall partialToolCall) {
      partialCalls.add(partialToolCall);
    }

    @Override
    public void onCompleteToolCall(CompleteToolCall completeToolCall) {
      completeCalls.add(completeToolCall);
    }

    @Override
    public void onCompleteResponse(ChatResponse completeResponse) {
      done.complete(completeResponse);
    }

    @Override
    public void onError(Throwable error) {
      errors.add(error);
      done.completeExceptionally(error);
    }

    ChatResponse await() throws Exception {
      return done.get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void partialsConcatenateToTheFinalTextWithUsage() throws Exception {
    Recorder r = new Recorder();

    model.chat("Escreva um parágrafo sobre a Amazônia.", r);
    ChatResponse response = r.await();

    assertThat(r.partials).hasSizeGreaterThan(1);
    assertThat(String.join("", r.partials)).isEqualTo(response.aiMessage().text());
    assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(response.tokenUsage().inputTokenCount()).isPositive();
    assertThat(response.tokenUsage().outputTokenCount()).isPositive();
    assertThat(((MaritacaChatResponseMetadata) response.metadata()).costBrl()).isPositive();
    assertThat(r.errors).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.maritaca4j.TestClocks#windows")
  void aStreamIsBilledAtTheWindowsPrices(TestClocks.Window window) throws Exception {
    Recorder r = new Recorder();

    builder(Pinned.client(window.clock())).build().chat("Qual é a capital do Brasil?", r);
    ChatResponse response = r.await();

    MaritacaChatResponseMetadata meta = (MaritacaChatResponseMetadata) response.metadata();
    assertThat(meta.cost().orElseThrow().mode()).isEqualTo(window.mode());
    assertThat(meta.costBrl())
        .isPositive()
        .isEqualByComparingTo(
            Pinned.sabia4(
                response.tokenUsage().inputTokenCount(),
                meta.tokenUsage().cachedInputTokenCount(),
                response.tokenUsage().outputTokenCount(),
                window.mode()));
  }

  @Test
  void streamsToolCallsInPiecesThenComplete() throws Exception {
    ToolSpecification weather =
        ToolSpecification.builder()
            .name("consultar_clima")
            .description("Consulta o clima atual de uma cidade")
            .parameters(
                JsonObjectSchema.builder()
                    .addStringProperty("cidade")
                    .addStringProperty("unidade")
                    .required("cidade", "unidade")
                    .build())
            .build();
    Recorder r = new Recorder();

    model.chat(
        ChatRequest.builder()
            .messages(UserMessage.from("Como está o clima em Porto Alegre?"))
            .toolSpecifications(weather)
            .toolChoice(ToolChoice.REQUIRED)
            .build(),
        r);
    ChatResponse response = r.await();

    assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
    String arguments = response.aiMessage().toolExecutionRequests().get(0).arguments();
    assertThat(arguments).contains("Porto Alegre");
    assertThat(r.partialCalls).isNotEmpty();
    assertThat(r.partialCalls)
        .allSatisfy(
            p -> {
              assertThat(p.index()).isZero();
              assertThat(p.name()).isEqualTo("consultar_clima");
              assertThat(p.id())
                  .isEqualTo(response.aiMessage().toolExecutionRequests().get(0).id());
            });
    assertThat(
            r.partialCalls.stream()
                .map(PartialToolCall::partialArguments)
                .reduce("", String::concat))
        .isEqualTo(arguments);
    assertThat(r.completeCalls)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.index()).isZero();
              assertThat(c.toolExecutionRequest())
                  .isEqualTo(response.aiMessage().toolExecutionRequests().get(0));
            });
  }

  @Test
  void failuresGoToOnError() throws Exception {
    Recorder r = new Recorder();

    model.chat(
        ChatRequest.builder()
            .messages(UserMessage.from("Oi"))
            .modelName("sabia-nao-existe")
            .build(),
        r);

    assertThat(r.done).failsWithin(Duration.ofSeconds(10));
    assertThat(r.errors)
        .singleElement()
        .isInstanceOf(ModelNotFoundException.class)
        .satisfies(
            e ->
                assertThat(e.getCause())
                    .isInstanceOf(io.github.maritaca4j.errors.NotFoundException.class));
  }

  @Test
  void invalidRequestsGoToOnErrorWithoutSending() {
    Recorder r = new Recorder();
    long before = sim.statsWithoutLog().requests();

    model.chat(ChatRequest.builder().messages(UserMessage.from("Oi")).topK(3).build(), r);

    assertThat(r.done).isCompletedExceptionally();
    assertThat(sim.statsWithoutLog().requests()).isEqualTo(before);
  }

  @Test
  void aHandlerExceptionGoesToOnErrorAndTheStreamGoesOn() throws Exception {
    Recorder r =
        new Recorder() {
          @Override
          public void onPartialResponse(String partialResponse) {
            super.onPartialResponse(partialResponse);
            if (partials.size() == 1) {
              throw new IllegalStateException("boom");
            }
          }

          @Override
          public void onError(Throwable error) {
            errors.add(error); // keep waiting for the complete response
          }
        };

    model.chat("Escreva um parágrafo sobre o Pantanal.", r);
    ChatResponse response = r.await();

    assertThat(r.errors).hasSize(1);
    assertThat(r.errors.get(0)).hasMessage("boom");
    assertThat(String.join("", r.partials)).isEqualTo(response.aiMessage().text());
  }

  @Test
  void cancellingThroughTheHandleStopsTheStream() throws Exception {
    try (MaritacaSimulator slow =
        MaritacaSimulator.builder().latency(Latency.fixed(Duration.ofMillis(20))).start()) {
      MaritacaStreamingChatModel m =
          MaritacaStreamingChatModel.builder().baseUrl(slow.baseUrl()).apiKey("test-key").build();
      List<String> partials = new CopyOnWriteArrayList<>();
      CompletableFuture<Object> anyEnd = new CompletableFuture<>();
      m.chat(
          "Escreva um texto longo sobre o Cerrado.",
          new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(PartialResponse p, PartialResponseContext ctx) {
              partials.add(p.text());
              ctx.streamingHandle().cancel();
            }

            @Override
            public void onCompleteResponse(ChatResponse completeResponse) {
              anyEnd.complete(completeResponse);
            }

            @Override
            public void onError(Throwable error) {
              anyEnd.complete(error);
            }
          });

      // nothing more arrives after the cancellation: no more text, no completion, no error
      assertThat(anyEnd).failsWithin(Duration.ofMillis(500));
      assertThat(partials).hasSize(1);
    }
  }

  @Test
  void bridgeCompletesEachToolCallWhenTheNextStarts() {
    Recorder r = new Recorder();
    StreamBridge bridge = new StreamBridge(r);

    bridge.onToolCallDelta(0, "call_a", "clima", "");
    bridge.onToolCallDelta(0, null, null, "{\"cidade\":");
    bridge.onToolCallDelta(0, null, null, "\"Natal\"}");
    bridge.onToolCallDelta(1, "call_b", "hora", "{}");
    assertThat(r.completeCalls)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.index()).isZero();
              assertThat(c.toolExecutionRequest().id()).isEqualTo("call_a");
              assertThat(c.toolExecutionRequest().arguments()).isEqualTo("{\"cidade\":\"Natal\"}");
            });

    ChatResult result =
        new ChatResult(
            "id",
            "sabia-4",
            0,
            List.of(
                new Choice(
                    0,
                    Message.assistant(
                        null,
                        List.of(
                            new ToolCall("call_a", "clima", "{\"cidade\":\"Natal\"}"),
                            new ToolCall("call_b", "hora", "{}"))),
                    io.github.maritaca4j.FinishReason.TOOL_CALLS)),
            Usage.of(10, 5),
            null,
            null,
            1,
            Duration.ZERO,
            null);
    bridge.finish(
        result,
        Mapping.toResponse(
            result,
            io.github.maritaca4j.ChatRequest.builder()
                .messages(List.of(Message.user("x")))
                .build()));

    assertThat(r.partialCalls).extracting(PartialToolCall::index).containsExactly(0, 0, 1);
    assertThat(r.completeCalls).extracting(CompleteToolCall::index).containsExactly(0, 1);
    assertThat(r.completeCalls.get(1).toolExecutionRequest().name()).isEqualTo("hora");
    assertThat(r.done).isCompleted();
  }
}
