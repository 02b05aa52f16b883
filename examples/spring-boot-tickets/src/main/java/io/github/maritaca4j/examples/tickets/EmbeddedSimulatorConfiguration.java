package io.github.maritaca4j.examples.tickets;

import io.github.maritaca4j.ChatListener;
import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.batch.SharedLimits;
import io.github.maritaca4j.simulator.Latency;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import io.github.maritaca4j.simulator.RateLimit;
import io.github.maritaca4j.spring.boot.ChatMaritacaBuilderCustomizer;
import io.github.maritaca4j.spring.boot.MaritacaAutoConfiguration;
import io.github.maritaca4j.spring.boot.MaritacaProperties;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The embedded simulator and a {@link ChatMaritaca} on it, when {@code tickets.simulator.enabled}
 * is true, or is not set and no Maritaca key or base URL is configured: the application then runs
 * offline, with the simulator's rate limits, latency and answers. The client is the one the starter
 * would make from the properties, pointed at the simulator; the starter's auto-configuration backs
 * off for it and builds the {@code MaritacaChatModel} on it.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedSimulatorConfiguration.NoMaritacaConfigured.class)
class EmbeddedSimulatorConfiguration {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSimulatorConfiguration.class);

  @Bean(destroyMethod = "close")
  MaritacaSimulator maritacaSimulator() {
    MaritacaSimulator sim =
        MaritacaSimulator.builder()
            .seed(42)
            .latency(Latency.of(Duration.ofMillis(20), Duration.ofMillis(1), 0.3))
            // tier 1's published limits, so that the batch engine paces against them
            .defaultRateLimit(RateLimit.of(1_000, 2_000_000, 200_000))
            .start();
    LOG.info("no Maritaca key configured: using the embedded simulator at {}", sim.baseUrl());
    return sim;
  }

  /**
   * The client the starter would make from the {@code spring.ai.maritaca.*} properties (model,
   * options, rate limits, listeners such as the starter's batch observability, customizers), with
   * the simulator's base URL and a placeholder key.
   */
  @Bean
  ChatMaritaca chatMaritaca(
      MaritacaSimulator simulator,
      MaritacaProperties properties,
      Environment environment,
      ObjectProvider<SharedLimits> sharedLimits,
      ObjectProvider<ChatListener> listeners,
      ObjectProvider<ChatMaritacaBuilderCustomizer> customizers) {
    properties.setBaseUrl(simulator.baseUrl());
    properties.setApiKey("simulator");
    return new MaritacaAutoConfiguration()
        .chatMaritaca(properties, environment, sharedLimits, listeners, customizers);
  }

  /** True when the simulator is asked for, or nothing points the application at Maritaca. */
  static final class NoMaritacaConfigured extends SpringBootCondition {
    @Override
    public ConditionOutcome getMatchOutcome(
        ConditionContext context, AnnotatedTypeMetadata metadata) {
      Environment env = context.getEnvironment();
      String explicit = env.getProperty("tickets.simulator.enabled");
      if (explicit != null) {
        return Boolean.parseBoolean(explicit.strip())
            ? ConditionOutcome.match("tickets.simulator.enabled is true")
            : ConditionOutcome.noMatch("tickets.simulator.enabled is false");
      }
      for (String name :
          new String[] {
            "spring.ai.maritaca.api-key", ChatMaritaca.API_KEY_ENV, "spring.ai.maritaca.base-url"
          }) {
        String value = env.getProperty(name);
        if (value != null && !value.isBlank()) {
          return ConditionOutcome.noMatch(name + " is set");
        }
      }
      return ConditionOutcome.match("no Maritaca key or base URL is configured");
    }
  }
}
