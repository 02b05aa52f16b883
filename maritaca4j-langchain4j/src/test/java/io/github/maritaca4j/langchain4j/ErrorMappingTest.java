package io.github.maritaca4j.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.ContentFilteredException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.LangChain4jException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.NonRetriableException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.RetriableException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.exception.UnresolvedModelServerException;
import dev.langchain4j.model.chat.request.ChatRequest;
import io.github.maritaca4j.errors.ApiException;
import io.github.maritaca4j.errors.BadRequestException;
import io.github.maritaca4j.errors.BudgetExceededException;
import io.github.maritaca4j.errors.ConfigurationException;
import io.github.maritaca4j.errors.ConnectionException;
import io.github.maritaca4j.errors.InvalidResponseException;
import io.github.maritaca4j.errors.MaritacaException;
import io.github.maritaca4j.errors.NotFoundException;
import io.github.maritaca4j.errors.RequestTimeoutException;
import io.github.maritaca4j.errors.ServerException;
import io.github.maritaca4j.simulator.Faults;
import io.github.maritaca4j.simulator.Latency;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import io.github.maritaca4j.simulator.RateLimit;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ErrorMappingTest {

  // ---- against the simulator, over HTTP

  @Test
  void aWrongKeyIsAnAuthenticationException() {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder().requireApiKey("the-right-key").start()) {
      MaritacaChatModel model =
          MaritacaChatModel.builder().baseUrl(sim.baseUrl()).apiKey("a-wrong-key-1234").build();

      Throwable t = catchThrowable(() -> model.chat("Oi"));

      assertThat(t)
          .isInstanceOf(AuthenticationException.class)
          .hasCauseInstanceOf(io.github.maritaca4j.errors.AuthenticationException.class);
      assertThat(((ApiException) t.getCause()).statusCode()).isEqualTo(401);
      assertThat(t.getMessage()).doesNotContain("a-wrong-key-1234");
    }
  }

  @Test
  void anUnknownModelIsAModelNotFoundException() {
    try (MaritacaSimulator sim = MaritacaSimulator.start()) {
      MaritacaChatModel model = model(sim).modelName("sabia-99").build();

      Throwable t = catchThrowable(() -> model.chat("Oi"));

      assertThat(t)
          .isInstanceOf(ModelNotFoundException.class)
          .hasCauseInstanceOf(NotFoundException.class)
          .hasMessageContaining("sabia-99");
      assertThat(((ApiException) t.getCause()).statusCode()).isEqualTo(404);
    }
  }

  @Test
  void aParameterTheServerRejectsIsAnInvalidRequestException() {
    try (MaritacaSimulator sim = MaritacaSimulator.start()) {
      MaritacaChatModel model = model(sim).build();
      List<String> tooManyStops = new ArrayList<>();
      for (int i = 0; i < 17; i++) {
        tooManyStops.add("stop" + i);
      }

      Throwable t =
          catchThrowable(
              () ->
                  model.chat(
                      ChatRequest.builder()
                          .messages(UserMessage.from("Oi"))
                          .stopSequences(tooManyStops)
                          .build()));

      assertThat(t)
          .isInstanceOf(InvalidRequestException.class)
          .hasCauseInstanceOf(BadRequestException.class)
          .hasMessageContaining("stop");
      assertThat(((ApiException) t.getCause()).statusCode()).isEqualTo(400);
      assertThat(sim.stats().badRequests()).isEqualTo(1);
    }
  }

  @Test
  void aRateLimitIsARateLimitExceptionWithTheRequestedDelay() {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder().rateLimit("sabia-4", RateLimit.rpm(1)).start()) {
      MaritacaChatModel model = model(sim).maxRetries(0).build();
      model.chat("Qual é a capital do Brasil?");

      Throwable t = catchThrowable(() -> model.chat("Qual é a capital do Chile?"));

      assertThat(t)
          .isInstanceOf(RateLimitException.class)
          .isInstanceOf(RetriableException.class)
          .hasCauseInstanceOf(io.github.maritaca4j.errors.RateLimitException.class);
      io.github.maritaca4j.errors.RateLimitException cause =
          (io.github.maritaca4j.errors.RateLimitException) t.getCause();
      assertThat(cause.statusCode()).isEqualTo(429);
      assertThat(cause.retryAfter()).hasValueSatisfying(d -> assertThat(d).isPositive());
      assertThat(sim.stats().rateLimited()).isEqualTo(1);
    }
  }

  @Test
  void aServerErrorIsAnInternalServerException() {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder()
            .faults(Faults.builder().serverErrorRate(1.0, 503).build())
            .start()) {
      MaritacaChatModel model = model(sim).maxRetries(0).build();

      Throwable t = catchThrowable(() -> model.chat("Oi"));

      assertThat(t)
          .isInstanceOf(InternalServerException.class)
          .hasCauseInstanceOf(ServerException.class);
      assertThat(((ApiException) t.getCause()).statusCode()).isEqualTo(503);
    }
  }

  @Test
  void noAnswerInTimeIsATimeoutException() {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder().latency(Latency.fixed(Duration.ofSeconds(5))).start()) {
      MaritacaChatModel model = model(sim).timeout(Duration.ofMillis(200)).maxRetries(0).build();

      Throwable t = catchThrowable(() -> model.chat("Oi"));

      assertThat(t)
          .isInstanceOf(TimeoutException.class)
          .hasCauseInstanceOf(RequestTimeoutException.class);
    }
  }

  @Test
  void aRefusedConnectionIsRetriable() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    MaritacaChatModel model =
        MaritacaChatModel.builder()
            .baseUrl("http://127.0.0.1:" + port + "/api")
            .apiKey("k")
            .maxRetries(0)
            .build();

    Throwable t = catchThrowable(() -> model.chat("Oi"));

    assertThat(t)
        .isInstanceOf(RetriableException.class)
        .hasCauseInstanceOf(ConnectionException.class);
  }

  private static MaritacaChatModel.Builder model(MaritacaSimulator sim) {
    return MaritacaChatModel.builder().baseUrl(sim.baseUrl()).apiKey("test-key");
  }

  // ---- the whole table, without HTTP

  static Stream<Arguments> table() {
    return Stream.of(
        Arguments.of(api(401), AuthenticationException.class),
        Arguments.of(api(403), AuthenticationException.class),
        Arguments.of(api(400), InvalidRequestException.class),
        Arguments.of(api(422), InvalidRequestException.class),
        Arguments.of(api(404), ModelNotFoundException.class),
        Arguments.of(api(429), RateLimitException.class),
        Arguments.of(api(500), InternalServerException.class),
        Arguments.of(api(503), InternalServerException.class),
        Arguments.of(api(408), TimeoutException.class),
        Arguments.of(api(409), InvalidRequestException.class),
        Arguments.of(api(402), InvalidRequestException.class),
        Arguments.of(api(302), HttpException.class),
        Arguments.of(
            new BadRequestException(
                400, "filtered", "invalid_request_error", "content_filter", null, null),
            ContentFilteredException.class),
        Arguments.of(new RequestTimeoutException("slow", null), TimeoutException.class),
        Arguments.of(new ConnectionException("reset", null), RetriableException.class),
        Arguments.of(
            new ConnectionException("no host", new UnknownHostException("chat.example")),
            UnresolvedModelServerException.class),
        Arguments.of(new InvalidResponseException("bad json", 200, null), RetriableException.class),
        Arguments.of(
            new BudgetExceededException(BigDecimal.ONE, BigDecimal.TEN, BigDecimal.ONE),
            NonRetriableException.class),
        Arguments.of(new ConfigurationException("no key"), NonRetriableException.class),
        Arguments.of(new MaritacaException("other"), NonRetriableException.class));
  }

  private static MaritacaException api(int status) {
    return io.github.maritaca4j.internal.ErrorMapper.of(
        status, "message " + status, null, null, null, null);
  }

  @ParameterizedTest
  @MethodSource("table")
  void mapsEachMaritacaExceptionKeepingItAsTheCause(
      MaritacaException ours, Class<? extends LangChain4jException> theirs) {
    RuntimeException mapped = Exceptions.toLangChain4j(ours);

    assertThat(mapped).isExactlyInstanceOf(theirs).hasCause(ours).hasMessage(ours.getMessage());
    if (mapped instanceof HttpException h) {
      assertThat(h.statusCode()).isEqualTo(ours.statusCode());
    }
  }

  @Test
  void unwrapsCompletionAndExecutionExceptions() {
    NotFoundException ours = new NotFoundException(404, "no model", null, null, null, null);

    assertThat(Exceptions.toLangChain4j(new CompletionException(new ExecutionException(ours))))
        .isInstanceOf(ModelNotFoundException.class)
        .hasCause(ours);
  }

  @Test
  void passesCancellationsAndForeignExceptionsThrough() {
    CancellationException c = new CancellationException();
    IllegalStateException s = new IllegalStateException("x");

    assertThat(Exceptions.toLangChain4j(new CompletionException(c))).isSameAs(c);
    assertThat(Exceptions.toLangChain4j(s)).isSameAs(s);
  }
}
