package io.github.maritaca4j.simulator.internal;

import io.github.maritaca4j.simulator.Latency;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import io.github.maritaca4j.simulator.SimulatorStats;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Capacity check (not a test): start time, requests in flight with latency, requests per second at
 * zero latency. Run with {@code java -cp <test classpath>
 * io.github.maritaca4j.simulator.internal.LoadCheck [inFlight] [seconds] [concurrency]}.
 */
public final class LoadCheck {
  private LoadCheck() {}

  static final String BODY =
      "{\"model\":\"sabia-4\",\"messages\":[{\"role\":\"user\",\"content\":\"Qual é a capital do"
          + " Brasil?\"}],\"max_tokens\":50}";

  public static void main(String[] args) throws Exception {
    int inFlight = args.length > 0 ? Integer.parseInt(args[0]) : 1500;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 64;

    long t0 = System.nanoTime();
    MaritacaSimulator first = MaritacaSimulator.builder().start();
    long firstStart = System.nanoTime() - t0;
    HttpClient warm = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    warm.send(request(first.baseUrl()), HttpResponse.BodyHandlers.ofString());
    long firstAnswer = System.nanoTime() - t0;
    first.close();
    t0 = System.nanoTime();
    MaritacaSimulator second = MaritacaSimulator.builder().start();
    long secondStart = System.nanoTime() - t0;
    second.close();
    System.out.printf(
        "start: cold JVM %.0f ms (first answer after %.0f ms, vocabulary loaded in the"
            + " background), next start %.0f ms%n",
        firstStart / 1e6, firstAnswer / 1e6, secondStart / 1e6);

    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(30))
            .build();

    // 1. many requests in flight with latency
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder().latency(Latency.fixed(Duration.ofSeconds(10))).start()) {
      HttpRequest req = request(sim.baseUrl());
      long s = System.nanoTime();
      List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
      for (int i = 0; i < inFlight; i++) {
        all.add(client.sendAsync(req, HttpResponse.BodyHandlers.ofString()));
      }
      int ok = 0;
      for (var f : all) {
        if (f.join().statusCode() == 200) {
          ok++;
        }
      }
      double el = (System.nanoTime() - s) / 1e9;
      SimulatorStats st = sim.statsWithoutLog();
      System.out.printf(
          "in-flight: sent %d at once with 10 s latency: %d ok in %.2f s, server maxInFlight=%d%n",
          inFlight, ok, el, st.maxInFlight());
    }

    // 1b. many streams in flight with per-token latency
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder()
            .latency(Latency.of(Duration.ofSeconds(2), Duration.ofMillis(50), 0))
            .answerLength(io.github.maritaca4j.simulator.AnswerLength.fixed(60))
            .start()) {
      HttpRequest req =
          HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/chat/completions"))
              .timeout(Duration.ofSeconds(60))
              .header("Content-Type", "application/json")
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      "{\"model\":\"sabia-4\",\"stream\":true,\"messages\":[{\"role\":\"user\","
                          + "\"content\":\"Fale sobre o Brasil.\"}]}"))
              .build();
      long s = System.nanoTime();
      List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
      for (int i = 0; i < inFlight; i++) {
        all.add(client.sendAsync(req, HttpResponse.BodyHandlers.ofString()));
      }
      int ok = 0;
      for (var f : all) {
        HttpResponse<String> r = f.join();
        if (r.statusCode() == 200 && r.body().endsWith("data: [DONE]\n\n")) {
          ok++;
        }
      }
      double el = (System.nanoTime() - s) / 1e9;
      System.out.printf(
          "streams: %d at once (2 s to first chunk, 50 ms/token, ~60 tokens): %d complete in"
              + " %.2f s, server maxInFlight=%d%n",
          inFlight, ok, el, sim.statsWithoutLog().maxInFlight());
    }

    // 2. throughput at zero latency
    try (MaritacaSimulator sim = MaritacaSimulator.builder().start()) {
      HttpRequest req = request(sim.baseUrl());
      // warm-up
      run(client, req, concurrency, 2);
      sim.reset();
      long s = System.nanoTime();
      long done = run(client, req, concurrency, seconds);
      double el = (System.nanoTime() - s) / 1e9;
      SimulatorStats st = sim.statsWithoutLog();
      System.out.printf(
          "throughput: %d requests in %.1f s = %.0f req/s (client concurrency %d, JDK HttpClient"
              + " HTTP/1.1, same 2-core machine), server ok=%d maxInFlight=%d%n",
          done, el, done / el, concurrency, st.ok(), st.maxInFlight());
    }
    // 3. throughput at zero latency with a lean keep-alive socket client (the JDK client's single
    // selector thread is the bottleneck above, not the server)
    try (MaritacaSimulator sim = MaritacaSimulator.builder().start()) {
      int threads = Math.max(1, concurrency / 8);
      rawRun(sim.port(), threads, 2);
      sim.reset();
      long s = System.nanoTime();
      long done = rawRun(sim.port(), threads, seconds);
      double el = (System.nanoTime() - s) / 1e9;
      SimulatorStats st = sim.statsWithoutLog();
      System.out.printf(
          "throughput: %d requests in %.1f s = %.0f req/s (%d keep-alive socket clients, same"
              + " 2-core machine), server ok=%d maxInFlight=%d%n",
          done, el, done / el, threads, st.ok(), st.maxInFlight());
    }
    System.exit(0);
  }

  /** Each thread: one keep-alive connection, request after request, for {@code seconds}. */
  static long rawRun(int port, int threads, int seconds) throws InterruptedException {
    byte[] body = BODY.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] head =
        ("POST /api/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json"
                + "\r\nContent-Length: "
                + body.length
                + "\r\n\r\n")
            .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] req = new byte[head.length + body.length];
    System.arraycopy(head, 0, req, 0, head.length);
    System.arraycopy(body, 0, req, head.length, body.length);
    AtomicLong done = new AtomicLong();
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    List<Thread> ts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread th =
          new Thread(
              () -> {
                try (java.net.Socket sock = new java.net.Socket("127.0.0.1", port)) {
                  sock.setTcpNoDelay(true);
                  var out = sock.getOutputStream();
                  var in = new java.io.BufferedInputStream(sock.getInputStream(), 65536);
                  while (System.nanoTime() < end) {
                    out.write(req);
                    out.flush();
                    int status = readResponse(in);
                    if (status == 200) {
                      done.incrementAndGet();
                    }
                  }
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      th.start();
      ts.add(th);
    }
    for (Thread th : ts) {
      th.join();
    }
    return done.get();
  }

  /** Reads one response with Content-Length; returns its status. */
  static int readResponse(java.io.InputStream in) throws java.io.IOException {
    StringBuilder line = new StringBuilder();
    int status = -1;
    int length = 0;
    while (true) {
      int c = in.read();
      if (c < 0) {
        throw new java.io.EOFException();
      }
      if (c == '\n') {
        String l = line.toString().trim();
        line.setLength(0);
        if (l.isEmpty()) {
          break;
        }
        if (status < 0) {
          status = Integer.parseInt(l.split(" ")[1]);
        } else if (l.regionMatches(true, 0, "content-length:", 0, 15)) {
          length = Integer.parseInt(l.substring(15).trim());
        }
      } else {
        line.append((char) c);
      }
    }
    in.readNBytes(length);
    return status;
  }

  static HttpRequest request(String base) {
    return HttpRequest.newBuilder(URI.create(base + "/chat/completions"))
        .timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(BODY))
        .build();
  }

  static long run(HttpClient client, HttpRequest req, int concurrency, int seconds)
      throws InterruptedException {
    Semaphore permits = new Semaphore(concurrency);
    AtomicLong done = new AtomicLong();
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < end) {
      permits.acquire();
      client
          .sendAsync(req, HttpResponse.BodyHandlers.ofString())
          .whenComplete(
              (r, e) -> {
                if (e == null && r.statusCode() == 200) {
                  done.incrementAndGet();
                }
                permits.release();
              });
    }
    permits.acquire(concurrency);
    return done.get();
  }
}
