package io.github.maritaca4j.batchapi;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A Batch API server for fault tests: each route ({@code "GET /batches/b1"}, matched on method and
 * path without the {@code /api} prefix, longest prefix first) answers from its own queue of
 * replies; the last reply of a queue repeats. Unrouted requests get a 404.
 */
public final class FakeBatchServer implements AutoCloseable {
  /** A reply: status (-1 drops the connection), headers, body. */
  public record Reply(int status, Map<String, String> headers, byte[] body) {
    public static Reply json(int status, String body, String... headerPairs) {
      Map<String, String> h = new LinkedHashMap<>();
      h.put("Content-Type", "application/json");
      for (int i = 0; i < headerPairs.length; i += 2) {
        h.put(headerPairs[i], headerPairs[i + 1]);
      }
      return new Reply(status, h, body.getBytes(StandardCharsets.UTF_8));
    }

    public static Reply bytes(String contentType, byte[] body) {
      return new Reply(200, Map.of("Content-Type", contentType), body);
    }

    public static Reply drop() {
      return new Reply(-1, Map.of(), new byte[0]);
    }
  }

  /** What the server received. */
  public record Received(String method, String path, String query, String auth, String body) {}

  private final HttpServer server;
  private final Map<String, Deque<Reply>> routes = new LinkedHashMap<>();
  private final Map<String, Reply> lastOf = new LinkedHashMap<>();
  public final List<Received> received = new CopyOnWriteArrayList<>();

  public FakeBatchServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", this::handle);
    server.start();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/api";
  }

  /** Adds replies to a route, e.g. {@code on("POST /batches", ...)}. */
  public synchronized FakeBatchServer on(String route, Reply... replies) {
    Deque<Reply> q = routes.computeIfAbsent(route, k -> new ArrayDeque<>());
    q.addAll(List.of(replies));
    return this;
  }

  public FakeBatchServer json(String route, String body) {
    return on(route, Reply.json(200, body));
  }

  /** Requests received on a route (method and path prefix). */
  public List<Received> calls(String route) {
    List<Received> out = new ArrayList<>();
    for (Received r : received) {
      if ((r.method() + " " + r.path()).startsWith(route)) {
        out.add(r);
      }
    }
    return out;
  }

  private synchronized Reply next(String key) {
    String best = null;
    for (String r : routes.keySet()) {
      if ((key.equals(r) || key.startsWith(r + "/") || key.startsWith(r + "?"))
          && (best == null || r.length() > best.length())) {
        best = r;
      }
    }
    if (best == null) {
      return Reply.json(404, "{\"error\":{\"message\":\"no route " + key + "\"}}");
    }
    Reply r = routes.get(best).poll();
    if (r == null) {
      r = lastOf.get(best);
    } else {
      lastOf.put(best, r);
    }
    return r != null ? r : Reply.json(500, "{\"error\":{\"message\":\"empty script\"}}");
  }

  private void handle(HttpExchange ex) throws IOException {
    byte[] in = ex.getRequestBody().readAllBytes();
    String path = ex.getRequestURI().getPath();
    if (path.startsWith("/api")) {
      path = path.substring(4);
    }
    received.add(
        new Received(
            ex.getRequestMethod(),
            path,
            ex.getRequestURI().getRawQuery(),
            ex.getRequestHeaders().getFirst("Authorization"),
            new String(in, StandardCharsets.UTF_8)));
    Reply r = next(ex.getRequestMethod() + " " + path);
    if (r.status() == -1) {
      ex.close();
      return;
    }
    r.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
    ex.sendResponseHeaders(r.status(), r.body().length == 0 ? -1 : r.body().length);
    if (r.body().length > 0) {
      try (OutputStream os = ex.getResponseBody()) {
        os.write(r.body());
      } catch (IOException e) {
        // the client went away
      }
    }
    ex.close();
  }

  /** A batch object. */
  public static String batch(
      String id, String status, String input, String output, String error, String extra) {
    return "{\"id\":\""
        + id
        + "\",\"object\":\"batch\",\"endpoint\":\"/v1/chat/completions\",\"status\":\""
        + status
        + "\",\"input_file_id\":\""
        + input
        + "\",\"output_file_id\":"
        + (output == null ? "null" : "\"" + output + "\"")
        + ",\"error_file_id\":"
        + (error == null ? "null" : "\"" + error + "\"")
        + (extra == null || extra.isEmpty() ? "" : "," + extra)
        + "}";
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
