package io.github.maritaca4j.springai;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.maritaca4j.RateLimitStatus;
import io.github.maritaca4j.Usage;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.metadata.DefaultUsage;

class MappingTest {

  @Test
  void cachedInputTokensAreTheCacheReadTokensAndTheNativeUsageIsOurs() {
    Usage ours = new Usage(2048, 100, 2148, 1536);

    DefaultUsage usage = Mapping.usage(ours);

    assertThat(usage.getPromptTokens()).isEqualTo(2048);
    assertThat(usage.getCompletionTokens()).isEqualTo(100);
    assertThat(usage.getTotalTokens()).isEqualTo(2148);
    assertThat(usage.getCacheReadInputTokens()).isEqualTo(1536L);
    assertThat(usage.getNativeUsage()).isSameAs(ours);
  }

  @Test
  void headersNotSentReadAsZeroAndTheStatusKeepsThemApart() {
    MaritacaRateLimit limit =
        new MaritacaRateLimit(new RateLimitStatus(60, 59, Duration.ofSeconds(1), -1, -1, null));

    assertThat(limit.getRequestsLimit()).isEqualTo(60L);
    assertThat(limit.getRequestsRemaining()).isEqualTo(59L);
    assertThat(limit.getRequestsReset()).isEqualTo(Duration.ofSeconds(1));
    assertThat(limit.getTokensLimit()).isZero();
    assertThat(limit.getTokensReset()).isEqualTo(Duration.ZERO);
    assertThat(limit.status().tokensPerMinute()).isEmpty();
  }
}
