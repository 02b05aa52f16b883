package io.github.maritaca4j.simulator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.maritaca4j.simulator.RateLimit;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Limiter maths with a fake clock. */
class ModelLimiterTest {
  final AtomicLong now = new AtomicLong(1_000_000_000L);

  ModelLimiter limiter(RateLimit l, Duration burst) {
    return new ModelLimiter(l, burst.toNanos(), now::get);
  }

  void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void rpmBucketStartsFullWithBurstCapacityAndRefillsContinuously() {
    ModelLimiter l = limiter(RateLimit.rpm(600), Duration.ofSeconds(6)); // 10/s, capacity 60
    for (int i = 0; i < 60; i++) {
      assertThat(l.tryAcquire(1, 0).admitted()).isTrue();
    }
    ModelLimiter.Decision d = l.tryAcquire(1, 0);
    assertThat(d.admitted()).isFalse();
    assertThat(d.refusedBy()).isEqualTo(ModelLimiter.Kind.RPM);
    assertThat(d.waitNanos()).isEqualTo(Duration.ofMillis(100).toNanos());
    advance(Duration.ofMillis(99));
    assertThat(l.tryAcquire(1, 0).admitted()).isFalse();
    advance(Duration.ofMillis(1));
    assertThat(l.tryAcquire(1, 0).admitted()).isTrue();
    advance(Duration.ofMillis(250)); // 2.5 requests' worth
    assertThat(l.tryAcquire(1, 0).admitted()).isTrue();
    assertThat(l.tryAcquire(1, 0).admitted()).isTrue();
    assertThat(l.tryAcquire(1, 0).admitted()).isFalse();
  }

  @Test
  void refillNeverExceedsCapacity() {
    ModelLimiter l = limiter(RateLimit.rpm(60), Duration.ofSeconds(5)); // capacity 5
    advance(Duration.ofHours(1));
    int admitted = 0;
    while (l.tryAcquire(1, 0).admitted()) {
      admitted++;
    }
    assertThat(admitted).isEqualTo(5);
  }

  @Test
  void longRunRateIsTheLimit() {
    ModelLimiter l = limiter(RateLimit.rpm(120), Duration.ofSeconds(1)); // capacity 2
    int admitted = 0;
    for (int i = 0; i < 6000; i++) { // one try every 10 ms for 60 s
      if (l.tryAcquire(1, 0).admitted()) {
        admitted++;
      }
      advance(Duration.ofMillis(10));
    }
    assertThat(admitted).isBetween(120, 122); // 120 per minute plus the initial burst
  }

  @Test
  void admissionIsAllOrNothingAndNamesTheLongestWait() {
    ModelLimiter l = limiter(RateLimit.of(600, 6000, 0), Duration.ofSeconds(6)); // tpmIn cap 600
    assertThat(l.tryAcquire(500, 0).admitted()).isTrue();
    ModelLimiter.Decision d = l.tryAcquire(200, 0); // 100 left, 100 missing = 1 s at 100/s
    assertThat(d.admitted()).isFalse();
    assertThat(d.refusedBy()).isEqualTo(ModelLimiter.Kind.TPM_IN);
    assertThat(d.waitNanos()).isEqualTo(Duration.ofSeconds(1).toNanos());
    assertThat(d.limit()).isEqualTo(6000);
    // the refused request charged nothing: the RPM bucket still has 59
    int admitted = 0;
    while (l.tryAcquire(0, 0).admitted()) {
      admitted++;
    }
    assertThat(admitted).isEqualTo(59);
  }

  @Test
  void requestLargerThanBurstPassesWhenBucketIsFullAndLeavesDebt() {
    ModelLimiter l = limiter(RateLimit.of(0, 0, 600), Duration.ofSeconds(6)); // cap 60, 10/s
    assertThat(l.tryAcquire(0, 100).admitted()).isTrue(); // level 60 -> -40
    ModelLimiter.Decision d = l.tryAcquire(0, 100);
    assertThat(d.refusedBy()).isEqualTo(ModelLimiter.Kind.TPM_OUT);
    assertThat(d.waitNanos()).isEqualTo(Duration.ofSeconds(10).toNanos()); // back to full (60)
    advance(Duration.ofSeconds(10));
    assertThat(l.tryAcquire(0, 100).admitted()).isTrue();
  }

  @Test
  void requestLargerThanTheMinuteLimitNeverFits() {
    ModelLimiter l = limiter(RateLimit.of(0, 1000, 0), Duration.ofSeconds(6));
    ModelLimiter.Decision d = l.tryAcquire(1001, 0);
    assertThat(d.admitted()).isFalse();
    assertThat(d.tooLarge()).isTrue();
    assertThat(d.waitNanos()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void unusedOutputReservationIsRefunded() {
    ModelLimiter l = limiter(RateLimit.of(0, 0, 600), Duration.ofSeconds(6)); // cap 60
    assertThat(l.tryAcquire(0, 50).admitted()).isTrue(); // 10 left
    assertThat(l.tryAcquire(0, 50).admitted()).isFalse();
    l.refundOutput(50, 20); // 30 back -> 40
    assertThat(l.tryAcquire(0, 40).admitted()).isTrue();
    assertThat(l.tryAcquire(0, 1).admitted()).isFalse();
  }

  @Test
  void snapshotReportsRemainingAndReset() {
    ModelLimiter l = limiter(RateLimit.of(60, 6000, 0), Duration.ofSeconds(6)); // 6 req, 600 tok
    l.tryAcquire(100, 0);
    ModelLimiter.Snapshot s = l.snapshot();
    assertThat(s.rpmLimit()).isEqualTo(60);
    assertThat(s.rpmRemaining()).isEqualTo(5);
    assertThat(s.rpmResetNanos()).isEqualTo(Duration.ofSeconds(1).toNanos());
    assertThat(s.tpmRemaining()).isEqualTo(500);
    assertThat(s.tpmResetNanos()).isEqualTo(Duration.ofSeconds(1).toNanos());
  }
}
