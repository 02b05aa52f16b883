package io.github.maritaca4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.maritaca4j.errors.ApiException;
import io.github.maritaca4j.errors.AuthenticationException;
import io.github.maritaca4j.errors.BadRequestException;
import io.github.maritaca4j.errors.MaritacaException;
import io.github.maritaca4j.errors.NotFoundException;
import io.github.maritaca4j.errors.RateLimitException;
import io.github.maritaca4j.errors.ServerException;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Error bodies of every shape a server or a proxy in front of it may send. */
class ErrorBodyRobustnessTest {
  private static final String KEY = "sk-live-0123456789abcdef";

  private static HttpHeaders headers(String... kv) {
    Map<String, List<String>> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], List.of(kv[i + 1]));
    }
    return HttpHeaders.of(m, (a, b) -> true);
  }

  private static ApiException map(int status, String body, String... headers) {
    return map(status, body.getBytes(StandardCharsets.UTF_8), headers);
  }

  private static ApiException map(int status, byte[] body, String... headers) {
    ApiException e = ErrorMapper.fromResponse(status, headers(headers), body, Instant.EPOCH, KEY);
    assertThat(e.getMessage()).doesNotContain(KEY).doesNotContain("\n").doesNotContain("\r");
    assertThat(e.toString()).doesNotContain(KEY);
    return e;
  }

  @Test
  void openAiShapeWithAStringCode() {
    ApiException e =
        map(
            404,
            "{\"error\":{\"message\":\"The model `sabia-9` does not exist\","
                + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"model_not_found\"}}");
    assertThat(e).isInstanceOf(NotFoundException.class);
    assertThat(e.serverMessage()).isEqualTo("The model `sabia-9` does not exist");
    assertThat(e.errorType()).isEqualTo("invalid_request_error");
    assertThat(e.errorCode()).isEqualTo("model_not_found");
    assertThat(e.getMessage())
        .isEqualTo("HTTP 404: The model `sabia-9` does not exist [model_not_found]");
  }

  @Test
  void openAiShapeWithANumericOrNullCode() {
    ApiException numeric =
        map(429, "{\"error\":{\"message\":\"slow down\",\"type\":\"requests\",\"code\":429}}");
    assertThat(numeric).isInstanceOf(RateLimitException.class);
    assertThat(numeric.errorCode()).isEqualTo("429");
    ApiException nul =
        map(500, "{\"error\":{\"message\":\"oops\",\"type\":\"server_error\",\"code\":null}}");
    assertThat(nul.errorCode()).isNull();
    assertThat(nul.errorType()).isEqualTo("server_error");
    assertThat(nul.getMessage()).isEqualTo("HTTP 500: oops [server_error]");
  }

  @Test
  void anErrorObjectWithoutAMessageStillSaysWhatItCan() {
    ApiException e =
        map(500, "{\"error\":{\"message\":null,\"type\":\"server_error\",\"code\":null}}");
    assertThat(e.serverMessage()).isNull();
    assertThat(e.getMessage()).isEqualTo("HTTP 500 Internal Server Error [server_error]");
  }

  @Test
  void fastApiDetailAsText() {
    ApiException e = map(401, "{\"detail\":\"Invalid API key\"}");
    assertThat(e).isInstanceOf(AuthenticationException.class);
    assertThat(e.serverMessage()).isEqualTo("Invalid API key");
  }

  @Test
  void fastApiValidationErrorsAsAList() {
    ApiException e =
        map(
            422,
            "{\"detail\":[{\"type\":\"less_than_equal\",\"loc\":[\"body\",\"temperature\"],"
                + "\"msg\":\"Input should be less than or equal to 2\",\"input\":7},"
                + "{\"loc\":[\"body\",\"messages\",0,\"role\"],\"msg\":\"Field required\","
                + "\"type\":\"missing\"}]}");
    assertThat(e).isInstanceOf(BadRequestException.class);
    assertThat(e.isRetryable()).isFalse();
    assertThat(e.serverMessage())
        .isEqualTo(
            "body.temperature: Input should be less than or equal to 2;"
                + " body.messages.0.role: Field required");
  }

  @Test
  void aTopLevelMessage() {
    ApiException e = map(400, "{\"message\":\"max_tokens too large\",\"code\":\"bad_max_tokens\"}");
    assertThat(e.serverMessage()).isEqualTo("max_tokens too large");
    assertThat(e.errorCode()).isEqualTo("bad_max_tokens");
  }

  @Test
  void anErrorString() {
    assertThat(map(503, "{\"error\":\"overloaded\"}").serverMessage()).isEqualTo("overloaded");
  }

  @Test
  void anUnknownJsonShapeIsShownWhole() {
    assertThat(map(500, "{\"oops\":true}").serverMessage()).isEqualTo("{\"oops\":true}");
    assertThat(map(500, "[1,2]").serverMessage()).isEqualTo("[1,2]");
    assertThat(map(500, "\"just a string\"").serverMessage()).isEqualTo("just a string");
  }

  @Test
  void anHtmlPageFromAProxyGivesItsTitle() {
    String nginx =
        "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
            + "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
            + "</body>\r\n</html>\r\n";
    ApiException e = map(502, nginx, "Content-Type", "text/html");
    assertThat(e).isInstanceOf(ServerException.class);
    assertThat(e.isRetryable()).isTrue();
    assertThat(e.serverMessage()).isEqualTo("502 Bad Gateway");
    assertThat(e.getMessage()).isEqualTo("HTTP 502: 502 Bad Gateway");
  }

  @Test
  void anHtmlPageWithoutATitleGivesItsText() {
    ApiException e =
        map(
            504,
            "<!DOCTYPE html><html><style>p{x:y}</style><body><p>Gateway &amp; upstream\n"
                + "timed out</p></body></html>");
    assertThat(e.serverMessage()).isEqualTo("Gateway & upstream timed out");
  }

  @Test
  void plainTextIsOneLine() {
    ApiException e =
        map(500, "Internal error\n  at line 3\r\n\tsee logs", "Content-Type", "text/plain");
    assertThat(e.serverMessage()).isEqualTo("Internal error at line 3 see logs");
  }

  @Test
  void anEmptyOrBlankBodyGivesTheReasonPhrase() {
    ApiException empty = map(503, new byte[0]);
    assertThat(empty.serverMessage()).isNull();
    assertThat(empty.getMessage()).isEqualTo("HTTP 503 Service Unavailable");
    assertThat(map(429, "  \n ").getMessage()).isEqualTo("HTTP 429 Too Many Requests");
    assertThat(map(418, "").getMessage()).isEqualTo("HTTP 418");
  }

  @Test
  void aBodyThatIsNotValidUtf8DoesNotBreakAnything() {
    byte[] body = {'e', 'r', 'r', (byte) 0xC3, (byte) 0x28, ' ', (byte) 0xFF, 'x'};
    ApiException e = map(500, body);
    assertThat(e.serverMessage()).startsWith("err").endsWith("x").contains("\uFFFD");
  }

  @Test
  void theCharsetOfTheContentTypeIsHonoured() {
    byte[] latin1 = "{\"detail\":\"requisição inválida\"}".getBytes(StandardCharsets.ISO_8859_1);
    assertThat(
            map(400, latin1, "Content-Type", "application/json; charset=ISO-8859-1")
                .serverMessage())
        .isEqualTo("requisição inválida");
    assertThat(
            map(400, latin1, "Content-Type", "text/plain; charset=\"nonsense-42\"").serverMessage())
        .contains("requisi");
  }

  @Test
  void aLongBodyIsCut() {
    ApiException e = map(500, "x".repeat(50_000));
    assertThat(e.serverMessage()).hasSize(1003).endsWith("...");
  }

  @Test
  void theKeyNeverAppearsWhereverTheServerEchoesIt() {
    ApiException e =
        map(
            401,
            "{\"error\":{\"message\":\"Incorrect API key provided: "
                + KEY
                + "\",\"type\":\"bad key "
                + KEY
                + "\",\"code\":\""
                + KEY
                + "\"}}",
            "x-request-id",
            "req-" + KEY);
    assertThat(e.serverMessage()).doesNotContain(KEY).contains("***");
    assertThat(e.errorType()).doesNotContain(KEY);
    assertThat(e.errorCode()).doesNotContain(KEY);
    assertThat(e.requestId()).doesNotContain(KEY);
    ApiException text = map(401, "bad key: Bearer " + KEY, "Content-Type", "text/plain");
    assertThat(text.serverMessage()).isEqualTo("bad key: Bearer ***");
  }

  @Test
  void aRedirectSaysItWasNotFollowed() {
    ApiException e = map(301, "", "Location", "https://elsewhere.example/api/chat/completions");
    assertThat(e.isRetryable()).isFalse();
    assertThat(e.getMessage())
        .contains("redirect not followed")
        .contains("https://elsewhere.example/api/chat/completions");
  }

  @Test
  void hintsOnServerErrorsComeFromRetryAfterOnly() {
    ApiException withHint = map(503, "", "Retry-After", "2");
    assertThat(withHint.retryAfter()).contains(Duration.ofSeconds(2));
    ApiException quota = map(503, "", "x-ratelimit-reset-requests", "6m0s");
    assertThat(quota.retryAfter()).isEmpty();
    ApiException limited = map(429, "", "x-ratelimit-reset-requests", "6s");
    assertThat(limited.retryAfter()).contains(Duration.ofSeconds(6));
  }

  private static MaritacaException streamError(String json) throws Exception {
    JsonNode n = Json.MAPPER.readTree(json);
    return ErrorMapper.streamError(n, KEY);
  }

  @Test
  void errorsInsideAStreamGetTheirStatus() throws Exception {
    assertThat(streamError("{\"message\":\"x\",\"type\":\"rate_limit_error\"}").statusCode())
        .isEqualTo(429);
    assertThat(streamError("{\"message\":\"x\",\"code\":\"rate_limit_exceeded\"}").statusCode())
        .isEqualTo(429);
    assertThat(streamError("{\"message\":\"x\",\"code\":503}").statusCode()).isEqualTo(503);
    assertThat(streamError("{\"message\":\"x\",\"code\":\"429\"}").statusCode()).isEqualTo(429);
    assertThat(streamError("{\"message\":\"x\",\"status\":400}").statusCode()).isEqualTo(400);
    MaritacaException invalid =
        streamError("{\"message\":\"context too long\",\"type\":\"invalid_request_error\"}");
    assertThat(invalid).isInstanceOf(BadRequestException.class);
    assertThat(invalid.isRetryable()).isFalse();
    MaritacaException unknown = streamError("{\"message\":\"boom\",\"type\":\"server_error\"}");
    assertThat(unknown).isInstanceOf(ServerException.class);
    assertThat(unknown.isRetryable()).isTrue();
    assertThat(streamError("\"overloaded\"").getMessage()).isEqualTo("HTTP 500: overloaded");
    assertThat(streamError("{\"message\":\"bad key " + KEY + "\"}").getMessage())
        .doesNotContain(KEY);
  }
}
