package io.github.maritaca4j.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A tiny HTTP/1.1 client for the tests. */
final class Http {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private Http() {}

  static HttpResponse<String> post(String url, String body, String... headers) {
    return send(request(url, body, headers));
  }

  static CompletableFuture<HttpResponse<String>> postAsync(
      String url, String body, String... headers) {
    return CLIENT.sendAsync(request(url, body, headers), HttpResponse.BodyHandlers.ofString());
  }

  static HttpRequest request(String url, String body, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return b.build();
  }

  static HttpResponse<String> get(String url, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).GET();
    if (headers.length > 0) {
      b.headers(headers);
    }
    return send(b.build());
  }

  static HttpResponse<String> send(HttpRequest r) {
    try {
      return CLIENT.send(r, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static JsonNode json(String s) {
    try {
      return JSON.readTree(s);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + s, e);
    }
  }

  static JsonNode json(HttpResponse<String> r) {
    return json(r.body());
  }

  /** A chat body with one user message. */
  static String chat(String model, String question, String extra) {
    String q = JSON.valueToTree(question).toString();
    return "{\"model\":\""
        + model
        + "\",\"messages\":[{\"role\":\"user\",\"content\":"
        + q
        + "}]"
        + (extra == null || extra.isEmpty() ? "" : "," + extra)
        + "}";
  }

  /** The {@code data:} payloads of an SSE body, in order. */
  static List<String> sseData(String body) {
    List<String> out = new ArrayList<>();
    for (String block : body.split("\n\n")) {
      for (String line : block.split("\n")) {
        if (line.startsWith("data: ")) {
          out.add(line.substring(6));
        }
      }
    }
    return out;
  }
}
