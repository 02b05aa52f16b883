package io.github.maritaca4j.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.management.GarbageCollectionNotificationInfo;
import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.batch.BatchOptions;
import io.github.maritaca4j.jobs.JobFiles;
import io.github.maritaca4j.jobs.JobPlan;
import io.github.maritaca4j.jobs.JobSummary;
import io.github.maritaca4j.jobs.JsonlJob;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * S6 in a JVM of its own (started with {@code -Xmx256m}): a JSONL file through the jobs API, the
 * library path under {@code maritaca batch run} ({@code JsonlJob.prepare()} then {@code run(plan)},
 * concurrency C, every other option at its default). A warm-up job of {@code --warmup} lines runs
 * first against the {@code WARM} simulator. Heap is watched two ways: the most heap in use (sampled
 * every 10 ms, garbage included) and the largest heap left after a collection (the live set's
 * high-water mark). Prints one {@code RESULT {json}} line.
 *
 * <p>Arguments: {@code --input FILE --work DIR --main URL --warm URL --c C --warmup W --words K}.
 */
public final class JobMain {
  private static final AtomicLong PEAK_USED = new AtomicLong();
  private static final AtomicLong PEAK_AFTER_GC = new AtomicLong();

  private JobMain() {}

  public static void main(String[] args) throws Exception {
    Path input = null;
    Path work = null;
    String main = null;
    String warm = null;
    int c = 64;
    int warmup = 0;
    int words = 20;
    for (int i = 0; i + 1 < args.length; i += 2) {
      String v = args[i + 1];
      switch (args[i]) {
        case "--input" -> input = Path.of(v);
        case "--work" -> work = Path.of(v);
        case "--main" -> main = v;
        case "--warm" -> warm = v;
        case "--c" -> c = Integer.parseInt(v);
        case "--warmup" -> warmup = Integer.parseInt(v);
        case "--words" -> words = Integer.parseInt(v);
        default -> throw new IllegalArgumentException("unknown option: " + args[i]);
      }
    }
    if (input == null || work == null || main == null || warm == null) {
      throw new IllegalArgumentException("--input, --work, --main and --warm are required");
    }
    watchHeap();
    BatchOptions options = BatchOptions.builder().maxConcurrency(c).build();
    if (warmup > 0) {
      Path warmIn = work.resolve("warmup.jsonl");
      Path warmOut = work.resolve("warmup-out.jsonl");
      JobScenario.writeInput(warmIn, warmup, words);
      run(warm, warmIn, warmOut, options, new long[2]);
      Files.deleteIfExists(warmIn);
      Files.deleteIfExists(warmOut);
      Files.deleteIfExists(JobFiles.defaultErrors(warmOut));
    }
    SimHttp.reset(main);
    System.gc();
    PEAK_USED.set(0);
    PEAK_AFTER_GC.set(0);

    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = os.getProcessCpuTime();
    long[] times = new long[2];
    Path out = work.resolve("out.jsonl");
    JobSummary summary = run(main, input, out, options, times);
    long cpu = os.getProcessCpuTime() - cpu0;
    JsonNode stats = SimHttp.stats(main, false);

    ObjectNode res = SimHttp.JSON.createObjectNode();
    res.put("prepareNanos", times[0]);
    res.put("runNanos", times[1]);
    res.put("succeeded", summary.succeeded());
    res.put("failed", summary.failed());
    res.put("notRun", summary.notRun());
    res.put("outputBytes", Files.size(out));
    res.put("peakHeapBytes", PEAK_USED.get());
    res.put("liveHeapBytes", PEAK_AFTER_GC.get());
    res.put("heapMaxBytes", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax());
    res.put("cpuNanos", cpu);
    res.put("serverRequests", stats.path("requests").asLong());
    res.put("server429", stats.path("rateLimited").asLong());
    System.out.println("RESULT " + SimHttp.JSON.writeValueAsString(res));
    System.exit(0);
  }

  private static JobSummary run(
      String baseUrl, Path in, Path out, BatchOptions options, long[] times) {
    ChatMaritaca client =
        ChatMaritaca.builder()
            .baseUrl(baseUrl)
            .apiKey("bench-dummy-key")
            .model(Scenario.MODEL)
            .build();
    JsonlJob job = JsonlJob.builder(client, JobFiles.of(in, out)).options(options).build();
    long t0 = System.nanoTime();
    JobPlan plan = job.prepare();
    long t1 = System.nanoTime();
    JobSummary summary = job.run(plan);
    long t2 = System.nanoTime();
    times[0] = t1 - t0;
    times[1] = t2 - t1;
    return summary;
  }

  /** Samples heap use every 10 ms and records the heap left after each collection. */
  private static void watchHeap() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    Thread sampler =
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
    sampler.setDaemon(true);
    sampler.start();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(
            (n, h) -> {
              if (!n.getType()
                  .equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                return;
              }
              GarbageCollectionNotificationInfo info =
                  GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
              long after = 0;
              for (MemoryUsage u : info.getGcInfo().getMemoryUsageAfterGc().values()) {
                after += u.getUsed();
              }
              PEAK_AFTER_GC.accumulateAndGet(after, Math::max);
            },
            null,
            null);
      }
    }
  }
}
