package io.github.maritaca4j.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.Message;
import io.github.maritaca4j.TestClocks;
import io.github.maritaca4j.batch.RateLimits;
import io.github.maritaca4j.cost.PriceTable;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The planner's arithmetic, checked against figures computed by hand from Maritaca's published
 * prices (sabia-4: R$ 5 input, R$ 20 output, R$ 1.25 cached input per million tokens) and tier
 * limits.
 */
class JobPlannerTest {
  /** Wednesday 12:00 in Brasília. */
  static final Instant NOON = TestClocks.PEAK;

  /** 1,000 requests, 1M input tokens, 500k output tokens (also at most), 4M characters, 5 MB. */
  static final JobProfile.ModelWork SABIA =
      new JobProfile.ModelWork("sabia-4", 1000, 1_000_000, 500_000, 500_000, 0, 4_000_000, 5 << 20);

  static JobPlanner.Builder planner(Instant now) {
    return JobPlanner.builder(PriceTable.defaults())
        .clock(Clock.fixed(now, ZoneOffset.UTC))
        .limits(m -> RateLimits.tier(1, m));
  }

  static BigDecimal brl(String s) {
    return new BigDecimal(s);
  }

  @Test
  void pricesEveryWayAndTimesItByTheSlowestLimit() {
    JobPlannerResult r = planner(NOON).build().plan(JobProfile.of(SABIA));

    // tier 1: 1,000 RPM -> 1 min; 2M TPM in -> 0.5 min; 200k TPM out -> 2.5 min: TPM out decides
    WayEstimate now = r.way(RunWay.REALTIME_NOW);
    assertThat(now.sendingTime()).isEqualTo(Duration.ofSeconds(150));
    assertThat(now.limitedBy()).isEqualTo("TPM out of sabia-4");
    assertThat(now.finish()).isEqualTo(NOON.plusSeconds(150));
    // 1M x 5 + 0.5M x 20 = 5 + 10; worst: 1.1M x 5 + 10
    assertThat(now.cost()).isEqualByComparingTo("15");
    assertThat(now.worstCaseCost()).isEqualByComparingTo("15.5");
    assertThat(now.cacheSavings()).isEqualByComparingTo("0");

    // off-peak: 70 %, starts 22:00 Brasília = 01:00 UTC the next day
    WayEstimate off = r.way(RunWay.REALTIME_OFF_PEAK);
    assertThat(off.cost()).isEqualByComparingTo("10.5");
    assertThat(off.worstCaseCost()).isEqualByComparingTo("10.85");
    assertThat(off.start()).isEqualTo(Instant.parse("2026-01-08T01:00:00Z"));
    assertThat(off.finish()).isEqualTo(Instant.parse("2026-01-08T01:02:30Z"));

    // flex and Batch API: 50 %
    assertThat(r.way(RunWay.FLEX).cost()).isEqualByComparingTo("7.5");
    assertThat(r.way(RunWay.FLEX).worstCaseCost()).isEqualByComparingTo("7.75");
    assertThat(r.way(RunWay.FLEX).finish()).isEqualTo(NOON.plusSeconds(150));
    WayEstimate batch = r.way(RunWay.BATCH_API);
    assertThat(batch.cost()).isEqualByComparingTo("7.5");
    assertThat(batch.sendingTime()).isEqualTo(Duration.ofHours(24));
    assertThat(batch.finish()).isEqualTo(NOON.plus(Duration.ofHours(24)));
    assertThat(batch.notes().get(0)).startsWith("1 input file");

    // flex and the Batch API cost the same; flex is done first
    assertThat(r.recommended()).isEqualTo(RunWay.FLEX);
    assertThat(r.reason()).contains("cheapest").contains("done sooner");
    assertThat(r.ways()).extracting(WayEstimate::meetsDeadline).containsOnlyNulls();
  }

  @Test
  void theLikelyCacheHitsCostAQuarterAndNoModeDiscount() {
    JobProfile.ModelWork cached =
        new JobProfile.ModelWork(
            "sabia-4", 1000, 1_000_000, 500_000, 500_000, 400_000, 4_000_000, 5 << 20);
    JobPlannerResult r = planner(NOON).build().plan(JobProfile.of(cached));
    // flex: 600k x 2.5 + 400k x 1.25 + 500k x 10 = 1.5 + 0.5 + 5
    assertThat(r.way(RunWay.FLEX).cost()).isEqualByComparingTo("7.0");
    assertThat(r.way(RunWay.FLEX).cacheSavings()).isEqualByComparingTo("0.5");
    // standard: 600k x 5 + 0.5 + 10
    assertThat(r.way(RunWay.REALTIME_NOW).cost()).isEqualByComparingTo("13.5");
    assertThat(r.way(RunWay.REALTIME_NOW).cacheSavings()).isEqualByComparingTo("1.5");
    // the worst case assumes nothing cached
    assertThat(r.way(RunWay.REALTIME_NOW).worstCaseCost()).isEqualByComparingTo("15.5");
    // the Batch API assumes no cache
    assertThat(r.way(RunWay.BATCH_API).cost()).isEqualByComparingTo("7.5");
    assertThat(r.recommended()).isEqualTo(RunWay.FLEX);
  }

  @Test
  void aDeadlineRulesOutTheWaysThatFinishLater() {
    JobPlannerResult r =
        planner(NOON).deadline(NOON.plus(Duration.ofHours(2))).build().plan(JobProfile.of(SABIA));
    assertThat(r.way(RunWay.REALTIME_NOW).meetsDeadline()).isTrue();
    assertThat(r.way(RunWay.FLEX).meetsDeadline()).isTrue();
    assertThat(r.way(RunWay.REALTIME_OFF_PEAK).meetsDeadline()).isFalse();
    assertThat(r.way(RunWay.BATCH_API).meetsDeadline()).isFalse();
    assertThat(r.recommended()).isEqualTo(RunWay.FLEX);
    assertThat(r.reason()).contains("finishes by the deadline");
  }

  @Test
  void theBatchApiMeetsADeadlineAtTheEndOfItsWindowAndFlexIsOverBudget() {
    // the real-time ways' time is unknown without limits; the Batch API's is its 24 h window
    JobPlannerResult r =
        JobPlanner.builder(PriceTable.defaults())
            .clock(Clock.fixed(NOON, ZoneOffset.UTC))
            .deadline(NOON.plus(Duration.ofHours(24)))
            .build()
            .plan(JobProfile.of(SABIA));
    assertThat(r.way(RunWay.FLEX).sendingTime()).isNull();
    assertThat(r.way(RunWay.FLEX).meetsDeadline()).isNull();
    assertThat(r.way(RunWay.FLEX).limitedBy()).contains("no rate limits known");
    assertThat(r.way(RunWay.BATCH_API).meetsDeadline()).isTrue();
    assertThat(r.recommended()).isEqualTo(RunWay.BATCH_API);
    assertThat(r.reason()).startsWith("the only way that finishes by the deadline");
  }

  @Test
  void whenNothingFitsTheBudgetTheCheapestOnTimeIsRecommended() {
    JobPlannerResult r =
        planner(NOON)
            .deadline(NOON.plus(Duration.ofHours(2)))
            .budget(brl("7"))
            .build()
            .plan(JobProfile.of(SABIA));
    assertThat(r.ways()).extracting(WayEstimate::withinBudget).containsOnly(false);
    assertThat(r.recommended()).isEqualTo(RunWay.FLEX);
    assertThat(r.reason()).startsWith("no way fits the budget of R$ 7");
  }

  @Test
  void aBudgetAloneKeepsTheWaysThatFitIt() {
    JobPlannerResult r = planner(NOON).budget(brl("12")).build().plan(JobProfile.of(SABIA));
    assertThat(r.way(RunWay.REALTIME_NOW).withinBudget()).isFalse(); // 15
    assertThat(r.way(RunWay.REALTIME_OFF_PEAK).withinBudget()).isTrue(); // 10.5
    assertThat(r.recommended()).isEqualTo(RunWay.FLEX);
    assertThat(r.reason()).contains("fits the budget");
  }

  @Test
  void offPeakGoesOnNightAfterNight() {
    // tier 0: 60 RPM; 36,000 requests take 600 min = 10 h, two nights of 8 h windows
    JobProfile.ModelWork many =
        new JobProfile.ModelWork("sabia-4", 36_000, 36_000, 0, 0, 0, 100, 100);
    JobPlannerResult r =
        JobPlanner.builder(PriceTable.defaults())
            .clock(Clock.fixed(NOON, ZoneOffset.UTC))
            .limits(m -> RateLimits.tier(0, m))
            .build()
            .plan(JobProfile.of(many));
    WayEstimate off = r.way(RunWay.REALTIME_OFF_PEAK);
    assertThat(off.sendingTime()).isEqualTo(Duration.ofHours(10));
    assertThat(off.limitedBy()).isEqualTo("RPM of sabia-4");
    // 8 h the first night (01:00-09:00 UTC), the last 2 h the next night from 01:00 UTC
    assertThat(off.finish()).isEqualTo(Instant.parse("2026-01-09T03:00:00Z"));
    assertThat(off.notes()).anyMatch(n -> n.contains("more than one night"));
  }

  @Test
  void realTimeNowIsPricedByTheShareOfItsHoursThatAreOffPeak() {
    JobProfile.ModelWork many =
        new JobProfile.ModelWork("sabia-4", 36_000, 36_000, 0, 0, 0, 100, 100);
    // 20:00 Brasília + 10 h = 06:00: 8 of the 10 hours are off-peak
    Instant eight = Instant.parse("2026-01-07T23:00:00Z");
    JobPlannerResult r =
        JobPlanner.builder(PriceTable.defaults())
            .clock(Clock.fixed(eight, ZoneOffset.UTC))
            .limits(m -> RateLimits.tier(0, m))
            .build()
            .plan(JobProfile.of(many));
    // standard 36,000 x 5 / 1M = 0.18; off-peak 0.126; 0.8 x 0.126 + 0.2 x 0.18 = 0.1368
    assertThat(r.way(RunWay.REALTIME_NOW).cost()).isEqualByComparingTo("0.1368");
    assertThat(r.way(RunWay.REALTIME_NOW).notes())
        .containsExactly("80 % of the sending time falls in off-peak hours (priced so)");
  }

  @Test
  void theBatchApiSplitsFilesAndSpreadsTheDailyCharacterQuota() {
    // 120,000 requests in 3 files of at most 50,000; 10M characters on tier 0 (4M a day): 3 days
    JobProfile.ModelWork big =
        new JobProfile.ModelWork("sabiazinho-4", 120_000, 1000, 1000, 1000, 0, 10_000_000, 1000);
    JobPlannerResult r =
        planner(NOON).batchQuota(BatchApiQuota.forTier(0)).build().plan(JobProfile.of(big));
    WayEstimate b = r.way(RunWay.BATCH_API);
    assertThat(b.notes().get(0)).startsWith("3 input files");
    assertThat(b.sendingTime()).isEqualTo(Duration.ofHours(72));
    assertThat(b.limitedBy()).isEqualTo("the daily character quota");
    assertThat(b.notes()).anyMatch(n -> n.contains("submitted over 3 days"));
  }

  @Test
  void aSmallInFlightCapCanBeTheSlowestLimit() {
    // 1,000 requests, 5 in flight, 3 s answers: 1,000 x 3 s / 5 = 600 s, slower than TPM out's 150
    // s
    JobPlannerResult r =
        planner(NOON).concurrency(5, Duration.ofSeconds(3)).build().plan(JobProfile.of(SABIA));
    assertThat(r.way(RunWay.REALTIME_NOW).sendingTime()).isEqualTo(Duration.ofSeconds(600));
    assertThat(r.way(RunWay.REALTIME_NOW).limitedBy())
        .isEqualTo("concurrency: 5 in flight, answers of 3000 ms");
    // 100 in flight: 30 s, so TPM out decides again
    JobPlannerResult wide =
        planner(NOON).concurrency(100, Duration.ofSeconds(3)).build().plan(JobProfile.of(SABIA));
    assertThat(wide.way(RunWay.FLEX).limitedBy()).isEqualTo("TPM out of sabia-4");
  }

  @Test
  void aKnownBurstIsSentAtOnce() {
    // 60 RPM with a 10 s burst: the first 10 requests go at once, the other 50 take 50 s
    assertThat(JobPlanner.millis(60, 60, Duration.ofSeconds(10))).isEqualTo(50_000);
    assertThat(JobPlanner.millis(60, 60, null)).isEqualTo(60_000);
    assertThat(JobPlanner.millis(60, 0, null)).isZero();
  }

  @Test
  void aDeadlineInThePastIsRefused() {
    assertThatThrownBy(
            () -> planner(NOON).deadline(NOON.minusSeconds(1)).build().plan(JobProfile.of(SABIA)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not in the future");
  }

  @Test
  void theLibraryExampleOfCostMdRuns(@TempDir Path dir) throws Exception {
    ChatMaritaca client =
        ChatMaritaca.builder().apiKey("k").model("sabia-4").maxTokens(300).build();
    Path input = dir.resolve("in.jsonl");
    Files.writeString(input, "{\"custom_id\":\"a\",\"prompt\":\"Olá\"}\n");
    Clock clock = Clock.fixed(NOON, ZoneOffset.UTC);
    Instant deadline = NOON.plus(Duration.ofHours(8));
    // docs:begin plan-library
    JobProfile profile = JobProfile.scan(client, input, 500); // reads the file; sends nothing
    JobPlannerResult plan =
        JobPlanner.builder(client.priceTable())
            .limits(model -> RateLimits.tier(1, model))
            .batchQuota(BatchApiQuota.forTier(1))
            .deadline(deadline)
            .budget(new BigDecimal("50"))
            .clock(clock) // docs:omit
            .build()
            .plan(profile);
    RunWay way = plan.recommended(); // FLEX, say
    String why = plan.reason();
    WayEstimate batchApi = plan.way(RunWay.BATCH_API); // cost(), worstCaseCost(), finish()...
    // docs:end
    assertThat(way).isEqualTo(RunWay.FLEX);
    assertThat(why).isNotBlank();
    assertThat(batchApi.meetsDeadline()).isFalse();
    io.github.maritaca4j.testing.DocSnippets.assertPageShowsRegions(
        Path.of("src/test/java/io/github/maritaca4j/jobs/JobPlannerTest.java"),
        Path.of("../docs/cost.md"));
  }

  @Test
  void scanningAFileCountsTheRepeatedSystemPromptAsLikelyCached(@TempDir Path dir)
      throws Exception {
    ChatMaritaca client =
        ChatMaritaca.builder().apiKey("k").model("sabia-4").maxTokens(100).build();
    String system = "Você é um assistente que responde em português. ".repeat(150);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      lines.add(
          "{\"custom_id\":\"r"
              + i
              + "\",\"body\":{\"messages\":[{\"role\":\"system\",\"content\":\""
              + system
              + "\"},{\"role\":\"user\",\"content\":\"pergunta "
              + i
              + "\"}]}}");
    }
    lines.add(
        "{\"custom_id\":\"x\",\"body\":{\"messages\":[{\"role\":\"user\",\"content\":\"oi\"}]}}");
    Path in = dir.resolve("in.jsonl");
    Files.write(in, lines);
    JobProfile p = JobProfile.scan(client, in, 500);
    assertThat(p.isValid()).isTrue();
    JobProfile.ModelWork m = p.models().get(0);
    long prefix = client.costEstimator().counter().countMessages(List.of(Message.system(system)));
    assertThat(prefix).isGreaterThanOrEqualTo(JobProfile.LIKELY_CACHED_MIN_TOKENS);
    assertThat(m.requests()).isEqualTo(4);
    assertThat(m.likelyCachedTokens()).isEqualTo(2 * prefix); // the 2nd and 3rd
    assertThat(m.outputTokens()).isEqualTo(400); // max_tokens 100 from the client's defaults
    assertThat(m.inputCharacters()).isEqualTo(3L * system.length() + 3 * "pergunta 0".length() + 2);
    assertThat(m.bytes()).isEqualTo(Files.size(in));
  }
}
