package io.github.maritaca4j.bench;

import java.util.Locale;

/**
 * One run of S7.
 *
 * @param rep the repetition, from 1
 * @param mbPerSecond {@code TokenCounter.estimator().count} throughput on Portuguese prose, MB of
 *     UTF-8 per second, one thread
 * @param estimateRequests requests in the batch estimate
 * @param estimateWallMs wall time of {@code CostEstimator.estimateBatch} over them
 * @param estimateCpuMs its CPU time (the calling thread)
 */
record EstimatorRow(
    int rep,
    double mbPerSecond,
    int estimateRequests,
    double estimateWallMs,
    double estimateCpuMs) {

  static final String HEADER =
      String.format(
          Locale.ROOT,
          "%-12s %-9s %3s %14s %12s %18s %17s",
          "client",
          "scenario",
          "rep",
          "estimator_MB/s",
          "batch_reqs",
          "estimateBatch_ms",
          "estimateBatch_cpu");

  String format() {
    return String.format(
        Locale.ROOT,
        "%-12s %-9s %3d %14.1f %12d %18.0f %17.0f",
        "maritaca4j",
        "S7",
        rep,
        mbPerSecond,
        estimateRequests,
        estimateWallMs,
        estimateCpuMs);
  }
}
