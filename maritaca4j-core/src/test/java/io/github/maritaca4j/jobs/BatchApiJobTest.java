package io.github.maritaca4j.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.TestClocks;
import io.github.maritaca4j.batchapi.BatchStatus;
import io.github.maritaca4j.cost.PricingMode;
import io.github.maritaca4j.errors.JobException;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A job on the simulator's Batch API: split, upload, create, poll, download. */
class BatchApiJobTest {
  @TempDir Path dir;
  MaritacaSimulator sim;
  ChatMaritaca client;

  @BeforeEach
  void start() {
    sim = MaritacaSimulator.builder().batchPace(Duration.ofMillis(20)).start();
    client =
        ChatMaritaca.builder()
            .baseUrl(sim.baseUrl())
            .apiKey("test-key")
            .model("sabiazinho-4")
            .maxTokens(40)
            .clock(TestClocks.peak())
            .build();
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  private BatchApiJobState waitForIt(BatchApiJob jobs, BatchApiJobState s)
      throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!s.isTerminal() && System.nanoTime() < deadline) {
      Thread.sleep(50);
      s = jobs.refresh(s);
    }
    return s;
  }

  @Test
  void splitsByModelAndSizeThenDownloadsEveryResultOnce() throws Exception {
    Path in = dir.resolve("in.jsonl");
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 25; i++) {
      String model = i % 5 == 0 ? "sabia-4" : "sabiazinho-4";
      sb.append("{\"custom_id\":\"q")
          .append(i)
          .append("\",\"prompt\":\"Qual é a capital do Chile? ")
          .append(i)
          .append("\",\"model\":\"")
          .append(model)
          .append("\"}\n");
    }
    Files.writeString(in, sb.toString());
    Path out = dir.resolve("out.jsonl");
    BatchApiJob jobs = new BatchApiJob(client, dir.resolve("state")).limits(8, 1 << 20);
    JobPlan plan = jobs.prepare(JobFiles.of(in, out));
    assertThat(plan.estimate().pricingMode()).isEqualTo(PricingMode.BATCH);
    BatchApiJobState s = jobs.submit(plan, null);
    // 20 sabiazinho-4 lines in parts of 8 (8, 8, 4) and 5 sabia-4 lines (one part)
    assertThat(s.parts()).hasSize(4);
    assertThat(s.parts())
        .extracting(BatchApiJobState.Part::lines)
        .containsExactlyInAnyOrder(8L, 8L, 4L, 5L);
    assertThat(s.parts()).allSatisfy(p -> assertThat(p.batchId()).isNotNull());
    assertThat(s.jobId()).isEqualTo(BatchApiJob.jobId(in));
    assertThat(jobs.find(in.toString()).jobId()).isEqualTo(s.jobId());
    assertThat(jobs.find(s.jobId()).parts()).hasSize(4);
    assertThatThrownBy(() -> jobs.submit(jobs.prepare(JobFiles.of(in, out)), null))
        .isInstanceOf(JobException.class)
        .hasMessageContaining("already submitted");

    s = waitForIt(jobs, s);
    assertThat(s.parts())
        .allSatisfy(p -> assertThat(p.batchStatus()).isEqualTo(BatchStatus.COMPLETED));
    BatchApiResults r = jobs.downloadResults(s);
    assertThat(r.succeeded()).isEqualTo(25);
    assertThat(r.pendingParts()).isZero();
    assertThat(r.missing()).isZero();
    assertThat(r.state().isFinished()).isTrue();
    assertThat(JsonlJobTest.ids(out)).hasSize(25).allSatisfy((k, v) -> assertThat(v).isEqualTo(1));

    // again: nothing new, nothing doubled
    BatchApiResults again = jobs.downloadResults(r.state());
    assertThat(again.succeeded()).isZero();
    assertThat(JsonlJobTest.ids(out)).hasSize(25);

    // a new submission of the same input has nothing left to do
    JobPlan after = jobs.prepare(JobFiles.of(in, out));
    assertThat(after.remaining()).isZero();
  }

  @Test
  void resumesAnInterruptedSubmissionWithoutMakingASecondBatch() throws Exception {
    Path in = dir.resolve("in.jsonl");
    JsonlJobTest.writeInput(in, 6);
    Path out = dir.resolve("out.jsonl");
    BatchApiJob jobs = new BatchApiJob(client, dir.resolve("state"));
    BatchApiJobState s = jobs.submit(jobs.prepare(JobFiles.of(in, out)), null);
    String batchId = s.parts().get(0).batchId();
    // pretend the process died after the upload and the creation but before saving the batch id
    BatchApiJobState.Part p = s.parts().get(0);
    BatchApiJobState.Part uploadedOnly =
        new BatchApiJobState.Part(
            p.index(),
            p.model(),
            p.file(),
            p.lines(),
            p.bytes(),
            p.inputFileId(),
            null,
            null,
            0,
            0,
            0,
            null,
            null,
            false,
            null);
    s.with(uploadedOnly).save(jobs.stateFile(s.jobId()));
    BatchApiJobState resumed = jobs.submit(jobs.prepare(JobFiles.of(in, out)), null);
    assertThat(resumed.parts().get(0).batchId()).isEqualTo(batchId);
    assertThat(jobs.api().listBatches(100, null).data()).hasSize(1);
  }

  @Test
  void stampsTheJobWithTheClientsClock() throws Exception {
    Instant at = TestClocks.OFF_PEAK;
    client = client.toBuilder().clock(Clock.fixed(at, ZoneOffset.UTC)).build();
    Path in = dir.resolve("in.jsonl");
    JsonlJobTest.writeInput(in, 2);
    BatchApiJob jobs = new BatchApiJob(client, dir.resolve("state"));
    BatchApiJobState s = jobs.submit(jobs.prepare(JobFiles.of(in, dir.resolve("o.jsonl"))), null);
    assertThat(s.createdAt()).isEqualTo(at.getEpochSecond());
    assertThat(jobs.find(s.jobId()).createdAt()).isEqualTo(at.getEpochSecond());
  }

  @Test
  void cancelsRunningBatches() throws Exception {
    sim.close();
    sim = MaritacaSimulator.builder().batchPace(Duration.ofSeconds(5)).start();
    client = client.toBuilder().baseUrl(sim.baseUrl()).build();
    Path in = dir.resolve("in.jsonl");
    JsonlJobTest.writeInput(in, 3);
    BatchApiJob jobs = new BatchApiJob(client, dir.resolve("state"));
    BatchApiJobState s = jobs.submit(jobs.prepare(JobFiles.of(in, dir.resolve("o.jsonl"))), null);
    BatchApiJobState c = jobs.cancel(s);
    assertThat(c.parts().get(0).batchStatus()).isIn(BatchStatus.CANCELLING, BatchStatus.CANCELLED);
    assertThat(Map.of()).isEmpty();
  }
}
