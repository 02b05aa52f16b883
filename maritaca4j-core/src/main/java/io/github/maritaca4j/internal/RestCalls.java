package io.github.maritaca4j.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.maritaca4j.errors.InvalidResponseException;
import io.github.maritaca4j.errors.MaritacaException;
import io.github.maritaca4j.errors.RateLimitException;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * JSON endpoints other than chat ({@code /models}, the Batch API's files and batches): one request
 * with the client's key, its errors mapped, retried per the client's policy. Internal API;
 * thread-safe.
 */
public final class RestCalls {
  private final HttpTransport transport;
  private final HttpClient http;
  private final RetryPolicy policy;
  private final Clock clock;

  private RestCalls(HttpTransport transport, RetryPolicy policy, Clock clock) {
    this.transport = Objects.requireNonNull(transport, "transport");
    this.http = transport.httpClient();
    this.policy = Objects.requireNonNull(policy, "policy");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The calls of a client: its transport, retry policy and clock. */
  public static RestCalls of(ClientContext context) {
    return new RestCalls(context.transport(), context.retryPolicy(), context.clock());
  }

  /** {@code GET {base}{path}}, retried when retryable; the body as JSON. */
  public JsonNode get(String path) {
    return retrying(true, () -> sendJson(transport.newRequest(transport.uri(path)).GET().build()));
  }

  public CompletableFuture<JsonNode> sendJson(HttpRequest req) {
    return http.sendAsync(req, HttpResponse.BodyHandlers.ofByteArray())
        .handle(
            (resp, err) -> {
              if (err != null) {
                throw new CompletionException(ErrorMapper.fromThrowable(err, host()));
              }
              if (resp.statusCode() / 100 != 2) {
                throw new CompletionException(
                    ErrorMapper.fromResponse(
                        resp.statusCode(),
                        resp.headers(),
                        resp.body(),
                        clock.now(),
                        transport.secret()));
              }
              try {
                return Json.MAPPER.readTree(resp.body());
              } catch (IOException e) {
                throw new CompletionException(
                    new InvalidResponseException(
                        "malformed JSON from "
                            + host()
                            + ": "
                            + (e instanceof JsonProcessingException j
                                ? j.getOriginalMessage()
                                : e.getMessage()),
                        resp.statusCode(),
                        e));
              }
            });
  }

  /**
   * Runs {@code call}, retrying retryable failures per the client's policy ({@code idempotent}
   * false: only 429s). Waits are scheduled on the clock.
   */
  public <T> T retrying(boolean idempotent, Supplier<CompletableFuture<T>> call) {
    int retry = 0;
    while (true) {
      try {
        return call.get().join();
      } catch (RuntimeException e) {
        RuntimeException mapped = ErrorMapper.fromThrowable(e, host());
        if (!(mapped instanceof MaritacaException m)) {
          throw mapped;
        }
        boolean retryable = idempotent ? m.isRetryable() : m instanceof RateLimitException;
        if (!retryable || retry >= policy.maxRetries() || policy.overLongHint(m) != null) {
          throw m;
        }
        retry++;
        Duration d = policy.delay(retry, m, clock.random());
        CompletableFuture<Void> wait = new CompletableFuture<>();
        clock.schedule(() -> wait.complete(null), d.toNanos());
        wait.join();
      }
    }
  }

  private String host() {
    return transport.host();
  }
}
