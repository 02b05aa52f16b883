package io.github.maritaca4j.internal.batch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Learning the request rate from 429s, on times passed in. */
class RateLearnerTest {
  private static final long MS = 1_000_000L;
  private static final long S = 1_000 * MS;
  private static final long NONE = Long.MIN_VALUE;

  @Test
  void theFirstRequestGoesAloneThenAdmissionsAreSpacedUntilARateIsKnown() {
    RateLearner l = new RateLearner();
    assertThat(l.rampWait(false, 0)).isZero(); // nothing admitted yet
    l.admitted(false, 0, NONE); // the first request, before any answer
    assertThat(l.rampWait(false, 0)).isZero(); // the lane's first-answer gate decides, not this
    l.admitted(true, 10 * MS, NONE);
    assertThat(l.rampWait(true, 10 * MS)).isEqualTo(RateLearner.RAMP_GAP_NANOS);
    assertThat(l.rampWait(true, 11 * MS)).isEqualTo(RateLearner.RAMP_GAP_NANOS - MS);
    assertThat(l.rampWait(true, 12 * MS)).isZero();
  }

  @Test
  void withoutA429ThePacedWaveEndsAfterItsAdmissions() {
    RateLearner l = new RateLearner();
    long t = 0;
    for (int i = 0; i < RateLearner.RAMP_SENDS; i++) {
      l.admitted(true, t, NONE);
      t += RateLearner.RAMP_GAP_NANOS;
    }
    assertThat(l.rampWait(true, t - 1)).isZero();
  }

  @Test
  void after429sAdmissionsStaySpacedUntilTheRateIsMeasured() {
    RateLearner l = new RateLearner();
    long t = 0;
    for (int i = 0; i < RateLearner.RAMP_SENDS + 5; i++) {
      l.admitted(true, t, NONE);
      t += RateLearner.RAMP_GAP_NANOS;
    }
    assertThat(l.onRateLimited(t, RateLearner.RAMP_SENDS + 5, t)).isZero(); // one instant: nothing
    l.admitted(true, t, NONE);
    assertThat(l.rampWait(true, t)).isEqualTo(RateLearner.RAMP_GAP_NANOS);
  }

  @Test
  void toldLimitsEndTheSpacing() {
    RateLearner l = new RateLearner();
    l.admitted(true, 0, NONE);
    l.told();
    assertThat(l.rampWait(true, 0)).isZero();
    assertThat(l.onRateLimited(0, 1, 0)).isZero();
    assertThat(l.learned()).isZero();
  }

  /**
   * Refused at admission 11 (t = 0.1 s); then 21 more admitted up to t = 1.5 s, of which admission
   * 25 is refused at 0.9 s (0.8 s after the first: too short a window to measure) and admission 32
   * at 1.5 s. Between 0.1 s and 1.5 s the server accepted 32 - 11 - 2 = 19 requests: (19 + 0.5) /
   * 1.4 s = 13.93 a second, 836 a minute.
   */
  @Test
  void theRateIsTheAcceptedRequestsBetweenTwoRefusalsOverTheTimeBetweenThem() {
    RateLearner l = new RateLearner();
    long seq = 0;
    for (int i = 0; i < 11; i++) {
      seq = l.admitted(true, i * 10 * MS, NONE);
    }
    assertThat(seq).isEqualTo(11);
    assertThat(l.onRateLimited(100 * MS, 11, 101 * MS)).isZero(); // the first: nothing to measure
    for (int i = 12; i <= 32; i++) {
      seq = l.admitted(true, 100 * MS + (i - 11) * 66 * MS, NONE);
    }
    assertThat(seq).isEqualTo(32);
    assertThat(l.onRateLimited(900 * MS, 25, 901 * MS)).isZero();
    assertThat(l.onRateLimited(1_500 * MS, 32, 1_501 * MS)).isEqualTo(836);
    assertThat(l.learned()).isEqualTo(836);
  }

  @Test
  void aMeasurementLowersALearntRateByAtMostATenthAtATime() {
    RateLearner l = learnt(600); // measured 630 a minute
    // then 10 accepted in the next 2 s, evenly: the window says 5.25 a second, 315 a minute
    long s = 0;
    for (int i = 1; i <= 11; i++) {
      s = l.admitted(true, S + i * (2 * S / 11), NONE);
    }
    assertThat(l.onRateLimited(3 * S, s, 3 * S)).isEqualTo(567); // 630 x 0.9
  }

  @Test
  void aWindowInWhichTheClientStoppedSendingMeasuresNothing() {
    RateLearner l = new RateLearner();
    long s = l.admitted(true, 0, NONE);
    l.onRateLimited(0, s, 0);
    for (int i = 1; i <= 10; i++) { // ten in the first second
      s = l.admitted(true, i * 100 * MS, NONE);
    }
    s = l.admitted(true, 31 * S, NONE); // then 30 s of silence: the server's bucket filled up
    assertThat(l.onRateLimited(31 * S, s, 31 * S)).isZero();
    assertThat(l.learned()).isZero();
  }

  @Test
  void aPauseAfterA429IsNotASilence() {
    RateLearner l = new RateLearner();
    long s = l.admitted(true, 0, NONE);
    l.onRateLimited(0, s, 0);
    long resumed = 1 * S; // the 429 paused the lane for a second
    for (int i = 0; i < 10; i++) {
      s = l.admitted(true, resumed + i * 10 * MS, resumed);
    }
    assertThat(l.onRateLimited(resumed + 90 * MS, s, resumed + 91 * MS))
        .isEqualTo(Math.round((9 + 0.5) / 1.09 * 60));
  }

  @Test
  void tooFewAcceptedOrTooLongAWindowMeasuresNothing() {
    RateLearner few = new RateLearner();
    long s = few.admitted(true, 0, NONE);
    few.onRateLimited(0, s, 0);
    for (int i = 1; i <= RateLearner.MIN_ACCEPTED; i++) { // the last one is the refused one
      s = few.admitted(true, i * 250 * MS, NONE);
    }
    assertThat(few.onRateLimited(RateLearner.MIN_ACCEPTED * 250 * MS, s, 2 * S)).isZero();

    RateLearner longWindow = new RateLearner();
    s = longWindow.admitted(true, 0, NONE);
    longWindow.onRateLimited(0, s, 0);
    for (int i = 1; i <= 700; i++) { // one every 100 ms for 70 s
      s = longWindow.admitted(true, i * 100 * MS, NONE);
    }
    assertThat(longWindow.onRateLimited(70 * S, s, 70 * S)).isZero();
  }

  @Test
  void aLearntRateIsRaisedEverySecondOnlyWhileItHoldsRequestsBack() {
    RateLearner l = learnt(600);
    long t = 1 * S + 1; // the measuring refusal came at 1 s
    assertThat(l.maybeRaise(t)).isZero(); // not held back
    l.heldBack();
    assertThat(l.maybeRaise(t + S / 2)).isZero(); // not a second yet
    assertThat(l.maybeRaise(t + S)).isEqualTo(636); // 1 % of the measurement (630)
    l.heldBack();
    assertThat(l.maybeRaise(t + 2 * S)).isEqualTo(642); // linearly
    assertThat(l.maybeRaise(t + 3 * S)).isZero(); // held back no more
  }

  /**
   * A learner whose server accepted {@code rpm / 60} requests in the second between two refusals
   * (at 0 s and 1 s): it measures (rpm / 60 + 0.5) a second.
   */
  private static RateLearner learnt(long rpm) {
    RateLearner l = new RateLearner();
    long s = l.admitted(true, 0, NONE);
    l.onRateLimited(0, s, 0);
    long perSecond = rpm / 60;
    for (int i = 0; i < perSecond; i++) {
      s = l.admitted(true, (i + 1) * (S / (perSecond + 1)), NONE);
    }
    s = l.admitted(true, S, NONE);
    long learned = l.onRateLimited(S, s, S);
    assertThat(learned).isEqualTo(Math.round((perSecond + 0.5) * 60));
    return l;
  }
}
