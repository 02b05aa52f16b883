package io.github.maritaca4j.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SimulatorMainTest {

  @Test
  void startsFromArguments() {
    PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    try (MaritacaSimulator sim =
        SimulatorMain.fromArgs(
            new String[] {"--port", "0", "--rpm", "1", "--latency-ms", "0", "--seed", "9"}, out)) {
      String url = sim.baseUrl() + "/chat/completions";
      assertThat(Http.post(url, Http.chat("sabia-4", "oi", null)).statusCode()).isEqualTo(200);
      assertThat(Http.post(url, Http.chat("sabia-4", "oi", null)).statusCode()).isEqualTo(429);
    }
  }

  @Test
  void helpAndBadArguments() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    assertThat(
            SimulatorMain.fromArgs(
                new String[] {"--help"}, new PrintStream(buf, true, StandardCharsets.UTF_8)))
        .isNull();
    assertThat(buf.toString(StandardCharsets.UTF_8)).contains("--rpm");
    assertThatThrownBy(() -> SimulatorMain.fromArgs(new String[] {"--rpm", "x"}, System.out))
        .hasMessageContaining("x");
    assertThatThrownBy(() -> SimulatorMain.fromArgs(new String[] {"--bogus", "1"}, System.out))
        .hasMessageContaining("--bogus");
  }
}
