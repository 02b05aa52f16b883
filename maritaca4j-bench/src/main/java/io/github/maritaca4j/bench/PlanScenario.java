package io.github.maritaca4j.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * PLAN: runs {@link PlanMain} in a child JVM once per repetition and checks the target: the
 * planner's real-time ETA within 5 % of the measured run. Each repetition's row and verdict go to
 * the report's notes (printed with the targets).
 */
final class PlanScenario {
  /** The largest |measured - planned| / measured allowed, percent. */
  static final double TARGET_PCT = 5.0;

  static final String HEADER =
      String.format(
          Locale.ROOT,
          "%-12s %-9s %3s %6s %6s %5s %4s %11s %12s %9s %5s %s",
          "client",
          "scenario",
          "rep",
          "lines",
          "rpm",
          "lat",
          "c",
          "planned_ms",
          "measured_ms",
          "error_%",
          "429s",
          "limited_by");

  private PlanScenario() {}

  static void run(Scenario s, Bench.Options options, PrintStream out, Bench.Report report)
      throws IOException, InterruptedException {
    out.println(HEADER);
    for (int rep = 1; rep <= options.reps; rep++) {
      int r = rep;
      try (Child c =
          Child.start(
              "plan",
              options.clientJvmArgs,
              PlanMain.class,
              List.of(
                  "--lines", Integer.toString(s.n()),
                  "--rpm", Long.toString(s.rpm()),
                  "--tpm-in", Long.toString(s.tpmIn()),
                  "--latency-ms", Long.toString(s.latencyMs()),
                  "--c", Integer.toString(s.c())))) {
        c.drain(
            json -> {
              try {
                JsonNode j = SimHttp.JSON.readTree(json);
                double err = j.path("errorPct").asDouble();
                String row =
                    String.format(
                        Locale.ROOT,
                        "%-12s %-9s %3d %6d %6d %5d %4d %11d %12.0f %9.2f %5d %s",
                        "maritaca4j",
                        s.id(),
                        r,
                        j.path("lines").asInt(),
                        j.path("rpm").asLong(),
                        j.path("latencyMs").asLong(),
                        j.path("c").asInt(),
                        j.path("plannedMs").asLong(),
                        j.path("measuredMs").asDouble(),
                        err,
                        j.path("rateLimited").asLong(),
                        j.path("limitedBy").asText());
                out.println(row);
                report.notes.add(
                    String.format(
                        Locale.ROOT,
                        "%s rep %d: planned real-time ETA %d ms, measured %.0f ms, error %.2f %%"
                            + " (target |error| <= %.0f %%): %s",
                        s.id(),
                        r,
                        j.path("plannedMs").asLong(),
                        j.path("measuredMs").asDouble(),
                        err,
                        TARGET_PCT,
                        Math.abs(err) <= TARGET_PCT ? "met" : "MISSED"));
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            },
            900);
      }
    }
  }
}
