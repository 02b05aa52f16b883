package io.github.maritaca4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

/** Issue #8's targets for maritaca4j, checked run by run. */
final class Targets {
  static final String OURS = Client.MARITACA4J.label();

  private Targets() {}

  static List<String> evaluate(Bench.Report report) {
    List<String> lines = new ArrayList<>();
    ratio(report, "S1-c50", 1.02, false, false, lines);
    ratio(report, "S1-c100", 1.03, false, false, lines);
    ratio(report, "S2", 1.03, true, true, lines);
    ratio(report, "S3", 1.05, true, false, lines);
    ratio(report, "S4", 1.03, true, true, lines);
    cpu(report, lines);
    job(report, lines);
    return lines;
  }

  private static void ratio(
      Bench.Report report,
      String scenario,
      double max,
      boolean noFailures,
      boolean few429s,
      List<String> lines) {
    List<Row> ours =
        report.rows.stream()
            .filter(r -> r.client().equals(OURS) && r.scenario().equals(scenario))
            .toList();
    if (ours.isEmpty()) {
      return;
    }
    boolean met = true;
    List<String> runs = new ArrayList<>();
    for (Row r : ours) {
      boolean ok = r.ratio() <= max;
      if (noFailures) {
        ok &= r.failed() == 0;
      }
      if (few429s) {
        ok &= r.server429() <= 0.01 * r.n();
      }
      ok &= r.ok() + r.failed() == r.n();
      met &= ok;
      runs.add(
          String.format(
              Locale.ROOT,
              "%.3f%s%s",
              r.ratio(),
              noFailures ? ", " + r.failed() + " failed" : "",
              few429s ? ", " + r.server429() + " 429s" : ""));
    }
    String what =
        "wall/floor <= "
            + max
            + (noFailures ? ", 0 failed" : "")
            + (few429s ? ", 429s <= 1 % of N" : "");
    lines.add(
        String.format(
            "%-8s %-48s %-6s runs: %s",
            scenario, what, met ? "MET" : "MISSED", String.join(" | ", runs)));
  }

  private static void cpu(Bench.Report report, List<String> lines) {
    List<Row> s5 = report.rows.stream().filter(r -> r.scenario().equals("S5")).toList();
    if (s5.stream().noneMatch(r -> r.client().equals(OURS))) {
      return;
    }
    boolean met = true;
    List<String> runs = new ArrayList<>();
    for (int rep : s5.stream().map(Row::rep).distinct().sorted().toList()) {
      OptionalDouble ours =
          s5.stream()
              .filter(r -> r.rep() == rep && r.client().equals(OURS))
              .mapToDouble(Row::cpuMsPerRequest)
              .findFirst();
      OptionalDouble bestPeer =
          s5.stream()
              .filter(r -> r.rep() == rep && !r.client().equals(OURS))
              .mapToDouble(Row::cpuMsPerRequest)
              .min();
      if (ours.isEmpty() || bestPeer.isEmpty()) {
        continue;
      }
      double q = ours.getAsDouble() / bestPeer.getAsDouble();
      met &= q <= 0.5;
      runs.add(
          String.format(
              Locale.ROOT,
              "%.3f vs %.3f ms (x%.2f)",
              ours.getAsDouble(),
              bestPeer.getAsDouble(),
              q));
    }
    if (!runs.isEmpty()) {
      lines.add(
          String.format(
              "%-8s %-48s %-6s runs: %s",
              "S5",
              "CPU/request <= 0.5 x best peer's",
              met ? "MET" : "MISSED",
              String.join(" | ", runs)));
    }
  }

  private static void job(Bench.Report report, List<String> lines) {
    if (report.jobRows.isEmpty()) {
      return;
    }
    boolean met =
        report.jobRows.stream()
            .allMatch(r -> r.ok() + r.failed() == r.lines() && r.rate() >= 2_000);
    lines.add(
        String.format(
            "%-8s %-48s %-6s runs: %s",
            "S6",
            "completes in -Xmx256m at >= 2,000 requests/s",
            met ? "MET" : "MISSED",
            report.jobRows.stream()
                .map(
                    r ->
                        String.format(
                            Locale.ROOT,
                            "%.0f req/s, %d/%d done, heap peak %.0f MB, live %.0f MB",
                            r.rate(),
                            r.ok() + r.failed(),
                            r.lines(),
                            r.peakHeapMb(),
                            r.liveHeapMb()))
                .collect(Collectors.joining(" | "))));
  }
}
