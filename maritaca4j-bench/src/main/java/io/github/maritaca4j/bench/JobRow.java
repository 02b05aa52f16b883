package io.github.maritaca4j.bench;

import java.util.Locale;

/**
 * One run of S6.
 *
 * @param rep the repetition, from 1
 * @param lines lines of the input file
 * @param heapMaxMb the child JVM's {@code -Xmx}
 * @param prepareSeconds {@code JsonlJob.prepare()} (validation and estimate, nothing sent)
 * @param runSeconds {@code JsonlJob.run(plan)}
 * @param ok lines written to the output file
 * @param failed lines written to the errors file
 * @param peakHeapMb the most heap in use (garbage included), sampled every 10 ms
 * @param liveHeapMb the largest heap left after a collection (the live set's high-water mark)
 * @param cpuSeconds the job JVM's CPU time over prepare and run
 */
record JobRow(
    int rep,
    long lines,
    int heapMaxMb,
    double prepareSeconds,
    double runSeconds,
    long ok,
    long failed,
    double peakHeapMb,
    double liveHeapMb,
    double cpuSeconds) {

  static final String HEADER =
      String.format(
          Locale.ROOT,
          "%-12s %-9s %3s %8s %5s %9s %7s %10s %10s %8s %6s %9s %9s %7s %10s",
          "client",
          "scenario",
          "rep",
          "lines",
          "Xmx",
          "prepare_s",
          "run_s",
          "req/s(run)",
          "req/s(all)",
          "ok",
          "failed",
          "peak_MB",
          "live_MB",
          "cpu_s",
          "cpu_ms/req");

  /** Requests per second of the run alone. */
  double runRate() {
    return runSeconds > 0 ? ok / runSeconds : 0;
  }

  /** Requests per second of the whole job: validation and estimate included. */
  double rate() {
    return prepareSeconds + runSeconds > 0 ? ok / (prepareSeconds + runSeconds) : 0;
  }

  String format() {
    return String.format(
        Locale.ROOT,
        "%-12s %-9s %3d %8d %4dm %9.2f %7.2f %10.0f %10.0f %8d %6d %9.1f %9.1f %7.2f %10.3f",
        "maritaca4j",
        "S6",
        rep,
        lines,
        heapMaxMb,
        prepareSeconds,
        runSeconds,
        runRate(),
        rate(),
        ok,
        failed,
        peakHeapMb,
        liveHeapMb,
        cpuSeconds,
        lines == 0 ? 0 : cpuSeconds * 1000 / lines);
  }
}
