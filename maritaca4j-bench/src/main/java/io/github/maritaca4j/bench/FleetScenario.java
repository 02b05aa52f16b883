package io.github.maritaca4j.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * S9: {@link #JVMS} client JVMs ({@link FleetMain}) start together on one API key, each running a
 * batch of N/{@code JVMS} at C in flight, each told the account's RPM on the client, against the
 * scenario's simulator in a JVM of its own; once with the account's limits shared on a {@code
 * redis-server} this scenario starts (free port of 127.0.0.1, persistence off, a temporary
 * directory; stopped at the end), once without Redis (each JVM pacing alone), for contrast. The two
 * cases alternate, the order turning each repetition.
 *
 * <p>Each run: the JVMs start and warm up; when all have said {@code READY}, the simulator is reset
 * (counters zeroed, buckets full), Redis emptied ({@code FLUSHALL}) and its statistics zeroed; then
 * the parent sends every JVM the start at once. The aggregate wall runs from that common start to
 * the last JVM's end; its floor is that of all N requests ({@link Scenario#floorSeconds}: the
 * simulator's burst at once, then its rate, plus one latency). The row is the fleet's: N and C of
 * the three together, the client CPU of the three, the simulator's counters; a detail line gives
 * each JVM's start and end and Redis's side (commands, script runs, mean time per command).
 *
 * <p>Without {@code redis-server} on the PATH the scenario is skipped, saying how to install it.
 */
final class FleetScenario {
  /** Client JVMs on the one key. */
  static final int JVMS = 3;

  /** The contrast row's scenario id: the same JVMs, each pacing alone. */
  static final String NO_REDIS = "S9-noredis";

  private FleetScenario() {}

  static void run(Scenario s, Bench.Options options, PrintStream out, Bench.Report report)
      throws IOException, InterruptedException {
    if (!options.clients.contains(Client.MARITACA4J)) {
      out.println("   (maritaca4j only; not among --clients)");
      return;
    }
    Path binary = RedisProcess.binary();
    if (binary == null) {
      String msg =
          s.id() + " skipped: redis-server is not on the PATH; " + RedisProcess.INSTALL_HINT;
      out.println("   " + msg);
      report.notes.add(msg);
      return;
    }
    int perJvm = Math.max(1, s.n() / JVMS);
    Scenario all = s.withN(perJvm * JVMS);
    try (RedisProcess redis = RedisProcess.start(binary);
        Child sim =
            Child.start("simulator", List.of("-Xmx512m"), SimMain.class, Bench.simArgs(s))) {
      String[] urls = Bench.readUrls(sim);
      String main = urls[0];
      String warm = options.warmErrors ? urls[1] + "," + urls[3] : urls[1];
      String simCpu = urls[2];
      int promptTokens =
          SimHttp.promptTokens(urls[1], Prompts.prompt(0, Prompts.filler(s.promptWords())));
      double floor = all.floorSeconds(promptTokens);
      out.printf(
          Locale.ROOT,
          "   %d JVMs x %d requests, C=%d each; floor %.2f s ((%d - %.0f) / %.0f per s + %.1f s);"
              + " simulator %s, redis-server %s (%s)%n",
          JVMS,
          perJvm,
          s.c(),
          floor,
          all.n(),
          Math.max(1.0, s.rpm() * s.variant().burstSeconds() / 60.0),
          s.rpm() / 60.0,
          s.latencyMs() / 1000.0,
          main,
          redis.url(),
          binary);
      out.println(Row.HEADER);
      for (int rep = 1; rep <= options.repsFor(s); rep++) {
        boolean[] order = rep % 2 == 1 ? new boolean[] {true, false} : new boolean[] {false, true};
        for (boolean shared : order) {
          Result r =
              runOnce(
                  all, perJvm, shared ? redis : null, rep, main, warm, simCpu, floor, options, out);
          String id = shared ? s.id() : NO_REDIS;
          if (r == null) {
            out.printf(
                "%-12s %-11s %3d   (no result: a client JVM failed)%n", "maritaca4j", id, rep);
            continue;
          }
          report.rows.add(r.row());
          out.println(r.row().format());
          if (!r.row().errors().isEmpty()) {
            out.println("             failures: " + r.row().errors());
          }
          if (!r.row().timing().isEmpty()) {
            out.println("             " + r.row().timing());
          }
          out.println("             " + r.detail());
          out.flush();
        }
      }
    }
  }

  /** One run's row and its detail line (the JVMs, Redis). */
  record Result(Row row, String detail) {}

  private static Result runOnce(
      Scenario all,
      int perJvm,
      RedisProcess redis,
      int rep,
      String main,
      String warm,
      String simCpu,
      double floor,
      Bench.Options options,
      PrintStream out)
      throws IOException, InterruptedException {
    List<Child> jvms = new ArrayList<>();
    try {
      for (int i = 0; i < JVMS; i++) {
        jvms.add(
            Child.start(
                "jvm" + (i + 1),
                options.clientJvmArgs,
                FleetMain.class,
                fleetArgs(
                    all, perJvm, i, main, warm, redis == null ? null : redis.url(), options)));
      }
      for (Child c : jvms) {
        if (c.await("READY") == null) {
          return null;
        }
      }
      // after the warm-ups (they idle now), so that the run starts on a quiet machine
      Bench.waitQuiet(options, out);
      SimHttp.reset(main);
      RedisProcess.Stats redis0 = null;
      if (redis != null) {
        redis.flushAll();
        redis.resetStats();
        redis0 = redis.stats();
      }
      long serverCpu0 = SimHttp.cpu(simCpu);
      double busy0 = MachineLoad.busySeconds();
      long t0 = System.nanoTime();
      for (Child c : jvms) {
        c.send("go");
      }
      List<JsonNode> results = new ArrayList<>();
      for (Child c : jvms) {
        JsonNode[] got = new JsonNode[1];
        c.drain(
            json -> {
              try {
                got[0] = SimHttp.JSON.readTree(json);
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            },
            900);
        if (got[0] == null) {
          return null;
        }
        results.add(got[0]);
      }
      long t1 = results.stream().mapToLong(j -> j.path("endNanos").asLong()).max().orElse(t0);
      long serverCpu = SimHttp.cpu(simCpu) - serverCpu0;
      double busy = MachineLoad.busySeconds() - busy0;
      RedisProcess.Stats redis1 = redis == null ? null : redis.stats();
      double redisCpu = redis == null ? 0 : redis1.cpuSeconds() - redis0.cpuSeconds();
      JsonNode stats = SimHttp.stats(main, true);

      ObjectNode res = SimHttp.JSON.createObjectNode();
      long cpu = 0;
      int ok = 0;
      int failed = 0;
      ObjectNode errs = SimHttp.JSON.createObjectNode();
      for (JsonNode j : results) {
        cpu += j.path("cpuNanos").asLong();
        ok += j.path("ok").asInt();
        failed += j.path("failed").asInt();
        for (Iterator<String> it = j.path("errors").fieldNames(); it.hasNext(); ) {
          String k = it.next();
          errs.put(k, errs.path(k).asInt() + j.path("errors").path(k).asInt());
        }
      }
      res.put("client", Client.MARITACA4J.label());
      res.put("rep", rep);
      res.put("wallNanos", t1 - t0);
      res.put("cpuNanos", cpu);
      res.put("serverCpuNanos", serverCpu);
      if (busy > 0) {
        // what the rest of the machine used: busy time minus the clients', the server's, Redis's
        res.put("otherCpuSeconds", Math.max(0, busy - cpu / 1e9 - serverCpu / 1e9 - redisCpu));
      }
      res.put("ok", ok);
      res.put("failed", failed);
      res.set("errors", errs);
      res.put("serverRequests", stats.path("requests").asLong());
      res.put("serverOk", stats.path("ok").asLong());
      res.put("server429", stats.path("rateLimited").asLong());
      res.put("serverMaxInFlight", stats.path("maxInFlight").asInt());
      ClientMain.timing(stats.path("log"), t0, t1, res);
      if (options.logDir != null) {
        Files.createDirectories(options.logDir);
        ClientMain.writeRequestLog(
            options.logDir.resolve(
                (redis != null ? "S9" : NO_REDIS) + "-maritaca4j-" + rep + ".csv"),
            stats,
            t0);
      }
      Row r = Row.of(all, floor, res).withRep(rep);
      Row row =
          new Row(
              r.client(),
              redis != null ? "S9" : NO_REDIS,
              r.rep(),
              r.n(),
              JVMS * all.c(),
              r.wallSeconds(),
              r.floorSeconds(),
              r.ok(),
              r.failed(),
              r.server429(),
              r.serverRequests(),
              r.serverMaxInFlight(),
              r.cpuSeconds(),
              r.serverCpuSeconds(),
              r.errors(),
              r.timing());
      return new Result(row, detail(results, t0, redis0, redis1, redisCpu));
    } finally {
      for (Child c : jvms) {
        c.close();
      }
    }
  }

  /** {@link FleetMain}'s arguments for JVM {@code index}. */
  static List<String> fleetArgs(
      Scenario all,
      int perJvm,
      int index,
      String main,
      String warm,
      String redisUrl,
      Bench.Options options) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--index", Integer.toString(index),
                "--main", main,
                "--warm", warm,
                "--n", Integer.toString(perJvm),
                "--c", Integer.toString(all.c()),
                "--words", Integer.toString(all.promptWords()),
                "--warmup", Integer.toString(options.warmup),
                "--rpm", Long.toString(all.rpm())));
    if (redisUrl != null) {
      args.add("--redis");
      args.add(redisUrl);
    }
    return args;
  }

  /** Each JVM's start (after the common one) and end, its items and CPU; Redis's side. */
  static String detail(
      List<JsonNode> results,
      long t0,
      RedisProcess.Stats redis0,
      RedisProcess.Stats redis1,
      double redisCpu) {
    StringBuilder sb = new StringBuilder("JVMs (start after the common start, end):");
    for (JsonNode j : results) {
      sb.append(
          String.format(
              Locale.ROOT,
              " #%d +%.0f ms, %.2f s, %d ok, %d failed, %.2f s CPU;",
              j.path("index").asInt() + 1,
              (j.path("startNanos").asLong() - t0) / 1e6,
              (j.path("endNanos").asLong() - t0) / 1e9,
              j.path("ok").asInt(),
              j.path("failed").asInt(),
              j.path("cpuNanos").asLong() / 1e9));
    }
    if (redis1 == null) {
      sb.append(" no Redis (each JVM paces alone)");
    } else {
      // stats are read right after CONFIG RESETSTAT (redis0) and after the run (redis1)
      long scripts = redis1.scripts() - redis0.scripts();
      int items =
          results.stream().mapToInt(j -> j.path("ok").asInt() + j.path("failed").asInt()).sum();
      sb.append(
          String.format(
              Locale.ROOT,
              " Redis: %d script runs (round trips), %.2f per request, %.0f us each on the server"
                  + " (%s), %.2f s CPU",
              scripts,
              items == 0 ? 0.0 : (double) scripts / items,
              redis1.usecPerScript(),
              redis1.byCommand().entrySet().stream()
                  .map(
                      e ->
                          e.getKey()
                              + " "
                              + (e.getValue() - redis0.byCommand().getOrDefault(e.getKey(), 0L)))
                  .collect(Collectors.joining(", ")),
              redisCpu));
    }
    return sb.toString();
  }
}
