package io.github.maritaca4j.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Brasília is UTC-3 all year: 22:00 there is 01:00 UTC, 06:00 is 09:00 UTC. */
class OffPeakWindowTest {
  static Instant utc(String s) {
    return Instant.parse(s);
  }

  @Test
  void atNoonTheNextWindowIsTonight() {
    OffPeakWindow w = OffPeakWindow.atOrAfter(utc("2026-01-07T15:00:00Z"));
    assertThat(w.start()).isEqualTo(utc("2026-01-08T01:00:00Z"));
    assertThat(w.end()).isEqualTo(utc("2026-01-08T09:00:00Z"));
    assertThat(w.length()).isEqualTo(Duration.ofHours(8));
    assertThat(w.contains(utc("2026-01-07T15:00:00Z"))).isFalse();
  }

  @Test
  void beforeSixInTheMorningTheWindowIsLastNights() {
    OffPeakWindow w = OffPeakWindow.atOrAfter(utc("2026-01-08T06:00:00Z")); // 03:00
    assertThat(w.start()).isEqualTo(utc("2026-01-08T01:00:00Z"));
    assertThat(w.contains(utc("2026-01-08T06:00:00Z"))).isTrue();
  }

  @Test
  void theBoundsAreStartInclusiveEndExclusive() {
    assertThat(OffPeakWindow.atOrAfter(utc("2026-01-08T01:00:00Z")).start())
        .isEqualTo(utc("2026-01-08T01:00:00Z"));
    assertThat(OffPeakWindow.atOrAfter(utc("2026-01-08T09:00:00Z")).start())
        .isEqualTo(utc("2026-01-09T01:00:00Z"));
  }

  @Test
  void workLongerThanANightGoesOnTheNextNight() {
    // from 05:00 Brasília (08:00 UTC): 1 h tonight, then 9 h more: 8 h next night, 1 h the next
    assertThat(OffPeakWindow.finishWithinWindows(utc("2026-01-08T08:00:00Z"), Duration.ofHours(10)))
        .isEqualTo(utc("2026-01-10T02:00:00Z"));
    // from noon: starts at 22:00
    assertThat(OffPeakWindow.finishWithinWindows(utc("2026-01-07T15:00:00Z"), Duration.ofHours(1)))
        .isEqualTo(utc("2026-01-08T02:00:00Z"));
  }

  @Test
  void theOffPeakShareOfARun() {
    // 20:00 -> 06:00 Brasília: 8 of 10 hours
    assertThat(OffPeakWindow.offPeakShare(utc("2026-01-07T23:00:00Z"), Duration.ofHours(10)))
        .isEqualTo(0.8);
    assertThat(OffPeakWindow.offPeakShare(utc("2026-01-07T15:00:00Z"), Duration.ofHours(1)))
        .isZero();
    assertThat(OffPeakWindow.offPeakShare(utc("2026-01-08T02:00:00Z"), Duration.ZERO)).isOne();
  }

  @Test
  void theSchedulerSleepsUntilTheWindowAndWatchesItsEnd() throws Exception {
    Instant[] now = {utc("2026-01-07T15:00:00Z")};
    Clock clock =
        new Clock() {
          @Override
          public Instant instant() {
            synchronized (now) {
              return now[0];
            }
          }

          @Override
          public ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(ZoneId zone) {
            return this;
          }
        };
    List<Duration> sleeps = new ArrayList<>();
    OffPeakScheduler s =
        new OffPeakScheduler(
            clock,
            d -> {
              synchronized (now) {
                sleeps.add(d);
                now[0] = now[0].plus(d);
              }
            });
    OffPeakWindow w = s.awaitWindow();
    assertThat(sleeps).containsExactly(Duration.ofHours(10));
    assertThat(w.start()).isEqualTo(clock.instant());
    java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);
    try (OffPeakScheduler.Watch watch = s.watch(w, ended::countDown)) {
      assertThat(ended.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(watch.ended()).isTrue();
    }
    assertThat(sleeps).containsExactly(Duration.ofHours(10), Duration.ofHours(8));
  }
}
