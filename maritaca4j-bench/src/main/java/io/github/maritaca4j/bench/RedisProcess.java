package io.github.maritaca4j.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A {@code redis-server} of S9's own: on a free port of 127.0.0.1, persistence off ({@code --save
 * "" --appendonly no}), in a temporary directory, stopped and its directory deleted by {@link
 * #close()}. A few commands ({@code FLUSHALL}, {@code CONFIG RESETSTAT}, {@code INFO}) go over a
 * plain socket (RESP), so that the parent JVM needs no Redis client.
 */
final class RedisProcess implements AutoCloseable {
  /** How to get {@code redis-server} when it is missing. */
  static final String INSTALL_HINT =
      "install it: apt-get install redis-server (Debian, Ubuntu), brew install redis (macOS)";

  private final Path dir;
  private final int port;
  private final Process process;

  private RedisProcess(Path dir, int port, Process process) {
    this.dir = dir;
    this.port = port;
    this.process = process;
  }

  /** {@code redis-server} on the PATH (or in the usual directories), null when there is none. */
  static Path binary() {
    List<String> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
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

  /** Starts {@code binary} and waits (at most 10 s) until it answers. */
  static RedisProcess start(Path binary) throws IOException {
    Path dir = Files.createTempDirectory("maritaca4j-bench-redis");
    int port = freePort();
    List<String> cmd =
        List.of(
            binary.toString(),
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
            "warning");
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile()));
    RedisProcess r = new RedisProcess(dir, port, pb.start());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try {
        if (r.command("PING").startsWith("PONG")) {
          return r;
        }
      } catch (IOException e) {
        // not listening yet
      }
      if (!r.process.isAlive() || System.nanoTime() > deadline) {
        String log = Files.readString(dir.resolve("redis.log"));
        r.close();
        throw new IOException("redis-server did not start: " + log.strip());
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        r.close();
        throw new IOException("interrupted while starting redis-server", e);
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    }
  }

  /** {@code redis://127.0.0.1:PORT}. */
  String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** Empties every database (a fresh account between runs). */
  void flushAll() throws IOException {
    command("FLUSHALL");
  }

  /** Zeroes the command statistics ({@code INFO commandstats}). */
  void resetStats() throws IOException {
    command("CONFIG", "RESETSTAT");
  }

  /**
   * What Redis did since {@link #resetStats()}: the script runs ({@code EVALSHA}, {@code EVAL}: one
   * client round trip each) and Redis's time in them, the calls of every command (those the scripts
   * run inside, {@code TIME}, {@code HMGET}..., included: Redis counts them too), and the server's
   * CPU seconds since it started ({@code used_cpu_user + used_cpu_sys}).
   */
  Stats stats() throws IOException {
    String info = command("INFO", "all");
    long scripts = 0;
    double scriptUsec = 0;
    double cpu = 0;
    Map<String, Long> byCommand = new TreeMap<>();
    for (String line : info.split("\r?\n")) {
      if (line.startsWith("cmdstat_")) {
        // cmdstat_evalsha:calls=504,usec=9123,usec_per_call=18.10,...
        String name = line.substring("cmdstat_".length(), line.indexOf(':'));
        long c = 0;
        double u = 0;
        for (String kv : line.substring(line.indexOf(':') + 1).split(",")) {
          if (kv.startsWith("calls=")) {
            c = Long.parseLong(kv.substring(6));
          } else if (kv.startsWith("usec=")) {
            u = Double.parseDouble(kv.substring(5));
          }
        }
        if (name.equals("evalsha") || name.equals("eval")) {
          scripts += c;
          scriptUsec += u;
        }
        if (!name.startsWith("info") && !name.startsWith("config") && c > 0) {
          byCommand.put(name, c);
        }
      } else if (line.startsWith("used_cpu_user:") || line.startsWith("used_cpu_sys:")) {
        cpu += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    return new Stats(scripts, scriptUsec, cpu, byCommand);
  }

  /**
   * Redis's side of a run.
   *
   * @param scripts script runs ({@code EVALSHA}, {@code EVAL}): one per admission attempt,
   *     settlement, pause or clamp of a process, each one round trip
   * @param scriptUsec Redis's time in them, in microseconds
   * @param cpuSeconds the server's CPU since it started
   * @param byCommand calls of each command (INFO and CONFIG excluded), by name
   */
  record Stats(long scripts, double scriptUsec, double cpuSeconds, Map<String, Long> byCommand) {
    Stats {
      byCommand = Map.copyOf(byCommand);
    }

    /** Redis's mean time in one script run, in microseconds (0 without any). */
    double usecPerScript() {
      return scripts == 0 ? 0 : scriptUsec / scripts;
    }
  }

  /** Sends one command (RESP array of bulk strings) and returns its reply as text. */
  String command(String... args) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      s.setSoTimeout(5_000);
      StringBuilder req = new StringBuilder("*").append(args.length).append("\r\n");
      for (String a : args) {
        req.append('$')
            .append(a.getBytes(StandardCharsets.UTF_8).length)
            .append("\r\n")
            .append(a)
            .append("\r\n");
      }
      OutputStream out = s.getOutputStream();
      out.write(req.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      return reply(new BufferedInputStream(s.getInputStream()));
    }
  }

  /** One RESP reply as text: an array's elements one a line, a nil as "". */
  private static String reply(InputStream in) throws IOException {
    String head = line(in);
    if (head.isEmpty()) {
      throw new IOException("no answer from redis-server");
    }
    switch (head.charAt(0)) {
      case '+', ':' -> {
        return head.substring(1);
      }
      case '-' -> throw new IOException("redis-server: " + head.substring(1));
      case '$' -> {
        int len = Integer.parseInt(head.substring(1));
        if (len < 0) {
          return "";
        }
        String body = new String(in.readNBytes(len), StandardCharsets.UTF_8);
        line(in); // the CRLF after the body
        return body;
      }
      case '*' -> {
        int count = Integer.parseInt(head.substring(1));
        List<String> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
          items.add(reply(in));
        }
        return String.join("\n", items);
      }
      default -> throw new IOException("unexpected answer from redis-server: " + head);
    }
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        break;
      }
      if (c != '\r') {
        b.write(c);
      }
    }
    return b.toString(StandardCharsets.UTF_8);
  }

  /** Stops the server (SIGTERM, then SIGKILL after 5 s) and deletes its directory. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind
    }
  }
}
