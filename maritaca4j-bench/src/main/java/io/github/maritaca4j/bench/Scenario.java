package io.github.maritaca4j.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * One benchmark configuration: the simulator's settings (latency, limits, faults) and the work (N
 * requests at concurrency C). Immutable.
 *
 * @param id short name printed in every row, e.g. {@code S2}
 * @param group the scenario family ({@code S1}..{@code S7}) selected on the command line
 * @param kind what runs: every client, the JSONL job (ours only) or the estimator (ours only)
 * @param n requests per run
 * @param c concurrency cap given to every client
 * @param latencyMs the simulator's fixed service time
 * @param rpm requests per minute the simulator allows, 0 = unlimited
 * @param tpmIn input tokens per minute the simulator allows, 0 = unlimited
 * @param tpmOut output tokens per minute the simulator allows, 0 = unlimited
 * @param errorRate share of admitted requests answered 503
 * @param promptWords filler words in each prompt (prompt size)
 * @param description one line for the report
 */
public record Scenario(
    String id,
    String group,
    Kind kind,
    int n,
    int c,
    long latencyMs,
    long rpm,
    long tpmIn,
    long tpmOut,
    double errorRate,
    int promptWords,
    String description) {

  /** The simulator's default bucket capacity, as time: 6 s worth of each limit. */
  public static final double SIM_BURST_SECONDS = 6.0;

  /** {@code max_tokens} sent by every client in every request. */
  public static final int MAX_TOKENS = 256;

  /** The model every request names. */
  public static final String MODEL = "sabia-4";

  /** What a scenario runs. */
  public enum Kind {
    /** The same N requests through every client. */
    CLIENTS,
    /** A JSONL job through the jobs API in a small heap (maritaca4j only). */
    JOB,
    /** Token estimator and cost estimator throughput (maritaca4j only, no server). */
    ESTIMATOR
  }

  /** True when the simulator enforces a limit. */
  public boolean rateLimited() {
    return rpm > 0 || tpmIn > 0 || tpmOut > 0;
  }

  /** A copy with another N. */
  public Scenario withN(int newN) {
    return new Scenario(
        id,
        group,
        kind,
        newN,
        c,
        latencyMs,
        rpm,
        tpmIn,
        tpmOut,
        errorRate,
        promptWords,
        description);
  }

  /**
   * What a perfect client reaches, in seconds: the larger of the concurrency floor {@code N x L /
   * C} and, for each enforced limit, the time at which the simulator's bucket admits the last
   * request, {@code (N x demand - capacity) / rate}, plus one latency for that last answer. The
   * bucket's capacity is the simulator's burst ({@link #SIM_BURST_SECONDS} worth of the limit); a
   * perfect client spends it at once and then runs exactly at the rate. With injected 503s the
   * server charges the failed attempts too (it fails requests it has admitted), so a perfect client
   * needs {@code N / (1 - errorRate)} admissions on average. TPM-out is not included (the simulator
   * reserves {@code max_tokens} and refunds the unused part, so its floor depends on answer
   * lengths); no scenario limits it.
   *
   * @param promptTokens prompt tokens of one request as the simulator counts them
   */
  public double floorSeconds(int promptTokens) {
    double l = latencyMs / 1000.0;
    double concurrency = (double) n * l / c;
    double rate = 0;
    // every admitted request is charged, the ones answered 503 too: a perfect client needs
    // N / (1 - errorRate) admissions on average to get N answers
    double admissions = n / (1.0 - errorRate);
    if (rpm > 0) {
      rate = Math.max(rate, bucketFloor(rpm, admissions));
    }
    if (tpmIn > 0) {
      rate = Math.max(rate, bucketFloor(tpmIn, admissions * promptTokens));
    }
    if (rate > 0) {
      rate += l;
    }
    return Math.max(concurrency, rate);
  }

  private static double bucketFloor(long perMinute, double demand) {
    double capacity = Math.max(1.0, perMinute * SIM_BURST_SECONDS / 60.0);
    return Math.max(0, demand - capacity) / (perMinute / 60.0);
  }

  /** The scenarios of the full benchmark, in run order. */
  public static List<Scenario> catalogue() {
    List<Scenario> all = new ArrayList<>();
    all.add(
        new Scenario(
            "S1-c50",
            "S1",
            Kind.CLIENTS,
            2_500,
            50,
            200,
            0,
            0,
            0,
            0,
            40,
            "concurrency-bound: 200 ms latency, no limits, C=50"));
    all.add(
        new Scenario(
            "S1-c100",
            "S1",
            Kind.CLIENTS,
            5_000,
            100,
            200,
            0,
            0,
            0,
            0,
            40,
            "concurrency-bound: 200 ms latency, no limits, C=100"));
    all.add(
        new Scenario(
            "S2",
            "S2",
            Kind.CLIENTS,
            600,
            50,
            200,
            1_200,
            0,
            0,
            0,
            40,
            "rate-bound: 1,200 RPM, 200 ms latency, C=50"));
    all.add(
        new Scenario(
            "S3",
            "S3",
            Kind.CLIENTS,
            600,
            50,
            200,
            1_200,
            0,
            0,
            0.05,
            40,
            "S2 plus 5 % of admitted requests answered 503"));
    all.add(
        new Scenario(
            "S4",
            "S4",
            Kind.CLIENTS,
            300,
            50,
            200,
            1_200,
            60_000,
            0,
            0,
            80,
            "TPM-in-bound: 60,000 TPM-in (binds at ~300 RPM) under 1,200 RPM, C=50"));
    all.add(
        new Scenario(
            "S5",
            "S5",
            Kind.CLIENTS,
            30_000,
            50,
            0,
            0,
            0,
            0,
            0,
            40,
            "client overhead: zero latency, no limits, C=50; CPU per request"));
    all.add(
        new Scenario(
            "S6",
            "S6",
            Kind.JOB,
            1_000_000,
            64,
            0,
            0,
            0,
            0,
            0,
            20,
            "1,000,000-line JSONL job through the jobs API, zero latency, -Xmx256m"));
    all.add(
        new Scenario(
            "S7",
            "S7",
            Kind.ESTIMATOR,
            100_000,
            1,
            0,
            0,
            0,
            0,
            0,
            40,
            "TokenCounter.estimator() MB/s on Portuguese text; estimateBatch of 100,000 requests"));
    return all;
  }
}
