package io.github.maritaca4j.testing;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP/1.1 server on a free 127.0.0.1 port that answers from a script, for exact client
 * tests (retry hints, faults, odd bodies), in the manner of OkHttp's MockWebServer.
 *
 * <p><b>Script.</b> Replies queue per route, a route being a method and a path ({@code "GET
 * /api/batches/b1"}): {@link #enqueue(String, Reply...)}. A route covers its path and every path
 * under it ({@code "GET /api/files"} covers {@code /api/files/f1/content}); the query string never
 * counts; of the routes that cover a request, the longest answers. Replies queued with {@link
 * #enqueue(Reply...)} answer any request no route covers. Each request takes the next reply of its
 * queue, and once a queue is drained its last reply answers again (so a reply scripted once answers
 * every retry). A request no queue answers gets the {@linkplain #defaultReply default reply}: a
 * JSON 404 naming the request, unless scripted otherwise.
 *
 * <p><b>Exact answers.</b> The server sends the status line, then exactly the headers a reply was
 * given, in their order, then the framing ({@code Content-Length}, or {@code Transfer-Encoding:
 * chunked} for a {@linkplain Reply#chunked streamed body}) unless the reply has its own. Nothing
 * else: no {@code Date}, no {@code Server}, no {@code Content-Type} unless scripted, so that
 * HTTP-date hints never depend on when a test runs. (This is why the server is written on a bare
 * {@link ServerSocket}: the JDK's {@code com.sun.net.httpserver} stamps every answer with its own
 * {@code Date}.) A reply can also drop the connection, never answer, or wait before answering.
 *
 * <p><b>Connections.</b> HTTP/1.1 with keep-alive, one thread per connection, requests read with
 * {@code Content-Length} or chunked bodies ({@code Expect: 100-continue} is honoured). A connection
 * closes after a dropped reply, a reply with its own framing or {@code Connection: close}, or a
 * request asking for it. {@link #close()} closes every connection and stops every pending reply.
 *
 * <p><b>Record.</b> Every request is recorded, in arrival order, before it is answered: {@link
 * #requests()}, {@link #requests(String)} for one route, {@link #requestCount()}.
 *
 * <p>Thread-safe: scripting, answering and reading the record may overlap.
 */
public final class ScriptedHttpServer implements AutoCloseable {
  private static final int MAX_HEAD = 64 * 1024;

  private final ServerSocket listener;
  private final ExecutorService threads;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final List<RecordedRequest> received = new CopyOnWriteArrayList<>();
  private final Object lock = new Object();
  // guarded by lock
  private final Map<Route, Deque<Reply>> routes = new LinkedHashMap<>();
  private final Map<Route, Reply> lastOf = new HashMap<>();
  private final Deque<Reply> anyRoute = new ArrayDeque<>();
  private Reply lastOfAnyRoute;
  private Reply fallback;
  private volatile boolean closed;

  /** Starts the server on a free port of 127.0.0.1. */
  public ScriptedHttpServer() throws IOException {
    listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    AtomicInteger n = new AtomicInteger();
    String name = "scripted-http-" + listener.getLocalPort();
    threads =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, name + "-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    Thread acceptor = new Thread(this::accept, name + "-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** The port the server listens on. */
  public int port() {
    return listener.getLocalPort();
  }

  /** The URL of a path on this server: {@code url("/api")} is {@code http://127.0.0.1:port/api}. */
  public String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  /** The base URL a client is given, as Maritaca's: {@code url("/api")}. */
  public String baseUrl() {
    return url("/api");
  }

  /** Adds replies for any request that no route covers. */
  public ScriptedHttpServer enqueue(Reply... replies) {
    synchronized (lock) {
      anyRoute.addAll(List.of(replies));
    }
    return this;
  }

  /**
   * Adds replies to a route: a method, a space and a path, e.g. {@code "POST /api/batches"}. The
   * route covers that path and every path under it.
   */
  public ScriptedHttpServer enqueue(String route, Reply... replies) {
    Route r = Route.parse(route);
    synchronized (lock) {
      routes.computeIfAbsent(r, k -> new ArrayDeque<>()).addAll(List.of(replies));
    }
    return this;
  }

  /** The reply to requests no queue answers (by default a JSON 404 naming the request). */
  public ScriptedHttpServer defaultReply(Reply reply) {
    synchronized (lock) {
      fallback = reply;
    }
    return this;
  }

  /** Every request received so far, in arrival order. */
  public List<RecordedRequest> requests() {
    return List.copyOf(received);
  }

  /** The requests a route covers (its method; its path or a path under it), in arrival order. */
  public List<RecordedRequest> requests(String route) {
    Route r = Route.parse(route);
    List<RecordedRequest> out = new ArrayList<>();
    for (RecordedRequest q : received) {
      if (r.covers(q.method(), q.path())) {
        out.add(q);
      }
    }
    return out;
  }

  /** How many requests were received so far. */
  public int requestCount() {
    return received.size();
  }

  @Override
  public void close() {
    closed = true;
    try {
      listener.close();
    } catch (IOException e) {
      // closing anyway
    }
    for (Socket s : open) {
      closeQuietly(s);
    }
    threads.shutdownNow(); // wakes replies that are waiting
  }

  // ---------------------------------------------------------------- the script

  private Reply next(String method, String path) {
    synchronized (lock) {
      Route best = null;
      for (Route r : routes.keySet()) {
        if (r.covers(method, path) && (best == null || r.path.length() > best.path.length())) {
          best = r;
        }
      }
      if (best != null) {
        Reply r = routes.get(best).poll();
        if (r == null) {
          return lastOf.get(best);
        }
        lastOf.put(best, r);
        return r;
      }
      Reply r = anyRoute.poll();
      if (r != null) {
        lastOfAnyRoute = r;
        return r;
      }
      if (lastOfAnyRoute != null) {
        return lastOfAnyRoute;
      }
      if (fallback != null) {
        return fallback;
      }
    }
    return Reply.json(
        404, "{\"error\":{\"message\":\"nothing scripted for " + method + " " + path + "\"}}");
  }

  private record Route(String method, String path) {
    static Route parse(String route) {
      int space = route.indexOf(' ');
      if (space <= 0
          || space != route.lastIndexOf(' ')
          || !route.startsWith("/", space + 1)
          || route.indexOf('?') >= 0) {
        throw new IllegalArgumentException(
            "a route is a method, a space and a path without a query, e.g. \"GET /api/x\": "
                + route);
      }
      return new Route(route.substring(0, space), route.substring(space + 1));
    }

    boolean covers(String method, String requestPath) {
      if (!this.method.equals(method)) {
        return false;
      }
      if (path.endsWith("/")) {
        return requestPath.startsWith(path);
      }
      return requestPath.equals(path) || requestPath.startsWith(path + "/");
    }
  }

  // ---------------------------------------------------------------- connections

  private void accept() {
    while (!closed) {
      Socket s;
      try {
        s = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      open.add(s);
      if (closed) {
        closeQuietly(s);
        return;
      }
      try {
        threads.execute(() -> serve(s));
      } catch (java.util.concurrent.RejectedExecutionException e) {
        closeQuietly(s); // closed meanwhile
      }
    }
  }

  private void serve(Socket s) {
    try {
      s.setTcpNoDelay(true);
      InputStream in = new BufferedInputStream(s.getInputStream());
      OutputStream out = new BufferedOutputStream(s.getOutputStream());
      boolean keepAlive = true;
      while (keepAlive && !closed) {
        RecordedRequest req = readRequest(in, out);
        if (req == null) {
          return; // the client closed the connection
        }
        received.add(req);
        Reply r = next(req.method(), req.path());
        keepAlive = answer(req, r, in, out);
      }
    } catch (IOException | RuntimeException e) {
      // the client went away, the request was not HTTP, or the server closed
    } finally {
      open.remove(s);
      closeQuietly(s);
    }
  }

  /** Answers a request; false when the connection must close. */
  private boolean answer(RecordedRequest req, Reply r, InputStream in, OutputStream out)
      throws IOException {
    if (!r.delay.isZero() && !sleep(r.delay)) {
      return false;
    }
    switch (r.kind) {
      case DROP:
        return false;
      case HANG:
        while (in.read() >= 0) {
          // never answer; wait for the client (or the server) to close
        }
        return false;
      default:
        break;
    }
    boolean ownFraming = r.has("Content-Length") || r.has("Transfer-Encoding");
    boolean bodyless =
        req.method().equals("HEAD") || r.status / 100 == 1 || r.status == 204 || r.status == 304;
    StringBuilder head = new StringBuilder();
    head.append("HTTP/1.1 ").append(r.status).append(' ').append(reason(r.status)).append("\r\n");
    for (Map.Entry<String, String> h : r.headers) {
      head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
    }
    if (r.chunks != null) {
      if (!r.has("Transfer-Encoding")) {
        head.append("Transfer-Encoding: chunked\r\n");
      }
    } else if (!ownFraming && !(r.status / 100 == 1 || r.status == 204 || r.status == 304)) {
      head.append("Content-Length: ").append(r.body.length).append("\r\n");
    }
    head.append("\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (!bodyless) {
      if (r.chunks != null) {
        out.flush();
        for (byte[] c : r.chunks) {
          if (c.length > 0) { // an empty chunk would end the body
            out.write((Integer.toHexString(c.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(c);
            out.write(CRLF);
            out.flush();
          }
          if (!r.gap.isZero() && !sleep(r.gap)) {
            return false;
          }
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      } else {
        out.write(r.body);
      }
    }
    out.flush();
    return !ownFraming
        && !r.hasValue("Connection", "close")
        && !req.headerValues("Connection").contains("close")
        && !"HTTP/1.0".equals(req.version);
  }

  private static final byte[] CRLF = {'\r', '\n'};

  private static boolean sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Reads one request; null when the connection closed before its first byte. */
  private static RecordedRequest readRequest(InputStream in, OutputStream out) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        if (head.size() == 0) {
          return null;
        }
        throw new IOException("the connection closed inside a request head");
      }
      if (head.size() >= MAX_HEAD) {
        throw new IOException("request head too long");
      }
      head.write(b);
      matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    String[] requestLine = lines[0].split(" ");
    if (requestLine.length != 3) {
      throw new IOException("not an HTTP request line: " + lines[0]);
    }
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.add(Map.entry(lines[i].substring(0, colon), lines[i].substring(colon + 1).trim()));
      }
    }
    String target = requestLine[1];
    int q = target.indexOf('?');
    RecordedRequest partial =
        new RecordedRequest(
            requestLine[0],
            q < 0 ? target : target.substring(0, q),
            q < 0 ? null : target.substring(q + 1),
            requestLine[2],
            headers,
            new byte[0]);
    if (partial.headerValues("Expect").stream().anyMatch(v -> v.equalsIgnoreCase("100-continue"))) {
      out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }
    byte[] body;
    String te = partial.header("Transfer-Encoding");
    if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
      body = readChunked(in);
    } else {
      String length = partial.header("Content-Length");
      long n = length == null ? 0 : Long.parseLong(length.trim());
      body = in.readNBytes(Math.toIntExact(n));
      if (body.length < n) {
        throw new IOException("the connection closed inside a request body");
      }
    }
    return new RecordedRequest(
        partial.method(), partial.path(), partial.query(), partial.version, headers, body);
  }

  private static byte[] readChunked(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String size = readLine(in);
      int semi = size.indexOf(';');
      int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
      if (n == 0) {
        while (!readLine(in).isEmpty()) {
          // trailers
        }
        return body.toByteArray();
      }
      byte[] chunk = in.readNBytes(n);
      if (chunk.length < n) {
        throw new IOException("the connection closed inside a request chunk");
      }
      body.writeBytes(chunk);
      readLine(in); // the CRLF after the chunk
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != '\n') {
      if (b < 0) {
        throw new IOException("the connection closed inside a chunked request body");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  private static String reason(int status) {
    switch (status) {
      case 100:
        return "Continue";
      case 200:
        return "OK";
      case 201:
        return "Created";
      case 204:
        return "No Content";
      case 400:
        return "Bad Request";
      case 401:
        return "Unauthorized";
      case 403:
        return "Forbidden";
      case 404:
        return "Not Found";
      case 408:
        return "Request Timeout";
      case 409:
        return "Conflict";
      case 422:
        return "Unprocessable Entity";
      case 429:
        return "Too Many Requests";
      case 500:
        return "Internal Server Error";
      case 502:
        return "Bad Gateway";
      case 503:
        return "Service Unavailable";
      case 504:
        return "Gateway Timeout";
      default:
        return "Scripted";
    }
  }

  // ---------------------------------------------------------------- replies

  /**
   * A scripted reply: a status, headers sent exactly as given (in order, repeats allowed), and a
   * body, either whole or streamed in chunks; or a dropped connection, or no answer at all.
   * Immutable.
   */
  public static final class Reply {
    private enum Kind {
      ANSWER,
      DROP,
      HANG
    }

    private final Kind kind;
    private final int status;
    private final List<Map.Entry<String, String>> headers;
    private final byte[] body;
    private final List<byte[]> chunks;
    private final Duration gap;
    private final Duration delay;

    private Reply(
        Kind kind,
        int status,
        List<Map.Entry<String, String>> headers,
        byte[] body,
        List<byte[]> chunks,
        Duration gap,
        Duration delay) {
      this.kind = kind;
      this.status = status;
      this.headers = List.copyOf(headers);
      this.body = body;
      this.chunks = chunks;
      this.gap = gap;
      this.delay = delay;
    }

    /** A reply with exactly these header name/value pairs (and the framing). */
    public static Reply of(int status, byte[] body, String... headerPairs) {
      return new Reply(
          Kind.ANSWER,
          status,
          pairs(headerPairs),
          body.clone(),
          null,
          Duration.ZERO,
          Duration.ZERO);
    }

    /** A reply with exactly these header name/value pairs (and the framing); the body in UTF-8. */
    public static Reply of(int status, String body, String... headerPairs) {
      return of(status, body.getBytes(StandardCharsets.UTF_8), headerPairs);
    }

    /** {@code Content-Type: application/json}, then these header pairs. */
    public static Reply json(int status, String body, String... headerPairs) {
      List<String> h = new ArrayList<>(List.of("Content-Type", "application/json"));
      h.addAll(List.of(headerPairs));
      return of(status, body, h.toArray(String[]::new));
    }

    /** A 200 with these bytes under this content type. */
    public static Reply bytes(String contentType, byte[] body) {
      return of(200, body, "Content-Type", contentType);
    }

    /** A 200 event stream ({@code text/event-stream}): one {@code data:} event per argument. */
    public static Reply sse(String... dataEvents) {
      StringBuilder sb = new StringBuilder();
      for (String e : dataEvents) {
        sb.append("data: ").append(e).append("\n\n");
      }
      return of(200, sb.toString(), "Content-Type", "text/event-stream");
    }

    /**
     * A reply whose body is streamed ({@code Transfer-Encoding: chunked}) as exactly these pieces,
     * each flushed on its own and followed by a pause of {@code gap} (also after the last, which
     * holds the body open before it ends). Empty pieces send nothing but still pause.
     */
    public static Reply chunked(
        int status, List<byte[]> pieces, Duration gap, String... headerPairs) {
      List<byte[]> copy = new ArrayList<>();
      for (byte[] p : pieces) {
        copy.add(p.clone());
      }
      return new Reply(
          Kind.ANSWER,
          status,
          pairs(headerPairs),
          new byte[0],
          Collections.unmodifiableList(copy),
          gap,
          Duration.ZERO);
    }

    /** Reads the request, then closes the connection without a byte of answer. */
    public static Reply drop() {
      return new Reply(Kind.DROP, 0, List.of(), new byte[0], null, Duration.ZERO, Duration.ZERO);
    }

    /** Reads the request and never answers: the connection stays open until either side closes. */
    public static Reply hang() {
      return new Reply(Kind.HANG, 0, List.of(), new byte[0], null, Duration.ZERO, Duration.ZERO);
    }

    /** This reply, sent (or dropped) only after waiting {@code delay}. */
    public Reply delayed(Duration delay) {
      return new Reply(kind, status, headers, body, chunks, gap, delay);
    }

    /** This reply with one more header, after the others. */
    public Reply withHeader(String name, String value) {
      List<Map.Entry<String, String>> h = new ArrayList<>(headers);
      h.add(Map.entry(name, value));
      return new Reply(kind, status, h, body, chunks, gap, delay);
    }

    /** The status (0 for a dropped or unanswered request). */
    public int status() {
      return status;
    }

    /** The scripted headers, in order. */
    public List<Map.Entry<String, String>> headers() {
      return headers;
    }

    private boolean has(String name) {
      return headers.stream().anyMatch(h -> h.getKey().equalsIgnoreCase(name));
    }

    private boolean hasValue(String name, String value) {
      return headers.stream()
          .anyMatch(h -> h.getKey().equalsIgnoreCase(name) && h.getValue().equalsIgnoreCase(value));
    }

    private static List<Map.Entry<String, String>> pairs(String... headerPairs) {
      if (headerPairs.length % 2 != 0) {
        throw new IllegalArgumentException("header names and values come in pairs");
      }
      List<Map.Entry<String, String>> h = new ArrayList<>();
      for (int i = 0; i < headerPairs.length; i += 2) {
        h.add(Map.entry(headerPairs[i], headerPairs[i + 1]));
      }
      return h;
    }

    @Override
    public String toString() {
      return kind == Kind.ANSWER ? "Reply[" + status + " " + headers + "]" : "Reply[" + kind + "]";
    }
  }

  /** A request as received: method, path, query, headers in order, body. */
  public static final class RecordedRequest {
    private final String method;
    private final String path;
    private final String query;
    private final String version;
    private final List<Map.Entry<String, String>> headers;
    private final byte[] body;

    RecordedRequest(
        String method,
        String path,
        String query,
        String version,
        List<Map.Entry<String, String>> headers,
        byte[] body) {
      this.method = method;
      this.path = path;
      this.query = query;
      this.version = version;
      this.headers = List.copyOf(headers);
      this.body = body;
    }

    /** The method, e.g. {@code POST}. */
    public String method() {
      return method;
    }

    /** The path, without the query: {@code /api/chat/completions}. */
    public String path() {
      return path;
    }

    /** The raw query string after {@code ?}, or null when there is none. */
    public String query() {
      return query;
    }

    /** Every header line, in the order received, names as sent. */
    public List<Map.Entry<String, String>> headers() {
      return headers;
    }

    /** The first value of a header (name in any case), or null. */
    public String header(String name) {
      List<String> v = headerValues(name);
      return v.isEmpty() ? null : v.get(0);
    }

    /** Every value of a header (name in any case), one per header line, in order. */
    public List<String> headerValues(String name) {
      List<String> out = new ArrayList<>();
      for (Map.Entry<String, String> h : headers) {
        if (h.getKey().equalsIgnoreCase(name)) {
          out.add(h.getValue());
        }
      }
      return out;
    }

    /** The body as UTF-8 text. */
    public String body() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /** The body's bytes. */
    public byte[] bodyBytes() {
      return body.clone();
    }

    @Override
    public String toString() {
      return method + " " + path + (query == null ? "" : "?" + query);
    }
  }
}
