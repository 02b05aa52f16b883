package io.github.maritaca4j.bench;

import java.util.Locale;

/**
 * What S8 measures beyond its {@link Row}: how the second batch and the single calls fared while
 * sharing one client's account limits with the first batch.
 *
 * @param row the run's row (N = batch items + single calls; floor of all of them)
 * @param batchItems items of both batches
 * @param singles single calls issued (two a second while the batches ran)
 * @param singlesFailed single calls that ended in an exception
 * @param singleP50Ms median latency of the single calls that succeeded ({@code invoke}'s wall)
 * @param singleP99Ms their 99th percentile (nearest rank: with ~60 calls, about the largest)
 * @param singleMaxMs the largest
 * @param startBSeconds when batch B started, from the start of A
 * @param firstAdmittedBMs from B's start to its first item being sent, as B's listener saw it
 * @param firstCompletedBMs from B's start to its first item completed
 * @param endASeconds when A ended (its future completed), from its start
 * @param endBSeconds when B ended, from the start of A
 * @param aAdmittedAtStartB A's items admitted (first attempts) when B started
 * @param bAdmittedAtEndA B's items admitted (first attempts) when A ended
 */
record SharedRow(
    Row row,
    int batchItems,
    int singles,
    int singlesFailed,
    double singleP50Ms,
    double singleP99Ms,
    double singleMaxMs,
    double startBSeconds,
    double firstAdmittedBMs,
    double firstCompletedBMs,
    double endASeconds,
    double endBSeconds,
    int aAdmittedAtStartB,
    int bAdmittedAtEndA) {

  static final String HEADER =
      String.format(
          Locale.ROOT,
          "%-12s %-9s %3s %6s %7s %9s %12s %13s %8s %8s %8s %8s %9s %9s %9s %6s",
          "client",
          "scenario",
          "rep",
          "items",
          "singles",
          "B_start_s",
          "B_1st_adm_ms",
          "B_1st_done_ms",
          "A_end_s",
          "B_end_s",
          "B_first",
          "B_share",
          "single_p50",
          "single_p99",
          "single_max",
          "s_fail");

  /** True when B ended before A. */
  boolean secondEndedFirst() {
    return endBSeconds < endASeconds;
  }

  /**
   * B's share of the batch admissions made while both batches ran (from B's start to A's end):
   * about 0.5 when the two take turns, 0 when B waits for A.
   */
  double bShareWhileBoth() {
    int a = batchItems / 2 - aAdmittedAtStartB;
    int b = bAdmittedAtEndA;
    return a + b == 0 ? Double.NaN : (double) b / (a + b);
  }

  String format() {
    return String.format(
        Locale.ROOT,
        "%-12s %-9s %3d %6d %7d %9.2f %12.0f %13.0f %8.2f %8.2f %8s %8.2f %9.0f %9.0f %9.0f %6d",
        row.client(),
        row.scenario(),
        row.rep(),
        batchItems,
        singles,
        startBSeconds,
        firstAdmittedBMs,
        firstCompletedBMs,
        endASeconds,
        endBSeconds,
        secondEndedFirst() ? "yes" : "no",
        bShareWhileBoth(),
        singleP50Ms,
        singleP99Ms,
        singleMaxMs,
        singlesFailed);
  }
}
