package io.github.maritaca4j.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * One client's runs of one scenario, in a JVM of its own: a warm-up run against the {@code WARM}
 * simulator and, when a second URL is given ({@code --warm URL,URL}) and the warm-up is at least 90
 * requests, 90 requests against the {@code WARM_LIMITED} one (429s and 503s), both discarded; then,
 * for each repetition, a reset of the {@code MAIN} simulator and one measured run. Prints one
 * {@code RESULT {json}} line per measured run.
 *
 * <p>Client CPU is {@code com.sun.management.OperatingSystemMXBean#getProcessCpuTime} of this JVM
 * across the measured run: every thread of the client (its HTTP stack, JSON, JIT and GC), nothing
 * of the server's.
 *
 * <p>Arguments: {@code --client NAME --main URL --warm URL[,URL] --sim-cpu URL --n N --c C --words
 * K --warmup W --rpm R --tpm-in T --tpm-out O --reps R [--limits-on-client true] [--jfr FILE]
 * [--log FILE]}. With {@code --limits-on-client true}, maritaca4j is told the limits on the client
 * (the account's) instead of in the batch's options. With {@code --jfr}, a flight recording
 * (execution samples every 2 ms) of the measured run only; with {@code --log}, the simulator's
 * request log of the measured run as CSV (times from the run's start).
 */
public final class ClientMain {
  /** Requests of the second warm-up phase: past the 60-request burst of {@code WARM_LIMITED}. */
  static final int WARM_LIMITED_REQUESTS = 90;

  private ClientMain() {}

  public static void main(String[] args) throws Exception {
    Client client = null;
    String main = null;
    String warm = null;
    String simCpu = null;
    java.nio.file.Path jfr = null;
    java.nio.file.Path logFile = null;
    int n = 0;
    int c = 0;
    int words = 40;
    int warmup = 0;
    int reps = 1;
    long rpm = 0;
    long tpmIn = 0;
    long tpmOut = 0;
    boolean onClient = false;
    for (int i = 0; i + 1 < args.length; i += 2) {
      String v = args[i + 1];
      switch (args[i]) {
        case "--client" -> client = Client.parse(v);
        case "--main" -> main = v;
        case "--warm" -> warm = v;
        case "--sim-cpu" -> simCpu = v;
        case "--jfr" -> jfr = java.nio.file.Path.of(v);
        case "--log" -> logFile = java.nio.file.Path.of(v);
        case "--n" -> n = Integer.parseInt(v);
        case "--c" -> c = Integer.parseInt(v);
        case "--words" -> words = Integer.parseInt(v);
        case "--warmup" -> warmup = Integer.parseInt(v);
        case "--reps" -> reps = Integer.parseInt(v);
        case "--rpm" -> rpm = Long.parseLong(v);
        case "--tpm-in" -> tpmIn = Long.parseLong(v);
        case "--tpm-out" -> tpmOut = Long.parseLong(v);
        case "--limits-on-client" -> onClient = Boolean.parseBoolean(v);
        default -> throw new IllegalArgumentException("unknown option: " + args[i]);
      }
    }
    if (client == null || main == null || warm == null || n < 1 || c < 1) {
      throw new IllegalArgumentException("--client, --main, --warm, --n and --c are required");
    }
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    List<String> prompts = Prompts.generate(n, words);
    warmUp(client, warm, c, words, warmup);
    ClientRunner.Limits limits = new ClientRunner.Limits(rpm, tpmIn, tpmOut, onClient);
    for (int rep = 1; rep <= reps; rep++) {
      SimHttp.reset(main);
      System.gc();
      Outcome out;
      long cpu0;
      long t0;
      long t1;
      long cpu1;
      long serverCpu0 = SimHttp.cpu(simCpu);
      double busy0 = MachineLoad.busySeconds();
      jdk.jfr.Recording recording = null;
      if (jfr != null) {
        recording = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
        recording.enable("jdk.ExecutionSample").withPeriod(java.time.Duration.ofMillis(2));
        recording.start();
      }
      try (ClientRunner r = client.open(main, c, limits)) {
        cpu0 = os.getProcessCpuTime();
        t0 = System.nanoTime();
        out = r.run(prompts);
        t1 = System.nanoTime();
        cpu1 = os.getProcessCpuTime();
      }
      if (recording != null) {
        recording.stop();
        recording.dump(jfr);
        recording.close();
      }
      long serverCpu = SimHttp.cpu(simCpu) - serverCpu0;
      double busy = MachineLoad.busySeconds() - busy0;
      JsonNode stats = SimHttp.stats(main, true);
      ObjectNode res = SimHttp.JSON.createObjectNode();
      res.put("client", client.label());
      res.put("rep", rep);
      res.put("wallNanos", t1 - t0);
      res.put("cpuNanos", cpu1 - cpu0);
      res.put("serverCpuNanos", serverCpu);
      if (busy > 0) {
        // what the rest of the machine used: busy time minus this JVM's and the server's
        res.put("otherCpuSeconds", Math.max(0, busy - (cpu1 - cpu0) / 1e9 - serverCpu / 1e9));
      }
      res.put("ok", out.ok());
      res.put("failed", out.failed());
      ObjectNode errs = res.putObject("errors");
      out.errors().forEach(errs::put);
      res.put("serverRequests", stats.path("requests").asLong());
      res.put("serverOk", stats.path("ok").asLong());
      res.put("server429", stats.path("rateLimited").asLong());
      res.put("serverMaxInFlight", stats.path("maxInFlight").asInt());
      res.put("serverFaults", stats.path("faults").path("server_error").asLong());
      timing(stats.path("log"), t0, t1, res);
      if (logFile != null) {
        writeRequestLog(logFile, stats, t0);
      }
      System.out.println("RESULT " + SimHttp.JSON.writeValueAsString(res));
      System.out.flush();
    }
    System.exit(0);
  }

  /**
   * The warm-up, discarded: {@code warmup} requests against the first of {@code warm} (no limits),
   * then, when a second URL is given and {@code warmup} is at least {@link #WARM_LIMITED_REQUESTS},
   * that many against the second (600 RPM, 5 % 503s), so that the 429 and 503 paths are warm. The
   * simulators are not the measured one: a client's account state (its lane, keyed by key and base
   * URL) for the measured simulator starts fresh.
   */
  static void warmUp(Client client, String warm, int c, int words, int warmup) throws Exception {
    if (warmup <= 0) {
      return;
    }
    String[] w = warm.split(",");
    try (ClientRunner r = client.open(w[0], c, ClientRunner.Limits.NONE)) {
      r.run(Prompts.generate(warmup, words));
    }
    if (w.length > 1 && warmup >= WARM_LIMITED_REQUESTS) {
      // the 429 and 503 paths: a short run past the burst of a limited simulator
      try (ClientRunner r =
          client.open(w[1], c, new ClientRunner.Limits(SimMain.WARM_LIMITED_RPM, 0, 0))) {
        r.run(Prompts.generate(WARM_LIMITED_REQUESTS, words));
      }
    }
  }

  /**
   * Where the wall time went, from the simulator's request log ({@code System.nanoTime()} is the
   * machine's monotonic clock, shared by both JVMs): the server's mean and p99 service time, the
   * mean number of requests the server was serving (sum of service times / wall), when the first
   * request arrived after the run started and when the last answer left before it ended.
   */
  static void timing(JsonNode log, long t0, long t1, ObjectNode res) {
    if (!log.isArray() || log.isEmpty()) {
      return;
    }
    double[] service = new double[log.size()];
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    double sum = 0;
    int i = 0;
    StringBuilder limited = new StringBuilder();
    int limitedCount = 0;
    for (JsonNode r : log) {
      if (r.path("status").asInt() == 429 && limitedCount++ < 40) {
        limited.append(limited.length() == 0 ? "" : " ");
        limited.append(
            String.format(
                java.util.Locale.ROOT, "%.2f", (r.path("arrivalNanos").asLong() - t0) / 1e9));
      }
      long a = r.path("arrivalNanos").asLong();
      long c = r.path("completionNanos").asLong();
      service[i++] = (c - a) / 1e6;
      sum += c - a;
      first = Math.min(first, a);
      last = Math.max(last, c);
    }
    java.util.Arrays.sort(service);
    res.put("serviceMeanMs", sum / 1e6 / service.length);
    res.put("serviceP99Ms", service[(int) Math.min(service.length - 1, service.length * 0.99)]);
    res.put("serverAvgInFlight", sum / (double) (t1 - t0));
    res.put("firstArrivalMs", (first - t0) / 1e6);
    res.put("lastCompletionBeforeEndMs", (t1 - last) / 1e6);
    if (limitedCount > 0) {
      res.put("rateLimitedAt", limited.toString() + (limitedCount > 40 ? " ..." : ""));
    }
  }

  /** The simulator's request log as CSV, times in ms from {@code t0} (the measured run's start). */
  static void writeRequestLog(java.nio.file.Path file, JsonNode stats, long t0)
      throws java.io.IOException {
    StringBuilder sb = new StringBuilder("arrival_ms,completion_ms,status,outcome\n");
    for (JsonNode r : stats.path("log")) {
      sb.append(
          String.format(
              java.util.Locale.ROOT,
              "%.3f,%.3f,%d,%s%n",
              (r.path("arrivalNanos").asLong() - t0) / 1e6,
              (r.path("completionNanos").asLong() - t0) / 1e6,
              r.path("status").asInt(),
              r.path("outcome").asText()));
    }
    java.nio.file.Files.writeString(file, sb);
  }
}
