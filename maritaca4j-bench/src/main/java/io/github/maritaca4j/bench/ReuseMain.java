package io.github.maritaca4j.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.ChatRequest;
import io.github.maritaca4j.ChatResult;
import io.github.maritaca4j.batch.BatchOptions;
import io.github.maritaca4j.cache.SqliteResponseCache;
import io.github.maritaca4j.jobs.JobFiles;
import io.github.maritaca4j.jobs.JobListener;
import io.github.maritaca4j.jobs.JobOrder;
import io.github.maritaca4j.jobs.JobPlan;
import io.github.maritaca4j.jobs.JobSummary;
import io.github.maritaca4j.jobs.JsonlJob;
import io.github.maritaca4j.simulator.Latency;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import io.github.maritaca4j.simulator.SimulatorStats;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issue 15's paying-less figures, one scenario per argument ({@code cache}, {@code dedup}, {@code
 * prefix}; all three when none): the response cache answering a re-run ({@code --lines N}, default
 * 1,000,000; run this JVM with {@code -Xmx256m}), deduplication (10,000 lines, 30 % repeated
 * bodies), and prefix-aware order against input order (300 lines from 30 templates, shuffled, 50 in
 * flight, 500 ms answers). Prints one line per result, each starting with its scenario.
 *
 * <pre>{@code
 * java -Xmx256m -cp maritaca4j-bench/target/maritaca4j-bench.jar \
 *     io.github.maritaca4j.bench.ReuseMain cache dedup prefix
 * }</pre>
 */
public final class ReuseMain {
  /** Priced at noon in Brasília (standard prices), whatever the hour of the run. */
  private static final Clock NOON_BRT =
      Clock.fixed(Instant.parse("2026-11-30T15:00:00Z"), ZoneOffset.UTC);

  private static final AtomicLong PEAK_USED = new AtomicLong();

  /** With {@code --keep DIR}: the input and the cache file stay there for later re-runs. */
  private static Path keep;

  private ReuseMain() {}

  public static void main(String[] args) throws Exception {
    int lines = 1_000_000;
    List<String> what = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--lines")) {
        lines = Integer.parseInt(args[++i]);
      } else if (args[i].equals("--keep")) {
        keep = Path.of(args[++i]); // keep (or reuse) the input and cache there: re-runs only
      } else {
        what.add(args[i]);
      }
    }
    if (what.isEmpty()) {
      what = List.of("cache", "dedup", "prefix");
    }
    Path dir = Files.createTempDirectory("maritaca4j-reuse-");
    try {
      for (String w : what) {
        switch (w) {
          case "cache" -> cache(dir, lines);
          case "dedup" -> dedup(dir);
          case "prefix" -> prefix(dir);
          default -> throw new IllegalArgumentException("unknown scenario: " + w);
        }
      }
    } finally {
      JobScenario.deleteTree(dir);
    }
    System.exit(0);
  }

  private static ChatMaritaca client(String baseUrl) {
    return ChatMaritaca.builder()
        .baseUrl(baseUrl)
        .apiKey("bench-dummy-key")
        .model(Scenario.MODEL)
        .clock(NOON_BRT)
        .build();
  }

  // ------------------------------------------------------------------ cache

  private static void cache(Path dir, int n) throws Exception {
    Path base = keep != null ? Files.createDirectories(keep) : dir;
    Path input = base.resolve("cache-input-" + n + ".jsonl");
    Path db = base.resolve("answers-" + n + ".db");
    boolean filled = keep != null && Files.exists(input) && Files.exists(db);
    if (!filled) {
      Files.deleteIfExists(db);
      JobScenario.writeInput(input, n, 20);
    }
    long heapMax = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
    try (Child sim =
        Child.start(
            "simulator", List.of("-Xmx512m"), SimMain.class, List.of("--latency-ms", "0"))) {
      String url = Bench.readUrls(sim)[0];
      ChatMaritaca client = client(url);
      BatchOptions options = BatchOptions.builder().maxConcurrency(64).build();
      long t0 = System.nanoTime();
      try (SqliteResponseCache cache = SqliteResponseCache.open(db)) {
        if (filled) {
          System.out.printf(Locale.ROOT, "cache  kept: %s, %,d entries%n", db, cache.size());
        }
        JsonlJob first =
            JsonlJob.builder(client, JobFiles.of(input, dir.resolve("first.jsonl")))
                .options(options)
                .cache(cache)
                .build();
        JobSummary s = first.run(first.prepare());
        System.out.printf(
            Locale.ROOT,
            (filled ? "cache  warm-up re-run" : "cache  first run")
                + ": %,d lines sent and stored in %.1f s (%,.0f lines/s), R$ %s%n",
            s.succeeded(),
            (System.nanoTime() - t0) / 1e9,
            s.succeeded() / ((System.nanoTime() - t0) / 1e9),
            s.cost().total().toPlainString());
      }
      Files.deleteIfExists(dir.resolve("first.jsonl"));
      long sentBefore = SimHttp.stats(url, false).path("requests").asLong();
      System.gc();
      watchHeap();
      Path out = dir.resolve("second.jsonl");
      com.sun.management.OperatingSystemMXBean os =
          (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      long cpu0 = os.getProcessCpuTime();
      long t1 = System.nanoTime();
      JobSummary s;
      long prepare;
      try (SqliteResponseCache cache = SqliteResponseCache.open(db)) {
        JsonlJob again =
            JsonlJob.builder(client, JobFiles.of(input, out)).options(options).cache(cache).build();
        JobPlan plan = again.prepare();
        prepare = System.nanoTime() - t1;
        s = again.run(plan);
      }
      double secs = (System.nanoTime() - t1) / 1e9;
      double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
      long sent = SimHttp.stats(url, false).path("requests").asLong() - sentBefore;
      long fromCache = 0;
      try (BufferedReader r = Files.newBufferedReader(out, StandardCharsets.UTF_8)) {
        String line;
        while ((line = r.readLine()) != null) {
          if (line.contains("\"from_cache\":true")) {
            fromCache++;
          }
        }
      }
      System.out.printf(
          Locale.ROOT,
          "cache  re-run: %,d lines answered from the cache in %.1f s = %,.0f lines/s (prepare"
              + " %.1f s, run %.1f s = %,.0f lines/s); %,d from_cache lines, %,d requests sent, R$"
              + " %s; heap max %d MB, peak used %d MB; %.1f s CPU (%.1f µs per line), load"
              + " average %.1f on %d cores%n",
          s.succeeded(),
          secs,
          s.succeeded() / secs,
          prepare / 1e9,
          secs - prepare / 1e9,
          s.succeeded() / (secs - prepare / 1e9),
          fromCache,
          sent,
          s.cost().total().toPlainString(),
          heapMax >> 20,
          PEAK_USED.get() >> 20,
          cpu,
          cpu * 1e6 / s.succeeded(),
          os.getSystemLoadAverage(),
          os.getAvailableProcessors());
    }
  }

  private static void watchHeap() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    PEAK_USED.set(0);
    Thread t =
        new Thread(
            () -> {
              while (true) {
                PEAK_USED.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                  Thread.sleep(10);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "heap-sampler");
    t.setDaemon(true);
    t.start();
  }

  // ------------------------------------------------------------------ dedup

  private static void dedup(Path dir) throws Exception {
    int n = 10_000;
    int distinct = 7_000;
    Random rnd = new Random(15);
    List<Integer> bodies = new ArrayList<>();
    for (int i = 0; i < distinct; i++) {
      bodies.add(i);
    }
    for (int i = distinct; i < n; i++) {
      bodies.add(rnd.nextInt(distinct));
    }
    Collections.shuffle(bodies, rnd);
    Path input = dir.resolve("dedup.jsonl");
    String filler = Prompts.filler(20);
    try (BufferedWriter w = Files.newBufferedWriter(input, StandardCharsets.UTF_8)) {
      for (int i = 0; i < n; i++) {
        ObjectNode line = SimHttp.JSON.createObjectNode();
        line.put("custom_id", "request-" + i);
        ObjectNode body = line.putObject("body");
        body.put("model", Scenario.MODEL);
        body.putArray("messages")
            .addObject()
            .put("role", "user")
            .put("content", Prompts.prompt(bodies.get(i), filler));
        body.put("max_tokens", Scenario.MAX_TOKENS);
        w.write(SimHttp.JSON.writeValueAsString(line));
        w.write('\n');
      }
    }
    Set<Integer> distinctBodies = new HashSet<>(bodies);
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder().latency(Latency.fixed(Duration.ofMillis(20))).start()) {
      Path out = dir.resolve("dedup-out.jsonl");
      AtomicLong dups = new AtomicLong();
      JsonlJob job =
          JsonlJob.builder(client(sim.baseUrl()), JobFiles.of(input, out))
              .options(BatchOptions.builder().maxConcurrency(50).build())
              .listener(
                  new JobListener() {
                    @Override
                    public void onItemReused(
                        String id, ChatRequest r, ChatResult res, String duplicateOf) {
                      dups.incrementAndGet();
                    }
                  })
              .build();
      long t0 = System.nanoTime();
      JobSummary s = job.run(job.prepare());
      SimulatorStats st = sim.statsWithoutLog();
      Set<String> ids = new HashSet<>();
      try (BufferedReader r = Files.newBufferedReader(out, StandardCharsets.UTF_8)) {
        String line;
        while ((line = r.readLine()) != null) {
          ids.add(SimHttp.JSON.readTree(line).path("custom_id").asText());
        }
      }
      System.out.printf(
          Locale.ROOT,
          "dedup  %,d lines, %,d distinct bodies (%.0f %% repeated): %,d requests sent, %,d lines"
              + " written from a duplicate's answer, %,d distinct custom_ids in the output, %.1f s,"
              + " R$ %s%n",
          n,
          distinctBodies.size(),
          100.0 * (n - distinctBodies.size()) / n,
          st.requests(),
          dups.get(),
          ids.size(),
          (System.nanoTime() - t0) / 1e9,
          s.cost().total().toPlainString());
    }
  }

  // ------------------------------------------------------------------ prefix

  private static void prefix(Path dir) throws Exception {
    int templates = 30;
    int per = 10;
    Random rnd = new Random(4);
    List<String> lines = new ArrayList<>();
    for (int t = 0; t < templates; t++) {
      String system =
          "Modelo "
              + t
              + ": você é um classificador de avaliações de clientes de uma loja. "
              + Prompts.filler(1400)
              + " Responda só com a categoria.";
      for (int i = 0; i < per; i++) {
        ObjectNode line = SimHttp.JSON.createObjectNode();
        line.put("custom_id", "t" + t + "-" + i);
        ObjectNode body = line.putObject("body");
        body.put("model", Scenario.MODEL);
        var msgs = body.putArray("messages");
        msgs.addObject().put("role", "system").put("content", system);
        msgs.addObject().put("role", "user").put("content", "Avaliação " + i + ": " + i * 7);
        body.put("max_tokens", 50);
        lines.add(SimHttp.JSON.writeValueAsString(line));
      }
    }
    Collections.shuffle(lines, rnd);
    Path input = Files.write(dir.resolve("prefix.jsonl"), lines);
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder().latency(Latency.fixed(Duration.ofMillis(500))).start()) {
      Result p = prefixRun(sim, input, dir.resolve("prefix-out.jsonl"), JobOrder.PREFIX);
      sim.reset();
      Result in = prefixRun(sim, input, dir.resolve("input-out.jsonl"), JobOrder.INPUT);
      int repeated = templates * (per - 1);
      BigDecimal saved = in.cost.subtract(p.cost);
      System.out.printf(
          Locale.ROOT,
          "prefix prefix order: %d of %d repeated lines billed with cached tokens (%.1f %%), %,d"
              + " cached tokens, R$ %s, %.1f s%n",
          p.cachedLines,
          repeated,
          100.0 * p.cachedLines / repeated,
          p.cachedTokens,
          p.cost.toPlainString(),
          p.secs);
      System.out.printf(
          Locale.ROOT,
          "prefix input order:  %d of %d repeated lines billed with cached tokens (%.1f %%), %,d"
              + " cached tokens, R$ %s, %.1f s%n",
          in.cachedLines,
          repeated,
          100.0 * in.cachedLines / repeated,
          in.cachedTokens,
          in.cost.toPlainString(),
          in.secs);
      System.out.printf(
          Locale.ROOT,
          "prefix saved by prefix order: R$ %s (%.1f %% of the input-order cost)%n",
          saved.toPlainString(),
          in.cost.signum() == 0
              ? 0.0
              : saved
                  .multiply(BigDecimal.valueOf(100))
                  .divide(in.cost, 3, RoundingMode.HALF_UP)
                  .doubleValue());
    }
  }

  private record Result(long cachedLines, long cachedTokens, BigDecimal cost, double secs) {}

  private static Result prefixRun(MaritacaSimulator sim, Path input, Path out, JobOrder order) {
    JsonlJob job =
        JsonlJob.builder(client(sim.baseUrl()), JobFiles.of(input, out))
            .options(BatchOptions.builder().maxConcurrency(50).build())
            .order(order)
            .build();
    long t0 = System.nanoTime();
    JobSummary s = job.run(job.prepare());
    double secs = (System.nanoTime() - t0) / 1e9;
    SimulatorStats st = sim.stats();
    long cachedLines = st.log().stream().filter(r -> r.cachedTokens() > 0).count();
    if (s.succeeded() != 300) {
      throw new IllegalStateException("only " + s.succeeded() + " of 300 succeeded");
    }
    return new Result(cachedLines, s.usage().cachedPromptTokens(), s.cost().total(), secs);
  }
}
