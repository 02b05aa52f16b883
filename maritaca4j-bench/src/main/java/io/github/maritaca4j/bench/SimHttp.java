package io.github.maritaca4j.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The simulator's control endpoints ({@code /__stats}, {@code /__reset}) and a probe request. */
final class SimHttp {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private SimHttp() {}

  /** {@code http://127.0.0.1:P} of a base URL {@code http://127.0.0.1:P/api}. */
  static String root(String baseUrl) {
    URI u = URI.create(baseUrl);
    return u.getScheme() + "://" + u.getAuthority();
  }

  /** Zeroes the counters and refills every bucket. */
  static void reset(String baseUrl) throws IOException, InterruptedException {
    send(
        HttpRequest.newBuilder(URI.create(root(baseUrl) + "/__reset"))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build());
  }

  /** The counters since the last reset, with the per-request log when asked for. */
  static JsonNode stats(String baseUrl, boolean withLog) throws IOException, InterruptedException {
    return JSON.readTree(
        send(
            HttpRequest.newBuilder(
                    URI.create(root(baseUrl) + "/__stats" + (withLog ? "?log=true" : "")))
                .GET()
                .build()));
  }

  /**
   * The simulator JVM's process CPU time (nanoseconds) from {@link SimMain}'s endpoint; 0 without.
   */
  static long cpu(String url) throws IOException, InterruptedException {
    if (url == null) {
      return 0;
    }
    return Long.parseLong(send(HttpRequest.newBuilder(URI.create(url)).GET().build()).trim());
  }

  /** {@code usage.prompt_tokens} of one request with {@code prompt}, as the simulator counts. */
  static int promptTokens(String baseUrl, String prompt) throws IOException, InterruptedException {
    ObjectNode body = JSON.createObjectNode();
    body.put("model", Scenario.MODEL);
    body.put("max_tokens", Scenario.MAX_TOKENS);
    ObjectNode m = body.putArray("messages").addObject();
    m.put("role", "user");
    m.put("content", prompt);
    String answer =
        send(
            HttpRequest.newBuilder(URI.create(baseUrl + "/chat/completions"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer bench-dummy-key")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build());
    return JSON.readTree(answer).path("usage").path("prompt_tokens").asInt();
  }

  private static String send(HttpRequest req) throws IOException, InterruptedException {
    HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IOException(req.uri() + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }
}
