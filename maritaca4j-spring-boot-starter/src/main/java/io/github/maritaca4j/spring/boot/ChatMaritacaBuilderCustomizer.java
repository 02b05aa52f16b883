package io.github.maritaca4j.spring.boot;

import io.github.maritaca4j.ChatMaritaca;

/**
 * Adjusts the builder of the auto-configured {@link ChatMaritaca} after the {@code
 * spring.ai.maritaca.*} properties were applied and before it is built: an executor, a price table,
 * a token counter, a clock... Every such bean is applied, in {@code @Order}.
 */
@FunctionalInterface
public interface ChatMaritacaBuilderCustomizer {
  /** Adjusts {@code builder}. */
  void customize(ChatMaritaca.Builder builder);
}
