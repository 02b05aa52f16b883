package io.github.maritaca4j.redis;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code redis-server} for tests: on a free port of 127.0.0.1, persistence off, in a
 * directory of its own, stopped (and its directory deleted) by {@link #close()}. When {@code
 * redis-server} is not installed, {@link #startOrSkip()} skips the calling test with a JUnit
 * assumption saying how to install it. {@code -Dmaritaca.test.redis-server=PATH} names another
 * binary.
 */
final class RedisServer implements AutoCloseable {
  static final String INSTALL_HINT =
      "redis-server is not installed, so the tests against a real Redis are skipped:"
          + " apt-get install redis-server (Debian, Ubuntu), brew install redis (macOS), or"
          + " -Dmaritaca.test.redis-server=PATH";

  private final Path binary;
  private final Path dir;
  private final int port;
  private final List<String> extra;
  private Process process;

  private RedisServer(Path binary, Path dir, int port, List<String> extra) {
    this.binary = binary;
    this.dir = dir;
    this.port = port;
    this.extra = extra;
  }

  /** The {@code redis-server} binary, or null when there is none. */
  static Path binary() {
    String given = System.getProperty("maritaca.test.redis-server");
    if (given != null && !given.isBlank()) {
      Path p = Path.of(given);
      return Files.isExecutable(p) ? p : null;
    }
    String path = System.getenv("PATH");
    List<String> dirs = new ArrayList<>();
    if (path != null) {
      dirs.addAll(List.of(path.split(File.pathSeparator)));
    }
    dirs.addAll(List.of("/usr/bin", "/usr/sbin", "/usr/local/bin", "/opt/homebrew/bin"));
    for (String d : dirs) {
      if (d.isEmpty()) {
        continue;
      }
      Path p = Path.of(d, "redis-server");
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  /** Starts a server, or skips the test when {@code redis-server} is not installed. */
  static RedisServer startOrSkip(String... extraArgs) {
    Path bin = binary();
    Assumptions.assumeTrue(bin != null, INSTALL_HINT);
    try {
      Path dir = Files.createTempDirectory("maritaca4j-redis-test");
      RedisServer s = new RedisServer(bin, dir, freePort(), List.of(extraArgs));
      s.start();
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A port nothing listens on (just closed). */
  static int freePort() {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int port() {
    return port;
  }

  /** {@code redis://127.0.0.1:PORT}. */
  String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** Starts the server (again, after {@link #stop()}: same port, empty). */
  synchronized void start() {
    if (process != null && process.isAlive()) {
      return;
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(binary.toString());
    cmd.addAll(
        List.of(
            "--port",
            Integer.toString(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            dir.toString(),
            "--daemonize",
            "no",
            "--loglevel",
            "warning"));
    cmd.addAll(extra);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile()));
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!answers()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new IllegalStateException("redis-server did not start: " + log());
      }
      sleep(10);
    }
  }

  /** Whether the server answers on its port (PING, or NOAUTH when it wants a password). */
  private boolean answers() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      s.setSoTimeout(500);
      OutputStream out = s.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      int c = in.read();
      return c == '+' || c == '-';
    } catch (IOException e) {
      return false;
    }
  }

  /** Stops the server (SIGTERM, then SIGKILL after 5 s); its data is gone. */
  synchronized void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  String log() {
    try {
      Path f = dir.resolve("redis.log");
      return Files.exists(f) ? Files.readString(f) : "(no log)";
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  @Override
  public void close() {
    stop();
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp directory left behind
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
