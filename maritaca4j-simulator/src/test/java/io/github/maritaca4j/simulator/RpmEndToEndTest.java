package io.github.maritaca4j.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A client sending at twice the RPM gets about half its requests rejected. */
class RpmEndToEndTest {

  @Test
  void clientAtTwiceTheRpmGetsHalfRejectedOnAFakeClock() {
    AtomicLong now = new AtomicLong();
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder()
            .rateLimit("sabia-4", RateLimit.rpm(600)) // 10 per second
            .burst(Duration.ofMillis(100)) // capacity 1
            .nanoClock(now::get)
            .start()) {
      String url = sim.baseUrl() + "/chat/completions";
      int ok = 0;
      for (int i = 0; i < 200; i++) { // 20 per second for 10 simulated seconds
        if (Http.post(url, Http.chat("sabia-4", "oi", null)).statusCode() == 200) {
          ok++;
        }
        now.addAndGet(Duration.ofMillis(50).toNanos());
      }
      assertThat(ok).isEqualTo(100);
      assertThat(sim.statsWithoutLog().rateLimitedRpm()).isEqualTo(100);
    }
  }

  @Test
  void clientAtTwiceTheRpmGetsAboutHalfRejectedInRealTime() throws Exception {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder()
            .rateLimit("sabia-4", RateLimit.rpm(1200)) // 20 per second
            .burst(Duration.ofMillis(100)) // capacity 2
            .start()) {
      String url = sim.baseUrl() + "/chat/completions";
      int n = 60;
      long start = System.nanoTime();
      long step = Duration.ofMillis(25).toNanos(); // 40 per second
      int ok = 0;
      for (int i = 0; i < n; i++) {
        long due = start + i * step;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        if (Http.post(url, Http.chat("sabia-4", "oi", null)).statusCode() == 200) {
          ok++;
        }
      }
      // ideal: 2 (burst) + 20/s x 1.5 s = 32 of 60; wide bounds, this is real time
      assertThat(ok).isBetween(20, 45);
      assertThat(sim.statsWithoutLog().rateLimitedRpm()).isEqualTo(n - ok);
    }
  }
}
