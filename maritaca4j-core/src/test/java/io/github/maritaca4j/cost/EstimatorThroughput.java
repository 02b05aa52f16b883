package io.github.maritaca4j.cost;

import io.github.maritaca4j.ChatRequest;
import io.github.maritaca4j.Message;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Measures the token counters and the batch estimate (a main, not a test: no timing assertions in
 * tests). Run from the module directory after {@code mvn test-compile}:
 *
 * <pre>{@code
 * java -cp target/classes:target/test-classes:<deps> io.github.maritaca4j.cost.EstimatorThroughput
 * }</pre>
 *
 * Prints estimator throughput in MB/s on Portuguese prose, the time to estimate one typical prompt,
 * the CPU time of a 100,000-request batch estimate (distinct prompts, and with a shared system
 * prompt), and the exact counter's figures when the vocabulary is found.
 */
public final class EstimatorThroughput {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private EstimatorThroughput() {}

  public static void main(String[] args) throws IOException {
    String sample = TokenCounterTest.portugueseSample();
    String[] lines =
        java.util.Arrays.stream(sample.split("\n"))
            .filter(l -> !l.isBlank())
            .toArray(String[]::new);
    byte[] utf8 = sample.getBytes(StandardCharsets.UTF_8);
    System.out.printf(
        Locale.ROOT,
        "java %s, %d cores; sample: %,d bytes of Portuguese, %d lines%n",
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(),
        utf8.length,
        lines.length);

    TokenCounter estimator = TokenCounter.estimator();
    throughput("estimator", estimator, sample, utf8.length);

    String system =
        "Você é um assistente prestativo. Responda em português do Brasil, com clareza.";
    ChatRequest typical =
        ChatRequest.builder()
            .model("sabia-4")
            .messages(List.of(Message.system(system), Message.user(lines[0])))
            .maxTokens(500)
            .build();
    CostEstimator costs = new CostEstimator(PriceTable.defaults(), estimator);
    perRequest("estimator", costs, typical);
    batch("estimator", costs, lines, system);

    Optional<Path> vocab = SharedTokenizerFile.path();
    if (vocab.isPresent()) {
      long t0 = System.nanoTime();
      BpeTokenCounter exact = TokenCounter.fromVocabulary(vocab.get());
      System.out.printf(
          Locale.ROOT, "exact: vocabulary loaded in %.0f ms%n", (System.nanoTime() - t0) / 1e6);
      throughput("exact", exact, sample, utf8.length);
      CostEstimator exactCosts = new CostEstimator(PriceTable.defaults(), exact);
      perRequest("exact", exactCosts, typical);
      batch("exact", exactCosts, lines, system);
      int truth = exact.count(sample);
      int est = estimator.count(sample);
      System.out.printf(
          Locale.ROOT,
          "accuracy on the sample: exact %d, estimator %d (%+.2f %%)%n",
          truth,
          est,
          (est - truth) * 100.0 / truth);
    } else {
      System.out.println("exact: vocabulary not found, skipped");
    }
  }

  private static void throughput(String name, TokenCounter c, String text, int bytes) {
    long sink = 0;
    for (int i = 0; i < 300; i++) { // warm-up
      sink += c.count(text);
    }
    int rounds = 0;
    long cpu0 = THREADS.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    while (System.nanoTime() - t0 < 2_000_000_000L) {
      sink += c.count(text);
      rounds++;
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    double cpu = (THREADS.getCurrentThreadCpuTime() - cpu0) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "%s: %.1f MB/s per CPU second on Portuguese prose (%.1f MB/s wall; %d rounds in %.2f s,"
            + " %.2f s CPU) [%d]%n",
        name,
        bytes * (double) rounds / cpu / 1e6,
        bytes * (double) rounds / secs / 1e6,
        rounds,
        secs,
        cpu,
        sink % 7);
  }

  private static void perRequest(String name, CostEstimator costs, ChatRequest r) {
    long sink = 0;
    for (int i = 0; i < 20_000; i++) {
      sink += costs.estimate(r, 500, PricingMode.STANDARD).inputTokens();
    }
    int n = 200_000;
    long cpu0 = THREADS.getCurrentThreadCpuTime();
    for (int i = 0; i < n; i++) {
      sink += costs.estimate(r, 500, PricingMode.STANDARD).inputTokens();
    }
    double micros = (THREADS.getCurrentThreadCpuTime() - cpu0) / 1e3 / n;
    System.out.printf(
        Locale.ROOT,
        "%s: estimating a typical prompt (%d input tokens) takes %.2f µs of CPU [%d]%n",
        name,
        costs.estimate(r, 500, PricingMode.STANDARD).inputTokens(),
        micros,
        sink % 7);
  }

  private static void batch(String name, CostEstimator costs, String[] lines, String system) {
    int n = 100_000;
    // distinct user texts: each request's prompt is a fresh String (as read from a JSONL file)
    List<String> users = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      users.add(lines[i]);
    }
    for (int round = 0; round < 3; round++) {
      for (boolean shared : new boolean[] {false, true}) {
        Iterable<ChatRequest> requests =
            () ->
                new Iterator<>() {
                  int i;

                  @Override
                  public boolean hasNext() {
                    return i < n;
                  }

                  @Override
                  public ChatRequest next() {
                    String user = users.get(i % users.size()) + " (pedido " + i + ")";
                    List<Message> msgs =
                        shared
                            ? List.of(Message.system(new String(system)), Message.user(user))
                            : List.of(Message.user(user));
                    i++;
                    return ChatRequest.builder()
                        .model("sabia-4")
                        .messages(msgs)
                        .maxTokens(300)
                        .build();
                  }
                };
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        CostEstimate e = costs.estimateBatch(requests, 500, PricingMode.STANDARD);
        double wall = (System.nanoTime() - t0) / 1e6;
        double cpu = (THREADS.getCurrentThreadCpuTime() - cpu0) / 1e6;
        if (round == 2) {
          System.out.printf(
              Locale.ROOT,
              "%s: 100,000-request batch%s: %.0f ms CPU (%.0f ms wall), %,d input tokens,"
                  + " %s%n",
              name,
              shared ? " with a shared system prompt" : " (one distinct user message each)",
              cpu,
              wall,
              e.totalInputTokens(),
              Money.format(e.totalCost()));
        }
      }
    }
  }
}
