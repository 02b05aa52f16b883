package io.github.maritaca4j.internal.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.maritaca4j.batch.RateLimits;
import io.github.maritaca4j.internal.ManualClock;
import io.github.maritaca4j.testing.InMemorySharedLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Two lanes of one account in two "processes" (each its own lane and local buckets) sharing one
 * store, on virtual time: the store's buckets and pause decide, and a failing store leaves each
 * process pacing alone until it is back.
 */
class LaneSharedTest {
  private final ManualClock clock = new ManualClock();
  private final InMemorySharedLimits store = new InMemorySharedLimits(clock::nanoTime);
  private final List<Lane.Waiter> wakes = new ArrayList<>();
  private final Lane.Waiter w = () -> {};

  private Lane process() {
    Lane l = new Lane(clock, "sabia-4", false, "maritaca4j:acct:sabia-4");
    // 60 RPM with a 3 s burst: three requests at once, then one a second
    l.configure(RateLimits.rpm(60).withBurst(Duration.ofSeconds(3)));
    l.useShared(store);
    return l;
  }

  private Lane.Permit ask(Lane l) {
    return l.tryAcquire(w, false, true, 0, 0, clock.nanoTime(), wakes);
  }

  @Test
  void twoProcessesShareOneBurst() {
    Lane a = process();
    Lane b = process();
    clock.advance(Duration.ofSeconds(3)); // local buckets start a margin short
    assertThat(ask(a)).isNotNull();
    assertThat(ask(a)).isNotNull();
    // the shared burst, like a fresh local one, starts 50 ms short of 3
    assertThat(ask(b)).isNull();
    clock.advance(Duration.ofMillis(50));
    assertThat(ask(b)).isNotNull();
    // b's own bucket still holds two, but the account's is empty
    assertThat(ask(b)).isNull();
    assertThat(ask(a)).isNull();
    clock.advance(Duration.ofSeconds(1));
    assertThat(ask(b)).isNotNull();
    assertThat(ask(a)).isNull();
  }

  @Test
  void a429InOneProcessPausesTheOther() {
    Lane a = process();
    Lane b = process();
    clock.advance(Duration.ofSeconds(3));
    Lane.Permit p = ask(a);
    a.onRateLimited(p, true, OptionalLong.of(5_000_000_000L), n -> 0, clock.nanoTime());
    assertThat(ask(b)).isNull();
    clock.advance(Duration.ofSeconds(4));
    assertThat(ask(b)).isNull();
    clock.advance(Duration.ofSeconds(2));
    assertThat(ask(b)).isNotNull();
  }

  @Test
  void withNoLimitKnownA429InOneProcessStillPausesTheOther() {
    Lane a = new Lane(clock, "sabia-4", false, "maritaca4j:acct3:sabia-4");
    a.useShared(store);
    Lane b = new Lane(clock, "sabia-4", false, "maritaca4j:acct3:sabia-4");
    b.useShared(store);
    Lane.Permit p = ask(a);
    assertThat(ask(b)).isNotNull(); // nothing known: both go
    a.onRateLimited(p, true, OptionalLong.of(2_000_000_000L), n -> 0, clock.nanoTime());
    assertThat(ask(b)).isNull();
    clock.advance(Duration.ofSeconds(2));
    assertThat(ask(b)).isNotNull();
  }

  @Test
  void withTheStoreDownEachProcessPacesAloneAndTriesAgainASecondLater() {
    Lane a = process();
    clock.advance(Duration.ofSeconds(3));
    store.failing(true);
    int before = store.calls();
    // the local bucket (3, a margin short of it refilled) admits on its own
    assertThat(ask(a)).isNotNull();
    assertThat(ask(a)).isNotNull();
    int afterFailure = store.calls();
    assertThat(afterFailure - before).isEqualTo(1); // tried once, then rests
    store.failing(false);
    clock.advance(Duration.ofMillis(Lane.SHARED_RETRY_NANOS / 1_000_000));
    Lane.Permit p = ask(a);
    assertThat(store.calls()).isGreaterThan(afterFailure); // back to the store
    assertThat(p).isNotNull();
  }

  @Test
  void settlingGivesUnusedOutputBackToTheAccount() {
    Lane a = new Lane(clock, "sabia-4", false, "maritaca4j:acct2:sabia-4");
    a.configure(RateLimits.of(60, 0, 600).withBurst(Duration.ofSeconds(60)));
    a.useShared(store);
    Lane b = new Lane(clock, "sabia-4", false, "maritaca4j:acct2:sabia-4");
    b.configure(RateLimits.of(60, 0, 600).withBurst(Duration.ofSeconds(60)));
    b.useShared(store);
    Lane.Permit p = a.tryAcquire(w, false, true, 0, 600, clock.nanoTime(), wakes);
    assertThat(p).isNotNull();
    // the account's 600 output tokens are reserved: b must wait
    assertThat(b.tryAcquire(w, false, true, 0, 100, clock.nanoTime(), wakes)).isNull();
    a.onSuccess(p, 10, 100, null, clock.nanoTime(), wakes); // used 100: 500 come back
    assertThat(b.tryAcquire(w, false, true, 0, 400, clock.nanoTime(), wakes)).isNotNull();
  }
}
