package io.github.maritaca4j.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.Message;
import io.github.maritaca4j.batch.BatchItem;
import io.github.maritaca4j.batch.BatchOptions;
import io.github.maritaca4j.batch.BatchResult;
import io.github.maritaca4j.batch.RateLimits;
import io.github.maritaca4j.redis.RedisSharedLimits;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One of S9's client JVMs: warms up as {@link ClientMain} does (and, with {@code --redis}, warms
 * the shared-limits path too, on another account), builds one {@code ChatMaritaca} on the common
 * key told the account's RPM on the client ({@code builder().rateLimits(RateLimits.rpm(R))}, burst
 * unknown) and, with {@code --redis URL}, {@code .sharedLimits(RedisSharedLimits.connect(URL))};
 * prints {@code READY}, waits for a line on its standard input (the parent's common start), runs
 * one batch of N at C in flight ({@code returnExceptions(true)}, nothing else set) and prints one
 * {@code RESULT {json}} line: its index, when it got the start and when its batch ended ({@code
 * System.nanoTime()}, the machine's monotonic clock, shared with the parent), its CPU time, and the
 * items answered and failed.
 *
 * <p>Arguments: {@code --index I --main URL --warm URL[,URL] --n N --c C --words K --warmup W --rpm
 * R [--redis URL]}.
 */
public final class FleetMain {
  /** The API key every JVM of the fleet uses: one account. */
  static final String KEY = "bench-dummy-key";

  /** Requests of the shared-limits warm-up (at most; never more than {@code --warmup}). */
  static final int REDIS_WARMUP = 1_000;

  private FleetMain() {}

  public static void main(String[] args) throws Exception {
    int index = 0;
    String main = null;
    String warm = null;
    String redis = null;
    int n = 0;
    int c = 0;
    int words = 40;
    int warmup = 0;
    long rpm = 0;
    for (int i = 0; i + 1 < args.length; i += 2) {
      String v = args[i + 1];
      switch (args[i]) {
        case "--index" -> index = Integer.parseInt(v);
        case "--main" -> main = v;
        case "--warm" -> warm = v;
        case "--redis" -> redis = v;
        case "--n" -> n = Integer.parseInt(v);
        case "--c" -> c = Integer.parseInt(v);
        case "--words" -> words = Integer.parseInt(v);
        case "--warmup" -> warmup = Integer.parseInt(v);
        case "--rpm" -> rpm = Long.parseLong(v);
        default -> throw new IllegalArgumentException("unknown option: " + args[i]);
      }
    }
    if (main == null || warm == null || n < 1 || c < 1 || rpm < 1) {
      throw new IllegalArgumentException("--main, --warm, --n, --c and --rpm are required");
    }
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    ClientMain.warmUp(Client.MARITACA4J, warm, c, words, warmup);

    RedisSharedLimits shared = redis == null ? null : RedisSharedLimits.connect(redis);
    if (shared != null && warmup > 0) {
      warmUpShared(shared, warm.split(",")[0], c, words, Math.min(warmup, REDIS_WARMUP));
    }

    // this JVM's prompts follow the other JVMs' (same token count: zero-padded numbers)
    String filler = Prompts.filler(words);
    List<List<Message>> inputs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      inputs.add(List.of(Message.user(Prompts.prompt(index * n + i, filler))));
    }
    ChatMaritaca.Builder b =
        ChatMaritaca.builder()
            .baseUrl(main)
            .apiKey(KEY)
            .model(Scenario.MODEL)
            .maxTokens(Scenario.MAX_TOKENS)
            .rateLimits(RateLimits.rpm(rpm));
    if (shared != null) {
      b.sharedLimits(shared);
    }
    ChatMaritaca model = b.build();
    BatchOptions options = BatchOptions.builder().maxConcurrency(c).returnExceptions(true).build();
    System.gc();

    System.out.println("READY");
    System.out.flush();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    if (in.readLine() == null) {
      System.exit(3); // the parent went away
    }
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    BatchResult result = model.batchAsync(inputs, options).join();
    long t1 = System.nanoTime();
    long cpu1 = os.getProcessCpuTime();

    Outcome.Tally tally = new Outcome.Tally();
    for (BatchItem item : result) {
      if (item.isSuccess()) {
        tally.ok();
      } else {
        tally.failed(item.error());
      }
    }
    Outcome out = tally.outcome();
    ObjectNode res = SimHttp.JSON.createObjectNode();
    res.put("index", index);
    res.put("startNanos", t0);
    res.put("endNanos", t1);
    res.put("cpuNanos", cpu1 - cpu0);
    res.put("ok", out.ok());
    res.put("failed", out.failed());
    ObjectNode errs = res.putObject("errors");
    out.errors().forEach(errs::put);
    System.out.println("RESULT " + SimHttp.JSON.writeValueAsString(res));
    System.out.flush();
    if (shared != null) {
      shared.close();
    }
    System.exit(0);
  }

  /**
   * The shared-limits path warmed (Lettuce, the script's round trip, the core's shared lane), on
   * the unlimited {@code WARM} simulator and another key, so that the measured account's lane in
   * Redis and in this JVM starts fresh: a client told a limit far above what the batch reaches, so
   * every request takes its tokens from Redis and none waits.
   */
  private static void warmUpShared(
      RedisSharedLimits shared, String warmUrl, int c, int words, int requests) {
    ChatMaritaca warmClient =
        ChatMaritaca.builder()
            .baseUrl(warmUrl)
            .apiKey("bench-warm-up-key")
            .model(Scenario.MODEL)
            .maxTokens(Scenario.MAX_TOKENS)
            .rateLimits(RateLimits.rpm(6_000_000))
            .sharedLimits(shared)
            .build();
    List<List<Message>> inputs = new ArrayList<>(requests);
    for (String p : Prompts.generate(requests, words)) {
      inputs.add(List.of(Message.user(p)));
    }
    warmClient
        .batchAsync(inputs, BatchOptions.builder().maxConcurrency(c).returnExceptions(true).build())
        .join();
  }
}
