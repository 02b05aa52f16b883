package io.github.maritaca4j.cli;

import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.ChatRequest;
import io.github.maritaca4j.Message;
import io.github.maritaca4j.batch.BatchItem;
import io.github.maritaca4j.batch.BatchOptions;
import io.github.maritaca4j.batch.RateLimits;
import io.github.maritaca4j.cost.TokenCounter;
import io.github.maritaca4j.jobs.JobFiles;
import io.github.maritaca4j.jobs.JobListener;
import io.github.maritaca4j.simulator.Latency;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import io.github.maritaca4j.simulator.RateLimit;
import io.github.maritaca4j.simulator.SimulatorStats;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code maritaca demo}: a JSONL job on the embedded simulator; no key, no network. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a JSONL job of Portuguese questions (examples/capitais.jsonl) against a local"
          + " Maritaca simulator started in this process: validation, estimate, a progress bar"
          + " paced by rate limits, a summary and a few answers. No key, no network.",
      "Interrupt it and run it again with the same --output to see it resume."
    })
final class DemoCommand implements Callable<Integer> {
  static final String RESOURCE = "/io/github/maritaca4j/cli/examples/capitais.jsonl";

  private final CliEnvironment env;

  @Spec CommandSpec spec;

  @Option(
      names = {"-i", "--input"},
      paramLabel = "FILE",
      description = "A JSONL job to run instead of the bundled questions.")
  Path input;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Where the answers go (default: a new temporary directory).")
  Path output;

  @Option(
      names = "--model",
      paramLabel = "MODEL",
      description = "Model of the requests that name none (default: ${DEFAULT-VALUE}).",
      defaultValue = "sabia-4")
  String model;

  @Option(
      names = {"-c", "--concurrency"},
      paramLabel = "N",
      description = "Most requests in flight (default: ${DEFAULT-VALUE}).",
      defaultValue = "8")
  int concurrency;

  @Option(
      names = "--rpm",
      paramLabel = "N",
      description =
          "The simulated account's requests per minute; the client is told it (default:"
              + " ${DEFAULT-VALUE}).",
      defaultValue = "600")
  long rpm;

  @Option(
      names = "--burst-ms",
      paramLabel = "MS",
      description = "The simulated server's burst window (default: ${DEFAULT-VALUE}).",
      defaultValue = "1500")
  long burstMs;

  @Option(
      names = "--latency-ms",
      paramLabel = "MS",
      description = "The simulated answer time (default: ${DEFAULT-VALUE}).",
      defaultValue = "250")
  long latencyMs;

  @Option(
      names = "--answers",
      paramLabel = "N",
      description = "Answers to show at the end (default: ${DEFAULT-VALUE}).",
      defaultValue = "5")
  int answers;

  @Option(
      names = "--max-tokens",
      paramLabel = "N",
      description = "max_tokens of requests that set none (default: ${DEFAULT-VALUE}).",
      defaultValue = "200")
  int maxTokens;

  @Mixin OutputOptions out;

  DemoCommand(CliEnvironment env) {
    this.env = env;
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter o = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean talk = !out.quiet && !out.json;
    if (concurrency < 1) {
      throw new CliException(ExitCodes.USAGE, "--concurrency must be at least 1");
    }
    if (rpm < 0 || burstMs < 0 || latencyMs < 0 || answers < 0) {
      throw new CliException(
          ExitCodes.USAGE, "--rpm, --burst-ms, --latency-ms and --answers must not be negative");
    }
    if (maxTokens < 1 || maxTokens > io.github.maritaca4j.ChatRequest.MAX_OUTPUT_TOKENS) {
      throw new CliException(
          ExitCodes.USAGE,
          "--max-tokens must be between 1 and "
              + io.github.maritaca4j.ChatRequest.MAX_OUTPUT_TOKENS
              + ", was "
              + maxTokens);
    }
    if (input != null) {
      Inputs.requireInput(input);
    }
    if (output != null) {
      Inputs.requireWritable(output, "output file");
      Path parent = output.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent); // as batch run does: the questions are copied there first
      }
    }
    Path dir = output != null ? null : Files.createTempDirectory("maritaca-demo-");
    Path in = input;
    String inputLabel;
    if (in == null) {
      in = (dir != null ? dir : output.toAbsolutePath().getParent()).resolve("capitais.jsonl");
      try (InputStream r = DemoCommand.class.getResourceAsStream(RESOURCE)) {
        if (r == null) {
          throw new CliException(ExitCodes.ERROR, "the demo questions are missing from the jar");
        }
        if (!Files.exists(in)) {
          Files.copy(r, in, StandardCopyOption.REPLACE_EXISTING);
        }
      }
      inputLabel = "examples/capitais.jsonl (copied to " + in + ")";
    } else {
      inputLabel = in.toString();
    }
    Path outFile = output != null ? output : dir.resolve("respostas.jsonl");
    // load the tokenizer's tables while the simulator starts
    Thread warm = new Thread(() -> TokenCounter.estimator().count("Olá"), "maritaca-warm-up");
    warm.setDaemon(true);
    warm.start();
    MaritacaSimulator.Builder sb =
        MaritacaSimulator.builder()
            .port(0)
            .seed(42)
            .latency(Latency.of(Duration.ofMillis(latencyMs), Duration.ZERO, 0.25))
            .burst(Duration.ofMillis(Math.max(1, burstMs)));
    if (rpm > 0) {
      sb.defaultRateLimit(RateLimit.of(rpm, 0, 0));
    }
    try (MaritacaSimulator sim = sb.start()) {
      if (talk) {
        o.println("maritaca demo: a local Maritaca simulator at " + sim.baseUrl());
        o.println(
            "  (no key, no network; the simulated account allows "
                + (rpm > 0 ? Fmt.n(rpm) + " requests/minute" : "unlimited requests")
                + ", answers take ~"
                + latencyMs
                + " ms)");
        o.println("input:  " + inputLabel);
        o.println("output: " + outFile);
        o.flush();
      }
      ChatMaritaca.Builder cb =
          ChatMaritaca.builder()
              .apiKey("demo")
              .baseUrl(sim.baseUrl())
              .clock(env.clock())
              .model(model)
              .maxTokens(maxTokens)
              .tokenCounter(TokenCounter.estimator());
      if (rpm > 0) {
        cb.rateLimits(RateLimits.rpm(rpm)); // the account's limit for --model, as batch run's --rpm
      }
      ChatMaritaca client = cb.build();
      Map<String, String> answered = Collections.synchronizedMap(new LinkedHashMap<>());
      Map<String, String> questions = Collections.synchronizedMap(new LinkedHashMap<>());
      int code =
          new JobRunner(o, err, env, client, JobFiles.of(in, outFile), out)
              .options(BatchOptions.builder().maxConcurrency(concurrency).build())
              .command(
                  "maritaca demo --output " + outFile + (input != null ? " --input " + input : ""))
              .onItem(
                  new JobListener() {
                    @Override
                    public void onItemWritten(String id, ChatRequest request, BatchItem item) {
                      if (item.isSuccess() && answered.size() < answers) {
                        String q = question(request);
                        if (q != null) {
                          questions.put(id, q);
                        }
                        answered.put(id, item.result().content());
                      }
                    }
                  })
              .run();
      SimulatorStats st = sim.statsWithoutLog();
      if (talk) {
        if (!answered.isEmpty()) {
          o.println("answers (" + answered.size() + " of them):");
          synchronized (answered) {
            for (Map.Entry<String, String> a : answered.entrySet()) {
              String q = questions.getOrDefault(a.getKey(), a.getKey());
              o.println("  " + Fmt.oneLine(q, 60) + "  ->  " + Fmt.oneLine(a.getValue(), 90));
            }
          }
        }
        o.println(
            "simulator: "
                + Fmt.n(st.requests())
                + " requests received, "
                + Fmt.n(st.ok())
                + " answered, "
                + Fmt.n(st.rateLimited())
                + " rate limited (429)");
      }
      if (talk && code != ExitCodes.INVALID_INPUT) {
        o.println("next:");
        o.println("  run it again with --output " + outFile + ": nothing is sent twice");
        o.println(
            "  your own file, for real: MARITACA_API_KEY=... maritaca batch run"
                + " examples/capitais.jsonl -o respostas.jsonl");
        o.println("  docs: docs/cli.md");
      }
      o.flush();
      return code;
    }
  }

  /** The last user message of the lines with these ids (the demo's input is small). */
  /** The question of a request: its last message's text. */
  private static String question(ChatRequest request) {
    List<Message> ms = request.messages();
    return ms.isEmpty() ? null : ms.get(ms.size() - 1).text();
  }
}
