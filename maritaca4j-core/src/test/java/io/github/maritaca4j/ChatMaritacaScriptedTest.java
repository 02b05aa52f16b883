package io.github.maritaca4j;

import static io.github.maritaca4j.testing.ApiBodies.completion;
import static io.github.maritaca4j.testing.ApiBodies.error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.maritaca4j.cost.PricingMode;
import io.github.maritaca4j.errors.AuthenticationException;
import io.github.maritaca4j.errors.BadRequestException;
import io.github.maritaca4j.errors.ConfigurationException;
import io.github.maritaca4j.errors.ConnectionException;
import io.github.maritaca4j.errors.InvalidResponseException;
import io.github.maritaca4j.errors.RateLimitException;
import io.github.maritaca4j.errors.RequestTimeoutException;
import io.github.maritaca4j.errors.ServerException;
import io.github.maritaca4j.internal.ManualClock;
import io.github.maritaca4j.testing.ScriptedHttpServer;
import io.github.maritaca4j.testing.ScriptedHttpServer.Reply;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client over real HTTP against a scripted server: retries, hints, errors, safety. */
class ChatMaritacaScriptedTest {
  private static final String KEY = "sk-test-secret-0123456789";
  private static final List<Message> ASK = List.of(Message.user("Qual é a capital do Brasil?"));

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

  /** Waits (bounded) until the client has scheduled a retry, then returns the retry's delay. */
  private Duration awaitRetryDelay(int expectedRetries) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      List<Long> delays = retryDelays();
      if (delays.size() >= expectedRetries) {
        return Duration.ofNanos(delays.get(expectedRetries - 1));
      }
      Thread.sleep(5);
    }
    throw new AssertionError("no retry was scheduled; delays: " + clock.scheduledDelays());
  }

  /** Scheduled delays other than the per-attempt deadlines (which are timeout + 1 s). */
  private List<Long> retryDelays() {
    long deadline = Duration.ofSeconds(181).toNanos();
    return clock.scheduledDelays().stream().filter(d -> d != deadline).toList();
  }

  @Test
  void sendsTheKeyAsBearerAndReadsTheAnswer() {
    server.enqueue(Reply.json(200, completion("Brasília"), "x-request-id", "req-1"));
    ChatResult r = client().invoke(ASK);
    assertThat(r.content()).isEqualTo("Brasília");
    assertThat(r.attempts()).isEqualTo(1);
    assertThat(r.requestId()).isEqualTo("req-1");
    // 10 prompt and 2 completion tokens of sabia-4 at 12:00 in Brasília (the ManualClock's 15:00
    // UTC): R$ 5 / M in, R$ 20 / M out, standard prices
    assertThat(r.cost())
        .hasValueSatisfying(
            c -> {
              assertThat(c.mode()).isEqualTo(PricingMode.STANDARD);
              assertThat(c.total()).isEqualByComparingTo("0.00009");
            });
    assertThat(server.requests().get(0).path()).isEqualTo("/api/chat/completions");
    assertThat(server.requests().get(0).headerValues("Authorization"))
        .containsExactly("Bearer " + KEY);
    assertThat(server.requests().get(0).body()).contains("\"model\":\"sabia-4\"");
  }

  @Test
  void retriesAfterTheSecondsTheServerAsksFor() throws Exception {
    server.enqueue(Reply.json(429, error("slow"), "Retry-After", "2"));
    server.enqueue(Reply.json(200, completion("ok")));
    CompletableFuture<ChatResult> f = client().invokeAsync(ASK);
    assertThat(awaitRetryDelay(1)).isEqualTo(Duration.ofSeconds(2));
    assertThat(server.requestCount()).isEqualTo(1);
    clock.advance(Duration.ofMillis(1999));
    assertThat(server.requestCount()).isEqualTo(1);
    clock.advance(Duration.ofMillis(1));
    ChatResult r = f.get(10, TimeUnit.SECONDS);
    assertThat(r.content()).isEqualTo("ok");
    assertThat(r.attempts()).isEqualTo(2);
    assertThat(server.requestCount()).isEqualTo(2);
  }

  @Test
  void retriesAfterTheHttpDateTheServerGivesMeasuredAgainstItsDateHeader() throws Exception {
    // The server's clock stands at 13:00, ours at 15:00: the hint (14:00) is an hour after the
    // server's Date, and already past on our clock. The client must measure it against the
    // server's Date. (The scripted server sends no Date of its own.)
    server.enqueue(
        Reply.json(
            429,
            error("slow"),
            "Date",
            "Sat, 28 Nov 2026 13:00:00 GMT",
            "Retry-After",
            "Sat, 28 Nov 2026 14:00:00 GMT"),
        Reply.json(200, completion("ok")));
    ChatMaritaca c =
        ChatMaritaca.builder()
            .baseUrl(server.baseUrl())
            .apiKey(KEY)
            .clock(clock)
            .maxRetryAfter(Duration.ofHours(2))
            .build();
    CompletableFuture<ChatResult> f = c.invokeAsync(ASK);
    assertThat(awaitRetryDelay(1)).isEqualTo(Duration.ofHours(1));
    assertThat(server.requestCount()).isEqualTo(1);
    clock.advance(Duration.ofHours(1));
    assertThat(f.get(10, TimeUnit.SECONDS).attempts()).isEqualTo(2);
    assertThat(server.requestCount()).isEqualTo(2);
  }

  @Test
  void retriesAfterTheMillisecondsTheServerAsksFor() throws Exception {
    server.enqueue(Reply.json(429, error("slow"), "retry-after-ms", "350", "Retry-After", "1"));
    server.enqueue(Reply.json(200, completion("ok")));
    CompletableFuture<ChatResult> f = client().invokeAsync(ASK);
    assertThat(awaitRetryDelay(1)).isEqualTo(Duration.ofMillis(350));
    clock.advance(Duration.ofMillis(350));
    assertThat(f.get(10, TimeUnit.SECONDS).content()).isEqualTo("ok");
  }

  @Test
  void failsAtOnceWhenTheServerAsksForMoreThanTheCap() {
    server.enqueue(Reply.json(429, error("come back later"), "Retry-After", "3600"));
    assertThatThrownBy(() -> client().invoke(ASK))
        .isInstanceOfSatisfying(
            RateLimitException.class,
            e -> {
              assertThat(e.exceededMaxWait()).isTrue();
              assertThat(e.retryAfter()).contains(Duration.ofHours(1));
            });
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void backsOffExponentiallyOnServerErrorsWithoutAHint() throws Exception {
    clock.setRandom(0.0);
    server.enqueue(Reply.json(503, error("busy")));
    server.enqueue(Reply.json(502, error("busy")));
    server.enqueue(Reply.json(200, completion("ok")));
    CompletableFuture<ChatResult> f = client().invokeAsync(ASK);
    assertThat(awaitRetryDelay(1)).isEqualTo(Duration.ofMillis(250));
    clock.advance(Duration.ofMillis(250));
    assertThat(awaitRetryDelay(2)).isEqualTo(Duration.ofMillis(500));
    clock.advance(Duration.ofMillis(500));
    ChatResult r = f.get(10, TimeUnit.SECONDS);
    assertThat(r.attempts()).isEqualTo(3);
  }

  @Test
  void givesUpAfterMaxRetriesWithTheLastError() throws Exception {
    server.enqueue(Reply.json(500, error("down")));
    ChatMaritaca c =
        ChatMaritaca.builder()
            .baseUrl(server.baseUrl())
            .apiKey(KEY)
            .clock(clock)
            .maxRetries(1)
            .build();
    CompletableFuture<ChatResult> f = c.invokeAsync(ASK);
    awaitRetryDelay(1);
    clock.advance(Duration.ofSeconds(1));
    assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(ServerException.class)
        .hasMessageContaining("down");
    assertThat(server.requestCount()).isEqualTo(2);
  }

  @Test
  void doesNotRetryAuthenticationErrors() {
    server.enqueue(Reply.json(401, error("invalid key " + KEY)));
    assertThatThrownBy(() -> client().invoke(ASK))
        .isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("invalid key")
        .hasMessageNotContaining(KEY);
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void doesNotRetryBadRequests() {
    server.enqueue(Reply.json(400, error("bad temperature")));
    assertThatThrownBy(() -> client().invoke(ASK)).isInstanceOf(BadRequestException.class);
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void malformedJsonIsAnInvalidResponse() {
    server.enqueue(Reply.json(200, "{\"choices\": [ {"));
    ChatMaritaca c =
        ChatMaritaca.builder()
            .baseUrl(server.baseUrl())
            .apiKey(KEY)
            .clock(clock)
            .maxRetries(0)
            .build();
    assertThatThrownBy(() -> c.invoke(ASK))
        .isInstanceOf(InvalidResponseException.class)
        .hasMessageContaining("malformed JSON");
  }

  @Test
  void aDroppedConnectionIsAConnectionError() {
    server.enqueue(Reply.drop());
    ChatMaritaca c =
        ChatMaritaca.builder()
            .baseUrl(server.baseUrl())
            .apiKey(KEY)
            .clock(clock)
            .maxRetries(0)
            .build();
    assertThatThrownBy(() -> c.invoke(ASK)).isInstanceOf(ConnectionException.class);
  }

  @Test
  void aRefusedConnectionSaysSo() throws Exception {
    int port;
    try (java.net.ServerSocket free =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      port = free.getLocalPort(); // closed again: nothing listens there
    }
    ChatMaritaca c =
        ChatMaritaca.builder()
            .baseUrl("http://127.0.0.1:" + port + "/api")
            .apiKey(KEY)
            .clock(clock)
            .maxRetries(0)
            .build();
    assertThatThrownBy(() -> c.invoke(ASK))
        .isInstanceOf(ConnectionException.class)
        .hasMessageStartingWith("cannot connect to 127.0.0.1:" + port + ": ")
        .hasMessageNotContaining("ConnectException");
  }

  @Test
  void aSlowServerTimesOut() {
    server.enqueue(Reply.json(200, completion("late")).delayed(Duration.ofMillis(3000)));
    ChatMaritaca c =
        ChatMaritaca.builder()
            .baseUrl(server.baseUrl())
            .apiKey(KEY)
            .timeout(Duration.ofMillis(200))
            .maxRetries(0)
            .clock(TestClocks.peak()) // real timers for the timeout
            .build();
    assertThatThrownBy(() -> c.invoke(ASK)).isInstanceOf(RequestTimeoutException.class);
  }

  @Test
  void streamsTextAndUsage() throws Exception {
    server.enqueue(
        Reply.sse(
            "{\"id\":\"s\",\"model\":\"sabia-4\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Bra\"}}]}",
            "{\"id\":\"s\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"sília\"},\"finish_reason\":\"stop\"}]}",
            "{\"id\":\"s\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2,\"total_tokens\":11}}",
            "[DONE]"));
    StringBuilder sb = new StringBuilder();
    ChatResult r =
        client().stream(
                ASK,
                new StreamHandler() {
                  @Override
                  public void onText(String delta) {
                    sb.append(delta);
                  }
                })
            .get(10, TimeUnit.SECONDS);
    assertThat(sb.toString()).isEqualTo("Brasília");
    assertThat(r.content()).isEqualTo("Brasília");
    assertThat(r.usage().totalTokens()).isEqualTo(11);
    assertThat(server.requests().get(0).body())
        .contains("\"stream\":true")
        .contains("include_usage");
  }

  @Test
  void aTruncatedStreamFailsClearly() {
    server.enqueue(
        Reply.sse(
            "{\"id\":\"s\",\"model\":\"sabia-4\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Bra\"}}]}"));
    CompletableFuture<ChatResult> f = client().stream(ASK, new StreamHandler() {});
    assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(InvalidResponseException.class);
    // text was delivered, so the stream is not retried (the handler would see it twice)
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void aMissingKeyFailsAtFirstUseSayingHowToSetIt() {
    ChatMaritaca c = ChatMaritaca.builder().baseUrl(server.baseUrl()).apiKey(null).build();
    assertThat(c.toString()).contains("apiKey=missing");
    assertThatThrownBy(() -> c.invoke(ASK))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("MARITACA_API_KEY");
    assertThat(server.requestCount()).isZero();
  }

  @Test
  void refusesToSendTheKeyInClearToARemoteHost() {
    ChatMaritaca c =
        ChatMaritaca.builder().baseUrl("http://example.invalid/api").apiKey(KEY).build();
    assertThatThrownBy(() -> c.invoke(ASK))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("http://")
        .hasMessageNotContaining(KEY);
  }

  @Test
  void neverShowsTheKey() {
    ChatMaritaca c = client();
    assertThat(c.toString()).doesNotContain(KEY).contains("apiKey=set");
    assertThat(c.toBuilder().toString()).doesNotContain(KEY);
  }

  @Test
  void cancellingTheFutureStopsThePendingRetry() throws Exception {
    server.enqueue(Reply.json(429, error("slow"), "Retry-After", "5"));
    server.enqueue(Reply.json(200, completion("ok")));
    CompletableFuture<ChatResult> f = client().invokeAsync(ASK);
    awaitRetryDelay(1);
    f.cancel(true);
    clock.advance(Duration.ofSeconds(10));
    Thread.sleep(50);
    assertThat(server.requestCount()).isEqualTo(1);
  }
}
