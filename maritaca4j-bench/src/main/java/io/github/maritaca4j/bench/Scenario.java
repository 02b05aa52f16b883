package io.github.maritaca4j.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * One benchmark configuration: the simulator's settings (latency, limits, faults) and the work (N
 * requests at concurrency C). Immutable.
 *
 * @param id short name printed in every row, e.g. {@code S2}
 * @param group the scenario family ({@code S1}..{@code S9}) selected on the command line
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
 * @param variant the simulator's burst and headers, how maritaca4j is told the limits, and whether
 *     the peers run too ({@link Variant#DEFAULT} for S1 to S7)
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
    String description,
    Variant variant) {

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
    ESTIMATOR,
    /**
     * S8: two batches of N/2 on one client, the second started 2 s after the first, plus two single
     * calls a second from another thread (maritaca4j only, {@link SharedScenario}).
     */
    SHARED,
    /**
     * S9: {@link FleetScenario#JVMS} client JVMs at once on one key, N/{@code JVMS} requests each
     * at C in flight, with the account's limits shared on Redis and, for contrast, without
     * (maritaca4j only, {@link FleetScenario}).
     */
    FLEET,
    /** PLAN: the planner's real-time ETA against a measured job run ({@link PlanScenario}). */
    PLAN
  }

  /** Where maritaca4j is told the scenario's limits. */
  public enum Told {
    /**
     * {@code BatchOptions.rateLimits} (the batch's own cap): S1 to S5 as before the account-scoped
     * limits, so that their figures stay comparable.
     */
    BATCH,
    /** {@code ChatMaritaca.builder().rateLimits(...)}: the account's limits, on the client. */
    CLIENT,
    /** Nothing: the engine learns from the answers' headers (if any) and from 429s. */
    NONE
  }

  /**
   * What a scenario changes beyond latency, limits and faults.
   *
   * @param burstSeconds the simulator's bucket capacity, as time ({@code .burst(Duration)})
   * @param rateLimitHeaders whether the simulator sends {@code x-ratelimit-*} headers
   * @param told where maritaca4j is told the limits
   * @param oursOnly true when only maritaca4j runs (the peers' rows would repeat S2's)
   */
  public record Variant(
      double burstSeconds, boolean rateLimitHeaders, Told told, boolean oursOnly) {
    /** The simulator's defaults (6 s burst, headers on), limits in the batch's options. */
    public static final Variant DEFAULT = new Variant(SIM_BURST_SECONDS, true, Told.BATCH, false);
  }

  /** A scenario with {@link Variant#DEFAULT}. */
  public Scenario(
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
    this(
        id,
        group,
        kind,
        n,
        c,
        latencyMs,
        rpm,
        tpmIn,
        tpmOut,
        errorRate,
        promptWords,
        description,
        Variant.DEFAULT);
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
        description,
        variant);
  }

  /**
   * What a perfect client reaches, in seconds: the larger of the concurrency floor {@code N x L /
   * C} and, for each enforced limit, the time at which the simulator's bucket admits the last
   * request, {@code (N x demand - capacity) / rate}, plus one latency for that last answer. The
   * bucket's capacity is the simulator's burst ({@link Variant#burstSeconds()} worth of the limit,
   * {@link #SIM_BURST_SECONDS} unless the scenario sets another); a perfect client spends it at
   * once and then runs exactly at the rate. With injected 503s the server charges the failed
   * attempts too (it fails requests it has admitted), so a perfect client needs {@code N / (1 -
   * errorRate)} admissions on average. TPM-out is not included (the simulator reserves {@code
   * max_tokens} and refunds the unused part, so its floor depends on answer lengths); no scenario
   * limits it.
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
      rate = Math.max(rate, bucketFloor(rpm, admissions, variant.burstSeconds()));
    }
    if (tpmIn > 0) {
      rate = Math.max(rate, bucketFloor(tpmIn, admissions * promptTokens, variant.burstSeconds()));
    }
    if (rate > 0) {
      rate += l;
    }
    return Math.max(concurrency, rate);
  }

  private static double bucketFloor(long perMinute, double demand, double burstSeconds) {
    // the simulator's capacity: limit x burst / 60 s, at least 1
    double capacity = Math.max(1.0, perMinute * burstSeconds / 60.0);
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
    all.add(
        new Scenario(
            "PLAN",
            "PLAN",
            Kind.PLAN,
            1_200,
            50,
            200,
            1_200,
            0,
            0,
            0,
            40,
            "the planner's real-time ETA vs a measured JSONL job: 1,200 lines, simulator 1,200"
                + " RPM, 1 s burst, no headers, 200 ms, C=50; client told the RPM"));
    all.add(
        new Scenario(
            "PLAN-TPM",
            "PLAN",
            Kind.PLAN,
            1_200,
            50,
            200,
            0,
            100_000,
            0,
            0,
            40,
            "PLAN bound by TPM in: 1,200 lines (~117,500 input tokens by the estimator),"
                + " simulator 100,000 TPM in, no RPM limit, 1 s burst, no headers, 200 ms, C=50;"
                + " client told the TPM"));
    all.addAll(s2Matrix());
    all.add(
        new Scenario(
            "S8",
            "S8",
            Kind.SHARED,
            600,
            50,
            200,
            1_200,
            0,
            0,
            0,
            40,
            "one client told 1,200 RPM: two batches of 300 started 2 s apart, C=50 each, plus 2"
                + " single calls a second from another thread; simulator 1,200 RPM, 6 s burst",
            new Variant(SIM_BURST_SECONDS, true, Told.CLIENT, true)));
    all.add(
        new Scenario(
            "S9",
            "S9",
            Kind.FLEET,
            900,
            50,
            200,
            1_200,
            0,
            0,
            0,
            40,
            "three client JVMs on one key, 300 requests each at C=50, each told 1,200 RPM on the"
                + " client, the limits shared on Redis (and, for contrast, not); simulator 1,200"
                + " RPM, 1 s burst, no rate-limit headers",
            new Variant(1.0, false, Told.CLIENT, true)));
    return all;
  }

  /**
   * S2M: S2's work (600 requests, 1,200 RPM, 200 ms, C=50) against a simulator with a 1 s or 6 s
   * burst, with or without {@code x-ratelimit-*} headers, maritaca4j told the RPM on the client
   * (case a, burst unknown) or nothing (b: headers on; c: headers off). Ids {@code
   * S2M-<case>-b<burst>[-h|-nh]}.
   */
  static List<Scenario> s2Matrix() {
    List<Scenario> out = new ArrayList<>();
    for (int burst : new int[] {1, 6}) {
      for (boolean headers : new boolean[] {true, false}) {
        out.add(
            s2m(
                "S2M-a-b" + burst + (headers ? "-h" : "-nh"),
                "RPM told on the client, burst unknown",
                burst,
                headers,
                Told.CLIENT));
      }
    }
    for (int burst : new int[] {1, 6}) {
      out.add(s2m("S2M-b-b" + burst, "nothing told", burst, true, Told.NONE));
    }
    for (int burst : new int[] {1, 6}) {
      out.add(s2m("S2M-c-b" + burst, "nothing told", burst, false, Told.NONE));
    }
    return out;
  }

  private static Scenario s2m(String id, String what, int burst, boolean headers, Told told) {
    return new Scenario(
        id,
        "S2M",
        Kind.CLIENTS,
        600,
        50,
        200,
        1_200,
        0,
        0,
        0,
        40,
        "S2 matrix: "
            + what
            + "; simulator 1,200 RPM, "
            + burst
            + " s burst, rate-limit headers "
            + (headers ? "on" : "off")
            + ", 200 ms, C=50",
        new Variant(burst, headers, told, true));
  }
}
