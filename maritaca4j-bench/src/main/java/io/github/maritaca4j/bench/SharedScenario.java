package io.github.maritaca4j.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * S8: runs {@link SharedMain} (two batches and single calls on one client) in a child JVM per
 * repetition, against the scenario's simulator in a JVM of its own. The floor is that of all the
 * work the server admitted, both batches' items plus the single calls issued, as if it had all been
 * there at the start ({@link Scenario#floorSeconds}: the 6 s burst at once, then the rate, plus one
 * latency); at the full size the first batch alone keeps the server's bucket empty until the second
 * starts, so that is the floor of the combined work.
 */
final class SharedScenario {
  private SharedScenario() {}

  static void run(Scenario s, Bench.Options options, PrintStream out, Bench.Report report)
      throws IOException, InterruptedException {
    if (!options.clients.contains(Client.MARITACA4J)) {
      out.println("   (maritaca4j only; not among --clients)");
      return;
    }
    try (Child sim =
        Child.start("simulator", List.of("-Xmx512m"), SimMain.class, Bench.simArgs(s))) {
      String[] urls = Bench.readUrls(sim);
      String main = urls[0];
      String warm = options.warmErrors ? urls[1] + "," + urls[3] : urls[1];
      int promptTokens =
          SimHttp.promptTokens(urls[1], Prompts.prompt(0, Prompts.filler(s.promptWords())));
      out.printf(
          Locale.ROOT,
          "   prompt %d tokens; floor of the batches alone %.2f s, each single call adds %.0f ms;"
              + " simulator %s%n",
          promptTokens,
          s.floorSeconds(promptTokens),
          60_000.0 / s.rpm(),
          main);
      out.println(Row.HEADER);
      for (int rep = 1; rep <= options.repsFor(s); rep++) {
        List<String> args =
            new ArrayList<>(
                List.of(
                    "--main", main,
                    "--warm", warm,
                    "--sim-cpu", urls[2],
                    "--n", Integer.toString(s.n()),
                    "--c", Integer.toString(s.c()),
                    "--words", Integer.toString(s.promptWords()),
                    "--warmup", Integer.toString(options.warmup),
                    "--rpm", Long.toString(s.rpm())));
        if (options.logDir != null) {
          Files.createDirectories(options.logDir);
          args.add("--log");
          args.add(options.logDir.resolve(s.id() + "-maritaca4j-" + rep + ".csv").toString());
        }
        Bench.waitQuiet(options, out);
        int r = rep;
        SharedRow[] got = new SharedRow[1];
        try (Child c = Child.start("maritaca4j", options.clientJvmArgs, SharedMain.class, args)) {
          c.drain(
              json -> {
                try {
                  got[0] = parse(s, promptTokens, SimHttp.JSON.readTree(json), r);
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              },
              900);
        }
        if (got[0] == null) {
          out.printf(
              "%-12s %-11s %3d   (no result: the client JVM failed)%n", "maritaca4j", s.id(), r);
          continue;
        }
        SharedRow sr = got[0];
        report.rows.add(sr.row());
        report.sharedRows.add(sr);
        out.println(sr.row().format());
        if (!sr.row().errors().isEmpty()) {
          out.println("             failures: " + sr.row().errors());
        }
        if (!sr.row().timing().isEmpty()) {
          out.println("             " + sr.row().timing());
        }
        out.printf(
            Locale.ROOT,
            "             %d batch items + %d single calls; B started at %.2f s: first item"
                + " admitted %.0f ms and completed %.0f ms later; A ended at %.2f s, B at %.2f s"
                + " (%s); while both ran B got %.0f %% of the batch admissions (%d of its items"
                + " admitted when A ended); single calls p50 %.0f ms, p99 %.0f ms, max %.0f ms, %d"
                + " failed%n",
            sr.batchItems(),
            sr.singles(),
            sr.startBSeconds(),
            sr.firstAdmittedBMs(),
            sr.firstCompletedBMs(),
            sr.endASeconds(),
            sr.endBSeconds(),
            sr.secondEndedFirst() ? "B first" : "A first",
            100 * sr.bShareWhileBoth(),
            sr.bAdmittedAtEndA(),
            sr.singleP50Ms(),
            sr.singleP99Ms(),
            sr.singleMaxMs(),
            sr.singlesFailed());
        out.flush();
      }
    }
  }

  static SharedRow parse(Scenario s, int promptTokens, JsonNode j, int rep) {
    JsonNode sh = j.path("shared");
    int items = sh.path("batchItems").asInt();
    int singles = sh.path("singles").asInt();
    // every request the server admitted counts: both batches and every single call issued; and B
    // cannot end before its start plus its own floor (which binds only when N is small)
    Scenario all = s.withN(items + singles);
    double floor =
        Math.max(
            all.floorSeconds(promptTokens),
            sh.path("startBSeconds").asDouble()
                + s.withN(items - items / 2).floorSeconds(promptTokens));
    Row row = Row.of(all, floor, j).withRep(rep);
    return new SharedRow(
        row,
        items,
        singles,
        sh.path("singlesFailed").asInt(),
        sh.path("singleP50Ms").asDouble(),
        sh.path("singleP99Ms").asDouble(),
        sh.path("singleMaxMs").asDouble(),
        sh.path("startBSeconds").asDouble(),
        sh.path("firstAdmittedBMs").asDouble(),
        sh.path("firstCompletedBMs").asDouble(),
        sh.path("endASeconds").asDouble(),
        sh.path("endBSeconds").asDouble(),
        sh.path("aAdmittedAtStartB").asInt(),
        sh.path("bAdmittedAtEndA").asInt());
  }
}
