package io.github.maritaca4j;

import static io.github.maritaca4j.testing.ApiBodies.completion;
import static io.github.maritaca4j.testing.ApiBodies.error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.maritaca4j.errors.ApiException;
import io.github.maritaca4j.errors.AuthenticationException;
import io.github.maritaca4j.errors.BadRequestException;
import io.github.maritaca4j.errors.ConfigurationException;
import io.github.maritaca4j.errors.InvalidResponseException;
import io.github.maritaca4j.errors.RateLimitException;
import io.github.maritaca4j.errors.ServerException;
import io.github.maritaca4j.internal.ManualClock;
import io.github.maritaca4j.testing.ScriptedHttpServer;
import io.github.maritaca4j.testing.ScriptedHttpServer.Reply;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole client over real HTTP against a scripted server, fed every form of retry hint, fault
 * and bad input the docs allow. Delays are read from the {@link ManualClock}, never measured.
 */
class WireRobustnessScriptedTest {
  private static final String KEY = "sk-robust-secret-9876543210";
  private static final List<Message> ASK = List.of(Message.user("Qual é a capital do Brasil?"));
  private static final long DEADLINE = Duration.ofSeconds(181).toNanos();

  private ScriptedHttpServer server;
  private ManualClock clock;

  @BeforeEach
  void start() throws Exception {
    server = new ScriptedHttpServer();
    clock = new ManualClock(Instant.parse("2026-11-28T15:00:00Z"));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private ChatMaritaca client() {
    return ChatMaritaca.builder().baseUrl(server.baseUrl()).apiKey(KEY).clock(clock).build();
  }

  private ChatMaritaca noRetries() {
    return client().toBuilder().maxRetries(0).build();
  }

  /** Waits (bounded) until the client has scheduled a retry, then returns the retry's delay. */
  private Duration awaitRetryDelay(int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      List<Long> delays = clock.scheduledDelays().stream().filter(d -> d != DEADLINE).toList();
      if (delays.size() >= n) {
        return Duration.ofNanos(delays.get(n - 1));
      }
      Thread.sleep(5);
    }
    throw new AssertionError("no retry was scheduled; delays: " + clock.scheduledDelays());
  }

  /** One failing answer with the given headers, then success: the delay the client waited. */
  private Duration delayAfter(int status, String... headers) throws Exception {
    server.enqueue(Reply.json(status, error("wait"), headers));
    server.enqueue(Reply.json(200, completion("ok")));
    CompletableFuture<ChatResult> f = client().invokeAsync(ASK);
    Duration d = awaitRetryDelay(1);
    if (!d.isZero()) { // a zero delay retries at once, on the same thread
      assertThat(server.requestCount()).isEqualTo(1);
    }
    clock.advance(d);
    ChatResult r = f.get(10, TimeUnit.SECONDS);
    assertThat(r.attempts()).isEqualTo(2);
    assertThat(r.content()).isEqualTo("ok");
    assertThat(server.requestCount()).isEqualTo(2);
    return d;
  }

  /**
   * Invokes with a bound, so that a client that parks the call fails the test instead of hanging.
   */
  private static ChatResult invoke(ChatMaritaca c) throws Throwable {
    try {
      return c.invokeAsync(ASK).get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause();
    }
  }

  private static Throwable failure(CompletableFuture<?> f) {
    try {
      f.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("the call succeeded");
  }

  // ---------------------------------------------------------------- retry hints

  @ParameterizedTest(name = "{0}: \"{1}\" -> {2} ms")
  @CsvSource(
      delimiter = '|',
      value = {
        "Retry-After|2|2000",
        "Retry-After|'  3  '|3000",
        "Retry-After|0|0",
        "Retry-After|1.5|1500",
        "retry-after-ms|1500|1500",
        "retry-after-ms|12.5|12.5",
        "RETRY-AFTER-MS|40|40",
        "x-ratelimit-reset-requests|1s|1000",
        "x-ratelimit-reset-tokens|250ms|250",
        "x-ratelimit-reset-tokens|1m0s|60000",
        "x-ratelimit-reset-tokens|1h2m3s|FAIL",
        "x-ratelimit-reset-requests|0.5s|500",
        "x-ratelimit-reset-requests|2us|0.002",
        "X-RateLimit-Reset-Tokens|6m0s|FAIL",
      })
  void obeysEveryHintForm(String header, String value, String millis) throws Exception {
    if (millis.equals("FAIL")) {
      // over the 60 s default cap
      server.enqueue(Reply.json(429, error("wait"), header, value));
      assertThatThrownBy(() -> invoke(client()))
          .isInstanceOfSatisfying(
              RateLimitException.class,
              e -> {
                assertThat(e.exceededMaxWait()).isTrue();
                assertThat(e.retryAfter().get()).isGreaterThan(Duration.ofMinutes(1));
              });
      assertThat(server.requestCount()).isEqualTo(1);
      return;
    }
    Duration expected =
        Duration.ofNanos(new java.math.BigDecimal(millis).movePointRight(6).longValue());
    assertThat(delayAfter(429, header, value)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "unusable Retry-After \"{0}\" -> backoff")
  @ValueSource(strings = {"-1", "soon", "1e3", "NaN", "Sat, 31 Feb 2026 10:00:00 GMT"})
  void unusableHintsFallBackToBackoff(String value) throws Exception {
    clock.setRandom(0.0);
    assertThat(delayAfter(429, "Retry-After", value)).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void garbageResetDurationsFallBackToBackoff() throws Exception {
    clock.setRandom(0.0);
    assertThat(delayAfter(429, "x-ratelimit-reset-requests", "soon"))
        .isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void theMillisecondsHintWinsOverTheOthers() throws Exception {
    assertThat(
            delayAfter(
                429,
                "retry-after-ms",
                "300",
                "Retry-After",
                "5",
                "x-ratelimit-reset-requests",
                "9s"))
        .isEqualTo(Duration.ofMillis(300));
  }

  @Test
  void retryAfterWinsOverTheResetHeaders() throws Exception {
    assertThat(delayAfter(429, "Retry-After", "4", "x-ratelimit-reset-tokens", "9s"))
        .isEqualTo(Duration.ofSeconds(4));
  }

  @Test
  void theResetOfTheExhaustedLimitIsUsed() throws Exception {
    assertThat(
            delayAfter(
                429,
                "x-ratelimit-reset-requests",
                "2s",
                "x-ratelimit-reset-tokens",
                "45s",
                "x-ratelimit-remaining-requests",
                "0",
                "x-ratelimit-remaining-tokens",
                "9000"))
        .isEqualTo(Duration.ofSeconds(2));
  }

  /** The server's clock in the HTTP-date tests: two hours behind ours (15:00). */
  private static final Instant SERVER_NOW = Instant.parse("2026-11-28T13:00:00Z");

  private static String httpDate(Instant at, String pattern) {
    return DateTimeFormatter.ofPattern(pattern, Locale.US).format(at.atZone(ZoneOffset.UTC));
  }

  private static String httpDate(Instant at) {
    return httpDate(at, "EEE, dd MMM yyyy HH:mm:ss 'GMT'");
  }

  @ParameterizedTest(name = "HTTP-date form {0}")
  @ValueSource(
      strings = {
        "EEE, dd MMM yyyy HH:mm:ss 'GMT'",
        "EEEE, dd-MMM-yy HH:mm:ss 'GMT'",
        "EEE MMM ppd HH:mm:ss yyyy",
      })
  void readsEveryHttpDateFormAgainstTheServersDate(String pattern) throws Exception {
    // the server's Date is two hours behind our clock: only the server's dates count
    Duration d =
        delayAfter(
            429,
            "Date",
            httpDate(SERVER_NOW),
            "Retry-After",
            httpDate(SERVER_NOW.plusSeconds(30), pattern));
    assertThat(d).isEqualTo(Duration.ofSeconds(30));
  }

  @ParameterizedTest(name = "HTTP-date form {0} without a Date header")
  @ValueSource(
      strings = {
        "EEE, dd MMM yyyy HH:mm:ss 'GMT'",
        "EEEE, dd-MMM-yy HH:mm:ss 'GMT'",
        "EEE MMM ppd HH:mm:ss yyyy",
      })
  void readsEveryHttpDateFormAgainstOurClockWithoutADateHeader(String pattern) throws Exception {
    Duration d = delayAfter(429, "Retry-After", httpDate(clock.instant().plusSeconds(30), pattern));
    assertThat(d).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void aDateInThePastMeansRetryNow() throws Exception {
    assertThat(
            delayAfter(
                429, "Date", httpDate(SERVER_NOW), "Retry-After", "Thu, 01 Jan 2015 00:00:00 GMT"))
        .isZero();
  }

  @Test
  void aFarDateIsOverTheCap() throws Exception {
    // two hours after the server's Date (and no later than now on our clock)
    server.enqueue(
        Reply.json(
            429,
            error("wait"),
            "Date",
            httpDate(SERVER_NOW),
            "Retry-After",
            httpDate(SERVER_NOW.plus(Duration.ofHours(2)))));
    assertThatThrownBy(() -> invoke(client()))
        .isInstanceOfSatisfying(
            RateLimitException.class,
            e -> {
              assertThat(e.exceededMaxWait()).isTrue();
              assertThat(e.retryAfter()).contains(Duration.ofHours(2));
            });
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void aHugeDelayIsOverTheCapWithoutOverflowing() {
    server.enqueue(Reply.json(429, error("wait"), "Retry-After", "99999999999999999999"));
    assertThatThrownBy(() -> invoke(client()))
        .isInstanceOfSatisfying(
            RateLimitException.class,
            e -> {
              assertThat(e.exceededMaxWait()).isTrue();
              assertThat(e.isRetryable()).isFalse();
              assertThat(e.retryAfter().get()).isGreaterThan(Duration.ofDays(365));
            });
  }

  @Test
  void a429WithoutHintsBacksOffExponentiallyWithJitter() throws Exception {
    clock.setRandom(1.0);
    server.enqueue(Reply.json(429, error("busy")));
    server.enqueue(Reply.json(429, error("busy")));
    server.enqueue(Reply.json(200, completion("ok")));
    CompletableFuture<ChatResult> f = client().invokeAsync(ASK);
    assertThat(awaitRetryDelay(1)).isEqualTo(Duration.ofMillis(500));
    clock.setRandom(0.0);
    clock.advance(Duration.ofMillis(500));
    assertThat(awaitRetryDelay(2)).isEqualTo(Duration.ofMillis(500)); // [500, 1000] ms
    clock.advance(Duration.ofMillis(500));
    assertThat(f.get(10, TimeUnit.SECONDS).attempts()).isEqualTo(3);
  }

  @ParameterizedTest(name = "HTTP {0} with Retry-After")
  @ValueSource(ints = {500, 502, 503, 504, 408, 409})
  void retryableStatusesObeyRetryAfter(int status) throws Exception {
    assertThat(delayAfter(status, "Retry-After", "1")).isEqualTo(Duration.ofSeconds(1));
  }

  @ParameterizedTest(name = "HTTP {0} without a hint")
  @ValueSource(ints = {500, 502, 503, 504, 408, 409})
  void retryableStatusesBackOffWithoutAHint(int status) throws Exception {
    clock.setRandom(0.0);
    assertThat(delayAfter(status)).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void resetHeadersOnAServerErrorAreNotAHint() throws Exception {
    clock.setRandom(0.0);
    assertThat(delayAfter(503, "x-ratelimit-reset-requests", "6m0s"))
        .isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void aServerErrorAskingForTooLongFailsAtOnce() {
    server.enqueue(Reply.json(503, error("maintenance"), "Retry-After", "3600"));
    assertThatThrownBy(() -> invoke(client()))
        .isInstanceOfSatisfying(
            ServerException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(503);
              assertThat(e.retryAfter()).contains(Duration.ofHours(1));
            });
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @ParameterizedTest(name = "HTTP {0} is not retried")
  @ValueSource(ints = {400, 401, 403, 404, 422})
  void clientErrorsAreNotRetriedEvenWithAHint(int status) {
    server.enqueue(Reply.json(status, error("no"), "Retry-After", "1"));
    assertThatThrownBy(() -> invoke(client())).isInstanceOf(ApiException.class);
    assertThat(server.requestCount()).isEqualTo(1);
  }

  // ---------------------------------------------------------------- error bodies

  @Test
  void aProxysHtmlPageGivesAReadableError() {
    server.enqueue(
        Reply.of(
            502,
            "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
                + "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
                + "</body>\r\n</html>\r\n",
            "Content-Type",
            "text/html"));
    assertThatThrownBy(() -> invoke(noRetries()))
        .isInstanceOf(ServerException.class)
        .hasMessage("HTTP 502: 502 Bad Gateway");
  }

  @Test
  void anEmptyErrorBody() {
    server.enqueue(Reply.json(503, ""));
    assertThatThrownBy(() -> invoke(noRetries()))
        .isInstanceOf(ServerException.class)
        .hasMessage("HTTP 503 Service Unavailable");
  }

  @Test
  void validationErrorsAsAList() {
    server.enqueue(
        Reply.json(
            422,
            "{\"detail\":[{\"type\":\"missing\",\"loc\":[\"body\",\"model\"],\"msg\":\"Field required\"}]}"));
    assertThatThrownBy(() -> invoke(client()))
        .isInstanceOf(BadRequestException.class)
        .hasMessage("HTTP 422: body.model: Field required");
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void aNumericErrorCode() {
    server.enqueue(
        Reply.json(
            400,
            "{\"error\":{\"message\":\"bad\",\"type\":\"invalid_request_error\",\"code\":400}}"));
    assertThatThrownBy(() -> invoke(client()))
        .isInstanceOfSatisfying(
            BadRequestException.class, e -> assertThat(e.errorCode()).isEqualTo("400"));
  }

  @Test
  void anErrorBodyThatIsNotUtf8() {
    server.enqueue(
        Reply.chunked(
            500,
            List.of(new byte[] {'f', 'a', 'l', 'h', (byte) 0xE3, 'o', ' ', (byte) 0xFF}),
            Duration.ZERO,
            "Content-Type",
            "text/plain"));
    assertThatThrownBy(() -> invoke(noRetries()))
        .isInstanceOf(ServerException.class)
        .hasMessageStartingWith("HTTP 500: falh");
  }

  // ---------------------------------------------------------------- success bodies

  @Test
  void aCompletionWithEveryOddity() throws Exception {
    server.enqueue(
        Reply.json(
            200,
            "{\"id\":\"c\",\"x\":1,\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"content\":null,\"tool_calls\":[{\"id\":\"t\",\"type\":\"function\","
                + "\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]},\"logprobs\":{\"content\":[]},"
                + "\"finish_reason\":\"tool_calls\"}],\"usage\":{\"prompt_tokens\":7,"
                + "\"prompt_tokens_details\":null}}"));
    ChatResult r = client().invokeAsync(ASK).get(10, TimeUnit.SECONDS);
    assertThat(r.content()).isEmpty();
    assertThat(r.toolCalls()).containsExactly(new ToolCall("t", "f", "{}"));
    assertThat(r.usage()).isEqualTo(new Usage(7, 0, 7, 0));
  }

  @Test
  void invalidJsonWithStatus200IsRetriedAsAnInvalidResponse() throws Exception {
    server.enqueue(Reply.json(200, "{\"choices\": [ {"));
    server.enqueue(Reply.json(200, completion("ok")));
    CompletableFuture<ChatResult> f = client().invokeAsync(ASK);
    clock.advance(awaitRetryDelay(1));
    assertThat(f.get(10, TimeUnit.SECONDS).attempts()).isEqualTo(2);
  }

  @Test
  void anAnswerWithoutChoicesIsAnInvalidResponse() {
    server.enqueue(Reply.json(200, "{\"id\":\"c\",\"choices\":[]}"));
    assertThatThrownBy(() -> invoke(noRetries()))
        .isInstanceOf(InvalidResponseException.class)
        .hasMessageContaining("no choices");
  }

  // ---------------------------------------------------------------- streams

  private static String chunk(String content) {
    return "{\"id\":\"s\",\"model\":\"sabia-4\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\""
        + content
        + "\"},\"finish_reason\":null}]}";
  }

  private static final String ROLE =
      "{\"id\":\"s\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}";
  private static final String STOP =
      "{\"id\":\"s\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}";
  private static final String USAGE =
      "{\"id\":\"s\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2,"
          + "\"total_tokens\":11}}";

  private static final class Collect implements StreamHandler {
    final StringBuilder text = new StringBuilder();
    final List<String> tools = new ArrayList<>();

    @Override
    public void onText(String delta) {
      text.append(delta);
    }

    @Override
    public void onToolCallDelta(int index, String id, String name, String args) {
      tools.add(index + "|" + id + "|" + name + "|" + args);
    }
  }

  @ParameterizedTest(name = "line ending {0}")
  @ValueSource(strings = {"LF", "CRLF", "CR"})
  void streamsWithAnyLineEndingsSplitAnywhere(String ending) throws Exception {
    String nl = ending.equals("LF") ? "\n" : ending.equals("CRLF") ? "\r\n" : "\r";
    String sse =
        ": keep-alive"
            + nl
            + nl
            + "event: message"
            + nl
            + "id: 1"
            + nl
            + "data:"
            + chunk("Bra")
            + nl
            + nl
            + nl
            + "data: "
            + chunk("sí")
            + nl
            + "data: "
            + chunk("lia")
            + nl
            + nl
            + "data: "
            + STOP
            + nl
            + nl
            + "data: "
            + USAGE
            + nl
            + nl
            + "data: [DONE]"
            + nl
            + nl;
    // cut into 7-byte pieces, each flushed on its own: lines, line endings and even the UTF-8 bytes
    // of "í" are split between reads
    byte[] bytes = sse.getBytes(StandardCharsets.UTF_8);
    List<byte[]> pieces = new ArrayList<>();
    for (int i = 0; i < bytes.length; i += 7) {
      pieces.add(java.util.Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + 7)));
    }
    server.enqueue(
        Reply.chunked(
            200, pieces, Duration.ofMillis(1), "Content-Type", "text/event-stream; charset=utf-8"));
    Collect c = new Collect();
    ChatResult r = client().stream(ASK, c).get(20, TimeUnit.SECONDS);
    assertThat(c.text.toString()).isEqualTo("Brasília");
    assertThat(r.content()).isEqualTo("Brasília");
    assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(r.usage().totalTokens()).isEqualTo(11);
  }

  @Test
  void anEventWithDataOnSeveralLines() throws Exception {
    server.enqueue(
        Reply.chunked(
            200,
            List.of(
                "data: {\"id\":\"s\",\"choices\":[{\"index\":0,\n".getBytes(StandardCharsets.UTF_8),
                "data: \"delta\":{\"content\":\"oi\"},\"finish_reason\":\"stop\"}]}\n\n"
                    .getBytes(StandardCharsets.UTF_8),
                "data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8)),
            Duration.ZERO,
            "Content-Type",
            "text/event-stream"));
    assertThat(client().stream(ASK, new Collect()).get(10, TimeUnit.SECONDS).content())
        .isEqualTo("oi");
  }

  @Test
  void aCleanEndWithoutDoneSucceedsWhenTheAnswerFinished() throws Exception {
    server.enqueue(Reply.sse(chunk("oi"), STOP, USAGE));
    ChatResult r = client().stream(ASK, new Collect()).get(10, TimeUnit.SECONDS);
    assertThat(r.content()).isEqualTo("oi");
    assertThat(r.usage().totalTokens()).isEqualTo(11);
  }

  @Test
  void aStreamCutAfterTextFailsWithoutRetry() {
    server.enqueue(Reply.sse(chunk("Bra")));
    server.enqueue(Reply.sse(chunk("Brasília"), STOP, "[DONE]"));
    Collect c = new Collect();
    assertThat(failure(client().stream(ASK, c))).isInstanceOf(InvalidResponseException.class);
    assertThat(c.text.toString()).isEqualTo("Bra");
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void aStreamCutBeforeAnyTextIsRetried() throws Exception {
    server.enqueue(Reply.sse(ROLE));
    server.enqueue(Reply.sse(chunk("oi"), STOP, "[DONE]"));
    Collect c = new Collect();
    CompletableFuture<ChatResult> f = client().stream(ASK, c);
    clock.advance(awaitRetryDelay(1));
    ChatResult r = f.get(10, TimeUnit.SECONDS);
    assertThat(r.attempts()).isEqualTo(2);
    assertThat(c.text.toString()).isEqualTo("oi");
  }

  @Test
  void anErrorEventBeforeAnyTextIsRetriedWithItsStatus() throws Exception {
    clock.setRandom(0.0);
    server.enqueue(
        Reply.sse(
            "{\"error\":{\"message\":\"limite\",\"type\":\"rate_limit_error\",\"code\":null}}"));
    server.enqueue(Reply.sse(chunk("oi"), STOP, "[DONE]"));
    CompletableFuture<ChatResult> f = client().stream(ASK, new Collect());
    assertThat(awaitRetryDelay(1)).isEqualTo(Duration.ofMillis(250));
    clock.advance(Duration.ofMillis(250));
    assertThat(f.get(10, TimeUnit.SECONDS).content()).isEqualTo("oi");
  }

  @Test
  void anErrorEventAfterTextFailsTheStream() {
    server.enqueue(
        Reply.sse(
            chunk("Bra"), "{\"error\":{\"message\":\"upstream died\",\"type\":\"server_error\"}}"));
    Collect c = new Collect();
    assertThat(failure(client().stream(ASK, c)))
        .isInstanceOf(ServerException.class)
        .hasMessageContaining("upstream died");
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void aNonStreamErrorAnswerToAStreamRequest() {
    server.enqueue(Reply.json(400, error("bad temperature")));
    assertThat(failure(client().stream(ASK, new Collect())))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("bad temperature");
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void aServerErrorToAStreamRequestIsRetried() throws Exception {
    server.enqueue(
        Reply.of(
            503,
            "<html><title>Service Unavailable</title></html>",
            "Content-Type",
            "text/html",
            "Retry-After",
            "1"));
    server.enqueue(Reply.sse(chunk("oi"), STOP, "[DONE]"));
    CompletableFuture<ChatResult> f = client().stream(ASK, new Collect());
    assertThat(awaitRetryDelay(1)).isEqualTo(Duration.ofSeconds(1));
    clock.advance(Duration.ofSeconds(1));
    assertThat(f.get(10, TimeUnit.SECONDS).content()).isEqualTo("oi");
  }

  @Test
  void toolCallDeltasSplitAcrossChunks() throws Exception {
    server.enqueue(
        Reply.sse(
            "{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null,"
                + "\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\","
                + "\"function\":{\"name\":\"clima\",\"arguments\":\"\"}}]}}]}",
            "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,"
                + "\"function\":{\"arguments\":\"{\\\"cidade\\\":\"}}]}}]}",
            "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,"
                + "\"function\":{\"arguments\":\"\\\"Recife\\\"}\"}}]},\"finish_reason\":\"tool_calls\"}]}",
            "[DONE]"));
    Collect c = new Collect();
    ChatResult r = client().stream(ASK, c).get(10, TimeUnit.SECONDS);
    assertThat(r.toolCalls())
        .containsExactly(new ToolCall("call_1", "clima", "{\"cidade\":\"Recife\"}"));
    assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(c.tools)
        .containsExactly("0|call_1|clima|", "0|null|null|{\"cidade\":", "0|null|null|\"Recife\"}");
  }

  // ---------------------------------------------------------------- the key

  @Test
  void theKeyGoesAsBearerAndNeverIntoMessages() {
    server.enqueue(Reply.json(401, "{\"detail\":\"Chave inválida: " + KEY + "\"}"));
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> invoke(client()));
    assertThat(t).isInstanceOf(AuthenticationException.class);
    assertThat(t.getMessage()).doesNotContain(KEY).contains("***");
    assertThat(t.toString()).doesNotContain(KEY);
    assertThat(server.requests().get(0).headerValues("Authorization"))
        .containsExactly("Bearer " + KEY);
    assertThat(client().toString()).doesNotContain(KEY);
  }

  @Test
  void aKeyWithALineBreakInsideIsReportedWithoutTheKey() {
    String broken = KEY.substring(0, 6) + "\n" + KEY.substring(6);
    ChatMaritaca c =
        ChatMaritaca.builder().baseUrl(server.baseUrl()).apiKey(broken).clock(clock).build();
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> invoke(c));
    assertThat(t).isInstanceOf(ConfigurationException.class);
    assertThat(t.getMessage())
        .doesNotContain(KEY.substring(0, 6))
        .doesNotContain(KEY.substring(6))
        .contains("API key");
    Throwable s = failure(c.stream(ASK, new Collect()));
    assertThat(s).isInstanceOf(ConfigurationException.class);
    assertThat(s.getMessage()).doesNotContain(KEY.substring(6));
    assertThat(server.requestCount()).isZero();
  }

  @Test
  void aKeyEndingInALineBreakIsSentWithoutIt() throws Throwable {
    server.enqueue(Reply.json(200, completion("ok")));
    ChatMaritaca c =
        ChatMaritaca.builder().baseUrl(server.baseUrl()).apiKey(KEY + "\n").clock(clock).build();
    assertThat(invoke(c).content()).isEqualTo("ok");
    // one Authorization header, whose value ends at the key
    assertThat(server.requests().get(0).headerValues("Authorization"))
        .containsExactly("Bearer " + KEY);
  }

  @ParameterizedTest(name = "content type \"{0}\"")
  @ValueSource(
      strings = {"Text/Event-Stream; Charset=UTF-8", "text/plain", "application/octet-stream"})
  void anEventStreamUnderAnotherContentTypeIsStillReadAsOne(String type) throws Exception {
    String body =
        "data: "
            + chunk("Bra")
            + "\n\n"
            + "data: "
            + chunk("sília")
            + "\n\n"
            + "data: "
            + STOP
            + "\n\n"
            + "data: [DONE]\n\n";
    server.enqueue(
        Reply.chunked(
            200,
            List.of(body.getBytes(StandardCharsets.UTF_8)),
            Duration.ZERO,
            "Content-Type",
            type));
    Collect c = new Collect();
    ChatResult r = client().stream(ASK, c).get(10, TimeUnit.SECONDS);
    assertThat(c.text).hasToString("Brasília");
    assertThat(r.content()).isEqualTo("Brasília");
  }

  @Test
  void aPlainCompletionUnderATextContentTypeAnswersAStreamRequest() throws Exception {
    server.enqueue(
        Reply.chunked(
            200,
            List.of(completion("Brasília").getBytes(StandardCharsets.UTF_8)),
            Duration.ZERO,
            "Content-Type",
            "text/plain"));
    Collect c = new Collect();
    ChatResult r = client().stream(ASK, c).get(10, TimeUnit.SECONDS);
    assertThat(r.content()).isEqualTo("Brasília");
    assertThat(c.text).hasToString("Brasília");
  }

  @Test
  void theAnswerIsCompleteAtDoneEvenIfTheServerKeepsTheConnectionOpen() throws Exception {
    // the server sends [DONE] and then holds the body open for 5 s before ending it
    List<byte[]> parts =
        List.of(
            ("data: " + chunk("ok") + "\n\n" + "data: " + STOP + "\n\n" + "data: [DONE]\n\n")
                .getBytes(StandardCharsets.UTF_8));
    server.enqueue(
        Reply.chunked(200, parts, Duration.ofMillis(5_000), "Content-Type", "text/event-stream"));
    CompletableFuture<ChatResult> f = client().stream(ASK, new Collect());
    assertThat(f.get(3, TimeUnit.SECONDS).content()).isEqualTo("ok");
  }

  @Test
  void aPlainAnswerWithOnlyToolCallsReachesTheStreamHandler() throws Exception {
    String body =
        "{\"id\":\"c\",\"model\":\"sabia-4\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
            + "\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":"
            + "\"function\",\"function\":{\"name\":\"clima\",\"arguments\":\"{}\"}}]},"
            + "\"finish_reason\":\"tool_calls\"}]}";
    server.enqueue(Reply.json(200, body));
    Collect c = new Collect();
    ChatResult r = client().stream(ASK, c).get(10, TimeUnit.SECONDS);
    assertThat(r.hasToolCalls()).isTrue();
    assertThat(c.tools).hasSize(1);
    assertThat(c.tools.get(0)).startsWith("0|call_1|clima|");
  }
}
