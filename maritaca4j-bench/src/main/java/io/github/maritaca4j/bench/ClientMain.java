package io.github.maritaca4j.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * One client's runs of one scenario, in a JVM of its own: a warm-up run against the {@code WARM}
 * simulator (discarded), then, for each repetition, a reset of the {@code MAIN} simulator and one
 * measured run. Prints one {@code RESULT {json}} line per measured run.
 *
 * <p>Client CPU is {@code com.sun.management.OperatingSystemMXBean#getProcessCpuTime} of this JVM
 * across the measured run: every thread of the client (its HTTP stack, JSON, JIT and GC), nothing
 * of the server's.
 *
 * <p>Arguments: {@code --client NAME --main URL --warm URL --n N --c C --words K --warmup W --rpm R
 * --tpm-in T --tpm-out O --reps R}.
 */
public final class ClientMain {
  private ClientMain() {}

  public static void main(String[] args) throws Exception {
    Client client = null;
    String main = null;
    String warm = null;
    int n = 0;
    int c = 0;
    int words = 40;
    int warmup = 0;
    int reps = 1;
    long rpm = 0;
    long tpmIn = 0;
    long tpmOut = 0;
    for (int i = 0; i + 1 < args.length; i += 2) {
      String v = args[i + 1];
      switch (args[i]) {
        case "--client" -> client = Client.parse(v);
        case "--main" -> main = v;
        case "--warm" -> warm = v;
        case "--n" -> n = Integer.parseInt(v);
        case "--c" -> c = Integer.parseInt(v);
        case "--words" -> words = Integer.parseInt(v);
        case "--warmup" -> warmup = Integer.parseInt(v);
        case "--reps" -> reps = Integer.parseInt(v);
        case "--rpm" -> rpm = Long.parseLong(v);
        case "--tpm-in" -> tpmIn = Long.parseLong(v);
        case "--tpm-out" -> tpmOut = Long.parseLong(v);
        default -> throw new IllegalArgumentException("unknown option: " + args[i]);
      }
    }
    if (client == null || main == null || warm == null || n < 1 || c < 1) {
      throw new IllegalArgumentException("--client, --main, --warm, --n and --c are required");
    }
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    List<String> prompts = Prompts.generate(n, words);
    if (warmup > 0) {
      try (ClientRunner r = client.open(warm, c, ClientRunner.Limits.NONE)) {
        r.run(Prompts.generate(warmup, words));
      }
    }
    ClientRunner.Limits limits = new ClientRunner.Limits(rpm, tpmIn, tpmOut);
    for (int rep = 1; rep <= reps; rep++) {
      SimHttp.reset(main);
      System.gc();
      Outcome out;
      long cpu0;
      long t0;
      long t1;
      long cpu1;
      try (ClientRunner r = client.open(main, c, limits)) {
        cpu0 = os.getProcessCpuTime();
        t0 = System.nanoTime();
        out = r.run(prompts);
        t1 = System.nanoTime();
        cpu1 = os.getProcessCpuTime();
      }
      JsonNode stats = SimHttp.stats(main);
      ObjectNode res = SimHttp.JSON.createObjectNode();
      res.put("client", client.label());
      res.put("rep", rep);
      res.put("wallNanos", t1 - t0);
      res.put("cpuNanos", cpu1 - cpu0);
      res.put("ok", out.ok());
      res.put("failed", out.failed());
      ObjectNode errs = res.putObject("errors");
      out.errors().forEach(errs::put);
      res.put("serverRequests", stats.path("requests").asLong());
      res.put("serverOk", stats.path("ok").asLong());
      res.put("server429", stats.path("rateLimited").asLong());
      res.put("serverMaxInFlight", stats.path("maxInFlight").asInt());
      res.put("serverFaults", stats.path("faults").path("server_error").asLong());
      System.out.println("RESULT " + SimHttp.JSON.writeValueAsString(res));
      System.out.flush();
    }
    System.exit(0);
  }
}
