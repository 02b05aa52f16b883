package io.github.maritaca4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.maritaca4j.testing.ScriptedHttpServer.RecordedRequest;
import io.github.maritaca4j.testing.ScriptedHttpServer.Reply;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scripted server itself: exact answers, routes, the record, connections. */
class ScriptedHttpServerTest {
  private ScriptedHttpServer server;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  @BeforeEach
  void start() throws IOException {
    server = new ScriptedHttpServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(server.url(path)))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Sends raw request bytes on a new connection; returns everything read until it closes. */
  private byte[] raw(String request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      return s.getInputStream().readAllBytes();
    }
  }

  @Test
  void sendsExactlyTheScriptedHeadersAndNoDate() throws Exception {
    server.enqueue(Reply.of(429, "slow", "Retry-After", "2", "X-Two", "a", "X-Two", "b"));
    String answer =
        new String(
            raw("GET /api/x HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"),
            StandardCharsets.ISO_8859_1);
    assertThat(answer)
        .isEqualTo(
            "HTTP/1.1 429 Too Many Requests\r\n"
                + "Retry-After: 2\r\n"
                + "X-Two: a\r\n"
                + "X-Two: b\r\n"
                + "Content-Length: 4\r\n"
                + "\r\n"
                + "slow");
  }

  @Test
  void jsonRepliesCarryTheirContentTypeAndTheJdkClientReadsThem() throws Exception {
    server.enqueue(Reply.json(200, "{\"a\":\"á\"}", "x-request-id", "r1"));
    HttpResponse<String> r = get("/api/x");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"a\":\"á\"}");
    assertThat(r.headers().map().keySet().stream().map(k -> k.toLowerCase(Locale.ROOT)))
        .containsExactlyInAnyOrder("content-type", "x-request-id", "content-length");
  }

  @Test
  void routesAnswerFromTheirOwnQueuesTheLongestWinsAndTheLastReplyRepeats() throws Exception {
    server
        .enqueue("GET /api/batches", Reply.of(200, "list1"), Reply.of(200, "list2"))
        .enqueue("GET /api/batches/b1", Reply.of(200, "b1"))
        .enqueue("POST /api/batches", Reply.of(201, "made"))
        .enqueue(Reply.of(200, "any"));
    assertThat(get("/api/batches?limit=2").body()).isEqualTo("list1");
    assertThat(get("/api/batches/b1").body()).isEqualTo("b1");
    assertThat(get("/api/batches/b2").body()).isEqualTo("list2"); // under /api/batches
    assertThat(get("/api/batches").body()).isEqualTo("list2"); // the last repeats
    assertThat(get("/api/batches/b1").body()).isEqualTo("b1");
    assertThat(get("/api/batchesX").body()).isEqualTo("any"); // not under /api/batches
    assertThat(get("/elsewhere").body()).isEqualTo("any");
    assertThat(server.requests("GET /api/batches")).hasSize(5);
    assertThat(server.requests("GET /api/batches/b1")).hasSize(2);
    assertThat(server.requests("POST /api/batches")).isEmpty();
  }

  @Test
  void anUnscriptedRequestGetsTheDefaultReply() throws Exception {
    HttpResponse<String> r = get("/api/nothing");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).contains("nothing scripted for GET /api/nothing");
    server.defaultReply(Reply.of(503, "down"));
    assertThat(get("/api/nothing").statusCode()).isEqualTo(503);
    server.enqueue("GET /api/some", Reply.of(200, "some"));
    assertThat(get("/api/nothing").body()).isEqualTo("down");
  }

  @Test
  void routesAreMethodAndPath() {
    for (String bad : new String[] {"/api/x", "GET api/x", "GET /api/x?a=1", "GET  /api/x"}) {
      assertThatThrownBy(() -> server.enqueue(bad, Reply.of(200, "")))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void recordsMethodPathQueryHeadersAndBody() throws Exception {
    server.enqueue(Reply.of(200, "ok"));
    http.send(
        HttpRequest.newBuilder(URI.create(server.url("/api/files?purpose=batch&x=%20")))
            .header("Authorization", "Bearer k")
            .header("X-Many", "1")
            .header("X-Many", "2")
            .POST(HttpRequest.BodyPublishers.ofString("olá"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    RecordedRequest r = server.requests().get(0);
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.path()).isEqualTo("/api/files");
    assertThat(r.query()).isEqualTo("purpose=batch&x=%20");
    assertThat(r.header("authorization")).isEqualTo("Bearer k");
    assertThat(r.headerValues("x-many")).containsExactly("1", "2");
    assertThat(r.body()).isEqualTo("olá");
    assertThat(r.bodyBytes()).isEqualTo("olá".getBytes(StandardCharsets.UTF_8));
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void readsChunkedRequestBodies() throws Exception {
    server.enqueue(Reply.of(200, "ok"));
    byte[] body = "x".repeat(100_000).getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(server.url("/up")))
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.body()).isEqualTo("ok");
    assertThat(server.requests().get(0).header("Transfer-Encoding")).isEqualTo("chunked");
    assertThat(server.requests().get(0).bodyBytes()).isEqualTo(body);
  }

  @Test
  void keepsTheConnectionAliveBetweenRequests() throws Exception {
    server.enqueue(Reply.of(200, "one"), Reply.of(200, "two"));
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      out.write("GET /a HTTP/1.1\r\nHost: h\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertThat(readAnswer(in)).endsWith("\r\n\r\none");
      out.write(
          "POST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertThat(readAnswer(in)).endsWith("\r\n\r\ntwo");
    }
    assertThat(server.requests()).extracting(RecordedRequest::path).containsExactly("/a", "/b");
    assertThat(server.requests().get(1).body()).isEqualTo("abc");
  }

  /** Reads one answer with a Content-Length body. */
  private static String readAnswer(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      assertThat(b).isNotNegative();
      head.write(b);
    }
    String h = head.toString(StandardCharsets.ISO_8859_1);
    int at = h.indexOf("Content-Length: ") + "Content-Length: ".length();
    int n = Integer.parseInt(h.substring(at, h.indexOf("\r\n", at)));
    return h + new String(in.readNBytes(n), StandardCharsets.ISO_8859_1);
  }

  @Test
  void streamsChunksAsGivenAndEndsTheBody() throws Exception {
    server.enqueue(
        Reply.chunked(
            200,
            List.of(bytes("data: a\n"), new byte[0], bytes("\ndata: b\n\n")),
            Duration.ofMillis(1),
            "Content-Type",
            "text/event-stream"));
    String answer =
        new String(
            raw("GET /s HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"),
            StandardCharsets.ISO_8859_1);
    assertThat(answer)
        .isEqualTo(
            "HTTP/1.1 200 OK\r\n"
                + "Content-Type: text/event-stream\r\n"
                + "Transfer-Encoding: chunked\r\n"
                + "\r\n"
                + "8\r\ndata: a\n\r\n"
                + "a\r\n\ndata: b\n\n\r\n"
                + "0\r\n\r\n");
  }

  @Test
  void theJdkClientSeesStreamedPiecesAsTheyArrive() throws Exception {
    server.enqueue(
        Reply.chunked(200, List.of(bytes("first "), bytes("second")), Duration.ofMillis(300)));
    HttpResponse<InputStream> r =
        http.send(
            HttpRequest.newBuilder(URI.create(server.url("/s"))).build(),
            HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = r.body()) {
      byte[] first = new byte[64];
      int n = in.read(first);
      // the second piece is 300 ms away: the first read returns the first piece alone
      assertThat(new String(first, 0, n, StandardCharsets.UTF_8)).isEqualTo("first ");
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("second");
    }
  }

  @Test
  void aDroppedReplyClosesTheConnectionWithoutAByte() throws Exception {
    server.enqueue(Reply.drop());
    assertThat(raw("GET /x HTTP/1.1\r\nHost: h\r\n\r\n")).isEmpty();
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void aHangingReplyNeverAnswersAndCloseEndsIt() throws Exception {
    server.enqueue(Reply.hang());
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(server.url("/x"))).timeout(Duration.ofSeconds(1)).build();
    assertThatThrownBy(() -> http.send(req, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(HttpTimeoutException.class);
    // the request arrived (on a slow machine it may be recorded just after the client gave up)
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (server.requestCount() < 1 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void aDelayedReplyWaitsAndCloseStopsTheWait() throws Exception {
    server.enqueue(Reply.of(200, "late").delayed(Duration.ofMillis(200)));
    long start = System.nanoTime();
    assertThat(get("/x").body()).isEqualTo("late");
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(200));
    server.enqueue(Reply.of(200, "never").delayed(Duration.ofMinutes(10)));
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(10_000);
      s.getOutputStream()
          .write("GET /y HTTP/1.1\r\nHost: h\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      while (server.requestCount() < 2) {
        Thread.sleep(5);
      }
      server.close();
      assertThat(s.getInputStream().read()).isEqualTo(-1); // closed, not answered
    }
  }

  @Test
  void concurrentRequestsAreEachAnsweredAndRecorded() throws Exception {
    List<Reply> replies = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      replies.add(Reply.of(200, "r" + i));
    }
    server.enqueue(replies.toArray(Reply[]::new));
    List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> fs = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      fs.add(
          http.sendAsync(
              HttpRequest.newBuilder(URI.create(server.url("/c/" + i))).build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    List<String> bodies = new ArrayList<>();
    for (var f : fs) {
      bodies.add(f.get(10, java.util.concurrent.TimeUnit.SECONDS).body());
    }
    assertThat(bodies)
        .containsExactlyInAnyOrderElementsOf(
            IntStream.range(0, 20).mapToObj(i -> "r" + i).toList());
    assertThat(server.requestCount()).isEqualTo(20);
  }

  @Test
  void repliesAreImmutable() {
    Reply base = Reply.json(200, "{}");
    Reply more = base.withHeader("X-A", "1");
    assertThat(base.headers()).containsExactly(Map.entry("Content-Type", "application/json"));
    assertThat(more.headers())
        .containsExactly(Map.entry("Content-Type", "application/json"), Map.entry("X-A", "1"));
    assertThat(more.status()).isEqualTo(200);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
