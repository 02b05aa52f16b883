package io.github.maritaca4j.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BatchOptionsTest {

  @Test
  void hasTheOriginalsDefaults() {
    BatchOptions o = BatchOptions.defaults();
    assertThat(o.maxConcurrency()).isEqualTo(5);
    assertThat(o.returnExceptions()).isFalse();
    assertThat(o.stop()).isEmpty();
    assertThat(o.rateLimits()).isEqualTo(RateLimits.UNKNOWN);
    assertThat(o.budget()).isNull();
    assertThat(o.maxAttempts()).isZero();
    assertThat(o.maxRateLimitRetries()).isEqualTo(20);
    assertThat(o.adaptive()).isTrue();
    assertThat(o.listener()).isNull();
  }

  @Test
  void settersRejectBadValuesAtOnceNamingThem() {
    BatchOptions.Builder b = BatchOptions.builder();
    assertThatThrownBy(() -> b.maxConcurrency(0))
        .hasMessageContaining("maxConcurrency")
        .hasMessageContaining("0");
    assertThatThrownBy(() -> b.budget(BigDecimal.ZERO)).hasMessageContaining("budget");
    assertThatThrownBy(() -> b.budget(new BigDecimal("-1"))).hasMessageContaining("-1");
    assertThatThrownBy(() -> b.maxAttempts(-1)).hasMessageContaining("maxAttempts");
    assertThatThrownBy(() -> b.maxRateLimitRetries(-2)).hasMessageContaining("-2");
    assertThatThrownBy(() -> b.stop(List.of(""))).hasMessageContaining("stop");
    assertThatThrownBy(() -> b.rateLimits(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> BatchOptions.withConcurrency(-3)).hasMessageContaining("-3");
  }

  @Test
  void toBuilderCopiesEverything() {
    BatchListener l = new BatchListener() {};
    BatchOptions o =
        BatchOptions.builder()
            .maxConcurrency(9)
            .stop(List.of("FIM"))
            .returnExceptions(true)
            .rateLimits(RateLimits.rpm(10))
            .budget(BigDecimal.ONE)
            .maxAttempts(2)
            .maxRateLimitRetries(0)
            .listener(l)
            .adaptive(false)
            .build();
    BatchOptions c = o.toBuilder().build();
    assertThat(c.maxConcurrency()).isEqualTo(9);
    assertThat(c.stop()).containsExactly("FIM");
    assertThat(c.returnExceptions()).isTrue();
    assertThat(c.rateLimits()).isEqualTo(RateLimits.rpm(10));
    assertThat(c.budget()).isEqualTo(BigDecimal.ONE);
    assertThat(c.maxAttempts()).isEqualTo(2);
    assertThat(c.maxRateLimitRetries()).isZero();
    assertThat(c.listener()).isSameAs(l);
    assertThat(c.adaptive()).isFalse();
    assertThat(c.toString()).contains("maxConcurrency=9");
  }

  @ParameterizedTest
  @CsvSource({
    "0, sabia-4, 60, 128000, 10000",
    "1, sabia-4, 1000, 2000000, 200000",
    "2, sabia-4, 1500, 4000000, 350000",
    "3, sabia-4, 2000, 6000000, 500000",
    "4, sabia-4, 5000, 10000000, 1000000",
    "5, sabia-4, 10000, 20000000, 2000000",
    "2, sabiazinho-4, 2000, 4000000, 400000",
    "3, sabiazinho-4, 5000, 20000000, 800000",
    "5, sabiazinho-4, 30000, 100000000, 10000000",
    "2, sabia-3.1, 1500, 4000000, 350000",
    "2, sabia-3, 1500, 4000000, 350000",
    "4, sabiazinho-3, 10000, 50000000, 2000000",
    "1, sabiazinho-3.1, 1000, 2000000, 200000",
    "2, SABIA-4-SMALL, 2000, 4000000, 400000",
    "2, sabia-4-2026-01-06, 1500, 4000000, 350000"
  })
  void tierPresetsFollowThePublishedTable(int tier, String model, long rpm, long in, long out) {
    assertThat(RateLimits.tier(tier, model)).isEqualTo(RateLimits.of(rpm, in, out));
  }

  @Test
  void tierPresetsRejectUnknownTiersAndModels() {
    assertThatThrownBy(() -> RateLimits.tier(6, "sabia-4"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tier")
        .hasMessageContaining("6");
    assertThatThrownBy(() -> RateLimits.tier(1, "gpt-4"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("gpt-4")
        .hasMessageContaining("RateLimits.of");
    assertThatThrownBy(() -> RateLimits.tier(1, "sabia-4-thinking"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rateLimitsValidate() {
    assertThatThrownBy(() -> RateLimits.of(-1, 0, 0)).hasMessageContaining("rpm");
    assertThatThrownBy(() -> RateLimits.rpm(1).withBurst(Duration.ZERO))
        .hasMessageContaining("burst");
    assertThatThrownBy(() -> RateLimits.rpm(1).withBurst(Duration.ofMinutes(2)))
        .hasMessageContaining("burst");
    assertThat(RateLimits.UNKNOWN.isUnknown()).isTrue();
    assertThat(RateLimits.rpm(5).withBurst(Duration.ofSeconds(6)).burstWindow())
        .contains(Duration.ofSeconds(6));
  }

  @Test
  void batchResultViews() {
    io.github.maritaca4j.ChatRequest r = Fixtures.requests(1).get(0);
    io.github.maritaca4j.ChatResult ok = FakeServer.answer(r, io.github.maritaca4j.Usage.of(1, 2));
    io.github.maritaca4j.errors.BadRequestException bad =
        new io.github.maritaca4j.errors.BadRequestException(400, "no", null, null, null, null);
    BatchResult result =
        new BatchResult(
            List.of(
                new BatchItem(0, ok, null, 1, Duration.ofMillis(5), ok.usage(), null, null),
                new BatchItem(1, null, bad, 1, Duration.ofMillis(5), null, null, null)),
            Duration.ofSeconds(1),
            3);
    assertThat(result.successes()).extracting(BatchItem::index).containsExactly(0);
    assertThat(result.failures()).extracting(BatchItem::index).containsExactly(1);
    assertThat(result.successCount()).isEqualTo(1);
    assertThat(result.failureCount()).isEqualTo(1);
    assertThat(result.allSucceeded()).isFalse();
    assertThat(result.usage().totalTokens()).isEqualTo(3);
    assertThat(result.rateLimitedCount()).isEqualTo(3);
    assertThat(result.summary().failed()).isEqualTo(1);
    assertThatThrownBy(result::results).isSameAs(bad);
    assertThatThrownBy(() -> new BatchItem(0, ok, bad, 1, Duration.ZERO, null, null, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new BatchResult(
                    List.of(new BatchItem(1, ok, null, 1, Duration.ZERO, null, null, null)),
                    Duration.ZERO,
                    0))
        .hasMessageContaining("index 1");
  }
}
