package io.github.maritaca4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.maritaca4j.TestClocks;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchPlanCommandTest {
  @TempDir Path dir;

  private CliRun.Result plan(String... args) {
    CliEnvironment env =
        CliEnvironment.of(Map.of(), dir).withClock(Clock.fixed(TestClocks.PEAK, ZoneOffset.UTC));
    String[] all = new String[args.length + 2];
    all[0] = "batch";
    all[1] = "plan";
    System.arraycopy(args, 0, all, 2, args.length);
    return CliRun.run(env, all);
  }

  private Path input(int n) throws Exception {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append("{\"custom_id\":\"q")
          .append(i)
          .append("\",\"body\":{\"model\":\"sabia-4\",\"max_tokens\":100,")
          .append("\"messages\":[{\"role\":\"user\",\"content\":\"Pergunta número ")
          .append(i)
          .append("?\"}]}}\n");
    }
    Path in = dir.resolve("in.jsonl");
    Files.writeString(in, sb.toString());
    return in;
  }

  private static Map<String, JsonNode> ways(JsonNode plan) {
    Map<String, JsonNode> m = new HashMap<>();
    plan.path("ways").forEach(w -> m.put(w.path("way").asText(), w));
    return m;
  }

  @Test
  void jsonHasEveryWayTimedByTheSlowestLimit() throws Exception {
    Path in = input(100);
    CliRun.Result r =
        plan(in.toString(), "--rpm", "60", "--tpm-in", "1000000", "--tpm-out", "1000000", "--json");
    assertThat(r.code()).as(r.toString()).isZero();
    JsonNode j = r.json();
    assertThat(j.path("requests").asLong()).isEqualTo(100);
    assertThat(j.path("output_tokens").asLong()).isEqualTo(10_000);
    Map<String, JsonNode> w = ways(j);
    assertThat(w.keySet())
        .containsExactlyInAnyOrder("realtime_now", "realtime_off_peak", "flex", "batch_api");
    // 100 requests at 60 RPM: 100 s; the token limits would take far less
    assertThat(w.get("realtime_now").path("sending_time_ms").asLong()).isEqualTo(100_000);
    assertThat(w.get("realtime_now").path("limited_by").asText()).isEqualTo("RPM of sabia-4");
    assertThat(w.get("realtime_now").path("finish").asText())
        .isEqualTo(TestClocks.PEAK.plusSeconds(100).toString());
    BigDecimal standard = w.get("realtime_now").path("cost_brl").decimalValue();
    // the counts the plan shows, priced by hand: R$ 5 in and R$ 20 out per million
    BigDecimal byHand =
        BigDecimal.valueOf(j.path("input_tokens").asLong())
            .multiply(BigDecimal.valueOf(5))
            .add(BigDecimal.valueOf(10_000).multiply(BigDecimal.valueOf(20)))
            .movePointLeft(6);
    assertThat(standard).isEqualByComparingTo(byHand);
    assertThat(w.get("flex").path("cost_brl").decimalValue())
        .isEqualByComparingTo(byHand.multiply(new BigDecimal("0.5")));
    assertThat(w.get("realtime_off_peak").path("cost_brl").decimalValue())
        .isEqualByComparingTo(byHand.multiply(new BigDecimal("0.7")));
    assertThat(w.get("realtime_off_peak").path("start").asText())
        .isEqualTo("2026-01-08T01:00:00Z"); // 22:00 in Brasília
    assertThat(j.path("recommended").asText()).isEqualTo("flex");
    assertThat(j.path("reason").asText()).isNotBlank();
  }

  @Test
  void withAnAnswerTimeTheInFlightCapCounts() throws Exception {
    Path in = input(100);
    // 100 requests, 5 in flight, 3 s answers: 60 s; 1,000 RPM would take 6 s
    CliRun.Result r = plan(in.toString(), "--tier", "1", "-c", "5", "--answer-time", "3", "--json");
    assertThat(r.code()).as(r.toString()).isZero();
    JsonNode now = ways(r.json()).get("realtime_now");
    assertThat(now.path("sending_time_ms").asLong()).isEqualTo(60_000);
    assertThat(now.path("limited_by").asText()).startsWith("concurrency: 5 in flight");
  }

  @Test
  void aTimeOfDayDeadlineIsTheNextOneInBrasilia() throws Exception {
    Path in = input(10);
    CliRun.Result r = plan(in.toString(), "--tier", "1", "--deadline", "06:00", "--json");
    assertThat(r.code()).as(r.toString()).isZero();
    JsonNode j = r.json();
    assertThat(j.path("deadline").asText()).isEqualTo("2026-01-08T09:00:00Z");
    Map<String, JsonNode> w = ways(j);
    assertThat(w.get("batch_api").path("meets_deadline").asBoolean()).isFalse();
    assertThat(w.get("realtime_off_peak").path("meets_deadline").asBoolean()).isTrue();
    assertThat(w.get("flex").path("meets_deadline").asBoolean()).isTrue();
  }

  @Test
  void aDurationDeadlineAndABudgetAreChecked() throws Exception {
    Path in = input(10);
    CliRun.Result r =
        plan(in.toString(), "--tier", "1", "--deadline", "1d2h", "--budget", "1000", "--json");
    assertThat(r.code()).as(r.toString()).isZero();
    JsonNode j = r.json();
    assertThat(Instant.parse(j.path("deadline").asText()))
        .isEqualTo(TestClocks.PEAK.plusSeconds(26 * 3600));
    ways(j).values().forEach(w -> assertThat(w.path("within_budget").asBoolean()).isTrue());
    assertThat(ways(j).get("batch_api").path("meets_deadline").asBoolean()).isTrue();
  }

  @Test
  void aDeadlineInThePastIsAUsageError() throws Exception {
    Path in = input(3);
    CliRun.Result r = plan(in.toString(), "--deadline", "2026-01-07T08:00");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--deadline 2026-01-07T08:00 is in the past");
    CliRun.Result bad = plan(in.toString(), "--deadline", "tomorrow");
    assertThat(bad.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(bad.err()).contains("cannot read 'tomorrow'");
  }

  @Test
  void theTableNamesTheRecommendationAndHowToRunIt() throws Exception {
    Path in = input(10);
    CliRun.Result r = plan(in.toString(), "--tier", "0");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains("real time now")
        .contains("real time off-peak")
        .contains("Batch API")
        .contains("recommended: flex")
        .contains("maritaca batch run " + in + " -o OUTPUT --flex")
        .contains("limits: sabia-4: 60 RPM, 128,000 TPM in, 10,000 TPM out (tier 0)");
  }

  @Test
  void withoutLimitsTheRealTimeWaysHaveNoTime() throws Exception {
    Path in = input(10);
    CliRun.Result r = plan(in.toString(), "--json");
    assertThat(r.code()).as(r.toString()).isZero();
    JsonNode now = ways(r.json()).get("realtime_now");
    assertThat(now.path("sending_time_ms").isNull()).isTrue();
    assertThat(now.path("finish").isNull()).isTrue();
  }

  @Test
  void anInvalidInputIsReportedAndNothingIsPlanned() throws Exception {
    Path in = dir.resolve("bad.jsonl");
    Files.writeString(in, "{\"custom_id\":\"a\",\"prompt\":\"x\"}\nnot json\n");
    CliRun.Result r = plan(in.toString());
    assertThat(r.code()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(r.err()).contains("line 2");
  }
}
