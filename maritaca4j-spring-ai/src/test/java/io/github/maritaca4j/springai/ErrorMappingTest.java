package io.github.maritaca4j.springai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.errors.AuthenticationException;
import io.github.maritaca4j.errors.ConnectionException;
import io.github.maritaca4j.errors.InvalidResponseException;
import io.github.maritaca4j.errors.NotFoundException;
import io.github.maritaca4j.errors.RateLimitException;
import io.github.maritaca4j.errors.RequestTimeoutException;
import io.github.maritaca4j.errors.ServerException;
import io.github.maritaca4j.simulator.Faults;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import io.github.maritaca4j.simulator.RateLimit;
import io.github.maritaca4j.simulator.RetryHint;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.retry.NonTransientAiException;
import org.springframework.ai.retry.TransientAiException;

/** maritaca4j's errors as Spring AI's transient and non-transient exceptions, over HTTP. */
class ErrorMappingTest {

  private static MaritacaChatModel model(MaritacaSimulator sim, String key) {
    return MaritacaChatModel.of(
        ChatMaritaca.builder()
            .baseUrl(sim.baseUrl())
            .apiKey(key)
            .maxRetries(0)
            .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(2))
            .build());
  }

  @Test
  void aServerErrorIsTransientWithTheCauseKept() {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder()
            .faults(Faults.builder().serverErrorRate(1.0, 503).build())
            .start()) {
      Throwable t = catchThrowable(() -> model(sim, "k").call(new Prompt("Oi")));

      assertThat(t)
          .isInstanceOf(TransientAiException.class)
          .hasCauseInstanceOf(ServerException.class);
      assertThat(((ServerException) t.getCause()).statusCode()).isEqualTo(503);
    }
  }

  @Test
  void aRateLimitIsTransient() {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder()
            .defaultRateLimit(RateLimit.rpm(1))
            .retryHint(RetryHint.SECONDS)
            // no x-ratelimit-* headers: the client learns nothing before the server's 429
            .rateLimitHeaders(false)
            .start()) {
      MaritacaChatModel model = model(sim, "k");
      model.call(new Prompt("Oi"));
      Throwable t = catchThrowable(() -> model.call(new Prompt("Oi de novo")));

      assertThat(t)
          .isInstanceOf(TransientAiException.class)
          .hasCauseInstanceOf(RateLimitException.class);
      assertThat(sim.stats().rateLimited()).isGreaterThanOrEqualTo(1);
    }
  }

  @Test
  void aTimeoutIsTransient() {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder().faults(Faults.builder().hangRate(1.0).build()).start()) {
      MaritacaChatModel model =
          MaritacaChatModel.of(
              ChatMaritaca.builder()
                  .baseUrl(sim.baseUrl())
                  .apiKey("k")
                  .maxRetries(0)
                  .timeout(Duration.ofMillis(300))
                  .build());

      Throwable t = catchThrowable(() -> model.call(new Prompt("Oi")));

      assertThat(t)
          .isInstanceOf(TransientAiException.class)
          .hasCauseInstanceOf(RequestTimeoutException.class);
    }
  }

  @Test
  void aMalformedAnswerIsTransient() {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder()
            .faults(Faults.builder().malformedJsonRate(1.0).build())
            .start()) {
      Throwable t = catchThrowable(() -> model(sim, "k").call(new Prompt("Oi")));

      assertThat(t)
          .isInstanceOf(TransientAiException.class)
          .hasCauseInstanceOf(InvalidResponseException.class);
    }
  }

  @Test
  void aWrongKeyIsNonTransient() {
    try (MaritacaSimulator sim = MaritacaSimulator.builder().requireApiKey("right-key").start()) {
      Throwable t = catchThrowable(() -> model(sim, "wrong-key").call(new Prompt("Oi")));

      assertThat(t)
          .isInstanceOf(NonTransientAiException.class)
          .hasCauseInstanceOf(AuthenticationException.class);
    }
  }

  @Test
  void anUnknownModelIsNonTransient() {
    try (MaritacaSimulator sim = MaritacaSimulator.builder().start()) {
      Throwable t =
          catchThrowable(
              () ->
                  model(sim, "k")
                      .call(
                          new Prompt(
                              "Oi", MaritacaChatOptions.builder().model("no-such-model").build())));

      assertThat(t)
          .isInstanceOf(NonTransientAiException.class)
          .hasCauseInstanceOf(NotFoundException.class);
    }
  }

  @Test
  void aRefusedConnectionIsTransient() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    MaritacaChatModel model =
        MaritacaChatModel.of(
            ChatMaritaca.builder()
                .baseUrl("http://127.0.0.1:" + port + "/api")
                .apiKey("k")
                .maxRetries(0)
                .build());

    Throwable t = catchThrowable(() -> model.call(new Prompt("Oi")));

    assertThat(t)
        .isInstanceOf(TransientAiException.class)
        .hasCauseInstanceOf(ConnectionException.class);
  }

  @Test
  void aStreamsFailureReachesTheSubscriberMapped() {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder()
            .faults(Faults.builder().serverErrorRate(1.0, 500).build())
            .start()) {
      Throwable t =
          catchThrowable(() -> model(sim, "k").stream(new Prompt("Oi")).collectList().block());

      assertThat(t)
          .isInstanceOf(TransientAiException.class)
          .hasCauseInstanceOf(ServerException.class);
    }
  }

  @Test
  void aMissingKeyNamesThePropertyAndTheVariable() {
    try (MaritacaSimulator sim = MaritacaSimulator.builder().start()) {
      MaritacaChatModel model =
          MaritacaChatModel.of(ChatMaritaca.builder().baseUrl(sim.baseUrl()).apiKey("").build());

      Throwable t = catchThrowable(() -> model.call(new Prompt("Oi")));

      assertThat(t)
          .isInstanceOf(NonTransientAiException.class)
          .hasMessageContaining("spring.ai.maritaca.api-key")
          .hasMessageContaining("MARITACA_API_KEY");
      assertThat(sim.stats().requests()).isZero();
    }
  }

  @Test
  void aRequestTheApiCannotTakeIsNonTransientAndNothingIsSent() {
    try (MaritacaSimulator sim = MaritacaSimulator.builder().start()) {
      Throwable t =
          catchThrowable(
              () ->
                  model(sim, "k")
                      .call(
                          new Prompt(
                              "Oi",
                              org.springframework.ai.chat.prompt.ChatOptions.builder()
                                  .topK(5)
                                  .build())));

      assertThat(t).isInstanceOf(NonTransientAiException.class).hasMessageContaining("topK");
      assertThat(sim.stats().requests()).isZero();
    }
  }

  @Test
  void aSuccessfulCallAfterAFaultIsRetriedInside() {
    // with retries on, maritaca4j retries a 5xx itself: the caller sees an answer
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder()
            .seed(3)
            .faults(Faults.builder().serverErrorRate(0.5, 500).build())
            .start()) {
      MaritacaChatModel model =
          MaritacaChatModel.of(
              ChatMaritaca.builder()
                  .baseUrl(sim.baseUrl())
                  .apiKey("k")
                  .maxRetries(10)
                  .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(5))
                  .build());
      for (int i = 0; i < 5; i++) {
        ChatResponse r = model.call(new Prompt("Pergunta " + i));
        assertThat(r.getResult().getOutput().getText()).isNotBlank();
      }
      assertThat(sim.stats().faults("server_error")).isPositive();
    }
  }
}
