package io.github.maritaca4j.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * One measured run of one client in one scenario: the printed row.
 *
 * @param client the client's label
 * @param scenario the scenario's id
 * @param rep the repetition, from 1
 * @param n requests asked for
 * @param c concurrency cap
 * @param wallSeconds from the first request sent to the last item ended
 * @param floorSeconds what a perfect client reaches ({@link Scenario#floorSeconds}); 0 when the
 *     scenario has none (zero latency, no limits)
 * @param ok items answered
 * @param failed items failed after the client's own retries
 * @param server429 429 answers the simulator sent
 * @param serverRequests chat requests the simulator received (retries included)
 * @param serverMaxInFlight the most requests the simulator served at one instant
 * @param cpuSeconds the client JVM's CPU time during the run
 * @param serverCpuSeconds the simulator JVM's CPU time during the run
 * @param errors the failures by kind, as text (empty when none)
 * @param timing where the wall time went, from the simulator's log (empty when unknown)
 */
record Row(
    String client,
    String scenario,
    int rep,
    int n,
    int c,
    double wallSeconds,
    double floorSeconds,
    int ok,
    int failed,
    long server429,
    long serverRequests,
    int serverMaxInFlight,
    double cpuSeconds,
    double serverCpuSeconds,
    String errors,
    String timing) {

  static final String HEADER =
      String.format(
          Locale.ROOT,
          "%-25s %-11s %3s %6s %4s %8s %8s %10s %6s %6s %6s %6s %7s %7s %10s",
          "client",
          "scenario",
          "rep",
          "N",
          "C",
          "wall_s",
          "floor_s",
          "wall/floor",
          "ok",
          "failed",
          "429s",
          "sent",
          "max_inf",
          "cpu_s",
          "cpu_ms/req");

  static Row of(Scenario s, double floor, JsonNode r) {
    StringBuilder errors = new StringBuilder();
    for (var e : r.path("errors").properties()) {
      if (errors.length() > 0) {
        errors.append("; ");
      }
      errors.append(e.getValue().asInt()).append(" x ").append(e.getKey());
    }
    return new Row(
        r.path("client").asText(),
        s.id(),
        r.path("rep").asInt(),
        s.n(),
        s.c(),
        r.path("wallNanos").asLong() / 1e9,
        floor,
        r.path("ok").asInt(),
        r.path("failed").asInt(),
        r.path("server429").asLong(),
        r.path("serverRequests").asLong(),
        r.path("serverMaxInFlight").asInt(),
        r.path("cpuNanos").asLong() / 1e9,
        r.path("serverCpuNanos").asLong() / 1e9,
        errors.toString(),
        r.has("serviceMeanMs")
            ? String.format(
                    Locale.ROOT,
                    "server: %.2f s CPU; others on the machine: %.1f cores; service mean %.1f ms, p99 %.1f ms; %.1f in flight on"
                        + " average; first request %.0f ms after the start, last answer %.0f ms"
                        + " before the end",
                    r.path("serverCpuNanos").asLong() / 1e9,
                    r.path("otherCpuSeconds").asDouble() / (r.path("wallNanos").asLong() / 1e9),
                    r.path("serviceMeanMs").asDouble(),
                    r.path("serviceP99Ms").asDouble(),
                    r.path("serverAvgInFlight").asDouble(),
                    r.path("firstArrivalMs").asDouble(),
                    r.path("lastCompletionBeforeEndMs").asDouble())
                + (r.has("rateLimitedAt")
                    ? "; 429s at (s): " + r.path("rateLimitedAt").asText()
                    : "")
            : "");
  }

  Row withRep(int newRep) {
    return new Row(
        client,
        scenario,
        newRep,
        n,
        c,
        wallSeconds,
        floorSeconds,
        ok,
        failed,
        server429,
        serverRequests,
        serverMaxInFlight,
        cpuSeconds,
        serverCpuSeconds,
        errors,
        timing);
  }

  /** wall / floor, NaN when there is no floor. */
  double ratio() {
    return floorSeconds > 0 ? wallSeconds / floorSeconds : Double.NaN;
  }

  double cpuMsPerRequest() {
    return cpuSeconds * 1000.0 / n;
  }

  String format() {
    return String.format(
        Locale.ROOT,
        "%-25s %-11s %3d %6d %4d %8.2f %8s %10s %6d %6d %6d %6d %7d %7.2f %10.3f",
        client,
        scenario,
        rep,
        n,
        c,
        wallSeconds,
        floorSeconds > 0 ? String.format(Locale.ROOT, "%.2f", floorSeconds) : "-",
        floorSeconds > 0 ? String.format(Locale.ROOT, "%.3f", ratio()) : "-",
        ok,
        failed,
        server429,
        serverRequests,
        serverMaxInFlight,
        cpuSeconds,
        cpuMsPerRequest());
  }
}
