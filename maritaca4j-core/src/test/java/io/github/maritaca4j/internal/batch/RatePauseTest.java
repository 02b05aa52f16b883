package io.github.maritaca4j.internal.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.IntToLongFunction;
import org.junit.jupiter.api.Test;

/** The batch-wide pause after a 429 and the episodes, at exact nanosecond times. */
class RatePauseTest {
  private static final long T = 1_000_000_000L;
  private static final long MS = 1_000_000L;
  private static final long S = 1_000_000_000L;

  private static final OptionalLong NO_HINT = OptionalLong.empty();

  /** n seconds for the n-th consecutive episode; records the n asked for. */
  private final List<Integer> asked = new ArrayList<>();

  private final IntToLongFunction backoff =
      n -> {
        asked.add(n);
        return n * S;
      };

  private static final IntToLongFunction NEVER =
      n -> {
        throw new AssertionError("backoff asked for although the server gave a hint");
      };

  private static OptionalLong hint(long nanos) {
    return OptionalLong.of(nanos);
  }

  @Test
  void nothingIsPausedBeforeTheFirst429() {
    RatePause p = new RatePause();
    assertThat(p.isPaused(Long.MIN_VALUE)).isFalse();
    assertThat(p.isPaused(T)).isFalse();
    assertThat(p.resumeAt()).isEqualTo(Long.MIN_VALUE);
    assertThat(p.episodes()).isZero();
    assertThat(p.consecutiveEpisodes()).isZero();
  }

  @Test
  void aHintPausesUntilExactlyItsEndAndTheBackoffIsNotAsked() {
    RatePause p = new RatePause();
    RatePause.Decision d = p.onRateLimited(T - 300 * MS, hint(2 * S), NEVER, T);
    assertThat(d.newEpisode()).isTrue();
    assertThat(d.pauseNanos()).isEqualTo(2 * S);
    assertThat(p.resumeAt()).isEqualTo(T + 2 * S);
    assertThat(p.isPaused(T)).isTrue();
    assertThat(p.isPaused(T + 2 * S - 1)).isTrue();
    assertThat(p.isPaused(T + 2 * S)).isFalse();
    assertThat(p.episodes()).isEqualTo(1);
    assertThat(p.consecutiveEpisodes()).isEqualTo(1);
  }

  @Test
  void withoutAHintTheBackoffIsForTheConsecutiveEpisodes() {
    RatePause p = new RatePause();
    RatePause.Decision first = p.onRateLimited(T - 100 * MS, NO_HINT, backoff, T);
    assertThat(first.pauseNanos()).isEqualTo(1 * S);
    assertThat(p.resumeAt()).isEqualTo(T + S);
    // sent after the first episode began: a second episode, backoff number 2
    RatePause.Decision second = p.onRateLimited(T + S, NO_HINT, backoff, T + S + 40 * MS);
    assertThat(second.newEpisode()).isTrue();
    assertThat(second.pauseNanos()).isEqualTo(2 * S);
    assertThat(p.resumeAt()).isEqualTo(T + 3 * S + 40 * MS);
    assertThat(asked).containsExactly(1, 2);
    assertThat(p.episodes()).isEqualTo(2);
  }

  @Test
  void a429ForARequestAlreadyOnTheWireJoinsTheEpisodeButExtendsThePause() {
    RatePause p = new RatePause();
    p.onRateLimited(T - 500 * MS, hint(1 * S), NEVER, T);
    // sent 1 ns before the episode began: same episode; its longer hint counts from its arrival
    RatePause.Decision late = p.onRateLimited(T - 1, hint(1 * S), NEVER, T + 200 * MS);
    assertThat(late.newEpisode()).isFalse();
    assertThat(late.pauseNanos()).isEqualTo(1 * S);
    assertThat(p.resumeAt()).isEqualTo(T + 1_200 * MS);
    assertThat(p.isPaused(T + 1_200 * MS - 1)).isTrue();
    assertThat(p.isPaused(T + 1_200 * MS)).isFalse();
    assertThat(p.episodes()).isEqualTo(1);
    assertThat(p.consecutiveEpisodes()).isEqualTo(1);
  }

  @Test
  void aLaterShorterPauseNeverShortensTheOneInForce() {
    RatePause p = new RatePause();
    p.onRateLimited(T - 500 * MS, hint(5 * S), NEVER, T);
    RatePause.Decision shorter = p.onRateLimited(T - 400 * MS, hint(1 * S), NEVER, T + 100 * MS);
    assertThat(shorter.pauseNanos()).isEqualTo(1 * S);
    assertThat(p.resumeAt()).isEqualTo(T + 5 * S);
    // a zero hint asks for no pause at all, and keeps the one in force
    RatePause.Decision zero = p.onRateLimited(T - 300 * MS, hint(0), NEVER, T + 200 * MS);
    assertThat(zero.pauseNanos()).isZero();
    assertThat(p.resumeAt()).isEqualTo(T + 5 * S);
  }

  @Test
  void anAttemptSentAtTheInstantTheEpisodeBeganOpensANewOne() {
    RatePause p = new RatePause();
    p.onRateLimited(T - 100 * MS, hint(0), NEVER, T);
    assertThat(p.isPaused(T)).isFalse(); // a zero hint pauses nothing, but is an episode
    RatePause.Decision d = p.onRateLimited(T, NO_HINT, backoff, T + 30 * MS);
    assertThat(d.newEpisode()).isTrue();
    assertThat(p.episodes()).isEqualTo(2);
    assertThat(asked).containsExactly(2);
    assertThat(p.resumeAt()).isEqualTo(T + 2 * S + 30 * MS);
  }

  @Test
  void aRequestOnTheWireDuringTheEpisodeReusesItsBackoffNumber() {
    RatePause p = new RatePause();
    p.onRateLimited(T - 100 * MS, NO_HINT, backoff, T);
    p.onRateLimited(T + S, NO_HINT, backoff, T + S + 10 * MS); // episode 2, starts T+S+10ms
    RatePause.Decision stale = p.onRateLimited(T + S + 5 * MS, NO_HINT, backoff, T + S + 20 * MS);
    assertThat(stale.newEpisode()).isFalse();
    assertThat(asked).containsExactly(1, 2, 2);
    assertThat(p.resumeAt()).isEqualTo(T + 3 * S + 20 * MS);
  }

  @Test
  void aSuccessRestartsTheBackoffButNotTheEpisodeCount() {
    RatePause p = new RatePause();
    p.onRateLimited(T - 100 * MS, NO_HINT, backoff, T);
    p.onRateLimited(T + S, NO_HINT, backoff, T + S + 10 * MS);
    p.onSuccess();
    assertThat(p.consecutiveEpisodes()).isZero();
    assertThat(p.episodes()).isEqualTo(2);
    // the pause in force is not lifted by the success
    assertThat(p.isPaused(T + 3 * S)).isTrue();
    // a 429 of the current episode after the success: backoff number 1, not 0
    RatePause.Decision stale = p.onRateLimited(T + S, NO_HINT, backoff, T + 2 * S);
    assertThat(stale.newEpisode()).isFalse();
    assertThat(stale.pauseNanos()).isEqualTo(1 * S);
    // the next episode starts over at 1
    RatePause.Decision next = p.onRateLimited(T + 4 * S, NO_HINT, backoff, T + 4 * S + 5 * MS);
    assertThat(next.newEpisode()).isTrue();
    assertThat(next.pauseNanos()).isEqualTo(1 * S);
    assertThat(asked).containsExactly(1, 2, 1, 1);
    assertThat(p.episodes()).isEqualTo(3);
    assertThat(p.resumeAt()).isEqualTo(T + 5 * S + 5 * MS);
  }

  @Test
  void aNegativeHintIsTakenAsGivenAndPausesNothing() {
    RatePause p = new RatePause();
    RatePause.Decision d = p.onRateLimited(T - 100 * MS, hint(-S), NEVER, T);
    assertThat(d.newEpisode()).isTrue();
    assertThat(d.pauseNanos()).isEqualTo(-S);
    assertThat(p.isPaused(T)).isFalse();
    assertThat(p.resumeAt()).isEqualTo(T - S);
  }
}
