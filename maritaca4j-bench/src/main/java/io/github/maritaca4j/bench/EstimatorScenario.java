package io.github.maritaca4j.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

/** S7: runs {@link EstimatorMain} in a child JVM once per repetition. */
final class EstimatorScenario {
  private EstimatorScenario() {}

  static void run(Scenario s, Bench.Options options, PrintStream out, Bench.Report report)
      throws IOException, InterruptedException {
    out.println(EstimatorRow.HEADER);
    double seconds = options.nOverride > 0 ? 0.5 : 3;
    for (int rep = 1; rep <= options.reps; rep++) {
      int r = rep;
      try (Child c =
          Child.start(
              "estimator",
              options.clientJvmArgs,
              EstimatorMain.class,
              List.of(
                  "--requests", Integer.toString(s.n()), "--seconds", Double.toString(seconds)))) {
        c.drain(
            json -> {
              try {
                JsonNode j = SimHttp.JSON.readTree(json);
                EstimatorRow row =
                    new EstimatorRow(
                        r,
                        j.path("mbPerSecond").asDouble(),
                        j.path("estimateRequests").asInt(),
                        j.path("estimateWallMs").asDouble(),
                        j.path("estimateCpuMs").asDouble());
                report.estimatorRows.add(row);
                out.println(row.format());
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            },
            600);
      }
    }
  }
}
