package io.github.maritaca4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.maritaca4j.simulator.Latency;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code batch run --cache PATH}, deduplication and {@code --order} against the simulator. */
class CacheAndOrderCommandTest {
  @TempDir Path dir;
  MaritacaSimulator sim;
  Path in;

  @BeforeEach
  void start() {
    sim = MaritacaSimulator.builder().latency(Latency.fixed(Duration.ofMillis(5))).start();
    in = dir.resolve("in.jsonl");
    CliRun.writeInput(in, 20);
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  private CliRun.Result run(Path input, Path out, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "batch",
                "run",
                input.toString(),
                "-o",
                out.toString(),
                "--base-url",
                sim.baseUrl(),
                "--max-tokens",
                "40",
                "--progress",
                "none"));
    args.addAll(List.of(extra));
    return CliRun.run(CliRun.env(dir), args.toArray(String[]::new));
  }

  private static List<JsonNode> lines(Path f) throws Exception {
    List<JsonNode> l = new ArrayList<>();
    for (String s : Files.readAllLines(f)) {
      l.add(CliRun.JSON.readTree(s));
    }
    return l;
  }

  @Test
  void aSecondJobWithTheSameCacheSendsNothingAndCostsNothing() throws Exception {
    Path db = dir.resolve("cache/answers.db");
    CliRun.Result first = run(in, dir.resolve("a.jsonl"), "--cache", db.toString());
    assertThat(first.code()).as(first.toString()).isEqualTo(ExitCodes.OK);
    assertThat(sim.stats().ok()).isEqualTo(20);

    CliRun.Result second = run(in, dir.resolve("b.jsonl"), "--cache", db.toString(), "--json");
    assertThat(second.code()).as(second.toString()).isEqualTo(ExitCodes.OK);
    assertThat(sim.stats().ok()).as("nothing sent").isEqualTo(20);
    JsonNode j = second.json();
    assertThat(j.path("from_cache").asLong()).isEqualTo(20);
    assertThat(j.path("succeeded").asLong()).isEqualTo(20);
    assertThat(j.path("cost_brl").decimalValue()).isZero();
    assertThat(lines(dir.resolve("b.jsonl")))
        .hasSize(20)
        .allMatch(l -> l.path("from_cache").asBoolean());
    assertThat(CliRun.ids(dir.resolve("b.jsonl"))).hasSize(20);

    CliRun.Result text = run(in, dir.resolve("c.jsonl"), "--cache", db.toString());
    assertThat(text.out()).contains("reused: 20 answered from the cache, 0 duplicate(s)");
  }

  @Test
  void identicalLinesAreSentOnce() throws Exception {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 30; i++) {
      sb.append("{\"custom_id\":\"d")
          .append(i)
          .append("\",\"prompt\":\"Pergunta ")
          .append(i % 7)
          .append("\"}\n");
    }
    Path dupIn = Files.writeString(dir.resolve("dups.jsonl"), sb.toString());
    CliRun.Result r = run(dupIn, dir.resolve("d.jsonl"), "--json");
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
    assertThat(sim.stats().ok()).isEqualTo(7);
    assertThat(r.json().path("duplicates").asLong()).isEqualTo(23);
    assertThat(CliRun.ids(dir.resolve("d.jsonl"))).hasSize(30);

    CliRun.Result all = run(dupIn, dir.resolve("e.jsonl"), "--no-dedup");
    assertThat(all.code()).isEqualTo(ExitCodes.OK);
    assertThat(sim.stats().ok()).isEqualTo(7 + 30);
  }

  @Test
  void aCachePathThatCannotBeWrittenStopsBeforeAnythingIsSent() throws Exception {
    Path file = Files.writeString(dir.resolve("plain.txt"), "x");
    CliRun.Result r =
        run(in, dir.resolve("a.jsonl"), "--cache", file.resolve("answers.db").toString());
    assertThat(r.code()).isEqualTo(ExitCodes.ERROR);
    assertThat(r.err())
        .contains("cannot use " + file.resolve("answers.db") + " as the response cache");
    assertThat(sim.stats().requests()).isZero();
    assertThat(dir.resolve("a.jsonl")).doesNotExist();

    CliRun.Result notDb =
        run(
            in,
            dir.resolve("a.jsonl"),
            "--cache",
            Files.writeString(dir.resolve("x.db"), "not a db ".repeat(100)).toString());
    assertThat(notDb.code()).isEqualTo(ExitCodes.ERROR);
    assertThat(notDb.err()).contains("not a SQLite database");
    assertThat(sim.stats().requests()).isZero();
  }

  @Test
  void aBadOrderIsAUsageError() {
    CliRun.Result r = run(in, dir.resolve("a.jsonl"), "--order", "random");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("'random' is not an order: use prefix or input");
  }

  @Test
  void prefixOrderIsTheDefaultAndInputOrderTurnsItOff() throws Exception {
    sim.close();
    sim = MaritacaSimulator.builder().latency(Latency.fixed(Duration.ofMillis(120))).start();
    List<String> lines = new ArrayList<>();
    for (int g = 0; g < 4; g++) {
      String system =
          "Modelo " + g + ". " + "Classifique o texto sobre a floresta amazônica. ".repeat(120);
      for (int i = 0; i < 6; i++) {
        lines.add(
            CliRun.JSON.writeValueAsString(
                java.util.Map.of(
                    "custom_id",
                    "g" + g + "i" + i,
                    "body",
                    java.util.Map.of(
                        "messages",
                        List.of(
                            java.util.Map.of("role", "system", "content", system),
                            java.util.Map.of("role", "user", "content", "Texto " + i))))));
      }
    }
    // grouped input: in input order the six lines of a group leave together and pay in full
    Path grouped = Files.write(dir.resolve("grouped.jsonl"), lines);
    CliRun.Result prefix = run(grouped, dir.resolve("p.jsonl"), "--concurrency", "8", "--json");
    assertThat(prefix.code()).as(prefix.toString()).isEqualTo(ExitCodes.OK);
    long cachedPrefix = sim.stats().log().stream().filter(x -> x.cachedTokens() > 0).count();
    assertThat(cachedPrefix).isEqualTo(20);
    assertThat(prefix.json().path("cached_tokens").asLong()).isPositive();

    sim.reset();
    CliRun.Result input =
        run(grouped, dir.resolve("i.jsonl"), "--concurrency", "8", "--order", "input");
    assertThat(input.code()).isEqualTo(ExitCodes.OK);
    long cachedInput = sim.stats().log().stream().filter(x -> x.cachedTokens() > 0).count();
    assertThat(cachedInput).isLessThan(20);
  }
}
