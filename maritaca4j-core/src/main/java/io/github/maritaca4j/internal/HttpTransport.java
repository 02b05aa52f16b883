package io.github.maritaca4j.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.maritaca4j.ChatRequest;
import io.github.maritaca4j.ChatResult;
import io.github.maritaca4j.RateLimitStatus;
import io.github.maritaca4j.errors.ConfigurationException;
import io.github.maritaca4j.errors.InvalidResponseException;
import io.github.maritaca4j.errors.MissingApiKeyException;
import io.github.maritaca4j.errors.RequestTimeoutException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Sends single HTTP attempts to the chat API with the JDK {@link HttpClient}: JSON or SSE, error
 * mapping, per-attempt deadlines. No retries here (see {@link Retrier} and the batch engine).
 * Internal API; immutable and thread-safe.
 */
public final class HttpTransport implements ChatSender {
  private static final String USER_AGENT = "maritaca4j/0.1";
  private static final Object STREAMED = new Object();

  private final HttpClient http;
  private final HttpClient blockingHttp;
  private final String baseUrl;
  private final URI chatUri;
  private final String host;
  private final Supplier<String> apiKey;
  private final Duration timeout;
  private final Clock clock;
  private final boolean insecureRemote;

  /**
   * @param baseUrl e.g. {@code https://chat.maritaca.ai/api} (no trailing slash needed)
   * @param apiKey supplies the key at send time (null or blank: no key)
   * @param allowInsecureHttp whether a key may go over plain HTTP to a non-loopback host
   */
  public HttpTransport(
      HttpClient http,
      String baseUrl,
      Supplier<String> apiKey,
      Duration timeout,
      Clock clock,
      boolean allowInsecureHttp) {
    this(http, http, baseUrl, apiKey, timeout, clock, allowInsecureHttp);
  }

  /**
   * @param http for streams and everything else
   * @param blockingHttp for the blocking non-streaming chat sends only: no user code runs inside
   *     it, so it may have a same-thread executor
   * @param baseUrl e.g. {@code https://chat.maritaca.ai/api} (no trailing slash needed)
   * @param apiKey supplies the key at send time (null or blank: no key)
   * @param allowInsecureHttp whether a key may go over plain HTTP to a non-loopback host
   */
  public HttpTransport(
      HttpClient http,
      HttpClient blockingHttp,
      String baseUrl,
      Supplier<String> apiKey,
      Duration timeout,
      Clock clock,
      boolean allowInsecureHttp) {
    this.http = Objects.requireNonNull(http, "http");
    this.blockingHttp = Objects.requireNonNull(blockingHttp, "blockingHttp");
    String b = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.baseUrl = b;
    this.chatUri = URI.create(b + "/chat/completions");
    this.host = chatUri.getHost() + (chatUri.getPort() > 0 ? ":" + chatUri.getPort() : "");
    this.apiKey = apiKey;
    this.timeout = timeout;
    this.clock = clock;
    this.insecureRemote =
        !allowInsecureHttp
            && "http".equalsIgnoreCase(chatUri.getScheme())
            && !isLoopback(chatUri.getHost());
  }

  /** Whether {@code host} names this machine (localhost, 127.0.0.0/8, ::1). */
  public static boolean isLoopback(String host) {
    if (host == null) {
      return false;
    }
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    return h.equals("localhost")
        || h.endsWith(".localhost")
        || h.startsWith("127.")
        || h.equals("::1")
        || h.equals("0:0:0:0:0:0:0:1");
  }

  public String baseUrl() {
    return baseUrl;
  }

  public String host() {
    return host;
  }

  public HttpClient httpClient() {
    return http;
  }

  /** The client of the blocking non-streaming chat sends. */
  public HttpClient blockingHttpClient() {
    return blockingHttp;
  }

  /** The key to send, or a failure explaining why none can be sent. */
  String keyOrThrow() {
    String key = apiKey.get();
    if (key != null) {
      key = key.strip(); // a key read from a file or pasted often ends with a line break
    }
    if (key == null || key.isBlank()) {
      throw new MissingApiKeyException(
          "no Maritaca API key: set the MARITACA_API_KEY environment variable or call"
              + " ChatMaritaca.builder().apiKey(...)");
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        // never quote it: the JDK's own "invalid header value" message would
        throw new ConfigurationException(
            "the API key contains a line break or another control character (at position "
                + (i + 1)
                + " of "
                + key.length()
                + "); check how MARITACA_API_KEY or apiKey(...) was set");
      }
    }
    if (insecureRemote) {
      throw new ConfigurationException(
          "refusing to send the API key over plain http:// to "
              + host
              + "; use https, or allowInsecureHttp(true) if you really mean it");
    }
    return key;
  }

  /** The key as configured (may be null): a value no message may repeat. */
  public String secret() {
    return apiKey.get();
  }

  /** A request builder with authentication and common headers. */
  public HttpRequest.Builder newRequest(URI uri) {
    String key = keyOrThrow();
    return HttpRequest.newBuilder(uri)
        .timeout(timeout)
        .header("Authorization", "Bearer " + key)
        .header("User-Agent", USER_AGENT);
  }

  /** Resolves a path (e.g. {@code /files}) against the base URL. */
  public URI uri(String path) {
    return URI.create(baseUrl + (path.startsWith("/") ? path : "/" + path));
  }

  /** The HTTP request for a chat completion (throws when no key can be sent). */
  private HttpRequest chatRequest(ChatRequest request, boolean stream) {
    return newRequest(chatUri)
        .header("Content-Type", "application/json")
        .header("Accept", stream ? "text/event-stream" : "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(WireFormat.writeRequest(request, stream)))
        .build();
  }

  @Override
  public CompletableFuture<ChatResult> send(ChatRequest request) {
    CompletableFuture<ChatResult> result = new CompletableFuture<>();
    HttpRequest httpRequest;
    try {
      httpRequest = chatRequest(request, false);
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
      return result;
    }
    long start = clock.nanoTime();
    Future<?> call =
        BlockingSends.POOL.submit(
            () -> {
              if (result.isDone()) {
                return;
              }
              try {
                HttpResponse<byte[]> resp =
                    blockingHttp.send(httpRequest, HttpResponse.BodyHandlers.ofByteArray());
                result.complete(toResult(resp, clock.nanoTime() - start));
              } catch (InterruptedException e) {
                // cancelled or timed out: the result is already complete
                Thread.currentThread().interrupt();
              } catch (IOException e) {
                result.completeExceptionally(ErrorMapper.fromThrowable(e, host));
              } catch (RuntimeException e) {
                result.completeExceptionally(e);
              }
            });
    Clock.Cancellable deadline =
        clock.schedule(
            () -> {
              if (result.completeExceptionally(
                  new RequestTimeoutException(
                      "no complete answer from " + host + " within " + timeout, null))) {
                call.cancel(true);
              }
            },
            timeout.toNanos() + 1_000_000_000L);
    result.whenComplete(
        (r, e) -> {
          deadline.cancel();
          if (result.isCancelled()) {
            call.cancel(true);
          }
        });
    return result;
  }

  private ChatResult toResult(HttpResponse<byte[]> resp, long nanos) {
    int status = resp.statusCode();
    String requestId = requestId(resp);
    if (status / 100 != 2) {
      throw ErrorMapper.fromResponse(
          status, resp.headers(), resp.body(), clock.now(), apiKey.get());
    }
    return plainResult(resp.body(), status, requestId, resp.headers(), nanos);
  }

  /** A 2xx body holding a whole chat completion. */
  private ChatResult plainResult(
      byte[] body, int status, String requestId, java.net.http.HttpHeaders headers, long nanos) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(body);
    } catch (IOException e) {
      throw new InvalidResponseException(
          "malformed JSON from " + host + " (HTTP " + status + "): " + shortMessage(e), status, e);
    }
    try {
      return WireFormat.readResult(root, requestId, Duration.ofNanos(nanos))
          .withRateLimitStatus(RateLimitHeaders.parse(headers));
    } catch (IllegalArgumentException e) {
      throw new InvalidResponseException(
          "unexpected answer from " + host + ": " + e.getMessage(), status, e);
    }
  }

  private static String shortMessage(IOException e) {
    String m = e.getMessage();
    if (m == null) {
      return e.getClass().getSimpleName();
    }
    int nl = m.indexOf('\n');
    return nl > 0 ? m.substring(0, nl) : m;
  }

  private static String requestId(HttpResponse<?> resp) {
    return requestId(resp.headers());
  }

  private static String requestId(java.net.http.HttpHeaders headers) {
    return headers
        .firstValue("x-request-id")
        .or(() -> headers.firstValue("request-id"))
        .orElse(null);
  }

  /**
   * Sends one streaming attempt. Deltas go to {@code acc}'s handler as they arrive; the future
   * completes with the assembled result. The stream fails with {@link RequestTimeoutException} when
   * nothing arrives for the timeout.
   */
  public CompletableFuture<ChatResult> stream(ChatRequest request, StreamAccumulator acc) {
    CompletableFuture<ChatResult> result = new CompletableFuture<>();
    HttpRequest httpRequest;
    try {
      httpRequest = chatRequest(request, true);
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
      return result;
    }
    long start = clock.nanoTime();
    LineSubscriber lines = new LineSubscriber(acc, result, clock, start);
    HttpResponse.BodyHandler<Object> handler =
        info -> {
          String ct = info.headers().firstValue("content-type").orElse("").toLowerCase(Locale.ROOT);
          // an event stream, or a 2xx that does not say JSON (some servers label their events
          // text/plain or not at all): the subscriber tells events from a plain body by the
          // first line
          if (info.statusCode() / 100 == 2 && !ct.contains("json")) {
            lines.sniff = !ct.contains("text/event-stream");
            lines.status = info.statusCode();
            lines.requestId = requestId(info.headers());
            lines.rateLimitStatus = RateLimitHeaders.parse(info.headers());
            return BodySubscribers.fromLineSubscriber(
                lines, s -> STREAMED, StandardCharsets.UTF_8, null);
          }
          return BodySubscribers.mapping(BodySubscribers.ofByteArray(), b -> (Object) b);
        };
    CompletableFuture<HttpResponse<Object>> call = http.sendAsync(httpRequest, handler);
    Watchdog dog = new Watchdog(result, call, lines);
    dog.arm(timeout.toNanos());
    call.whenComplete(
        (resp, err) -> {
          dog.stop();
          if (err != null) {
            result.completeExceptionally(ErrorMapper.fromThrowable(err, host));
            return;
          }
          try {
            int status = resp.statusCode();
            Object body = resp.body();
            if (body != STREAMED) {
              byte[] bytes = (byte[]) body;
              if (status / 100 != 2) {
                throw ErrorMapper.fromResponse(
                    status, resp.headers(), bytes, clock.now(), apiKey.get());
              }
              // a server that ignored stream=true and sent a plain completion
              @SuppressWarnings("unchecked")
              HttpResponse<byte[]> plain = (HttpResponse<byte[]>) (HttpResponse<?>) resp;
              replayAndComplete(toResult(plain, clock.nanoTime() - start), acc, result);
              return;
            }
            if (lines.failure != null) {
              throw lines.failure;
            }
            if (lines.plainBody != null) {
              // a stream request answered with a plain completion under another content type
              replayAndComplete(
                  plainResult(
                      lines.plainBody.toString().getBytes(StandardCharsets.UTF_8),
                      status,
                      requestId(resp),
                      resp.headers(),
                      clock.nanoTime() - start),
                  acc,
                  result);
              return;
            }
            if (!result.isDone()) {
              // normally completed by the subscriber already, on the thread of the last event
              result.complete(
                  acc.result(requestId(resp), Duration.ofNanos(clock.nanoTime() - start), status)
                      .withRateLimitStatus(lines.rateLimitStatus));
            }
          } catch (RuntimeException e) {
            result.completeExceptionally(e);
          }
        });
    result.whenComplete(
        (r, e) -> {
          dog.stop();
          if (result.isCancelled()) {
            call.cancel(true);
            lines.cancel();
          }
        });
    return result;
  }

  /**
   * A whole completion given to a stream request: its text and tool calls go to the handler as if
   * streamed, then the result completes.
   */
  private static void replayAndComplete(
      ChatResult r, StreamAccumulator acc, CompletableFuture<ChatResult> result) {
    if (!r.content().isEmpty() || r.hasToolCalls()) {
      acc.replay(r);
    }
    result.complete(r);
  }

  /**
   * Feeds SSE lines to the accumulator; the first failure ends the stream. Completes the result
   * itself at the end of the body, so the handler's last call and the completion happen on the same
   * thread.
   */
  private static final class LineSubscriber implements Flow.Subscriber<String> {
    /** How long a finished stream's connection may stay open before it is cut. */
    static final long DONE_GRACE_NANOS = 2_000_000_000L;

    private final StreamAccumulator acc;
    private final CompletableFuture<ChatResult> result;
    private final SseLineParser parser;
    private final Clock clock;
    private final long start;
    volatile int status = 200;
    volatile String requestId;
    volatile RateLimitStatus rateLimitStatus;
    volatile long lastActivity;
    volatile RuntimeException failure;

    /** Whether the first line must tell an event stream from a plain body. */
    volatile boolean sniff;

    /** The lines of a plain (non-event) body, when sniffing found one. */
    volatile StringBuilder plainBody;

    private volatile Flow.Subscription subscription;

    LineSubscriber(
        StreamAccumulator acc, CompletableFuture<ChatResult> result, Clock clock, long start) {
      this.acc = acc;
      this.result = result;
      this.clock = clock;
      this.start = start;
      this.parser = new SseLineParser(data -> acc.event(data, status));
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(String line) {
      lastActivity = System.nanoTime();
      if (failure != null || result.isDone()) {
        return;
      }
      if (plainBody != null) {
        plainBody.append(line).append('\n');
        return;
      }
      if (sniff) {
        String t = line.strip();
        if (t.isEmpty() || t.equals("\uFEFF")) {
          return;
        }
        sniff = false;
        if (!looksLikeSse(t)) {
          plainBody = new StringBuilder(line).append('\n');
          return;
        }
      }
      try {
        parser.line(line);
        if (acc.done()) {
          // [DONE]: the answer is whole; a server may keep the connection open after it, so
          // complete now (on this thread, after the handler's last call) and let the body end
          // by itself, or be cut after a grace period
          completeNow();
          clock.schedule(this::cancel, DONE_GRACE_NANOS);
        }
      } catch (RuntimeException e) {
        failure = e;
        result.completeExceptionally(e);
        cancel();
      }
    }

    private static boolean looksLikeSse(String t) {
      String s = t.startsWith("\uFEFF") ? t.substring(1) : t;
      return s.startsWith("data:")
          || s.startsWith(":")
          || s.startsWith("event:")
          || s.startsWith("id:")
          || s.startsWith("retry:");
    }

    private void completeNow() {
      if (!result.isDone()) {
        result.complete(
            acc.result(requestId, Duration.ofNanos(clock.nanoTime() - start), status)
                .withRateLimitStatus(rateLimitStatus));
      }
    }

    @Override
    public void onError(Throwable t) {
      // the response future reports it
    }

    @Override
    public void onComplete() {
      if (failure == null && plainBody == null && !result.isDone()) {
        try {
          parser.end();
          completeNow();
        } catch (RuntimeException e) {
          failure = e;
          result.completeExceptionally(e);
        }
      }
    }

    void cancel() {
      Flow.Subscription s = subscription;
      if (s != null) {
        s.cancel();
      }
    }
  }

  /** Fails a stream that stays silent for the timeout. */
  private final class Watchdog {
    private final CompletableFuture<ChatResult> result;
    private final CompletableFuture<?> call;
    private final LineSubscriber lines;
    private volatile Clock.Cancellable pending;
    private volatile boolean stopped;

    Watchdog(
        CompletableFuture<ChatResult> result, CompletableFuture<?> call, LineSubscriber lines) {
      this.result = result;
      this.call = call;
      this.lines = lines;
      lines.lastActivity = System.nanoTime();
    }

    void arm(long delayNanos) {
      if (!stopped) {
        pending = clock.schedule(this::check, delayNanos + 1_000_000_000L);
      }
    }

    private void check() {
      if (stopped || result.isDone()) {
        return;
      }
      long idle = System.nanoTime() - lines.lastActivity;
      long limit = timeout.toNanos();
      if (idle >= limit) {
        if (result.completeExceptionally(
            new RequestTimeoutException(
                "the stream from " + host + " was silent for more than " + timeout, null))) {
          call.cancel(true);
          lines.cancel();
        }
      } else {
        arm(limit - idle);
      }
    }

    void stop() {
      stopped = true;
      Clock.Cancellable p = pending;
      if (p != null) {
        p.cancel();
      }
    }
  }
}
