package io.github.maritaca4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.maritaca4j.cost.Cost;
import io.github.maritaca4j.errors.ApiException;
import io.github.maritaca4j.errors.AuthenticationException;
import io.github.maritaca4j.errors.InvalidResponseException;
import io.github.maritaca4j.errors.NotFoundException;
import io.github.maritaca4j.errors.RequestTimeoutException;
import io.github.maritaca4j.internal.Json;
import io.github.maritaca4j.simulator.Faults;
import io.github.maritaca4j.simulator.Latency;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import io.github.maritaca4j.simulator.RateLimit;
import io.github.maritaca4j.simulator.RetryHint;
import io.github.maritaca4j.simulator.SimulatorStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The client against the simulator over real HTTP. */
class ChatMaritacaSimulatorTest {
  private static final List<Message> CAPITAL = List.of(Message.user("Qual é a capital do Brasil?"));

  /** A client at noon in Brasília: standard prices whenever the test runs. */
  private static ChatMaritaca client(MaritacaSimulator sim) {
    return ChatMaritaca.builder()
        .baseUrl(sim.baseUrl())
        .apiKey("test-key")
        .retryBackoff(Duration.ofMillis(5), Duration.ofMillis(20))
        .clock(TestClocks.peak())
        .build();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.maritaca4j.TestClocks#windows")
  void answersAndReportsUsageAndCost(TestClocks.Window window) {
    try (MaritacaSimulator sim = MaritacaSimulator.builder().seed(1).start()) {
      ChatMaritaca c = client(sim).toBuilder().clock(window.clock()).build();
      ChatResult r = c.invoke(CAPITAL);
      assertThat(r.content()).contains("Brasília");
      assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
      assertThat(r.usage().promptTokens()).isPositive();
      assertThat(r.usage().completionTokens()).isPositive();
      Cost expected = c.priceTable().cost("sabia-4", r.usage(), window.mode());
      assertThat(r.cost()).contains(expected);
      assertThat(r.cost().get().total()).isPositive();
      SimulatorStats s = sim.stats();
      assertThat(s.ok()).isEqualTo(1);
      assertThat(s.promptTokens()).isEqualTo(r.usage().promptTokens());
    }
  }

  @Test
  void runsManyAsyncCallsAtOnce() throws Exception {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder().latency(Latency.fixed(Duration.ofMillis(50))).start()) {
      ChatMaritaca c = client(sim);
      List<CompletableFuture<ChatResult>> fs = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        fs.add(c.invokeAsync(List.of(Message.user("Pergunta número " + i))));
      }
      CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
      assertThat(sim.stats().ok()).isEqualTo(40);
      assertThat(sim.stats().maxInFlight()).isGreaterThan(1);
    }
  }

  @Test
  void streamsTheSameTextItReturns() throws Exception {
    try (MaritacaSimulator sim = MaritacaSimulator.builder().seed(3).start()) {
      StringBuilder sb = new StringBuilder();
      int[] pieces = new int[1];
      ChatResult r =
          client(sim).stream(
                  client(sim)
                      .request(List.of(Message.user("Explique o ciclo da água.")))
                      .maxTokens(80)
                      .build(),
                  new StreamHandler() {
                    @Override
                    public void onText(String delta) {
                      sb.append(delta);
                      pieces[0]++;
                    }
                  })
              .get(30, TimeUnit.SECONDS);
      assertThat(pieces[0]).isGreaterThan(1);
      assertThat(sb.toString()).isEqualTo(r.content()).isNotEmpty();
      assertThat(r.usage().completionTokens()).isPositive();
    }
  }

  @Test
  void roundTripsAToolCall() {
    Tool weather =
        Tool.functionJson(
            "previsao_do_tempo",
            "Previsão do tempo numa cidade",
            "{\"type\":\"object\",\"properties\":{\"cidade\":{\"type\":\"string\"}},\"required\":[\"cidade\"]}");
    try (MaritacaSimulator sim = MaritacaSimulator.builder().seed(5).start()) {
      ChatMaritaca c = client(sim);
      List<Message> conversation = new ArrayList<>(List.of(Message.user("Vai chover em Recife?")));
      ChatResult first =
          c.invoke(
              c.request(conversation)
                  .tools(List.of(weather))
                  .toolChoice(ToolChoice.REQUIRED)
                  .build());
      assertThat(first.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
      assertThat(first.toolCalls()).hasSize(1);
      ToolCall call = first.toolCalls().get(0);
      assertThat(call.name()).isEqualTo("previsao_do_tempo");
      assertThat(Json.parseObject(call.arguments())).containsKey("cidade");
      conversation.add(first.message());
      conversation.add(Message.tool(call.id(), "Sol, 31 graus, sem chuva"));
      ChatResult second = c.invoke(c.request(conversation).tools(List.of(weather)).build());
      assertThat(second.hasToolCalls()).isFalse();
      assertThat(second.content()).contains("31 graus");
    }
  }

  @Test
  void returnsJsonFollowingTheSchema() throws Exception {
    Map<String, Object> schema =
        Map.of(
            "type", "object",
            "properties",
                Map.of(
                    "cidade", Map.of("type", "string"),
                    "populacao", Map.of("type", "integer")),
            "required", List.of("cidade", "populacao"));
    try (MaritacaSimulator sim = MaritacaSimulator.builder().start()) {
      ChatMaritaca c = client(sim);
      ChatResult r =
          c.invoke(
              c.request(List.of(Message.user("Dados de Salvador")))
                  .responseFormat(ResponseFormat.jsonSchema("cidade", schema))
                  .build());
      JsonNode j = Json.MAPPER.readTree(r.content());
      assertThat(j.get("cidade").isTextual()).isTrue();
      assertThat(j.get("populacao").isIntegralNumber()).isTrue();
    }
  }

  @Test
  void waitsOutA429AndSucceeds() {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder()
            .defaultRateLimit(RateLimit.rpm(120))
            .burst(Duration.ofMillis(500)) // one request, then one more every 500 ms
            .retryHint(RetryHint.MILLIS)
            .rateLimitHeaders(false) // nothing to learn the limit from: the 429 tells
            .start()) {
      ChatMaritaca c = client(sim);
      c.invoke(CAPITAL);
      ChatResult second = c.invoke(CAPITAL);
      assertThat(second.attempts()).isEqualTo(2);
      assertThat(sim.stats().rateLimited()).isEqualTo(1);
      assertThat(sim.stats().ok()).isEqualTo(2);
    }
  }

  @Test
  void singleCallsArePacedByTheLimitsTheServersHeadersAnnounce() {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder()
            .defaultRateLimit(RateLimit.rpm(120))
            .burst(Duration.ofMillis(500))
            .retryHint(RetryHint.MILLIS)
            .start()) {
      ChatMaritaca c = client(sim);
      c.invoke(CAPITAL);
      ChatResult second = c.invoke(CAPITAL); // waits its turn instead of meeting a 429
      assertThat(second.attempts()).isEqualTo(1);
      assertThat(sim.stats().rateLimited()).isZero();
      assertThat(sim.stats().ok()).isEqualTo(2);
    }
  }

  @Test
  void retriesServerErrorsResetsAndBrokenJsonUntilEveryCallSucceeds() {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder()
            .seed(11)
            .faults(
                Faults.builder()
                    .serverErrorRate(0.15, 500, 502, 503)
                    .connectionResetRate(0.1)
                    .malformedJsonRate(0.1)
                    .build())
            .start()) {
      ChatMaritaca c = client(sim).toBuilder().maxRetries(10).build();
      int attempts = 0;
      for (int i = 0; i < 30; i++) {
        attempts += c.invoke(List.of(Message.user("Item " + i))).attempts();
      }
      SimulatorStats s = sim.stats();
      assertThat(s.ok()).isEqualTo(30);
      assertThat(s.totalFaults()).isPositive();
      assertThat(attempts).isEqualTo(30 + s.totalFaults());
    }
  }

  @Test
  void aWrongKeyIsAnAuthenticationErrorWithoutRetries() {
    try (MaritacaSimulator sim = MaritacaSimulator.builder().requireApiKey("right-key").start()) {
      assertThatThrownBy(() -> client(sim).invoke(CAPITAL))
          .isInstanceOf(AuthenticationException.class)
          .extracting(e -> ((ApiException) e).statusCode())
          .isEqualTo(401);
      assertThat(sim.stats().requests()).isEqualTo(1);
    }
  }

  @Test
  void anUnknownModelIsNotFound() {
    try (MaritacaSimulator sim = MaritacaSimulator.builder().start()) {
      ChatMaritaca c = client(sim).toBuilder().model("sabia-99").build();
      assertThatThrownBy(() -> c.invoke(CAPITAL))
          .isInstanceOf(NotFoundException.class)
          .hasMessageContaining("sabia-99");
      assertThat(sim.stats().requests()).isEqualTo(1);
    }
  }

  @Test
  void aTruncatedStreamIsReportedNotRetried() {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder()
            .faults(Faults.builder().truncatedStreamRate(1.0).build())
            .start()) {
      CompletableFuture<ChatResult> f =
          client(sim).stream(
              List.of(Message.user("Conte uma história longa.")), new StreamHandler() {});
      assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS))
          .hasCauseInstanceOf(InvalidResponseException.class);
    }
  }

  @Test
  void aHungServerTimesOut() {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder().faults(Faults.builder().hangRate(1.0).build()).start()) {
      ChatMaritaca c =
          client(sim).toBuilder().timeout(Duration.ofMillis(300)).maxRetries(1).build();
      assertThatThrownBy(() -> c.invoke(CAPITAL)).isInstanceOf(RequestTimeoutException.class);
      assertThat(sim.stats().requests()).isEqualTo(2);
    }
  }
}
