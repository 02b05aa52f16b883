package io.github.maritaca4j.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.maritaca4j.ChatRequest;
import io.github.maritaca4j.Message;
import io.github.maritaca4j.cost.CostEstimate;
import io.github.maritaca4j.cost.CostEstimator;
import io.github.maritaca4j.cost.PriceTable;
import io.github.maritaca4j.cost.PricingMode;
import io.github.maritaca4j.cost.TokenCounter;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;

/**
 * S7 in a JVM of its own: {@code TokenCounter.estimator().count} throughput on Portuguese prose
 * (the project's 10 KB sample, counted whole, one thread, after a warm-up), then {@code
 * CostEstimator.estimateBatch} over {@code --requests} distinct requests (a sample line plus the
 * request number each, model {@code sabia-4}, {@code max_tokens} 300), streamed from an iterator as
 * a JSONL reader would. Prints one {@code RESULT {json}} line.
 */
public final class EstimatorMain {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private EstimatorMain() {}

  public static void main(String[] args) throws IOException {
    int requests = 100_000;
    double seconds = 3;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--requests" -> requests = Integer.parseInt(args[i + 1]);
        case "--seconds" -> seconds = Double.parseDouble(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option: " + args[i]);
      }
    }
    String sample = sample();
    int bytes = sample.getBytes(StandardCharsets.UTF_8).length;
    TokenCounter estimator = TokenCounter.estimator();
    long sink = 0;
    long warmEnd = System.nanoTime() + 1_000_000_000L;
    while (System.nanoTime() < warmEnd) {
      sink += estimator.count(sample);
    }
    long rounds = 0;
    long t0 = System.nanoTime();
    long limit = (long) (seconds * 1e9);
    while (System.nanoTime() - t0 < limit) {
      sink += estimator.count(sample);
      rounds++;
    }
    double mbPerSecond = bytes * (double) rounds / ((System.nanoTime() - t0) / 1e9) / 1e6;

    String[] lines =
        Arrays.stream(sample.split("\n")).filter(l -> !l.isBlank()).toArray(String[]::new);
    CostEstimator costs = new CostEstimator(PriceTable.defaults(), estimator);
    costs.estimateBatch(requests(lines, Math.min(requests, 20_000)), 500, PricingMode.STANDARD);
    long cpu0 = THREADS.getCurrentThreadCpuTime();
    long w0 = System.nanoTime();
    CostEstimate e = costs.estimateBatch(requests(lines, requests), 500, PricingMode.STANDARD);
    double wallMs = (System.nanoTime() - w0) / 1e6;
    double cpuMs = (THREADS.getCurrentThreadCpuTime() - cpu0) / 1e6;
    sink += e.totalInputTokens();

    ObjectNode res = SimHttp.JSON.createObjectNode();
    res.put("mbPerSecond", mbPerSecond);
    res.put("estimateRequests", requests);
    res.put("estimateWallMs", wallMs);
    res.put("estimateCpuMs", cpuMs);
    res.put("estimateInputTokens", e.totalInputTokens());
    res.put("sink", sink % 7);
    System.out.println("RESULT " + SimHttp.JSON.writeValueAsString(res));
    System.exit(0);
  }

  static String sample() throws IOException {
    try (InputStream in = EstimatorMain.class.getResourceAsStream("portuguese-sample.txt")) {
      if (in == null) {
        throw new IOException("portuguese-sample.txt is not on the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static Iterable<ChatRequest> requests(String[] lines, int n) {
    return () ->
        new Iterator<>() {
          int i;

          @Override
          public boolean hasNext() {
            return i < n;
          }

          @Override
          public ChatRequest next() {
            String user = lines[i % lines.length] + " (pedido " + i + ")";
            i++;
            return ChatRequest.builder()
                .model(Scenario.MODEL)
                .messages(java.util.List.of(Message.user(user)))
                .maxTokens(300)
                .build();
          }
        };
  }
}
