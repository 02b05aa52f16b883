package io.github.maritaca4j.bench;

import com.sun.net.httpserver.HttpServer;
import io.github.maritaca4j.simulator.Faults;
import io.github.maritaca4j.simulator.Latency;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import io.github.maritaca4j.simulator.RateLimit;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The simulator side of a benchmark, run in its own JVM so that its CPU is not counted as the
 * client's. Starts two simulators on 127.0.0.1, free ports:
 *
 * <ul>
 *   <li>{@code MAIN}: the scenario's latency, limits ({@code sabia-4}, the simulator's default 6 s
 *       burst unless {@code --burst-ms} says otherwise, {@code Retry-After} in seconds, {@code
 *       x-ratelimit-*} headers unless {@code --rate-limit-headers false}) and 503 faults;
 *   <li>{@code WARM}: no latency, no limits, no faults, for each client's warm-up (a separate port,
 *       so that no client reuses a warm connection in its measured run);
 *   <li>{@code WARM_LIMITED}: no latency, 600 RPM (a 60-request burst), 5 % 503s: the second
 *       warm-up phase, so that every client's 429 and 5xx paths are warm too (a cold error path
 *       reacts tens of milliseconds late to the first 429, see BENCHMARKS.md).
 * </ul>
 *
 * Prints {@code MAIN <baseUrl>}, {@code WARM <baseUrl>}, {@code WARM_LIMITED <baseUrl>} and {@code
 * CPU <url>} (a plain-text endpoint answering this JVM's process CPU time in nanoseconds, so that a
 * client can tell how much CPU the server spent during its run), then serves until its standard
 * input closes (the parent closes it, or dies).
 *
 * <p>Arguments: {@code --latency-ms N --rpm N --tpm-in N --tpm-out N --error-rate X --seed N
 * --burst-ms N --rate-limit-headers true|false} (the last two for {@code MAIN} only).
 */
public final class SimMain {
  /** The RPM limit of the {@code WARM_LIMITED} simulator. */
  static final long WARM_LIMITED_RPM = 600;

  private SimMain() {}

  public static void main(String[] args) throws IOException {
    long latencyMs = 0;
    long rpm = 0;
    long tpmIn = 0;
    long tpmOut = 0;
    double errorRate = 0;
    long seed = 42;
    long burstMs = 0;
    boolean headers = true;
    for (int i = 0; i + 1 < args.length; i += 2) {
      String v = args[i + 1];
      switch (args[i]) {
        case "--latency-ms" -> latencyMs = Long.parseLong(v);
        case "--rpm" -> rpm = Long.parseLong(v);
        case "--tpm-in" -> tpmIn = Long.parseLong(v);
        case "--tpm-out" -> tpmOut = Long.parseLong(v);
        case "--error-rate" -> errorRate = Double.parseDouble(v);
        case "--seed" -> seed = Long.parseLong(v);
        case "--burst-ms" -> burstMs = Long.parseLong(v);
        case "--rate-limit-headers" -> headers = Boolean.parseBoolean(v);
        default -> throw new IllegalArgumentException("unknown option: " + args[i]);
      }
    }
    MaritacaSimulator.Builder b =
        MaritacaSimulator.builder()
            .seed(seed)
            .latency(latencyMs == 0 ? Latency.none() : Latency.fixed(Duration.ofMillis(latencyMs)))
            .rateLimitHeaders(headers);
    if (burstMs > 0) {
      b.burst(Duration.ofMillis(burstMs));
    }
    RateLimit limit = RateLimit.of(rpm, tpmIn, tpmOut);
    if (!limit.isUnlimited()) {
      b.rateLimit(Scenario.MODEL, limit);
    }
    if (errorRate > 0) {
      b.faults(Faults.builder().serverErrorRate(errorRate, 503).build());
    }
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    HttpServer cpu =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    cpu.createContext(
        "/cpu",
        ex -> {
          byte[] body = Long.toString(os.getProcessCpuTime()).getBytes(StandardCharsets.US_ASCII);
          ex.sendResponseHeaders(200, body.length);
          try (OutputStream o = ex.getResponseBody()) {
            o.write(body);
          }
        });
    cpu.start();
    try (MaritacaSimulator main = b.start();
        MaritacaSimulator warm = MaritacaSimulator.builder().seed(seed).start();
        MaritacaSimulator warmLimited =
            MaritacaSimulator.builder()
                .seed(seed)
                .rateLimit(Scenario.MODEL, RateLimit.rpm(WARM_LIMITED_RPM))
                .faults(Faults.builder().serverErrorRate(0.05, 503).build())
                .start()) {
      System.out.println("MAIN " + main.baseUrl());
      System.out.println("WARM " + warm.baseUrl());
      System.out.println("WARM_LIMITED " + warmLimited.baseUrl());
      System.out.println("CPU http://127.0.0.1:" + cpu.getAddress().getPort() + "/cpu");
      System.out.flush();
      InputStream in = System.in;
      byte[] buf = new byte[256];
      while (in.read(buf) >= 0) {
        // serve until the parent closes our stdin
      }
    } finally {
      cpu.stop(0);
    }
    System.exit(0);
  }
}
