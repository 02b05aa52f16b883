package io.github.maritaca4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.maritaca4j.errors.ApiException;
import io.github.maritaca4j.errors.AuthenticationException;
import io.github.maritaca4j.errors.BadRequestException;
import io.github.maritaca4j.errors.ConnectionException;
import io.github.maritaca4j.errors.NotFoundException;
import io.github.maritaca4j.errors.RateLimitException;
import io.github.maritaca4j.errors.RequestTimeoutException;
import io.github.maritaca4j.errors.ServerException;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErrorMapperTest {
  private static final HttpHeaders NONE = HttpHeaders.of(Map.of(), (a, b) -> true);

  @ParameterizedTest(name = "HTTP {0} -> {1}, retryable={2}")
  @CsvSource({
    "400, BadRequestException, false",
    "401, AuthenticationException, false",
    "402, ApiException, false",
    "403, AuthenticationException, false",
    "404, NotFoundException, false",
    "408, ApiException, true",
    "409, ApiException, true",
    "422, BadRequestException, false",
    "429, RateLimitException, true",
    "500, ServerException, true",
    "502, ServerException, true",
    "503, ServerException, true",
    "504, ServerException, true",
  })
  void mapsEachStatusToItsException(int status, String type, boolean retryable) {
    byte[] body =
        ("{\"error\":{\"message\":\"boom\",\"type\":\"t\",\"code\":\"c\"}}")
            .getBytes(StandardCharsets.UTF_8);
    ApiException e = ErrorMapper.fromResponse(status, NONE, body, Instant.EPOCH, null);
    assertThat(e.getClass().getSimpleName()).isEqualTo(type);
    assertThat(e.statusCode()).isEqualTo(status);
    assertThat(e.isRetryable()).isEqualTo(retryable);
    assertThat(e.serverMessage()).isEqualTo("boom");
    assertThat(e.errorType()).isEqualTo("t");
    assertThat(e.errorCode()).isEqualTo("c");
    assertThat(e.getMessage()).contains("HTTP " + status).contains("boom");
  }

  @Test
  void readsTheRequestIdAndRetryHint() {
    HttpHeaders h =
        HttpHeaders.of(
            Map.of("x-request-id", List.of("req-42"), "retry-after", List.of("3")), (a, b) -> true);
    ApiException e = ErrorMapper.fromResponse(429, h, new byte[0], Instant.EPOCH, null);
    assertThat(e).isInstanceOf(RateLimitException.class);
    assertThat(e.requestId()).isEqualTo("req-42");
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(3));
    assertThat(e.getMessage()).contains("req-42");
  }

  @Test
  void understandsOtherErrorBodyShapes() {
    assertThat(
            ErrorMapper.fromResponse(
                    422,
                    NONE,
                    "{\"detail\":\"campo inválido\"}".getBytes(StandardCharsets.UTF_8),
                    Instant.EPOCH,
                    null)
                .serverMessage())
        .isEqualTo("campo inválido");
    assertThat(
            ErrorMapper.fromResponse(
                    500,
                    NONE,
                    "{\"error\":\"kaput\"}".getBytes(StandardCharsets.UTF_8),
                    Instant.EPOCH,
                    null)
                .serverMessage())
        .isEqualTo("kaput");
    assertThat(
            ErrorMapper.fromResponse(
                    502,
                    NONE,
                    "<html>Bad Gateway</html>".getBytes(StandardCharsets.UTF_8),
                    Instant.EPOCH,
                    null)
                .serverMessage())
        .isEqualTo("Bad Gateway"); // the page's text, without its markup
    assertThat(
            ErrorMapper.fromResponse(503, NONE, new byte[0], Instant.EPOCH, null).serverMessage())
        .isNull();
  }

  @Test
  void neverRepeatsTheKeyEvenWhenTheServerEchoesIt() {
    String key = "sk-very-secret-key-123456";
    byte[] body =
        ("{\"error\":{\"message\":\"Invalid key " + key + "\"}}").getBytes(StandardCharsets.UTF_8);
    ApiException e = ErrorMapper.fromResponse(401, NONE, body, Instant.EPOCH, key);
    assertThat(e).isInstanceOf(AuthenticationException.class);
    assertThat(e.getMessage()).doesNotContain(key).contains("***");
    assertThat(e.serverMessage()).doesNotContain(key);
    assertThat(e.toString()).doesNotContain(key);
  }

  @Test
  void mapsTransportFailures() {
    assertThat(
            ErrorMapper.fromThrowable(new CompletionException(new HttpTimeoutException("t")), "h"))
        .isInstanceOf(RequestTimeoutException.class);
    assertThat(ErrorMapper.fromThrowable(new CompletionException(new IOException("reset")), "h"))
        .isInstanceOf(ConnectionException.class)
        .hasMessageContaining("reset");
    BadRequestException b = new BadRequestException(400, "x", null, null, null, null);
    assertThat(ErrorMapper.fromThrowable(new CompletionException(b), "h")).isSameAs(b);
    assertThat(new NotFoundException(404, "m", null, null, null, null).isRetryable()).isFalse();
    assertThat(new ServerException(500, "m", null, null, null, null).isRetryable()).isTrue();
  }
}
