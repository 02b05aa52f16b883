package io.github.maritaca4j.cli;

import io.github.maritaca4j.simulator.MaritacaSimulator;
import io.github.maritaca4j.simulator.SimulatorStats;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code maritaca simulate}: the local Maritaca simulator as a server. */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a local Maritaca-compatible server (chat completions, streaming, models, Batch API)"
          + " with real rate limits, latency and faults, until Ctrl-C.",
      "Point any client at it: MARITACA_API_BASE=http://127.0.0.1:PORT/api"
    })
final class SimulateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-p", "--port"},
      paramLabel = "PORT",
      description = "Port on 127.0.0.1 (0: any free one; default: ${DEFAULT-VALUE}).",
      defaultValue = "8080")
  int port;

  @Option(
      names = "--for",
      paramLabel = "SECONDS",
      description = "Stop after this many seconds instead of waiting for Ctrl-C.")
  Double forSeconds;

  @Mixin SimulatorOptions sim;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    MaritacaSimulator s;
    try {
      s = sim.builder(port).start();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new CliException(ExitCodes.USAGE, e.getMessage());
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              s.close();
              stopped.countDown();
            },
            "maritaca-simulator-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    out.println("simulator listening on " + s.baseUrl());
    out.println(
        "  export MARITACA_API_BASE="
            + s.baseUrl()
            + " MARITACA_API_KEY="
            + (sim.requireKey != null ? sim.requireKey : "anything"));
    out.println(
        "  limits: "
            + (sim.rpm == 0 && sim.tpmIn == 0 && sim.tpmOut == 0
                ? "none"
                : sim.rpm + " RPM, " + sim.tpmIn + " TPM in, " + sim.tpmOut + " TPM out")
            + "; latency "
            + sim.latencyMs
            + " ms"
            + (forSeconds == null ? "; Ctrl-C to stop" : "; stopping in " + forSeconds + " s"));
    out.flush();
    if (forSeconds != null) {
      stopped.await((long) (forSeconds * 1000), TimeUnit.MILLISECONDS);
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // shutting down
      }
      SimulatorStats st = s.statsWithoutLog();
      s.close();
      out.println(
          "simulator stopped: "
              + st.requests()
              + " chat requests, "
              + st.ok()
              + " ok, "
              + st.rateLimited()
              + " rate limited");
      out.flush();
      return ExitCodes.OK;
    }
    stopped.await();
    return ExitCodes.OK;
  }
}
