package io.github.maritaca4j.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.batch.BatchOptions;
import io.github.maritaca4j.batch.RateLimits;
import io.github.maritaca4j.jobs.JobFiles;
import io.github.maritaca4j.jobs.JobPlan;
import io.github.maritaca4j.jobs.JobPlanner;
import io.github.maritaca4j.jobs.JobPlannerResult;
import io.github.maritaca4j.jobs.JobProfile;
import io.github.maritaca4j.jobs.JobSummary;
import io.github.maritaca4j.jobs.JsonlJob;
import io.github.maritaca4j.jobs.RunWay;
import io.github.maritaca4j.jobs.WayEstimate;
import io.github.maritaca4j.simulator.Latency;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import io.github.maritaca4j.simulator.RateLimit;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The planner's real-time ETA against a measured run, in a JVM of its own: a simulator in this JVM
 * with an account limit of {@code --rpm} and {@code --tpm-in} (0: none; 1 s burst, no rate-limit
 * headers, {@code --latency-ms} answers); a JSONL job of {@code --lines} requests; {@link
 * JobPlanner}'s {@link RunWay#REALTIME_NOW} sending time for those limits (the client told the same
 * RPM, the burst not known: as a user giving {@code --rpm}); then the job run through {@link
 * JsonlJob} at {@code --c} in flight, its wall time measured. Prints one {@code RESULT {json}}
 * line.
 */
public final class PlanMain {
  private PlanMain() {}

  public static void main(String[] args) throws Exception {
    int lines = 1200;
    long rpm = 1200;
    long tpmIn = 0;
    long latencyMs = 200;
    int c = 50;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--lines" -> lines = Integer.parseInt(args[i + 1]);
        case "--rpm" -> rpm = Long.parseLong(args[i + 1]);
        case "--tpm-in" -> tpmIn = Long.parseLong(args[i + 1]);
        case "--latency-ms" -> latencyMs = Long.parseLong(args[i + 1]);
        case "--c" -> c = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option: " + args[i]);
      }
    }
    Path dir = Files.createTempDirectory("maritaca-plan-bench");
    Path in = dir.resolve("in.jsonl");
    try (BufferedWriter w = Files.newBufferedWriter(in, StandardCharsets.UTF_8)) {
      for (int i = 0; i < lines; i++) {
        w.write(
            "{\"custom_id\":\"p"
                + i
                + "\",\"body\":{\"messages\":[{\"role\":\"user\",\"content\":"
                + SimHttp.JSON.writeValueAsString(Prompts.prompt(i, Prompts.filler(40)))
                + "}]}}\n");
      }
    }
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder()
            .latency(Latency.fixed(Duration.ofMillis(latencyMs)))
            .rateLimit(Scenario.MODEL, RateLimit.of(rpm, tpmIn, 0))
            .burst(Duration.ofSeconds(1))
            .rateLimitHeaders(false)
            .start()) {
      RateLimits told = RateLimits.of(rpm, tpmIn, 0);
      ChatMaritaca client =
          ChatMaritaca.builder()
              .baseUrl(sim.baseUrl())
              .apiKey("bench")
              .model(Scenario.MODEL)
              .maxTokens(Scenario.MAX_TOKENS)
              .rateLimits(told)
              .build();
      JobProfile profile = JobProfile.scan(client, in, Scenario.MAX_TOKENS);
      JobPlannerResult plan =
          JobPlanner.builder(client.priceTable()).limits(m -> told).build().plan(profile);
      WayEstimate now = plan.way(RunWay.REALTIME_NOW);

      JsonlJob job =
          JsonlJob.builder(client, JobFiles.of(in, dir.resolve("out.jsonl")))
              .options(BatchOptions.builder().maxConcurrency(c).build())
              .build();
      JobPlan prepared = job.prepare();
      long t0 = System.nanoTime();
      JobSummary s = job.run(prepared);
      double measuredMs = (System.nanoTime() - t0) / 1e6;

      ObjectNode res = SimHttp.JSON.createObjectNode();
      res.put("lines", lines);
      res.put("rpm", rpm);
      res.put("tpmIn", tpmIn);
      res.put("inputTokens", profile.inputTokens());
      res.put("latencyMs", latencyMs);
      res.put("c", c);
      res.put("plannedMs", now.sendingTime().toMillis());
      res.put("limitedBy", now.limitedBy());
      res.put("measuredMs", measuredMs);
      res.put("succeeded", s.succeeded());
      res.put("rateLimited", s.rateLimited());
      res.put("errorPct", 100.0 * (measuredMs - now.sendingTime().toMillis()) / measuredMs);
      System.out.println("RESULT " + SimHttp.JSON.writeValueAsString(res));
    }
    System.exit(0);
  }
}
