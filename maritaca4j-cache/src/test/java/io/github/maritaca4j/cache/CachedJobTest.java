package io.github.maritaca4j.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.TestClocks;
import io.github.maritaca4j.batch.BatchOptions;
import io.github.maritaca4j.jobs.JobFiles;
import io.github.maritaca4j.jobs.JobSummary;
import io.github.maritaca4j.jobs.JsonlJob;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A job re-run on the simulator answers from the SQLite cache: nothing sent, zero cost. */
class CachedJobTest {
  @TempDir Path dir;

  @Test
  void aReRunIsAnsweredFromTheCacheFileAndSaysSo() throws Exception {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 25; i++) {
      sb.append("{\"custom_id\":\"r")
          .append(i)
          .append("\",\"prompt\":\"Quanto é ")
          .append(i)
          .append(" + 1?\"}\n");
    }
    Path in = Files.writeString(dir.resolve("in.jsonl"), sb.toString());
    Path db = dir.resolve("answers.db");
    try (MaritacaSimulator sim = MaritacaSimulator.start()) {
      ChatMaritaca client =
          ChatMaritaca.builder()
              .baseUrl(sim.baseUrl())
              .apiKey("k")
              .model("sabia-4")
              .maxTokens(40)
              .clock(TestClocks.peak())
              .build();
      JobSummary first;
      try (SqliteResponseCache cache = SqliteResponseCache.open(db)) {
        JsonlJob job =
            JsonlJob.builder(client, JobFiles.of(in, dir.resolve("a.jsonl")))
                .options(BatchOptions.withConcurrency(5))
                .cache(cache)
                .build();
        first = job.run(job.prepare());
        assertThat(cache.size()).isEqualTo(25);
      }
      assertThat(first.cost().total()).isPositive();
      assertThat(sim.stats().ok()).isEqualTo(25);

      try (SqliteResponseCache cache = SqliteResponseCache.open(db)) {
        JsonlJob job =
            JsonlJob.builder(client, JobFiles.of(in, dir.resolve("b.jsonl")))
                .options(BatchOptions.withConcurrency(5))
                .cache(cache)
                .build();
        JobSummary second = job.run(job.prepare());
        assertThat(second.succeeded()).isEqualTo(25);
        assertThat(second.cost().total()).isEqualByComparingTo(BigDecimal.ZERO);
      }
      assertThat(sim.stats().ok()).as("nothing sent the second time").isEqualTo(25);
    }
    ObjectMapper m = new ObjectMapper();
    List<JsonNode> lines = new ArrayList<>();
    for (String l : Files.readAllLines(dir.resolve("b.jsonl"))) {
      lines.add(m.readTree(l));
    }
    assertThat(lines).hasSize(25).allMatch(l -> l.path("from_cache").asBoolean());
  }
}
