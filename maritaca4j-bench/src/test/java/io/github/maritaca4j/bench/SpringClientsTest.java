package io.github.maritaca4j.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue #13's clients on the command line and their targets, without runs. */
class SpringClientsTest {

  @Test
  void theDefaultSetIsTheEngineAndTheTwoPeersAndAllAddsTheOthers() {
    assertThat(Bench.Options.parse(new String[] {"S1"}).clients)
        .containsExactly(Client.MARITACA4J, Client.LANGCHAIN4J, Client.OPENAI_JAVA);
    assertThat(Bench.Options.parse(new String[] {"--clients", "all"}).clients)
        .containsExactly(Client.values());
    assertThat(
            Bench.Options.parse(
                    new String[] {
                      "--clients",
                      "spring-ai-openai, maritaca4j-springai,maritaca4j-springai-batch,"
                          + "maritaca4j-invoke,spring-ai-openai"
                    })
                .clients)
        .containsExactly(
            Client.SPRING_AI_OPENAI,
            Client.MARITACA4J_SPRINGAI,
            Client.MARITACA4J_SPRINGAI_BATCH,
            Client.MARITACA4J_INVOKE);
    assertThatThrownBy(() -> Bench.Options.parse(new String[] {"--clients", "spring-ai"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maritaca4j-springai-batch");
    assertThat(Client.SPRING_AI_OPENAI.ours()).isFalse();
    assertThat(Client.MARITACA4J_SPRINGAI.ours()).isTrue();
  }

  @Test
  void springTargets() {
    Bench.Report report = new Bench.Report();
    report.rows.add(row("maritaca4j", "S2", 1, 24.6, 24.2, 600, 0, 30.0));
    report.rows.add(row("maritaca4j-springai-batch", "S2", 1, 24.9, 24.2, 600, 0, 30.0)); // x1.012
    report.rows.add(row("maritaca4j-springai", "S2", 1, 25.0, 24.2, 599, 1, 30.0));
    report.rows.add(row("maritaca4j", "S3", 1, 26.0, 25.78, 600, 0, 30.0));
    report.rows.add(row("maritaca4j-springai-batch", "S3", 1, 27.0, 25.78, 600, 0, 30.0)); // 1.038
    report.rows.add(row("maritaca4j-springai", "S3", 1, 26.2, 25.78, 600, 0, 30.0));
    report.rows.add(row("maritaca4j-invoke", "S5", 1, 9.0, 0, 30_000, 0, 30.0)); // 1.0 ms/req
    report.rows.add(row("maritaca4j-springai", "S5", 1, 9.5, 0, 30_000, 0, 35.0)); // x1.17
    report.rows.add(row("maritaca4j-invoke", "S5", 2, 9.0, 0, 30_000, 0, 30.0));
    report.rows.add(row("maritaca4j-springai", "S5", 2, 9.5, 0, 30_000, 0, 37.0)); // x1.23
    report.rows.add(row("maritaca4j", "S5", 1, 9.0, 0, 30_000, 0, 18.0)); // 0.6 ms/req
    report.rows.add(row("spring-ai-openai", "S5", 1, 9.0, 0, 30_000, 0, 60.0)); // 2.0 ms/req
    List<String> lines = Targets.evaluate(report);
    assertThat(lines)
        .anyMatch(l -> l.startsWith("S2 ") && l.contains("springai: 0") && l.contains("MISSED"));
    assertThat(lines)
        .anyMatch(l -> l.startsWith("S2 ") && l.contains("batch: 0 failed") && l.contains(" MET "));
    assertThat(lines)
        .anyMatch(l -> l.startsWith("S3 ") && l.contains("springai: 0") && l.contains(" MET "));
    assertThat(lines)
        .anyMatch(l -> l.startsWith("S2 ") && l.contains("x maritaca4j's") && l.contains(" MET "));
    assertThat(lines)
        .anyMatch(l -> l.startsWith("S3 ") && l.contains("x maritaca4j's") && l.contains("MISSED"));
    assertThat(lines)
        .anyMatch(
            l ->
                l.startsWith("S5 ")
                    && l.contains("maritaca4j-invoke's")
                    && l.contains("MISSED")
                    && l.contains("(x1.17)")
                    && l.contains("(x1.23)"));
    // the peers' S5 target compares with the peers only (spring-ai-openai here), not with our
    // other paths (maritaca4j-invoke's 1.0 ms would make it 0.6 x, missed)
    assertThat(lines)
        .anyMatch(
            l ->
                l.startsWith("S5 ")
                    && l.contains("0.5 x best peer")
                    && l.contains(" MET ")
                    && l.contains("0.600 vs 2.000 ms"));
  }

  private static Row row(
      String client,
      String scenario,
      int rep,
      double wall,
      double floor,
      int ok,
      int failed,
      double cpu) {
    int n = ok + failed;
    return new Row(client, scenario, rep, n, 50, wall, floor, ok, failed, 0, n, 50, cpu, 1, "", "");
  }
}
