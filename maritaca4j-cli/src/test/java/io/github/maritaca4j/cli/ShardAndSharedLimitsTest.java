package io.github.maritaca4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.maritaca4j.jobs.JobFiles;
import io.github.maritaca4j.jobs.JobShard;
import io.github.maritaca4j.simulator.Latency;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import io.github.maritaca4j.simulator.RateLimit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code batch run --shard K/N} and {@code --shared-limits URL} (issue 12) over real HTTP against
 * the in-process simulator; the stores are {@link TestSharedLimitsProvider}'s.
 */
class ShardAndSharedLimitsTest {
  /** q0..q24 over 3 shards, by the documented hash: 8, 9 and 8 lines. */
  static final int[] SHARD_SIZES = {8, 9, 8};

  @TempDir Path dir;
  MaritacaSimulator sim;
  Path in;

  @BeforeEach
  void start() {
    sim =
        MaritacaSimulator.builder()
            .latency(Latency.fixed(Duration.ofMillis(5)))
            .defaultRateLimit(RateLimit.of(6000, 0, 0))
            .burst(Duration.ofSeconds(1))
            .start();
    in = dir.resolve("in.jsonl");
    CliRun.writeInput(in, 25);
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  private CliRun.Result run(Map<String, String> vars, Path out, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "batch",
                "run",
                in.toString(),
                "-o",
                out.toString(),
                "--base-url",
                sim.baseUrl(),
                "--max-tokens",
                "30",
                "--progress",
                "none"));
    args.addAll(List.of(extra));
    return CliRun.run(CliRun.env(vars, dir), args.toArray(String[]::new));
  }

  private CliRun.Result run(Path out, String... extra) {
    return run(Map.of("MARITACA_API_KEY", "test-key"), out, extra);
  }

  private static Path out(Path dir, int k) {
    return dir.resolve("out-" + k + ".jsonl");
  }

  // ---- --shard

  @Test
  void threeShardsRunAtOncePartitionTheInputExactly() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(3);
    List<Future<CliRun.Result>> runs = new ArrayList<>();
    try {
      for (int k = 1; k <= 3; k++) {
        int shard = k;
        runs.add(
            pool.submit(
                () ->
                    run(
                        out(dir, shard),
                        "--shard",
                        shard + "/3",
                        "--shared-limits",
                        "cli-test://partition",
                        "--rpm",
                        "6000")));
      }
      Map<String, Integer> union = new HashMap<>();
      for (int k = 1; k <= 3; k++) {
        CliRun.Result r = runs.get(k - 1).get();
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
        int n = SHARD_SIZES[k - 1];
        assertThat(r.err())
            .contains("shard " + k + "/3: " + n + " of the 25 requests of in.jsonl")
            .contains("estimate: " + n + " requests to sabia-4");
        assertThat(r.out()).contains("done: " + n + " ok, 0 failed of " + n);
        Path out = out(dir, k);
        Map<String, Integer> ids = CliRun.ids(out, JobFiles.defaultErrors(out));
        int shard = k;
        assertThat(ids).hasSize(n);
        assertThat(ids.keySet())
            .allSatisfy(id -> assertThat(JobShard.indexOf(id, 3)).as(id).isEqualTo(shard));
        ids.forEach((id, c) -> union.merge(id, c, Integer::sum));
      }
      assertThat(union).hasSize(25).allSatisfy((id, c) -> assertThat(c).as(id).isEqualTo(1));
      assertThat(sim.stats().requests()).isEqualTo(25);
    } finally {
      pool.shutdownNow();
    }
    TestSharedLimitsProvider.Store store = TestSharedLimitsProvider.store("partition");
    assertThat(store.calls()).as("every request took its tokens from the store").isPositive();
    assertThat(store.rpmSeen).as("--rpm is the account's limit, in the store").contains(6000L);
    assertThat(store.closed).isTrue();
  }

  @Test
  void aShardResumesFromItsOwnOutput() throws Exception {
    Path out = out(dir, 2);
    assertThat(run(out, "--shard", "2/3").code()).isEqualTo(ExitCodes.OK);
    List<String> lines = Files.readAllLines(out);
    assertThat(lines).hasSize(9);
    // as a kill leaves it: three whole lines and a torn one
    Files.writeString(
        out, String.join("\n", lines.subList(0, 3)) + "\n" + lines.get(3).substring(0, 30));
    sim.reset();
    CliRun.Result r = run(out, "--shard", "2/3", "--json");
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
    assertThat(r.err()).contains("repaired: cut 30 bytes").contains("resuming: 3 of 9");
    JsonNode j = r.json();
    assertThat(j.path("shard").asText()).isEqualTo("2/3");
    assertThat(j.path("other_shards").asLong()).isEqualTo(16);
    assertThat(j.path("already_done").asLong()).isEqualTo(3);
    assertThat(j.path("planned").asLong()).isEqualTo(6);
    assertThat(j.path("estimate").path("total_requests").asLong()).isEqualTo(6);
    assertThat(sim.stats().requests()).isEqualTo(6);
    assertThat(CliRun.ids(out))
        .hasSize(9)
        .allSatisfy((id, c) -> assertThat(JobShard.indexOf(id, 3)).isEqualTo(2));

    CliRun.Result again = run(out, "--shard", "2/3");
    assertThat(again.code()).isEqualTo(ExitCodes.OK);
    assertThat(again.out()).contains("nothing to do: every request of in.jsonl in shard 2/3");
    assertThat(sim.stats().requests()).isEqualTo(6);
  }

  @Test
  void anOutputOfAnotherShardIsRefusedAndNothingIsSent() throws Exception {
    Path first = out(dir, 1);
    assertThat(run(first, "--shard", "1/3").code()).isEqualTo(ExitCodes.OK);
    Path whole = dir.resolve("whole.jsonl");
    assertThat(run(whole).code()).isEqualTo(ExitCodes.OK);
    sim.reset();
    long before = Files.size(first);

    CliRun.Result wrong = run(first, "--shard", "2/3");
    assertThat(wrong.code()).as(wrong.toString()).isEqualTo(ExitCodes.ERROR);
    assertThat(wrong.err())
        .contains("holds 8 result(s) whose custom_id is not in shard 2/3")
        .contains("another shard")
        .contains("Nothing was sent");
    assertThat(wrong.err().strip().lines()).hasSize(1);

    CliRun.Result ofAll = run(whole, "--shard", "3/3");
    assertThat(ofAll.code()).as(ofAll.toString()).isEqualTo(ExitCodes.ERROR);
    assertThat(ofAll.err()).contains("holds 17 result(s) whose custom_id is not in shard 3/3");

    assertThat(sim.stats().requests()).isZero();
    assertThat(Files.size(first)).isEqualTo(before);
  }

  @Test
  void badShardsAreUsageErrors() {
    for (String bad : List.of("3/2", "0/2", "1/0", "2", "a/b", "-1/3", "1/2/3")) {
      CliRun.Result r = run(dir.resolve("o.jsonl"), "--shard", bad);
      assertThat(r.code()).as(bad + ": " + r).isEqualTo(ExitCodes.USAGE);
      assertThat(r.err()).contains("--shard").contains(bad).contains("--help");
      assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
    }
    assertThat(sim.stats().requests()).isZero();
    assertThat(Files.exists(dir.resolve("o.jsonl"))).isFalse();
    CliRun.Result estimate =
        CliRun.run(CliRun.env(dir), "batch", "estimate", in.toString(), "--shard", "4/3");
    assertThat(estimate.code()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void aShardWithNoLinesHasNothingToDo() throws Exception {
    CliRun.writeInput(in, 1); // q0: shard 1 of 3
    CliRun.Result r = run(out(dir, 2), "--shard", "2/3");
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
    assertThat(r.out()).contains("nothing to do: none of the 1 requests").contains("shard 2/3");
    assertThat(sim.stats().requests()).isZero();
  }

  @Test
  void theEstimateOfAShardCountsItsLinesOnly() {
    CliRun.Result j =
        CliRun.run(
            CliRun.env(Map.of(), dir),
            "batch",
            "estimate",
            in.toString(),
            "--shard",
            "2/3",
            "--max-output-tokens",
            "100",
            "--json");
    assertThat(j.code()).as(j.toString()).isEqualTo(ExitCodes.OK);
    assertThat(j.json().path("total_requests").asLong()).isEqualTo(9);
    assertThat(j.json().path("total_output_tokens").asLong()).isEqualTo(900);
    assertThat(j.json().path("shard").asText()).isEqualTo("2/3");
    assertThat(j.json().path("other_shards").asLong()).isEqualTo(16);
    assertThat(j.json().path("requests_by_model").path("sabia-4").asLong()).isEqualTo(9);

    CliRun.Result human =
        CliRun.run(CliRun.env(Map.of(), dir), "batch", "estimate", in.toString(), "--shard", "1/3");
    assertThat(human.code()).isEqualTo(ExitCodes.OK);
    assertThat(human.out()).contains("8 valid requests in shard 1/3 (of 25 in the file)");
  }

  // ---- --shared-limits

  @Test
  void aUrlNoProviderHandlesIsExitSixNamingItWithoutThePassword() {
    Path out = dir.resolve("o.jsonl");
    CliRun.Result r = run(out, "--shared-limits", "nosuch://admin:s3cr3t-pw@cache.local:6379/0");
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.API);
    assertThat(r.err())
        .startsWith("maritaca: --shared-limits: ")
        .contains("nosuch://***@cache.local:6379/0")
        .contains("nothing was sent")
        .doesNotContain("s3cr3t")
        .doesNotContain("Exception");
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(sim.stats().requests()).isZero();
    assertThat(Files.exists(out)).isFalse();
  }

  @Test
  void anUnreachableStoreIsExitSixAndNothingIsSent() {
    Path out = dir.resolve("o.jsonl");
    CliRun.Result down = run(out, "--shared-limits", "cli-test://:hunter2-pw@down:6379");
    assertThat(down.code()).as(down.toString()).isEqualTo(ExitCodes.API);
    assertThat(down.err())
        .contains("cannot reach cli-test://***@down:6379")
        .doesNotContain("hunter2");
    // a provider that puts the raw URL in its message: the password is masked all the same
    CliRun.Result careless = run(out, "--shared-limits", "cli-test://:hunter2-pw@careless:1");
    assertThat(careless.code()).as(careless.toString()).isEqualTo(ExitCodes.API);
    assertThat(careless.err()).contains("careless:1").doesNotContain("hunter2");
    assertThat(careless.err().strip().lines()).hasSize(1);
    assertThat(sim.stats().requests()).isZero();
    assertThat(Files.exists(out)).isFalse();
  }

  @Test
  void theEnvironmentVariableNamesTheStoreAndTheOptionWins() {
    Map<String, String> vars =
        Map.of("MARITACA_API_KEY", "test-key", "MARITACA_SHARED_LIMITS", "nosuch://h:1");
    CliRun.Result fromEnv = run(vars, dir.resolve("a.jsonl"));
    assertThat(fromEnv.code()).as(fromEnv.toString()).isEqualTo(ExitCodes.API);
    assertThat(fromEnv.err()).contains("MARITACA_SHARED_LIMITS: ").contains("nosuch://h:1");

    CliRun.Result option =
        run(vars, dir.resolve("b.jsonl"), "--shared-limits", "cli-test://env-wins", "--tier", "1");
    assertThat(option.code()).as(option.toString()).isEqualTo(ExitCodes.OK);
    assertThat(option.err()).contains("shared limits: cli-test://env-wins");
    TestSharedLimitsProvider.Store store = TestSharedLimitsProvider.store("env-wins");
    assertThat(store.rpmSeen).as("--tier 1: sabia-4's published 1,000 RPM").contains(1000L);
    assertThat(store.closed).isTrue();
  }

  @Test
  void aTierWithoutPublishedLimitsNeedsEveryLimit() {
    CliRun.Result r = run(dir.resolve("o.jsonl"), "--tier", "1", "-m", "sabia-4-thinking");
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--tier: no published rate limits for model 'sabia-4-thinking'");
  }
}
