package io.github.maritaca4j.internal.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.maritaca4j.batch.RateLimits;
import io.github.maritaca4j.internal.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The account lane alone, on virtual time: turns, priority, the first answer, the pause. */
class LaneTest {
  private final ManualClock clock = new ManualClock();

  /** A waiter that records its wakes. */
  private static final class W implements Lane.Waiter {
    final String name;
    int wakes;

    W(String name) {
      this.name = name;
    }

    @Override
    public void wake() {
      wakes++;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private Lane lane(RateLimits limits, boolean gateFirst) {
    Lane l = new Lane(clock, "sabia-4", gateFirst);
    l.configure(limits);
    return l;
  }

  private Lane.Permit ask(Lane l, W w, boolean urgent, List<Lane.Waiter> wakes) {
    return l.tryAcquire(w, urgent, true, 0, 0, clock.nanoTime(), wakes);
  }

  @Test
  void batchesTakeTurnsRoundRobinOnceTokensRunOut() {
    // 60 RPM, a 1 s burst: one request, then one a second
    Lane l = lane(RateLimits.rpm(60).withBurst(Duration.ofSeconds(1)), false);
    W a = new W("a");
    W b = new W("b");
    List<Lane.Waiter> wakes = new ArrayList<>();
    List<String> granted = new ArrayList<>();
    // the burst level starts a margin short of full: wait for the first token
    clock.advance(Duration.ofSeconds(1));
    assertThat(ask(l, a, false, wakes)).isNotNull();
    granted.add("a");
    assertThat(ask(l, a, false, wakes)).isNull(); // a queues first
    assertThat(ask(l, b, false, wakes)).isNull(); // b behind it
    assertThat(l.queued()).isEqualTo(2);
    for (int i = 0; i < 6; i++) {
      clock.advance(Duration.ofSeconds(1)); // the timer wakes the head
      for (W w : new W[] {a, b}) {
        wakes.clear();
        if (ask(l, w, false, wakes) != null) {
          granted.add(w.name);
          assertThat(ask(l, w, false, wakes)).isNull(); // asks again: to the back
        }
      }
    }
    // a queued first, so the next token is a's; from then on they alternate
    assertThat(granted).containsExactly("a", "a", "b", "a", "b", "a", "b");
  }

  @Test
  void aSingleCallGoesBeforeEveryWaitingBatch() {
    Lane l = lane(RateLimits.rpm(60).withBurst(Duration.ofSeconds(1)), false);
    W a = new W("batch a");
    W b = new W("batch b");
    W call = new W("call");
    List<Lane.Waiter> wakes = new ArrayList<>();
    assertThat(ask(l, a, false, wakes)).isNull();
    assertThat(ask(l, b, false, wakes)).isNull();
    assertThat(ask(l, call, true, wakes)).isNull();
    clock.advance(Duration.ofSeconds(1));
    assertThat(call.wakes).isEqualTo(1); // the timer woke the head: the call
    assertThat(a.wakes).isZero();
    assertThat(ask(l, a, false, wakes)).isNull(); // not its turn
    assertThat(ask(l, call, true, wakes)).isNotNull();
  }

  @Test
  void withdrawingHandsTheTurnToTheNext() {
    Lane l = lane(RateLimits.rpm(60).withBurst(Duration.ofSeconds(1)), false);
    W a = new W("a");
    W b = new W("b");
    List<Lane.Waiter> wakes = new ArrayList<>();
    ask(l, a, false, wakes);
    ask(l, b, false, wakes);
    wakes.clear();
    l.withdraw(a, wakes);
    assertThat(wakes).containsExactly(b);
    l.withdraw(a, wakes); // harmless when not queued
    assertThat(l.queued()).isEqualTo(1);
  }

  @Test
  void withNothingKnownTheRestWaitForTheFirstAnswerWhichMayBringLimits() {
    Lane l = lane(RateLimits.UNKNOWN, true);
    W a = new W("a");
    List<Lane.Waiter> wakes = new ArrayList<>();
    Lane.Permit first = ask(l, a, false, wakes);
    assertThat(first).isNotNull();
    assertThat(ask(l, a, false, wakes)).isNull(); // one at a time until an answer
    wakes.clear();
    l.onSuccess(
        first,
        10,
        10,
        new io.github.maritaca4j.RateLimitStatus(120, 119, Duration.ofMillis(500), -1, -1, null),
        clock.nanoTime(),
        wakes);
    assertThat(wakes).containsExactly(a);
    // the headers gave 120 RPM: the lane now paces
    assertThat(l.levels(clock.nanoTime())).isNotNull();
    assertThat(ask(l, a, false, wakes)).isNotNull();
  }

  @Test
  void aFirstAnswerThatNeverComesHoldsTheOthersNoLongerThanTheCap() {
    Lane l = lane(RateLimits.UNKNOWN, true);
    W a = new W("a");
    List<Lane.Waiter> wakes = new ArrayList<>();
    assertThat(ask(l, a, false, wakes)).isNotNull();
    assertThat(ask(l, a, false, wakes)).isNull();
    clock.advance(Duration.ofNanos(Lane.FIRST_ANSWER_WAIT_NANOS));
    assertThat(a.wakes).isEqualTo(1);
    assertThat(ask(l, a, false, wakes)).isNotNull();
  }

  @Test
  void anIsolatedLaneDoesNotWaitForTheFirstAnswer() {
    Lane l = lane(RateLimits.UNKNOWN, false);
    W a = new W("a");
    List<Lane.Waiter> wakes = new ArrayList<>();
    assertThat(ask(l, a, false, wakes)).isNotNull();
    assertThat(ask(l, a, false, wakes)).isNotNull();
  }

  @Test
  void a429PausesEveryoneOnTheLaneUntilTheHint() {
    Lane l = lane(RateLimits.UNKNOWN, false);
    W a = new W("a");
    W call = new W("call");
    List<Lane.Waiter> wakes = new ArrayList<>();
    Lane.Permit p = ask(l, a, false, wakes);
    l.onRateLimited(p, true, OptionalLong.of(2_000_000_000L), n -> 0, clock.nanoTime());
    assertThat(ask(l, call, true, wakes)).isNull();
    clock.advance(Duration.ofMillis(1999));
    assertThat(call.wakes).isZero();
    clock.advance(Duration.ofMillis(1));
    assertThat(call.wakes).isEqualTo(1);
    assertThat(ask(l, call, true, wakes)).isNotNull();
  }

  @Test
  void clientsThatDisagreeGetTheLowestLimit() {
    Lane l = lane(RateLimits.rpm(600), false);
    l.configure(RateLimits.rpm(1200)); // ignored: higher
    l.configure(RateLimits.of(300, 100_000, 0)); // lower RPM, and a TPM-in
    assertThat(l.needsInputTokens()).isTrue();
    double[] levels = l.levels(clock.nanoTime());
    assertThat(levels[0]).isLessThanOrEqualTo(300.0);
  }
}
