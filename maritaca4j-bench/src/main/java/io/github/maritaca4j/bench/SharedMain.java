package io.github.maritaca4j.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.Message;
import io.github.maritaca4j.batch.BatchItem;
import io.github.maritaca4j.batch.BatchListener;
import io.github.maritaca4j.batch.BatchOptions;
import io.github.maritaca4j.batch.BatchResult;
import io.github.maritaca4j.batch.RateLimits;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * S8 in a JVM of its own: ONE {@code ChatMaritaca} told the account's RPM once ({@code
 * builder().rateLimits(RateLimits.rpm(R))}, burst unknown), running at once
 *
 * <ul>
 *   <li>batch A: N/2 requests at C in flight, started at 0;
 *   <li>batch B: N/2 requests at C in flight, started {@link #SECOND_BATCH_DELAY_MS} later;
 *   <li>single calls: {@code invoke} every {@link #SINGLE_PERIOD_MS}, each on a thread of its own
 *       (from 0 until both batches have ended; the last ones issued are waited for).
 * </ul>
 *
 * After the same warm-up as {@link ClientMain} and a reset of {@code MAIN}. Prints one {@code
 * RESULT {json}} line: {@link ClientMain}'s fields (wall from the start to the end of all the work,
 * CPU, the server's counters and timing) plus {@code shared}: when B's first item was admitted
 * (being sent, as B's listener saw it) and first completed after B's start, when A and B ended, how
 * many of B's items had been admitted when A ended, and the single calls' latencies.
 *
 * <p>Arguments: {@code --main URL --warm URL[,URL] --sim-cpu URL --n N --c C --words K --warmup W
 * --rpm R [--log FILE]}.
 */
public final class SharedMain {
  /** B starts this long after A. */
  static final long SECOND_BATCH_DELAY_MS = 2_000;

  /** One single call every this many ms: two a second. */
  static final long SINGLE_PERIOD_MS = 500;

  private SharedMain() {}

  public static void main(String[] args) throws Exception {
    String main = null;
    String warm = null;
    String simCpu = null;
    java.nio.file.Path logFile = null;
    int n = 0;
    int c = 0;
    int words = 40;
    int warmup = 0;
    long rpm = 0;
    for (int i = 0; i + 1 < args.length; i += 2) {
      String v = args[i + 1];
      switch (args[i]) {
        case "--main" -> main = v;
        case "--warm" -> warm = v;
        case "--sim-cpu" -> simCpu = v;
        case "--log" -> logFile = java.nio.file.Path.of(v);
        case "--n" -> n = Integer.parseInt(v);
        case "--c" -> c = Integer.parseInt(v);
        case "--words" -> words = Integer.parseInt(v);
        case "--warmup" -> warmup = Integer.parseInt(v);
        case "--rpm" -> rpm = Long.parseLong(v);
        default -> throw new IllegalArgumentException("unknown option: " + args[i]);
      }
    }
    if (main == null || warm == null || n < 2 || c < 1 || rpm < 1) {
      throw new IllegalArgumentException("--main, --warm, --n >= 2, --c and --rpm are required");
    }
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    ClientMain.warmUp(Client.MARITACA4J, warm, c, words, warmup);

    List<String> prompts = Prompts.generate(n, words);
    int half = n / 2;
    List<List<Message>> inputsA = new ArrayList<>();
    List<List<Message>> inputsB = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      (i < half ? inputsA : inputsB).add(List.of(Message.user(prompts.get(i))));
    }
    String filler = Prompts.filler(words);
    int firstSingle = n; // single calls' prompts follow the batches' (same token count)

    SimHttp.reset(main);
    System.gc();
    // the account's limits, told once, on the one client: both batches and the single calls share
    // them (one lane), the batches taking turns and the single calls going first
    ChatMaritaca model =
        ChatMaritaca.builder()
            .baseUrl(main)
            .apiKey("bench-dummy-key")
            .model(Scenario.MODEL)
            .maxTokens(Scenario.MAX_TOKENS)
            .rateLimits(RateLimits.rpm(rpm))
            .build();

    AtomicInteger startedA = new AtomicInteger();
    AtomicInteger startedB = new AtomicInteger();
    AtomicLong firstAdmittedB = new AtomicLong();
    AtomicLong firstCompletedB = new AtomicLong();
    BatchListener listenerA =
        new BatchListener() {
          @Override
          public void onItemStarted(int index, int attempt) {
            if (attempt == 1) {
              startedA.incrementAndGet();
            }
          }
        };
    BatchListener listenerB =
        new BatchListener() {
          @Override
          public void onItemStarted(int index, int attempt) {
            firstAdmittedB.compareAndSet(0, System.nanoTime());
            if (attempt == 1) {
              startedB.incrementAndGet();
            }
          }

          @Override
          public void onItemCompleted(BatchItem item) {
            firstCompletedB.compareAndSet(0, System.nanoTime());
          }
        };

    Outcome.Tally tally = new Outcome.Tally();
    Outcome.Tally singlesTally = new Outcome.Tally();
    List<Long> singleNanos = java.util.Collections.synchronizedList(new ArrayList<>());
    AtomicInteger singles = new AtomicInteger();
    AtomicLong lastSingleEnd = new AtomicLong();
    AtomicBoolean batchesDone = new AtomicBoolean();
    ScheduledExecutorService ticker =
        Executors.newSingleThreadScheduledExecutor(daemon("bench-s8-ticker"));
    ExecutorService singlesPool = Executors.newCachedThreadPool(daemon("bench-s8-single"));

    long serverCpu0 = SimHttp.cpu(simCpu);
    double busy0 = MachineLoad.busySeconds();
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    CompletableFuture<BatchResult> fa = model.batchAsync(inputsA, options(c, listenerA));
    AtomicLong endA = new AtomicLong();
    AtomicInteger bAdmittedAtEndA = new AtomicInteger(-1);
    CompletableFuture<Void> doneA =
        fa.handle(
            (r, e) -> {
              endA.set(System.nanoTime());
              bAdmittedAtEndA.set(startedB.get());
              return null;
            });
    ticker.scheduleAtFixedRate(
        () -> {
          if (batchesDone.get()) {
            return;
          }
          int k = singles.getAndIncrement();
          singlesPool.execute(
              () -> {
                long s = System.nanoTime();
                try {
                  model.invoke(List.of(Message.user(Prompts.prompt(firstSingle + k, filler))));
                  long e = System.nanoTime();
                  singleNanos.add(e - s);
                  lastSingleEnd.accumulateAndGet(e, Math::max);
                  singlesTally.ok();
                } catch (RuntimeException ex) {
                  lastSingleEnd.accumulateAndGet(System.nanoTime(), Math::max);
                  singlesTally.failed(ex);
                }
              });
        },
        0,
        SINGLE_PERIOD_MS,
        TimeUnit.MILLISECONDS);

    long startB = t0 + SECOND_BATCH_DELAY_MS * 1_000_000L;
    long sleep = startB - System.nanoTime();
    if (sleep > 0) {
      Thread.sleep(sleep / 1_000_000L, (int) (sleep % 1_000_000L));
    }
    startB = System.nanoTime();
    int aAdmittedAtStartB = startedA.get();
    CompletableFuture<BatchResult> fb = model.batchAsync(inputsB, options(c, listenerB));
    AtomicLong endB = new AtomicLong();
    CompletableFuture<Void> doneB =
        fb.handle(
            (r, e) -> {
              endB.set(System.nanoTime());
              return null;
            });

    BatchResult ra = fa.join();
    BatchResult rb = fb.join();
    doneA.join();
    doneB.join();
    batchesDone.set(true);
    ticker.shutdown();
    ticker.awaitTermination(10, TimeUnit.SECONDS);
    singlesPool.shutdown();
    singlesPool.awaitTermination(300, TimeUnit.SECONDS);
    long t1 = Math.max(Math.max(endA.get(), endB.get()), lastSingleEnd.get());
    long cpu1 = os.getProcessCpuTime();
    long serverCpu = SimHttp.cpu(simCpu) - serverCpu0;
    double busy = MachineLoad.busySeconds() - busy0;

    for (BatchResult r : List.of(ra, rb)) {
      for (BatchItem item : r) {
        if (item.isSuccess()) {
          tally.ok();
        } else {
          tally.failed(item.error());
        }
      }
    }
    Outcome batches = tally.outcome();
    Outcome single = singlesTally.outcome();
    JsonNode stats = SimHttp.stats(main, true);
    ObjectNode res = SimHttp.JSON.createObjectNode();
    res.put("client", Client.MARITACA4J.label());
    res.put("rep", 1);
    res.put("wallNanos", t1 - t0);
    res.put("cpuNanos", cpu1 - cpu0);
    res.put("serverCpuNanos", serverCpu);
    if (busy > 0) {
      res.put("otherCpuSeconds", Math.max(0, busy - (cpu1 - cpu0) / 1e9 - serverCpu / 1e9));
    }
    res.put("ok", batches.ok() + single.ok());
    res.put("failed", batches.failed() + single.failed());
    ObjectNode errs = res.putObject("errors");
    batches.errors().forEach((k, v) -> errs.put("batch: " + k, v));
    single.errors().forEach((k, v) -> errs.put("single: " + k, v));
    res.put("serverRequests", stats.path("requests").asLong());
    res.put("serverOk", stats.path("ok").asLong());
    res.put("server429", stats.path("rateLimited").asLong());
    res.put("serverMaxInFlight", stats.path("maxInFlight").asInt());
    ClientMain.timing(stats.path("log"), t0, t1, res);

    ObjectNode sh = res.putObject("shared");
    sh.put("batchItems", n);
    sh.put("singles", singles.get());
    sh.put("singlesFailed", single.failed());
    long[] lat = singleNanos.stream().mapToLong(Long::longValue).sorted().toArray();
    sh.put("singleP50Ms", percentile(lat, 0.50) / 1e6);
    sh.put("singleP99Ms", percentile(lat, 0.99) / 1e6);
    sh.put("singleMaxMs", lat.length == 0 ? 0 : lat[lat.length - 1] / 1e6);
    sh.put("startBSeconds", (startB - t0) / 1e9);
    sh.put(
        "firstAdmittedBMs", firstAdmittedB.get() == 0 ? -1 : (firstAdmittedB.get() - startB) / 1e6);
    sh.put(
        "firstCompletedBMs",
        firstCompletedB.get() == 0 ? -1 : (firstCompletedB.get() - startB) / 1e6);
    sh.put("endASeconds", (endA.get() - t0) / 1e9);
    sh.put("endBSeconds", (endB.get() - t0) / 1e9);
    sh.put("aAdmittedAtStartB", aAdmittedAtStartB);
    sh.put("bAdmittedAtEndA", bAdmittedAtEndA.get());
    if (logFile != null) {
      ClientMain.writeRequestLog(logFile, stats, t0);
    }
    System.out.println("RESULT " + SimHttp.JSON.writeValueAsString(res));
    System.out.flush();
    System.exit(0);
  }

  private static BatchOptions options(int c, BatchListener listener) {
    // no rateLimits here: the account's, on the client, pace both batches
    return BatchOptions.builder()
        .maxConcurrency(c)
        .returnExceptions(true)
        .listener(listener)
        .build();
  }

  /** The nearest-rank percentile of sorted values, 0 when there are none. */
  static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger count = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
