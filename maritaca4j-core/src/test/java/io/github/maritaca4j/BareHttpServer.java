package io.github.maritaca4j;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal HTTP/1.1 server on 127.0.0.1 that answers from a script with exactly the headers it is
 * given. Unlike the JDK's server (behind {@link ScriptedServer}), which stamps every answer with
 * its real {@code Date}, it sends a {@code Date} only when the script has one: HTTP-date hints are
 * then measured against a pinned server date, or against the client's clock, and never depend on
 * when the test runs. Each request takes the next scripted reply; the last one repeats. One
 * connection at a time, closed after each answer.
 */
final class BareHttpServer implements AutoCloseable {
  private final ServerSocket socket;
  private final ConcurrentLinkedQueue<byte[]> script = new ConcurrentLinkedQueue<>();
  private volatile byte[] last;
  private final AtomicInteger requests = new AtomicInteger();

  BareHttpServer() throws IOException {
    socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::serve, "bare-http-server");
    t.setDaemon(true);
    t.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + socket.getLocalPort() + "/api";
  }

  /** Adds a JSON reply with these header name/value pairs, and no others but the framing. */
  BareHttpServer reply(int status, String body, String... headerPairs) {
    byte[] content = body.getBytes(StandardCharsets.UTF_8);
    StringBuilder head = new StringBuilder();
    head.append("HTTP/1.1 ").append(status).append(" Scripted\r\n");
    head.append("Content-Type: application/json\r\n");
    head.append("Content-Length: ").append(content.length).append("\r\n");
    head.append("Connection: close\r\n");
    for (int i = 0; i < headerPairs.length; i += 2) {
      head.append(headerPairs[i]).append(": ").append(headerPairs[i + 1]).append("\r\n");
    }
    head.append("\r\n");
    ByteArrayOutputStream r = new ByteArrayOutputStream();
    r.writeBytes(head.toString().getBytes(StandardCharsets.US_ASCII));
    r.writeBytes(content);
    script.add(r.toByteArray());
    return this;
  }

  /** Requests answered so far. */
  int requests() {
    return requests.get();
  }

  private void serve() {
    while (!socket.isClosed()) {
      try (Socket s = socket.accept()) {
        readRequest(s.getInputStream());
        byte[] r = script.poll();
        if (r == null) {
          r = last;
        } else {
          last = r;
        }
        requests.incrementAndGet();
        if (r == null) {
          continue; // nothing scripted: close without an answer
        }
        OutputStream out = s.getOutputStream();
        out.write(r);
        out.flush();
      } catch (IOException e) {
        // closed, or the client went away
      }
    }
  }

  /** Reads the head up to its empty line, then the body its Content-Length announces. */
  private static void readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    byte[] end = {'\r', '\n', '\r', '\n'};
    int matched = 0;
    while (matched < end.length) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("the connection closed before the end of the request head");
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    long length = 0;
    for (String line : head.toString(StandardCharsets.US_ASCII).split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0
          && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
        length = Long.parseLong(line.substring(colon + 1).trim());
      }
    }
    in.readNBytes((int) length);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
