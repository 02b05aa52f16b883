package io.github.maritaca4j.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.TestClocks;
import io.github.maritaca4j.Usage;
import io.github.maritaca4j.batch.BatchItem;
import io.github.maritaca4j.batch.BatchOptions;
import io.github.maritaca4j.cost.PricingMode;
import io.github.maritaca4j.errors.JobException;
import io.github.maritaca4j.errors.RateLimitException;
import io.github.maritaca4j.simulator.Latency;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import io.github.maritaca4j.simulator.SimulatorStats;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** JSONL jobs against the simulator: runs, resumes, retries, budgets. */
class JsonlJobTest {
  @TempDir Path dir;
  MaritacaSimulator sim;
  ChatMaritaca client;
  Path in;
  Path out;

  @BeforeEach
  void start() throws Exception {
    sim = MaritacaSimulator.builder().latency(Latency.fixed(Duration.ofMillis(5))).start();
    client =
        ChatMaritaca.builder()
            .baseUrl(sim.baseUrl())
            .apiKey("test-key")
            .model("sabiazinho-4")
            .maxTokens(50)
            .clock(TestClocks.peak())
            .build();
    in = dir.resolve("in.jsonl");
    out = dir.resolve("out.jsonl");
    writeInput(in, 30);
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  static void writeInput(Path in, int n) throws Exception {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append("{\"custom_id\":\"q")
          .append(i)
          .append("\",\"prompt\":\"Pergunta número ")
          .append(i)
          .append("?\"}\n");
    }
    Files.writeString(in, sb.toString());
  }

  /** custom_id → times seen across output and errors. */
  static Map<String, Integer> ids(Path... files) {
    Map<String, Integer> m = new HashMap<>();
    for (Path f : files) {
      ResultFile.scan(f, false, id -> m.merge(id, 1, Integer::sum));
    }
    return m;
  }

  private JsonlJob.Builder job() {
    return JsonlJob.builder(client, JobFiles.of(in, out))
        .options(BatchOptions.builder().maxConcurrency(4).build());
  }

  @Test
  void runsEveryLineOnceAndWritesTheBatchApiOutputFormat() throws Exception {
    List<String> written = new ArrayList<>();
    JsonlJob job =
        job()
            .listener(
                new JobListener() {
                  @Override
                  public void onItemWritten(String customId, BatchItem item) {
                    written.add(customId);
                  }
                })
            .build();
    JobPlan plan = job.prepare();
    assertThat(plan.isValid()).isTrue();
    assertThat(plan.remaining()).isEqualTo(30);
    assertThat(plan.estimate().totalRequests()).isEqualTo(30);
    assertThat(plan.estimate().totalOutputTokens()).isEqualTo(30 * 50);
    JobSummary s = job.run(plan);
    assertThat(s.succeeded()).isEqualTo(30);
    assertThat(s.failed()).isZero();
    assertThat(s.isComplete()).isTrue();
    // the client's clock says noon in Brasília: every answer at standard prices
    SimulatorStats stats = sim.statsWithoutLog();
    assertThat(s.cost().mode()).isEqualTo(PricingMode.STANDARD);
    assertThat(s.cost().total())
        .isPositive()
        .isEqualByComparingTo(
            client
                .priceTable()
                .cost(
                    "sabiazinho-4",
                    Usage.of(stats.promptTokens(), stats.completionTokens()),
                    PricingMode.STANDARD)
                .total());
    assertThat(written).hasSize(30);
    assertThat(ids(out)).hasSize(30).allSatisfy((k, v) -> assertThat(v).isEqualTo(1));
    String first = Files.readAllLines(out).get(0);
    var node = io.github.maritaca4j.internal.Json.MAPPER.readTree(first);
    assertThat(node.path("id").asText()).startsWith("batch_req_");
    assertThat(node.path("response").path("status_code").asInt()).isEqualTo(200);
    assertThat(node.path("response").path("body").path("object").asText())
        .isEqualTo("chat.completion");
    assertThat(
            node.path("response")
                .path("body")
                .path("choices")
                .get(0)
                .path("message")
                .path("content")
                .asText())
        .isNotBlank();
    assertThat(node.path("error").isNull()).isTrue();
    assertThat(sim.stats().requests()).isEqualTo(30);
  }

  @Test
  void resumesWithoutSendingWhatIsDone() {
    JsonlJob first = job().build();
    JobPlan p1 = first.prepare();
    List<Integer> count = new ArrayList<>();
    JsonlJob stopping =
        job()
            .listener(
                new JobListener() {
                  @Override
                  public void onItemWritten(String customId, BatchItem item) {
                    count.add(1);
                    if (count.size() == 10) {
                      holder[0].stop();
                    }
                  }
                })
            .build();
    holder[0] = stopping;
    JobSummary s1 = stopping.run(stopping.prepare());
    assertThat(s1.stopped()).isTrue();
    long done = s1.succeeded();
    assertThat(done).isBetween(10L, 29L);
    long sentFirst = sim.stats().requests();
    assertThat(sentFirst).isEqualTo(done);

    JobPlan p2 = first.prepare();
    assertThat(p2.alreadyDone()).isEqualTo(done);
    assertThat(p2.remaining()).isEqualTo(30 - done);
    assertThat(p1.remaining()).isEqualTo(30);
    JobSummary s2 = first.run(p2);
    assertThat(s2.succeeded()).isEqualTo(30 - done);
    assertThat(sim.stats().requests()).isEqualTo(30);
    assertThat(ids(out)).hasSize(30).allSatisfy((k, v) -> assertThat(v).isEqualTo(1));
  }

  private final JsonlJob[] holder = new JsonlJob[1];

  @Test
  void repairsATornLastLineAndRunsItsRequestAgain() throws Exception {
    JsonlJob job = job().build();
    job.run(job.prepare());
    List<String> lines = Files.readAllLines(out);
    // keep 20 whole lines and half of the 21st, as a kill in the middle of a write would
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      sb.append(lines.get(i)).append('\n');
    }
    String half = lines.get(20).substring(0, lines.get(20).length() / 2);
    sb.append(half);
    Files.writeString(out, sb.toString());
    sim.reset();
    JobPlan plan = job.prepare();
    assertThat(plan.repairedBytes())
        .isEqualTo(half.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    assertThat(plan.remaining()).isEqualTo(10);
    job.run(plan);
    assertThat(sim.stats().requests()).isEqualTo(10);
    assertThat(ids(out)).hasSize(30).allSatisfy((k, v) -> assertThat(v).isEqualTo(1));
  }

  @Test
  void retriesOnlyTheFailuresAndLosesNothingWhenTheRetryIsInterrupted() throws Exception {
    JobFiles files = JobFiles.of(in, out);
    // q0..q24 succeeded earlier, q25..q29 failed
    try (ResultFile o = ResultFile.open(out, SyncPolicy.AT_CLOSE);
        ResultFile e = ResultFile.open(files.errors(), SyncPolicy.AT_CLOSE)) {
      for (int i = 0; i < 25; i++) {
        o.append(ResultLineWriter.success("x" + i, "q" + i, ResultFileTest.result("ok")));
      }
      for (int i = 25; i < 30; i++) {
        e.append(
            ResultLineWriter.failure(
                "x" + i, "q" + i, new RateLimitException("busy", null, null, null, null), 21));
      }
    }
    // an earlier retry was killed: it had moved the errors aside, retried q25 (ok) and q26 (failed
    // again)
    Files.move(files.errors(), files.retrying());
    try (ResultFile o = ResultFile.open(out, SyncPolicy.AT_CLOSE);
        ResultFile e = ResultFile.open(files.errors(), SyncPolicy.AT_CLOSE)) {
      o.append(ResultLineWriter.success("y25", "q25", ResultFileTest.result("ok")));
      e.append(
          ResultLineWriter.failure(
              "y26", "q26", new RateLimitException("busy", null, null, null, null), 21));
    }
    JsonlJob retry = job().retryFailed(true).build();
    JobPlan plan = retry.prepare();
    assertThat(plan.retryInterrupted()).isTrue();
    assertThat(plan.remaining()).isEqualTo(3); // q27, q28, q29
    JobSummary s = retry.run(plan);
    assertThat(s.succeeded()).isEqualTo(3);
    assertThat(sim.stats().requests()).isEqualTo(3);
    assertThat(Files.exists(files.retrying())).isFalse();
    assertThat(ids(out, files.errors()))
        .hasSize(30)
        .allSatisfy((k, v) -> assertThat(v).isEqualTo(1));

    // a fresh retry moves the remaining failure (q26) aside and retries it
    sim.reset();
    JsonlJob again = job().retryFailed(true).build();
    JobPlan p2 = again.prepare();
    assertThat(p2.retryInterrupted()).isFalse();
    assertThat(p2.remaining()).isEqualTo(1);
    again.run(p2);
    assertThat(sim.stats().requests()).isEqualTo(1);
    assertThat(Files.readString(files.errors())).isEmpty();
    assertThat(ids(out)).hasSize(30);
  }

  /**
   * The budget reserves at standard prices in both windows; what is spent is the server's token
   * count at the window's prices. The plan's estimate is at standard prices in both (a job may
   * outlast the window).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.maritaca4j.TestClocks#windows")
  void stopsAtTheBudgetAndGoesOnWithAMoreGenerousOne(TestClocks.Window window) {
    client = client.toBuilder().clock(window.clock()).build();
    BigDecimal perRequest =
        client
            .costEstimator()
            .worstCaseCost(
                client
                    .request(List.of(io.github.maritaca4j.Message.user("Pergunta número 10?")))
                    .build(),
                PricingMode.STANDARD);
    BigDecimal budget = perRequest.multiply(BigDecimal.valueOf(5));
    JsonlJob job =
        JsonlJob.builder(client, JobFiles.of(in, out))
            .options(BatchOptions.builder().maxConcurrency(2).budget(budget).build())
            .build();
    JobPlan plan = job.prepare();
    assertThat(plan.estimate().pricingMode()).isEqualTo(PricingMode.STANDARD);
    JobSummary s = job.run(plan);
    assertThat(s.budgetExhausted()).isTrue();
    assertThat(s.notRun()).isPositive();
    assertThat(s.failed()).isZero();
    SimulatorStats stats = sim.statsWithoutLog();
    assertThat(stats.requests()).isEqualTo(s.succeeded());
    assertThat(s.cost().mode()).isEqualTo(window.mode());
    assertThat(s.cost().total())
        .isEqualByComparingTo(
            client
                .priceTable()
                .cost(
                    "sabiazinho-4",
                    Usage.of(stats.promptTokens(), stats.completionTokens()),
                    window.mode())
                .total())
        .isLessThanOrEqualTo(budget);
    long first = s.succeeded();

    JsonlJob more = job().build();
    JobSummary s2 = more.run(more.prepare());
    assertThat(s2.succeeded()).isEqualTo(30 - first);
    assertThat(ids(out)).hasSize(30);
  }

  @Test
  void refusesToRunAnInvalidInput() throws Exception {
    Files.writeString(in, "{\"prompt\":\"a\"}\nnope\n", java.nio.file.StandardOpenOption.APPEND);
    JsonlJob job = job().build();
    JobPlan plan = job.prepare();
    assertThat(plan.isValid()).isFalse();
    assertThat(plan.input().problems().get(0).line()).isEqualTo(32);
    assertThatThrownBy(() -> job.run(plan)).isInstanceOf(JobException.class);
    assertThat(sim.stats().requests()).isZero();
    assertThat(Files.exists(out)).isFalse();
  }
}
