package io.github.maritaca4j;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A tiny real HTTP server on 127.0.0.1 that answers from a script, for exact client tests (hint
 * forms, failure sequences). Each request takes the next scripted reply; the last one repeats.
 */
final class ScriptedServer implements AutoCloseable {
  record Reply(
      int status,
      Map<String, String> headers,
      String body,
      long delayMillis,
      boolean sse,
      List<byte[]> parts,
      long gapMillis) {
    Reply(int status, Map<String, String> headers, String body, long delayMillis, boolean sse) {
      this(status, headers, body, delayMillis, sse, null, 0);
    }
  }

  record Received(String method, String path, Map<String, List<String>> headers, String body) {}

  private final HttpServer server;
  private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();
  private volatile Reply last;
  final List<Received> received = new CopyOnWriteArrayList<>();

  ScriptedServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", this::handle);
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/api";
  }

  ScriptedServer reply(int status, String body, String... headerPairs) {
    Map<String, String> h = new java.util.LinkedHashMap<>();
    for (int i = 0; i < headerPairs.length; i += 2) {
      h.put(headerPairs[i], headerPairs[i + 1]);
    }
    script.add(new Reply(status, h, body, 0, false));
    return this;
  }

  ScriptedServer delayed(long millis, int status, String body) {
    script.add(new Reply(status, Map.of(), body, millis, false));
    return this;
  }

  ScriptedServer sse(String... events) {
    StringBuilder sb = new StringBuilder();
    for (String e : events) {
      sb.append("data: ").append(e).append("\n\n");
    }
    script.add(new Reply(200, Map.of("Content-Type", "text/event-stream"), sb.toString(), 0, true));
    return this;
  }

  /**
   * A reply whose body is sent chunked, exactly as the given byte pieces, with a pause of {@code
   * gapMillis} after each flushed piece (so the client sees them as separate reads). Header pairs
   * as in {@link #reply}; no Content-Type is added when one is given.
   */
  ScriptedServer raw(int status, List<byte[]> parts, long gapMillis, String... headerPairs) {
    Map<String, String> h = new java.util.LinkedHashMap<>();
    for (int i = 0; i < headerPairs.length; i += 2) {
      h.put(headerPairs[i], headerPairs[i + 1]);
    }
    script.add(new Reply(status, h, "", 0, false, List.copyOf(parts), gapMillis));
    return this;
  }

  /** An event stream sent as the given text pieces (UTF-8), each flushed on its own. */
  ScriptedServer sseRaw(long gapMillis, String... pieces) {
    List<byte[]> parts = new ArrayList<>();
    for (String p : pieces) {
      parts.add(p.getBytes(StandardCharsets.UTF_8));
    }
    return raw(200, parts, gapMillis, "Content-Type", "text/event-stream");
  }

  static String completion(String text) {
    return "{\"id\":\"c\",\"object\":\"chat.completion\",\"model\":\"sabia-4\",\"choices\":[{\"index\":0,"
        + "\"message\":{\"role\":\"assistant\",\"content\":\""
        + text
        + "\",\"tool_calls\":null},\"finish_reason\":\"stop\"}],"
        + "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":2,\"total_tokens\":12}}";
  }

  static String error(String message) {
    return "{\"error\":{\"message\":\"" + message + "\",\"type\":\"t\",\"code\":\"c\"}}";
  }

  int count() {
    return received.size();
  }

  private void handle(HttpExchange ex) throws IOException {
    byte[] in = ex.getRequestBody().readAllBytes();
    received.add(
        new Received(
            ex.getRequestMethod(),
            ex.getRequestURI().getPath(),
            Map.copyOf(ex.getRequestHeaders()),
            new String(in, StandardCharsets.UTF_8)));
    Reply r = script.poll();
    if (r == null) {
      r = last;
    } else {
      last = r;
    }
    if (r == null) {
      r = new Reply(500, Map.of(), error("no script"), 0, false);
    }
    if (r.delayMillis > 0) {
      try {
        Thread.sleep(r.delayMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (r.status == -1) {
      ex.close(); // drop the connection without an answer
      return;
    }
    if (!r.headers.containsKey("Content-Type")) {
      ex.getResponseHeaders().add("Content-Type", "application/json");
    }
    r.headers.forEach((k, v) -> ex.getResponseHeaders().add(k, v));
    if (r.parts != null) {
      ex.sendResponseHeaders(r.status, 0);
      try (OutputStream os = ex.getResponseBody()) {
        for (byte[] p : r.parts) {
          os.write(p);
          os.flush();
          if (r.gapMillis > 0) {
            try {
              Thread.sleep(r.gapMillis);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        }
      } catch (IOException e) {
        // the client went away
      }
      ex.close();
      return;
    }
    byte[] out = r.body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(r.status, out.length == 0 ? -1 : out.length);
    if (out.length > 0) {
      try (OutputStream os = ex.getResponseBody()) {
        os.write(out);
      }
    }
    ex.close();
  }

  List<String> bodies() {
    List<String> b = new ArrayList<>();
    for (Received r : received) {
      b.add(r.body());
    }
    return b;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
