package io.github.maritaca4j.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The benchmark: maritaca4j side by side with LangChain4j's {@code OpenAiChatModel} and openai-java
 * on the simulator.
 *
 * <pre>
 * mvn -B -q -pl maritaca4j-bench -am package -DskipTests
 * java -jar maritaca4j-bench/target/maritaca4j-bench.jar [options] [S1 S2 ... | S1-c50 ...]
 * </pre>
 *
 * Every scenario gets a simulator in a JVM of its own; every run of every client gets a JVM of its
 * own too (a warm-up run against a second, unlimited simulator, discarded; then the measured run),
 * so client CPU is measured apart from the server's and from the other clients'. Runs of a scenario
 * are interleaved (the client order rotates each repetition) and every run is printed.
 *
 * <p>Scenarios are selected by id ({@code S2M-a-b1-h}), by family ({@code S2M}) or by an id's
 * prefix up to a dash ({@code S2M-a}), as arguments or with {@code --only S2M,S8}; none selects
 * every scenario. {@code --help} lists them.
 *
 * <p>Options: {@code --reps N} (default 2; 1 for S2M, S8 and S9 unless given), {@code --clients
 * a,b} (default maritaca4j, langchain4j, openai-java; {@code all} adds maritaca4j-invoke,
 * spring-ai-openai, maritaca4j-springai and maritaca4j-springai-batch), {@code --scale X}
 * (multiplies every N), {@code --n N} (every N, for a smoke run), {@code --warmup W} (warm-up
 * requests per client JVM at zero latency, default 5,000: enough for the JIT to compile the hot
 * paths, which 400 were not), {@code --s6-lines N} (default 1,000,000), {@code --jfr DIR} (a flight
 * recording of each measured run), {@code --log DIR} (the simulator's request log of each measured
 * run, CSV), {@code --wait-quiet S} (before each run, wait up to S seconds for the machine to be
 * idle), {@code --warm-errors false} (skip the warm-up of the 429 and 503 paths, to see a cold
 * error path), {@code --client-jvm-args "..."} (default {@code -Xms512m -Xmx1g}).
 */
public final class Bench {

  /** How a benchmark run is configured. */
  static final class Options {
    final Set<String> select = new LinkedHashSet<>();
    int reps = 2;
    boolean repsGiven;
    boolean help;
    List<Client> clients = Client.DEFAULTS;
    double scale = 1.0;
    int nOverride;
    int warmup = 5_000;
    int s6Lines = 1_000_000;
    Path jfrDir;
    Path logDir;
    int waitQuietSeconds;
    boolean warmErrors = true;
    List<String> clientJvmArgs = List.of("-Xms512m", "-Xmx1g");

    static Options parse(String[] args) {
      Options o = new Options();
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        if (!a.startsWith("--")) {
          o.select.add(a.toUpperCase(Locale.ROOT));
          continue;
        }
        if (a.equals("--help") || a.equals("-h")) {
          o.help = true;
          continue;
        }
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("missing value after " + a);
        }
        String v = args[++i];
        switch (a) {
          case "--reps" -> {
            o.reps = Integer.parseInt(v);
            o.repsGiven = true;
          }
          case "--only" -> {
            for (String id : v.split(",")) {
              if (!id.isBlank()) {
                o.select.add(id.strip().toUpperCase(Locale.ROOT));
              }
            }
          }
          case "--clients" -> o.clients = Client.parseList(v);
          case "--scale" -> o.scale = Double.parseDouble(v);
          case "--n" -> o.nOverride = Integer.parseInt(v);
          case "--warmup" -> o.warmup = Integer.parseInt(v);
          case "--s6-lines" -> o.s6Lines = Integer.parseInt(v);
          case "--jfr" -> o.jfrDir = Path.of(v);
          case "--log" -> o.logDir = Path.of(v);
          case "--wait-quiet" -> o.waitQuietSeconds = Integer.parseInt(v);
          case "--warm-errors" -> o.warmErrors = Boolean.parseBoolean(v);
          case "--client-jvm-args" -> o.clientJvmArgs = List.of(v.trim().split("\\s+"));
          default -> throw new IllegalArgumentException("unknown option: " + a);
        }
      }
      if (o.reps < 1) {
        throw new IllegalArgumentException("--reps must be >= 1");
      }
      return o;
    }

    boolean selected(Scenario s) {
      if (select.isEmpty()) {
        return true;
      }
      String id = s.id().toUpperCase(Locale.ROOT);
      if (select.contains(s.group().toUpperCase(Locale.ROOT)) || select.contains(id)) {
        return true;
      }
      // a prefix of the id up to a dash: S2M-a selects S2M-a-b1-h, S2M-a-b6-nh, ...
      return select.stream().anyMatch(p -> id.startsWith(p + "-"));
    }

    /**
     * Repetitions of {@code s}: {@code --reps} when given, else 2, or 1 for the S2 matrix, S8 and
     * S9 (eight, one and two runs of 25 to 60 s each; {@code --reps} repeats them).
     */
    int repsFor(Scenario s) {
      if (repsGiven) {
        return reps;
      }
      return s.group().equals("S2M") || s.group().equals("S8") || s.group().equals("S9") ? 1 : reps;
    }

    Scenario sized(Scenario s) {
      if (s.kind() == Scenario.Kind.JOB) {
        return s.withN(nOverride > 0 ? nOverride : s6Lines);
      }
      if (nOverride > 0) {
        return s.withN(nOverride);
      }
      return s.withN(Math.max(1, (int) Math.round(s.n() * scale)));
    }
  }

  /** Everything measured. */
  static final class Report {
    final List<Row> rows = new ArrayList<>();
    final List<JobRow> jobRows = new ArrayList<>();
    final List<EstimatorRow> estimatorRows = new ArrayList<>();
    final List<SharedRow> sharedRows = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
  }

  private final Options options;
  private final PrintStream out;

  Bench(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    Options o;
    try {
      o = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (o.help) {
      usage(System.out);
      System.exit(0);
      return;
    }
    Report r = new Bench(o, System.out).run();
    System.exit(
        r.rows.isEmpty() && r.jobRows.isEmpty() && r.estimatorRows.isEmpty() && r.notes.isEmpty()
            ? 1
            : 0);
  }

  Report run() throws IOException, InterruptedException {
    Report report = new Report();
    out.println(
        "maritaca4j-bench "
            + LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).substring(0, 16)
            + ", "
            + Runtime.getRuntime().availableProcessors()
            + " cores, Java "
            + System.getProperty("java.version")
            + ", reps "
            + options.reps
            + (options.repsGiven ? "" : " (S2M, S8, S9: 1)")
            + String.format(Locale.ROOT, ", load average %.2f", MachineLoad.loadAverage()));
    for (Scenario base : Scenario.catalogue()) {
      if (!options.selected(base)) {
        continue;
      }
      Scenario s = options.sized(base);
      out.println();
      out.println("== " + s.id() + ": " + s.description() + " (N=" + s.n() + ")");
      switch (s.kind()) {
        case CLIENTS -> runClients(s, report);
        case JOB -> JobScenario.run(s, options, out, report);
        case ESTIMATOR -> EstimatorScenario.run(s, options, out, report);
        case SHARED -> SharedScenario.run(s, options, out, report);
        case FLEET -> FleetScenario.run(s, options, out, report);
        case PLAN -> PlanScenario.run(s, options, out, report);
      }
    }
    printSummary(report);
    return report;
  }

  /** {@link SimMain}'s arguments for {@code s}: latency, limits, faults, burst and headers. */
  static List<String> simArgs(Scenario s) {
    return List.of(
        "--latency-ms", Long.toString(s.latencyMs()),
        "--rpm", Long.toString(s.rpm()),
        "--tpm-in", Long.toString(s.tpmIn()),
        "--tpm-out", Long.toString(s.tpmOut()),
        "--error-rate", Double.toString(s.errorRate()),
        "--burst-ms", Long.toString(Math.round(s.variant().burstSeconds() * 1000)),
        "--rate-limit-headers", Boolean.toString(s.variant().rateLimitHeaders()));
  }

  private void runClients(Scenario s, Report report) throws IOException, InterruptedException {
    try (Child sim = Child.start("simulator", List.of("-Xmx512m"), SimMain.class, simArgs(s))) {
      String[] urls = readUrls(sim);
      String main = urls[0];
      String warm = urls[1];
      String simCpu = urls[2];
      String warmLimited = urls[3];
      int promptTokens =
          SimHttp.promptTokens(warm, Prompts.prompt(0, Prompts.filler(s.promptWords())));
      double floor = s.floorSeconds(promptTokens);
      out.printf(
          Locale.ROOT,
          "   prompt %d tokens; floor %.2f s; simulator %s%n",
          promptTokens,
          floor,
          main);
      out.println(Row.HEADER);
      List<Client> clients =
          s.variant().oursOnly()
              ? options.clients.stream().filter(c -> c == Client.MARITACA4J).toList()
              : options.clients;
      if (clients.isEmpty()) {
        out.println("   (maritaca4j only; not among --clients)");
        return;
      }
      for (int rep = 1; rep <= options.repsFor(s); rep++) {
        for (int k = 0; k < clients.size(); k++) {
          Client client = clients.get((k + rep - 1) % clients.size());
          String warmUrls = options.warmErrors ? warm + "," + warmLimited : warm;
          Row row = runClient(s, client, rep, main, warmUrls, simCpu, floor);
          if (row == null) {
            out.printf(
                "%-25s %-11s %3d   (no result: the client JVM failed)%n",
                client.label(), s.id(), rep);
            continue;
          }
          report.rows.add(row);
          out.println(row.format());
          if (!row.errors().isEmpty()) {
            out.println("             failures: " + row.errors());
          }
          if (!row.timing().isEmpty()) {
            out.println("             " + row.timing());
          }
          out.flush();
        }
      }
    }
  }

  private Row runClient(
      Scenario s, Client client, int rep, String main, String warm, String simCpu, double floor)
      throws IOException, InterruptedException {
    List<String> jvm = new ArrayList<>(options.clientJvmArgs);
    // with nothing told, the client gets no limits; the simulator enforces them all the same
    boolean told = s.variant().told() != Scenario.Told.NONE;
    List<String> args =
        new ArrayList<>(
            List.of(
                "--client",
                client.label(),
                "--main",
                main,
                "--warm",
                warm,
                "--sim-cpu",
                simCpu,
                "--n",
                Integer.toString(s.n()),
                "--c",
                Integer.toString(s.c()),
                "--words",
                Integer.toString(s.promptWords()),
                "--warmup",
                Integer.toString(options.warmup),
                "--rpm",
                Long.toString(told ? s.rpm() : 0),
                "--tpm-in",
                Long.toString(told ? s.tpmIn() : 0),
                "--tpm-out",
                Long.toString(told ? s.tpmOut() : 0),
                "--limits-on-client",
                Boolean.toString(s.variant().told() == Scenario.Told.CLIENT),
                "--reps",
                "1"));
    if (options.logDir != null) {
      Files.createDirectories(options.logDir);
      args.add("--log");
      args.add(
          options.logDir.resolve(s.id() + "-" + client.label() + "-" + rep + ".csv").toString());
    }
    if (options.jfrDir != null) {
      Files.createDirectories(options.jfrDir);
      args.add("--jfr");
      args.add(
          options.jfrDir.resolve(s.id() + "-" + client.label() + "-" + rep + ".jfr").toString());
    }
    waitQuiet(options, out);
    Row[] row = new Row[1];
    try (Child c = Child.start(client.label(), jvm, ClientMain.class, args)) {
      int code =
          c.drain(
              json -> {
                try {
                  JsonNode r = SimHttp.JSON.readTree(json);
                  row[0] = Row.of(s, floor, r).withRep(rep);
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              },
              900);
      if (code != 0 && row[0] == null) {
        return null;
      }
    }
    return row[0];
  }

  /**
   * Waits (at most {@code --wait-quiet} seconds) for a 2-second window in which the machine is at
   * least 90 % idle, so that runs do not overlap other work on a shared machine.
   */
  static void waitQuiet(Options options, PrintStream out) throws InterruptedException {
    if (options.waitQuietSeconds <= 0) {
      return;
    }
    int cores = Runtime.getRuntime().availableProcessors();
    long deadline = System.nanoTime() + options.waitQuietSeconds * 1_000_000_000L;
    double busy = 0;
    while (System.nanoTime() < deadline) {
      double b0 = MachineLoad.busySeconds();
      Thread.sleep(2_000);
      busy = (MachineLoad.busySeconds() - b0) / 2.0;
      if (busy <= 0.1 * cores) {
        return;
      }
    }
    out.printf(
        Locale.ROOT,
        "   (machine still busy: %.1f of %d cores in use after waiting %d s)%n",
        busy,
        cores,
        options.waitQuietSeconds);
  }

  /**
   * The {@code MAIN}, {@code WARM}, {@code CPU} and {@code WARM_LIMITED} URLs {@link SimMain}
   * prints.
   */
  static String[] readUrls(Child sim) throws IOException {
    String main = null;
    String warm = null;
    String cpu = null;
    String warmLimited = null;
    String line;
    while ((main == null || warm == null || cpu == null || warmLimited == null)
        && (line = sim.readLine()) != null) {
      if (line.startsWith("MAIN ")) {
        main = line.substring(5).trim();
      } else if (line.startsWith("WARM ")) {
        warm = line.substring(5).trim();
      } else if (line.startsWith("WARM_LIMITED ")) {
        warmLimited = line.substring(13).trim();
      } else if (line.startsWith("CPU ")) {
        cpu = line.substring(4).trim();
      }
    }
    if (main == null || warm == null || cpu == null || warmLimited == null) {
      throw new IOException("the simulator JVM did not start");
    }
    return new String[] {main, warm, cpu, warmLimited};
  }

  /** {@code --help}: the options and the scenarios. */
  static void usage(PrintStream out) {
    out.println(
        "usage: java -jar maritaca4j-bench.jar [options] [SCENARIO ...]\n"
            + "\n"
            + "Scenarios are selected by id, by family (S1, S2M) or by an id's prefix up to a dash\n"
            + "(S2M-a); none selects all of them (about 56 min).\n"
            + "\n"
            + "options:\n"
            + "  --only A,B          scenarios, as the arguments (e.g. --only S2M,S8)\n"
            + "  --reps N            repetitions (default 2; S2M, S8, S9: 1 unless given)\n"
            + "  --clients a,b       maritaca4j,langchain4j,openai-java (the default), maritaca4j-invoke,\n"
            + "                      spring-ai-openai, maritaca4j-springai, maritaca4j-springai-batch,\n"
            + "                      or all\n"
            + "  --scale X           multiplies every N\n"
            + "  --n N               every N (a smoke run)\n"
            + "  --warmup W          warm-up requests per client JVM (default 5000)\n"
            + "  --s6-lines N        lines of S6's job (default 1000000)\n"
            + "  --wait-quiet S      before each run, wait up to S s for an idle machine\n"
            + "  --warm-errors B     warm the 429/503 paths first (default true)\n"
            + "  --jfr DIR           a flight recording of each measured run\n"
            + "  --log DIR           the simulator's request log of each measured run (CSV)\n"
            + "  --client-jvm-args S JVM flags of the client JVMs (default \"-Xms512m -Xmx1g\")\n"
            + "\n"
            + "S9 starts a redis-server of its own (on the PATH; skipped without one).\n"
            + "\n"
            + "scenarios:");
    for (Scenario s : Scenario.catalogue()) {
      out.printf(Locale.ROOT, "  %-12s %s%n", s.id(), s.description());
    }
  }

  private void printSummary(Report report) {
    out.println();
    out.println("== All runs");
    if (!report.rows.isEmpty()) {
      out.println(Row.HEADER);
      report.rows.forEach(r -> out.println(r.format()));
    }
    if (!report.jobRows.isEmpty()) {
      out.println();
      out.println(JobRow.HEADER);
      report.jobRows.forEach(r -> out.println(r.format()));
    }
    if (!report.estimatorRows.isEmpty()) {
      out.println();
      out.println(EstimatorRow.HEADER);
      report.estimatorRows.forEach(r -> out.println(r.format()));
    }
    if (!report.sharedRows.isEmpty()) {
      out.println();
      out.println(SharedRow.HEADER);
      report.sharedRows.forEach(r -> out.println(r.format()));
    }
    out.println();
    out.println("== Targets (maritaca4j; every run must meet its target)");
    Targets.evaluate(report).forEach(out::println);
    report.notes.forEach(n -> out.println("note: " + n));
  }
}
