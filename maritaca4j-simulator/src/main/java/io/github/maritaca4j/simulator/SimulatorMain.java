package io.github.maritaca4j.simulator;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a simulator from the command line until killed:
 *
 * <pre>
 * java -cp ... io.github.maritaca4j.simulator.SimulatorMain --port 8080 --rpm 60 --tpm-in 128000
 *     --tpm-out 10000 --latency-ms 200 --seed 42
 * </pre>
 *
 * Options: {@code --port N} (0 = free), {@code --rpm N}, {@code --tpm-in N}, {@code --tpm-out N}
 * (default limits of every model, 0 = unlimited), {@code --burst-ms N}, {@code --latency-ms N}
 * (base), {@code --per-token-ms X}, {@code --jitter SIGMA}, {@code --seed N}, {@code --retry-hint
 * seconds|http_date|millis|none}, {@code --api-key KEY}, {@code --error-rate X}, {@code
 * --reset-rate X}, {@code --vocabulary FILE}, {@code --help}. Prints the base URL on the first
 * line.
 */
public final class SimulatorMain {
  private SimulatorMain() {}

  public static void main(String[] args) throws InterruptedException {
    MaritacaSimulator sim;
    try {
      sim = fromArgs(args, System.out);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (sim == null) {
      return;
    }
    System.out.println(sim.baseUrl());
    System.out.flush();
    CountDownLatch done = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  sim.close();
                  done.countDown();
                }));
    done.await();
  }

  /** Starts a simulator as the arguments say; null after {@code --help}. */
  static MaritacaSimulator fromArgs(String[] args, PrintStream out) {
    MaritacaSimulator.Builder b = MaritacaSimulator.builder();
    long rpm = 0;
    long tpmIn = 0;
    long tpmOut = 0;
    long latencyMs = 0;
    double perTokenMs = 0;
    double jitter = 0;
    Faults.Builder faults = Faults.builder();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help") || a.equals("-h")) {
        out.println(
            "usage: SimulatorMain [--port N] [--rpm N] [--tpm-in N] [--tpm-out N] [--burst-ms N]"
                + " [--latency-ms N] [--per-token-ms X] [--jitter SIGMA] [--seed N]"
                + " [--retry-hint seconds|http_date|millis|none] [--api-key KEY]"
                + " [--error-rate X] [--reset-rate X] [--vocabulary FILE.tiktoken]");
        return null;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value after " + a);
      }
      String v = args[++i];
      try {
        switch (a) {
          case "--port" -> b.port(Integer.parseInt(v));
          case "--rpm" -> rpm = Long.parseLong(v);
          case "--tpm-in" -> tpmIn = Long.parseLong(v);
          case "--tpm-out" -> tpmOut = Long.parseLong(v);
          case "--burst-ms" -> b.burst(Duration.ofMillis(Long.parseLong(v)));
          case "--latency-ms" -> latencyMs = Long.parseLong(v);
          case "--per-token-ms" -> perTokenMs = Double.parseDouble(v);
          case "--jitter" -> jitter = Double.parseDouble(v);
          case "--seed" -> b.seed(Long.parseLong(v));
          case "--retry-hint" ->
              b.retryHint(RetryHint.valueOf(v.toUpperCase(java.util.Locale.ROOT)));
          case "--api-key" -> b.requireApiKey(v);
          case "--error-rate" -> faults.serverErrorRate(Double.parseDouble(v), 500, 502, 503);
          case "--reset-rate" -> faults.connectionResetRate(Double.parseDouble(v));
          case "--vocabulary" -> b.vocabulary(java.nio.file.Path.of(v));
          default -> throw new IllegalArgumentException("unknown option: " + a);
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad number for " + a + ": " + v);
      }
    }
    b.defaultRateLimit(RateLimit.of(rpm, tpmIn, tpmOut));
    b.latency(
        Latency.of(
            Duration.ofMillis(latencyMs), Duration.ofNanos((long) (perTokenMs * 1e6)), jitter));
    b.faults(faults.build());
    return b.start();
  }
}
