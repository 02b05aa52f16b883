package io.github.maritaca4j.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.ChatRequest;
import io.github.maritaca4j.TestClocks;
import io.github.maritaca4j.batch.BatchItem;
import io.github.maritaca4j.batch.BatchOptions;
import io.github.maritaca4j.cost.CostEstimate;
import io.github.maritaca4j.cost.PricingMode;
import io.github.maritaca4j.errors.JobException;
import io.github.maritaca4j.simulator.Latency;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the CLI needs of the jobs, through public API only: an estimate without a job, the lock held
 * across prepare and run, the request of each written item.
 */
class JsonlJobApiTest {
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
    JsonlJobTest.writeInput(in, 12);
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  @Test
  void estimatesAFileWithoutAJobAsPrepareDoes() {
    InputEstimate e = JsonlJob.estimate(client, in, 1000, PricingMode.BATCH);
    assertThat(e.isValid()).isTrue();
    assertThat(e.input().requests()).isEqualTo(12);
    assertThat(e.input().models()).isEqualTo(Map.of("sabiazinho-4", 12L));
    assertThat(e.input().ignoredFields()).isEmpty();
    CostEstimate c = e.estimate();
    assertThat(c.totalRequests()).isEqualTo(12);
    assertThat(c.totalOutputTokens()).isEqualTo(12 * 50); // the client's max tokens
    assertThat(c.pricingMode()).isEqualTo(PricingMode.BATCH);

    CostEstimate planned =
        JsonlJob.builder(client, JobFiles.of(in, out))
            .pricingMode(PricingMode.BATCH)
            .build()
            .prepare()
            .estimate();
    assertThat(c.totalInputTokens()).isEqualTo(planned.totalInputTokens());
    assertThat(c.totalCost()).isEqualByComparingTo(planned.totalCost());
    assertThat(sim.stats().requests()).isZero();
    assertThat(Files.exists(out)).isFalse();
  }

  @Test
  void anInvalidFileHasProblemsAndNoEstimate() throws Exception {
    Files.writeString(
        in, "nope\n{\"custom_id\":\"q1\",\"prompt\":\"again\"}\n", StandardOpenOption.APPEND);
    InputEstimate e = JsonlJob.estimate(client, in, 1000, PricingMode.STANDARD);
    assertThat(e.isValid()).isFalse();
    assertThat(e.estimate()).isNull();
    assertThat(e.input().problemCount()).isEqualTo(2);
    assertThat(e.input().problems())
        .extracting(InputProblem::line, InputProblem::kind)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(13L, InputProblem.Kind.MALFORMED_JSON),
            org.assertj.core.groups.Tuple.tuple(14L, InputProblem.Kind.DUPLICATE_CUSTOM_ID));
    assertThat(e.input().describe()).contains("2 problems").contains("line 13");
    assertThatThrownBy(() -> JsonlJob.estimate(client, dir.resolve("none"), 10, PricingMode.FLEX))
        .isInstanceOf(JobException.class)
        .hasMessageContaining("not found");
    assertThatThrownBy(() -> JsonlJob.estimate(client, in, -1, PricingMode.FLEX))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theLockIsExclusiveUntilClosed() {
    JsonlJob job = JsonlJob.builder(client, JobFiles.of(in, out)).build();
    JsonlJob other = JsonlJob.builder(client, JobFiles.of(in, out)).build();
    try (JobLock lock = job.lock()) {
      assertThatThrownBy(other::lock)
          .isInstanceOf(JobException.class)
          .hasMessageContaining("is in use by another maritaca command");
      JobSummary s = job.run(job.prepare());
      assertThat(s.succeeded()).isEqualTo(12);
    }
    try (JobLock again = other.lock()) {
      assertThat(other.prepare().alreadyDone()).isEqualTo(12);
    }
  }

  @Test
  void theListenerIsToldTheRequestOfEachWrittenItem() {
    Map<String, ChatRequest> asked = new ConcurrentHashMap<>();
    Map<String, Boolean> twoArguments = new ConcurrentHashMap<>();
    JsonlJob job =
        JsonlJob.builder(client, JobFiles.of(in, out))
            .options(BatchOptions.builder().maxConcurrency(4).build())
            .listener(
                new JobListener() {
                  @Override
                  public void onItemWritten(String customId, ChatRequest request, BatchItem item) {
                    asked.put(customId, request);
                    JobListener.super.onItemWritten(customId, request, item);
                  }

                  @Override
                  public void onItemWritten(String customId, BatchItem item) {
                    twoArguments.put(customId, item.isSuccess());
                  }
                })
            .build();
    job.run(job.prepare());
    assertThat(asked).hasSize(12);
    assertThat(twoArguments).hasSize(12).containsValue(true).doesNotContainValue(false);
    ChatRequest r = asked.get("q7");
    assertThat(r.model()).isEqualTo("sabiazinho-4");
    assertThat(r.maxTokens()).isEqualTo(50);
    List<String> texts = r.messages().stream().map(m -> m.text()).toList();
    assertThat(texts).containsExactly("Pergunta número 7?");
  }
}
