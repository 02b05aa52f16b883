package io.github.maritaca4j.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.maritaca4j.errors.MaritacaException;
import io.github.maritaca4j.errors.RateLimitException;
import io.github.maritaca4j.errors.ServerException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private final RetryPolicy policy =
      new RetryPolicy(5, Duration.ofMillis(500), Duration.ofSeconds(4), Duration.ofSeconds(60));

  @Test
  void backoffDoublesAndIsSpreadOverTheUpperHalf() {
    assertThat(policy.backoff(1, 0.0)).isEqualTo(Duration.ofMillis(250));
    assertThat(policy.backoff(1, 0.999999))
        .isBetween(Duration.ofMillis(499), Duration.ofMillis(500));
    assertThat(policy.backoff(2, 0.0)).isEqualTo(Duration.ofMillis(500));
    assertThat(policy.backoff(3, 0.0)).isEqualTo(Duration.ofMillis(1000));
    assertThat(policy.backoff(4, 0.5)).isEqualTo(Duration.ofMillis(3000));
  }

  @Test
  void backoffIsCappedEvenAfterManyRetries() {
    assertThat(policy.backoff(5, 0.0)).isEqualTo(Duration.ofSeconds(2));
    assertThat(policy.backoff(60, 0.0)).isEqualTo(Duration.ofSeconds(2));
    assertThat(policy.backoff(1000, 1.0)).isEqualTo(Duration.ofSeconds(4));
  }

  @Test
  void usesTheServersHintWhenGiven() {
    MaritacaException e =
        new RateLimitException("slow down", null, null, null, Duration.ofSeconds(3));
    assertThat(policy.delay(1, e, 0.3)).isEqualTo(Duration.ofSeconds(3));
    ServerException s = new ServerException(503, "busy", null, null, null, Duration.ofMillis(700));
    assertThat(policy.delay(2, s, 0.3)).isEqualTo(Duration.ofMillis(700));
    ServerException noHint = new ServerException(503, "busy", null, null, null, null);
    assertThat(policy.delay(2, noHint, 0.0)).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void aHintAboveTheCapBecomesANonRetryableRateLimitError() {
    RateLimitException e = new RateLimitException("wait", null, null, "req-1", Duration.ofHours(1));
    MaritacaException over = policy.overLongHint(e);
    assertThat(over).isInstanceOf(RateLimitException.class);
    RateLimitException rl = (RateLimitException) over;
    assertThat(rl.exceededMaxWait()).isTrue();
    assertThat(rl.isRetryable()).isFalse();
    assertThat(rl.retryAfter()).contains(Duration.ofHours(1));
    assertThat(rl.getMessage()).contains("PT1H").contains("PT1M");
    assertThat(
            policy.overLongHint(
                new RateLimitException("x", null, null, null, Duration.ofSeconds(60))))
        .isNull();
  }

  @Test
  void aTooLongHintOnAnotherStatusEndsTheRetriesWithThatFailure() {
    ServerException maintenance =
        new ServerException(503, "maintenance", null, null, null, Duration.ofHours(1));
    assertThat(policy.overLongHint(maintenance)).isSameAs(maintenance);
    assertThat(policy.overLongHint(new ServerException(503, "m", null, null, null, null))).isNull();
    assertThat(
            policy.overLongHint(
                new ServerException(503, "m", null, null, null, Duration.ofSeconds(60))))
        .isNull();
    // and a caller that waits anyway never waits longer than the cap
    assertThat(policy.delay(1, maintenance, 0.5)).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void aZeroHintMeansAtOnce() {
    assertThat(policy.delay(1, new RateLimitException("x", null, null, null, Duration.ZERO), 0.9))
        .isZero();
  }

  @Test
  void anOverLongHintWithoutAServerMessageStillReadsWell() {
    RateLimitException e = new RateLimitException(null, null, null, null, Duration.ofHours(2));
    MaritacaException over = policy.overLongHint(e);
    assertThat(over.getMessage()).startsWith("HTTP 429: rate limited (the server asked to wait");
    assertThat(policy.overLongHint(over)).isSameAs(over);
  }

  @Test
  void rejectsNonsenseSettings() {
    assertThatThrownBy(
            () -> new RetryPolicy(-1, Duration.ofMillis(1), Duration.ofMillis(2), Duration.ZERO))
        .hasMessageContaining("-1");
    assertThatThrownBy(
            () -> new RetryPolicy(1, Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ZERO))
        .hasMessageContaining("maxBackoff");
  }
}
