package io.github.maritaca4j.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs one tiny scenario for every client through the real harness (simulator and clients in JVMs
 * of their own) and checks that each row is produced and sane. Speed figures are not asserted: they
 * belong to the benchmark's output, not to the build.
 */
class BenchSmokeTest {

  @Test
  void everyClientProducesASaneRowForATinyScenario() throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    Bench.Options options =
        Bench.Options.parse(
            new String[] {"--n", "24", "--reps", "1", "--warmup", "8", "S1-c50", "S7"});
    Bench.Report report;
    try (PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
      report = new Bench(options, out).run();
    }
    String printed = buf.toString(StandardCharsets.UTF_8);

    assertThat(report.rows)
        .extracting(Row::client)
        .containsExactlyInAnyOrder("maritaca4j", "langchain4j", "openai-java");
    for (Row r : report.rows) {
      assertThat(r.scenario()).isEqualTo("S1-c50");
      assertThat(r.n()).isEqualTo(24);
      assertThat(r.ok()).as(r.client() + " ok").isEqualTo(24);
      assertThat(r.failed()).as(r.client() + " failed").isZero();
      assertThat(r.serverRequests()).as(r.client() + " sent").isEqualTo(24);
      assertThat(r.server429()).isZero();
      assertThat(r.serverMaxInFlight()).isBetween(1, 24);
      assertThat(r.floorSeconds()).isEqualTo(24 * 0.2 / 50);
      assertThat(r.wallSeconds()).isGreaterThanOrEqualTo(0.2).isLessThan(60);
      assertThat(r.cpuSeconds()).isPositive();
      assertThat(printed).contains(r.format());
    }
    assertThat(report.estimatorRows).hasSize(1);
    EstimatorRow e = report.estimatorRows.get(0);
    assertThat(e.mbPerSecond()).isPositive();
    assertThat(e.estimateRequests()).isEqualTo(24);
    assertThat(printed).contains("== Targets").contains(Row.HEADER);
  }

  @Test
  void theSpringAiClientsAndInvokeProduceSaneRows() throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    Bench.Options options =
        Bench.Options.parse(
            new String[] {
              "--n",
              "24",
              "--reps",
              "1",
              "--warmup",
              "8",
              "--clients",
              "maritaca4j,maritaca4j-invoke,spring-ai-openai,maritaca4j-springai,"
                  + "maritaca4j-springai-batch",
              "S3"
            });
    Bench.Report report;
    try (PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
      report = new Bench(options, out).run();
    }
    String printed = buf.toString(StandardCharsets.UTF_8);

    assertThat(report.rows)
        .extracting(Row::client)
        .containsExactlyInAnyOrder(
            "maritaca4j",
            "maritaca4j-invoke",
            "spring-ai-openai",
            "maritaca4j-springai",
            "maritaca4j-springai-batch");
    for (Row r : report.rows) {
      // 24 requests fit in S3's 120-request burst: no 429; the injected 503s are retried
      assertThat(r.scenario()).isEqualTo("S3");
      assertThat(r.ok()).as(r.client() + " ok").isEqualTo(24);
      assertThat(r.failed()).as(r.client() + " failed").isZero();
      assertThat(r.serverRequests()).as(r.client() + " sent").isGreaterThanOrEqualTo(24);
      assertThat(r.server429()).isZero();
      assertThat(r.cpuSeconds()).isPositive();
      assertThat(printed).contains(r.format());
    }
    assertThat(printed)
        .contains("maritaca4j-springai: 0 failed")
        .contains("maritaca4j-springai-batch: 0 failed")
        .contains("springai-batch wall/floor <= 1.02 x maritaca4j's");
  }

  @Test
  void floorIsTheLargerOfConcurrencyAndBucket() {
    Scenario s2 = Scenario.catalogue().stream().filter(s -> s.id().equals("S2")).findFirst().get();
    // 600 requests, 1,200 RPM: the 6 s burst (120) at once, 480 at 20/s, plus one 200 ms latency
    assertThat(s2.floorSeconds(99)).isCloseTo(24.2, org.assertj.core.data.Offset.offset(1e-9));
    Scenario s4 = Scenario.catalogue().stream().filter(s -> s.id().equals("S4")).findFirst().get();
    // 300 x 200 tokens = 60,000 at 1,000 tokens/s after a 6,000-token burst
    assertThat(s4.floorSeconds(200)).isCloseTo(54.2, org.assertj.core.data.Offset.offset(1e-9));
    Scenario s3 = Scenario.catalogue().stream().filter(s -> s.id().equals("S3")).findFirst().get();
    // 600 answers need 600 / 0.95 admissions when 5 % of them are answered 503
    assertThat(s3.floorSeconds(99))
        .isCloseTo((600 / 0.95 - 120) / 20 + 0.2, org.assertj.core.data.Offset.offset(1e-9));
    Scenario s1 = Scenario.catalogue().get(0);
    assertThat(s1.floorSeconds(99)).isEqualTo(2_500 * 0.2 / 50);
    assertThat(List.of(s1.rateLimited(), s2.rateLimited())).containsExactly(false, true);
  }
}
