package io.github.maritaca4j.langchain4j;

import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.TestClocks;
import io.github.maritaca4j.cost.PricingMode;
import java.math.BigDecimal;
import java.time.Clock;

/**
 * Clients whose wall clock is pinned, for the models of tests that look at costs: the model
 * builders have no clock of their own, so a test gives them a client with one ({@code
 * .client(Pinned.peak())}); the builder's other settings adjust a variant that keeps the clock.
 */
final class Pinned {
  private Pinned() {}

  /** A client whose pricing window is decided by {@code clock}. */
  static ChatMaritaca client(Clock clock) {
    return ChatMaritaca.builder().clock(clock).build();
  }

  /** A client at noon in Brasília: standard prices. */
  static ChatMaritaca peak() {
    return client(TestClocks.peak());
  }

  /**
   * The multiplier of a real-time answer's mode, as docs/cost.md gives it (not read from the price
   * table under test).
   */
  static BigDecimal multiplier(PricingMode mode) {
    return switch (mode) {
      case STANDARD -> BigDecimal.ONE;
      case OFF_PEAK -> new BigDecimal("0.7");
      case FLEX, BATCH -> new BigDecimal("0.5");
    };
  }

  /**
   * What sabia-4 bills for these tokens in {@code mode}: R$ 5 (input), 1.25 (cached input, null for
   * none) and 20 (output) a million.
   */
  static BigDecimal sabia4(long promptTokens, Integer cached, long outputTokens, PricingMode mode) {
    long cachedTokens = cached == null ? 0 : cached;
    BigDecimal m = multiplier(mode);
    return BigDecimal.valueOf(promptTokens - cachedTokens)
        .multiply(new BigDecimal("5"))
        .multiply(m)
        .add(BigDecimal.valueOf(cachedTokens).multiply(new BigDecimal("1.25")))
        .add(BigDecimal.valueOf(outputTokens).multiply(new BigDecimal("20")).multiply(m))
        .movePointLeft(6);
  }
}
