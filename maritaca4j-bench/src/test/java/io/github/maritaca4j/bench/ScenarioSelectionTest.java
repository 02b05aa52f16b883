package io.github.maritaca4j.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The issue #12 scenarios (S2M, S8, S9): selection, repetitions, floors and targets, without runs.
 */
class ScenarioSelectionTest {

  private static List<String> selected(String... args) {
    Bench.Options o = Bench.Options.parse(args);
    return Scenario.catalogue().stream().filter(o::selected).map(Scenario::id).toList();
  }

  private static Scenario byId(String id) {
    return Scenario.catalogue().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void onlySelectsFamiliesIdsAndPrefixes() {
    assertThat(selected("--only", "S2M,S8"))
        .containsExactly(
            "S2M-a-b1-h",
            "S2M-a-b1-nh",
            "S2M-a-b6-h",
            "S2M-a-b6-nh",
            "S2M-b-b1",
            "S2M-b-b6",
            "S2M-c-b1",
            "S2M-c-b6",
            "S8");
    assertThat(selected("s2m-a")).hasSize(4).allMatch(id -> id.startsWith("S2M-a-"));
    assertThat(selected("S2")).containsExactly("S2");
    assertThat(selected("--only", "S2M-c-b6", "S1-c50")).containsExactly("S1-c50", "S2M-c-b6");
  }

  @Test
  void newScenariosRunOnceUnlessRepsIsGiven() {
    Bench.Options o = Bench.Options.parse(new String[] {"S2M"});
    assertThat(o.repsFor(byId("S2M-a-b1-h"))).isEqualTo(1);
    assertThat(o.repsFor(byId("S8"))).isEqualTo(1);
    assertThat(o.repsFor(byId("S2"))).isEqualTo(2);
    Bench.Options three = Bench.Options.parse(new String[] {"--reps", "3", "S2M"});
    assertThat(three.repsFor(byId("S2M-a-b1-h"))).isEqualTo(3);
    assertThat(Bench.Options.parse(new String[] {"--help"}).help).isTrue();
  }

  @Test
  void theFloorUsesTheSimulatorsRealBurst() {
    // 600 requests at 1,200 RPM: a 1 s burst is 20 requests, then 580 at 20/s, plus 200 ms
    assertThat(byId("S2M-a-b1-h").floorSeconds(99)).isCloseTo(29.2, offset(1e-9));
    assertThat(byId("S2M-c-b1").floorSeconds(99)).isCloseTo(29.2, offset(1e-9));
    // a 6 s burst is 120: S2's floor
    assertThat(byId("S2M-b-b6").floorSeconds(99)).isCloseTo(24.2, offset(1e-9));
    assertThat(Bench.simArgs(byId("S2M-a-b1-nh")))
        .containsSubsequence("--burst-ms", "1000")
        .containsSubsequence("--rate-limit-headers", "false");
    assertThat(byId("S2M-b-b1").variant().told()).isEqualTo(Scenario.Told.NONE);
    assertThat(byId("S2M-a-b6-h").variant().told()).isEqualTo(Scenario.Told.CLIENT);
    assertThat(byId("S2").variant()).isEqualTo(Scenario.Variant.DEFAULT);
  }

  @Test
  void targetsPerCase() {
    Bench.Report report = new Bench.Report();
    report.rows.add(row("S2M-a-b1-h", 30.0, 29.2, 6)); // 1.027, 1 % of 600
    report.rows.add(row("S2M-b-b6", 24.8, 24.2, 0)); // 1.025 > 1.02
    report.rows.add(row("S2M-c-b6", 25.3, 24.2, 18)); // 1.045, 3 %
    Row s8 = row("S8", 27.5, 27.1, 2);
    report.rows.add(s8);
    report.sharedRows.add(
        new SharedRow(s8, 600, 56, 0, 230, 260, 270, 2.0, 60, 270, 20.0, 27.4, 160, 150));
    List<String> lines = Targets.evaluate(report);
    assertThat(lines).anyMatch(l -> l.startsWith("S2M-a-b1-h") && l.contains(" MET "));
    assertThat(lines).anyMatch(l -> l.startsWith("S2M-b-b6") && l.contains("MISSED"));
    assertThat(lines).anyMatch(l -> l.startsWith("S2M-c-b6") && l.contains(" MET "));
    assertThat(lines).anyMatch(l -> l.startsWith("S8") && l.contains(" MET "));
  }

  @Test
  void onlyS9RunsTheFleetAndNothingElse() {
    assertThat(selected("--only", "S9")).containsExactly("S9");
    assertThat(selected("s9")).containsExactly("S9");
    assertThat(selected("--only", "S2M,S8")).doesNotContain("S9");
    Scenario s9 = byId("S9");
    assertThat(s9.kind()).isEqualTo(Scenario.Kind.FLEET);
    assertThat(Bench.Options.parse(new String[] {"S9"}).repsFor(s9)).isEqualTo(1);
    assertThat(Bench.Options.parse(new String[] {"--reps", "2", "--only", "S9"}).repsFor(s9))
        .isEqualTo(2);
    Bench.Options quiet =
        Bench.Options.parse(new String[] {"--only", "S9", "--reps", "2", "--wait-quiet", "120"});
    assertThat(quiet.waitQuietSeconds).isEqualTo(120);
    assertThat(quiet.select).containsExactly("S9");
  }

  @Test
  void s9IsThreeJvmsOf300TellingTheRpmAgainstA1SecondBurstWithoutHeaders() {
    Scenario s9 = byId("S9");
    assertThat(s9.n()).isEqualTo(FleetScenario.JVMS * 300);
    assertThat(s9.c()).isEqualTo(50);
    assertThat(s9.rpm()).isEqualTo(1_200);
    assertThat(s9.variant().told()).isEqualTo(Scenario.Told.CLIENT);
    assertThat(Bench.simArgs(s9))
        .containsSubsequence("--rpm", "1200")
        .containsSubsequence("--burst-ms", "1000")
        .containsSubsequence("--rate-limit-headers", "false");
    // 900 requests at 20/s after a 20-request burst, plus the last answer's 200 ms
    assertThat(s9.floorSeconds(99)).isCloseTo((900 - 20) / 20.0 + 0.2, offset(1e-9));

    Bench.Options o = Bench.Options.parse(new String[] {"--warmup", "100", "S9"});
    List<String> withRedis =
        FleetScenario.fleetArgs(s9, 300, 2, "http://m", "http://w", "redis://127.0.0.1:7", o);
    assertThat(withRedis)
        .containsSubsequence("--index", "2")
        .containsSubsequence("--n", "300")
        .containsSubsequence("--c", "50")
        .containsSubsequence("--rpm", "1200")
        .containsSubsequence("--warmup", "100")
        .containsSubsequence("--redis", "redis://127.0.0.1:7");
    assertThat(FleetScenario.fleetArgs(s9, 300, 0, "http://m", "http://w", null, o))
        .doesNotContain("--redis");
  }

  @Test
  void s9TargetAndItsContrast() {
    Bench.Report met = new Bench.Report();
    met.rows.add(fleetRow("S9", 46.0, 44.2, 9)); // 1.041, 1 % of 900
    met.rows.add(fleetRow(FleetScenario.NO_REDIS, 60.0, 44.2, 700));
    List<String> lines = Targets.evaluate(met);
    assertThat(lines).anyMatch(l -> l.startsWith("S9 ") && l.contains(" MET "));
    assertThat(lines)
        .anyMatch(l -> l.startsWith("S9-noredis") && l.contains("1.357, 0 failed, 700 429s"));
    Bench.Report missed = new Bench.Report();
    missed.rows.add(fleetRow("S9", 46.0, 44.2, 10)); // 10 > 1 % of 900
    assertThat(Targets.evaluate(missed)).anyMatch(l -> l.startsWith("S9 ") && l.contains("MISSED"));
    Bench.Report slow = new Bench.Report();
    slow.rows.add(fleetRow("S9", 46.5, 44.2, 0)); // 1.052
    assertThat(Targets.evaluate(slow)).anyMatch(l -> l.startsWith("S9 ") && l.contains("MISSED"));
  }

  private static Row fleetRow(String scenario, double wall, double floor, long limited) {
    return new Row(
        "maritaca4j",
        scenario,
        1,
        900,
        150,
        wall,
        floor,
        900,
        0,
        limited,
        900 + limited,
        60,
        3,
        1,
        "",
        "");
  }

  private static Row row(String scenario, double wall, double floor, long limited) {
    int n = scenario.equals("S8") ? 656 : 600;
    return new Row(
        "maritaca4j",
        scenario,
        1,
        n,
        50,
        wall,
        floor,
        n,
        0,
        limited,
        n + limited,
        50,
        1,
        1,
        "",
        "");
  }
}
