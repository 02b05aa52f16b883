package io.github.maritaca4j.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.TestClocks;
import io.github.maritaca4j.batch.BatchOptions;
import io.github.maritaca4j.cost.PricingMode;
import io.github.maritaca4j.simulator.Latency;
import io.github.maritaca4j.simulator.MaritacaSimulator;
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

/** {@link JobShard} and sharded {@link JsonlJob}s against the simulator. */
class JsonlJobShardTest {
  @TempDir Path dir;
  MaritacaSimulator sim;
  ChatMaritaca client;
  Path in;

  @BeforeEach
  void start() throws Exception {
    sim = MaritacaSimulator.builder().latency(Latency.fixed(Duration.ofMillis(2))).start();
    client =
        ChatMaritaca.builder()
            .baseUrl(sim.baseUrl())
            .apiKey("test-key")
            .model("sabiazinho-4")
            .maxTokens(20)
            .clock(TestClocks.peak())
            .build();
    in = dir.resolve("in.jsonl");
    JsonlJobTest.writeInput(in, 30);
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  private JsonlJob job(Path out, JobShard shard) {
    return JsonlJob.builder(client, JobFiles.of(in, out))
        .options(BatchOptions.builder().maxConcurrency(4).build())
        .shard(shard)
        .build();
  }

  // ---- the hash

  @Test
  void theShardOfAnIdIsTheDocumentedSha256Prefix() {
    // int.from_bytes(hashlib.sha256(cid.encode()).digest()[:8], "big") % n + 1, computed in Python
    assertThat(JobShard.indexOf("q0", 3)).isEqualTo(1);
    assertThat(JobShard.indexOf("q1", 3)).isEqualTo(2);
    assertThat(JobShard.indexOf("q2", 3)).isEqualTo(3);
    assertThat(JobShard.indexOf("r1", 2)).isEqualTo(2);
    assertThat(JobShard.indexOf("custom-42", 1000)).isEqualTo(302);
    assertThat(JobShard.indexOf("São Paulo", 10)).isEqualTo(3); // UTF-8 bytes
    assertThat(JobShard.indexOf("3", 2)).isEqualTo(2); // a line number as id
    assertThat(JobShard.indexOf("anything", 1)).isEqualTo(1);
    assertThat(JobShard.of(2, 3).contains("q1")).isTrue();
    assertThat(JobShard.of(2, 3).contains("q0")).isFalse();
  }

  @Test
  void shardsAreReadAndCheckedAsKOverN() {
    assertThat(JobShard.parse("2/3")).isEqualTo(JobShard.of(2, 3));
    assertThat(JobShard.parse(" 1/1 ").toString()).isEqualTo("1/1");
    for (String bad :
        List.of("3/2", "0/2", "1/0", "0/0", "-1/2", "a/b", "2", "1/2/3", "", "1 /2")) {
      assertThatThrownBy(() -> JobShard.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(bad.strip().isEmpty() ? "not a shard" : bad);
    }
    assertThatThrownBy(() -> JobShard.of(4, 3)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> JsonlJob.builder(client, JobFiles.of(in, dir.resolve("o.jsonl"))).shard(0, 3))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theShardsAreAboutEven() {
    int[] counts = new int[4];
    for (int i = 0; i < 40_000; i++) {
      counts[JobShard.indexOf("id-" + i, 4) - 1]++;
    }
    for (int c : counts) {
      assertThat(c).isBetween(9_500, 10_500);
    }
  }

  // ---- sharded jobs

  @Test
  void theShardsPartitionTheInputExactly() throws Exception {
    Map<String, Integer> all = new HashMap<>();
    long planned = 0;
    List<Path> outs = new ArrayList<>();
    for (int k = 1; k <= 3; k++) {
      Path out = dir.resolve("out-" + k + ".jsonl");
      outs.add(out);
      JsonlJob job = job(out, JobShard.of(k, 3));
      JobPlan plan = job.prepare();
      assertThat(plan.isValid()).isTrue();
      assertThat(plan.shard()).isEqualTo(JobShard.of(k, 3));
      assertThat(plan.remaining() + plan.input().otherShards()).isEqualTo(30);
      assertThat(plan.estimate().totalRequests()).isEqualTo(plan.remaining());
      assertThat(plan.input().models().values().stream().mapToLong(Long::longValue).sum())
          .isEqualTo(plan.remaining());
      planned += plan.remaining();
      JobSummary s = job.run(plan);
      assertThat(s.succeeded()).isEqualTo(plan.remaining());
      int shard = k;
      Map<String, Integer> ids = JsonlJobTest.ids(out, JobFiles.defaultErrors(out));
      assertThat(ids.keySet())
          .allSatisfy(id -> assertThat(JobShard.indexOf(id, 3)).isEqualTo(shard));
      ids.forEach((id, n) -> all.merge(id, n, Integer::sum));
    }
    assertThat(planned).isEqualTo(30);
    assertThat(all).hasSize(30).allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
    assertThat(sim.statsWithoutLog().requests()).isEqualTo(30);
    // shard sizes as computed by the documented hash (q0..q29 over 3: 10, 11, 9)
    assertThat(List.of(outs.get(0), outs.get(1), outs.get(2)).stream().map(this::lines))
        .containsExactly(10L, 11L, 9L);
  }

  @Test
  void aShardResumesFromItsOwnOutput() throws Exception {
    Path out = dir.resolve("out-2.jsonl");
    JsonlJob first = job(out, JobShard.of(2, 3));
    first.run(first.prepare());
    // keep the first 4 of its 11 lines, as if killed
    List<String> lines = Files.readAllLines(out);
    assertThat(lines).hasSize(11);
    Files.write(out, lines.subList(0, 4));
    long before = sim.statsWithoutLog().requests();

    JsonlJob again = job(out, JobShard.of(2, 3));
    JobPlan plan = again.prepare();
    assertThat(plan.alreadyDone()).isEqualTo(4);
    assertThat(plan.remaining()).isEqualTo(7);
    assertThat(plan.input().otherShards()).isEqualTo(19);
    assertThat(plan.otherShardResults()).isZero();
    assertThat(plan.estimate().totalRequests()).isEqualTo(7);
    assertThat(again.run(plan).succeeded()).isEqualTo(7);
    assertThat(sim.statsWithoutLog().requests() - before).isEqualTo(7);
    assertThat(JsonlJobTest.ids(out)).hasSize(11).allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
  }

  @Test
  void anOutputOfAnotherShardIsCounted() {
    Path out = dir.resolve("out-1.jsonl");
    JsonlJob first = job(out, JobShard.of(1, 3));
    first.run(first.prepare());
    JobPlan wrong = job(out, JobShard.of(2, 3)).prepare();
    assertThat(wrong.otherShardResults()).isEqualTo(10);
    assertThat(wrong.alreadyDone()).isZero();
    // without a shard, a shard's output is a partial output of the whole input: resumable
    JobPlan whole = job(out, null).prepare();
    assertThat(whole.otherShardResults()).isZero();
    assertThat(whole.alreadyDone()).isEqualTo(10);
    assertThat(whole.remaining()).isEqualTo(20);
  }

  @Test
  void everyShardValidatesTheWholeFile() throws Exception {
    Files.writeString(
        in, Files.readString(in) + "{\"custom_id\":\"q1\",\"prompt\":\"de novo\"}\n{\"prompt\":\n");
    for (int k = 1; k <= 3; k++) {
      JobPlan plan = job(dir.resolve("o" + k + ".jsonl"), JobShard.of(k, 3)).prepare();
      assertThat(plan.isValid()).as("shard %d", k).isFalse();
      assertThat(plan.input().problemCount()).isEqualTo(2);
    }
    assertThat(sim.statsWithoutLog().requests()).isZero();
  }

  @Test
  void aPlanOfAnotherShardIsRefused() {
    JobFiles files = JobFiles.of(in, dir.resolve("out.jsonl"));
    JobPlan plan = JsonlJob.builder(client, files).shard(1, 2).build().prepare();
    assertThatThrownBy(() -> JsonlJob.builder(client, files).shard(2, 2).build().run(plan))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("another job");
  }

  @Test
  void theStaticEstimateTakesAShard() {
    InputEstimate whole = JsonlJob.estimate(client, in, 100, PricingMode.STANDARD);
    InputEstimate third =
        JsonlJob.estimate(client, in, 100, PricingMode.STANDARD, JobShard.of(3, 3));
    assertThat(whole.input().otherShards()).isZero();
    assertThat(third.input().requests()).isEqualTo(9);
    assertThat(third.input().otherShards()).isEqualTo(21);
    assertThat(third.estimate().totalRequests()).isEqualTo(9);
    assertThat(third.estimate().totalOutputTokens()).isEqualTo(9 * 20); // the client's maxTokens
    assertThat(whole.estimate().totalCost()).isGreaterThan(third.estimate().totalCost());
  }

  @Test
  void aShardsPlanSubmittedToTheBatchApiSubmitsThatShardOnly() throws Exception {
    Path out = dir.resolve("out-3.jsonl");
    JobPlan plan = job(out, JobShard.of(3, 3)).prepare();
    BatchApiJob batches = new BatchApiJob(client, dir.resolve("state"));
    BatchApiJobState s = batches.submit(plan, null);
    assertThat(s.totalLines()).isEqualTo(9);
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!s.isTerminal() && System.nanoTime() < deadline) {
      Thread.sleep(50);
      s = batches.refresh(s);
    }
    batches.downloadResults(s);
    assertThat(JsonlJobTest.ids(out).keySet())
        .hasSize(9)
        .allSatisfy(id -> assertThat(JobShard.indexOf(id, 3)).isEqualTo(3));
  }

  private long lines(Path f) {
    try (var s = Files.lines(f)) {
      return s.count();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
