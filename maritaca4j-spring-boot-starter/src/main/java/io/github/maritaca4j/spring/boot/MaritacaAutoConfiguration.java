package io.github.maritaca4j.spring.boot;

import io.github.maritaca4j.ChatListener;
import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.batch.BatchOptions;
import io.github.maritaca4j.batch.RateLimits;
import io.github.maritaca4j.batch.SharedLimits;
import io.github.maritaca4j.micrometer.MaritacaObservability;
import io.github.maritaca4j.micrometer.MaritacaObservationConvention;
import io.github.maritaca4j.springai.MaritacaChatModel;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.ai.chat.observation.ChatModelObservationConvention;
import org.springframework.ai.model.SpringAIModelProperties;
import org.springframework.ai.model.tool.ToolCallingManager;
import org.springframework.ai.model.tool.autoconfigure.ToolCallingAutoConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of Maritaca's Sabiá models from the {@code spring.ai.maritaca.*} properties
 * ({@link MaritacaProperties}): a maritaca4j {@link ChatMaritaca} (for batches, cost estimates and
 * JSONL jobs) and a Spring AI {@link MaritacaChatModel} on it (for {@code ChatClient}), each unless
 * the application defines its own. Active unless {@code spring.ai.model.chat} names another model.
 *
 * <p>The model is observed in the context's {@link ObservationRegistry} when there is one, resolves
 * tools with the context's {@link ToolCallingManager}, and takes a {@link
 * ChatModelObservationConvention} bean when there is one. Every {@link ChatListener} bean is added
 * to the client, then {@link ChatMaritacaBuilderCustomizer} beans adjust the client's builder. A
 * missing API key fails startup ({@link MaritacaFailureAnalyzer} names the property).
 *
 * <p>With maritaca4j-micrometer on the class path (the starter brings it) and {@code
 * spring.ai.maritaca.observations.enabled} not false, a {@link MaritacaObservability} listener
 * observes the client's batches: batch meters in the context's {@link MeterRegistry}, and one
 * observation per batch request in its {@link ObservationRegistry}, named and tagged as Spring AI's
 * chat model observations, its tokens counted in Spring AI's token counter. Single calls are left
 * to the {@link MaritacaChatModel}'s own Spring AI observation, so nothing is counted twice.
 */
@AutoConfiguration(
    after = ToolCallingAutoConfiguration.class,
    afterName = {
      "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
      "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration"
    })
@ConditionalOnClass({ChatMaritaca.class, MaritacaChatModel.class})
@ConditionalOnProperty(
    name = SpringAIModelProperties.CHAT_MODEL,
    havingValue = MaritacaAutoConfiguration.MODEL_NAME,
    matchIfMissing = true)
@EnableConfigurationProperties(MaritacaProperties.class)
public class MaritacaAutoConfiguration {
  /** The value of {@code spring.ai.model.chat} that selects this model. */
  public static final String MODEL_NAME = "maritaca";

  /** The auto-configuration. */
  public MaritacaAutoConfiguration() {}

  /**
   * The store of the account's rate limits shared by processes, when {@code
   * spring.ai.maritaca.shared-limits} is set (closed with the context).
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  @ConditionalOnProperty(prefix = MaritacaProperties.PREFIX, name = "shared-limits")
  public SharedLimits maritacaSharedLimits(MaritacaProperties properties) {
    return SharedLimits.connect(properties.getSharedLimits());
  }

  /**
   * The maritaca4j client: key, base URL, timeout, retries, rate limits, shared limits and default
   * options from the properties, then every {@link ChatMaritacaBuilderCustomizer}.
   *
   * @throws MissingMaritacaApiKeyException when no key is configured
   */
  @Bean
  @ConditionalOnMissingBean
  public ChatMaritaca chatMaritaca(
      MaritacaProperties properties,
      Environment environment,
      ObjectProvider<SharedLimits> sharedLimits,
      ObjectProvider<ChatListener> listeners,
      ObjectProvider<ChatMaritacaBuilderCustomizer> customizers) {
    String key = properties.getApiKey();
    if (key == null || key.isBlank()) {
      key = environment.getProperty(ChatMaritaca.API_KEY_ENV);
    }
    if (key == null || key.isBlank()) {
      throw new MissingMaritacaApiKeyException();
    }
    ChatMaritaca.Builder b = ChatMaritaca.builder().apiKey(key.strip());
    if (properties.getBaseUrl() != null && !properties.getBaseUrl().isBlank()) {
      b.baseUrl(properties.getBaseUrl().strip());
    }
    if (properties.getTimeout() != null) {
      b.timeout(properties.getTimeout());
    }
    if (properties.getMaxRetries() != null) {
      b.maxRetries(properties.getMaxRetries());
    }
    MaritacaProperties.RateLimits limits = properties.getRateLimits();
    if (limits.getTier() != null) {
      b.tier(limits.getTier());
    }
    if (limits.getRpm() > 0 || limits.getTpmIn() > 0 || limits.getTpmOut() > 0) {
      b.rateLimits(RateLimits.of(limits.getRpm(), limits.getTpmIn(), limits.getTpmOut()));
    }
    sharedLimits.ifAvailable(b::sharedLimits);
    applyOptions(b, properties.getChat().getOptions());
    listeners.orderedStream().forEach(b::listener);
    customizers.orderedStream().forEach(c -> c.customize(b));
    return b.build();
  }

  private static void applyOptions(ChatMaritaca.Builder b, MaritacaProperties.Options o) {
    if (o.getModel() != null && !o.getModel().isBlank()) {
      b.model(o.getModel().strip());
    }
    if (o.getTemperature() != null) {
      b.temperature(o.getTemperature());
    }
    if (o.getMaxTokens() != null) {
      b.maxTokens(o.getMaxTokens());
    }
    if (o.getTopP() != null) {
      b.topP(o.getTopP());
    }
    if (o.getStop() != null && !o.getStop().isEmpty()) {
      b.stop(o.getStop());
    }
    if (o.getFrequencyPenalty() != null) {
      b.frequencyPenalty(o.getFrequencyPenalty());
    }
    if (o.getPresencePenalty() != null) {
      b.presencePenalty(o.getPresencePenalty());
    }
    if (o.getServiceTier() != null) {
      b.serviceTier(o.getServiceTier());
    }
  }

  /**
   * The Spring AI chat model on the client: its defaults are the client's, its batch options take
   * {@code spring.ai.maritaca.batch.max-concurrency} and {@code spring.ai.maritaca.budget}.
   */
  @Bean
  @ConditionalOnMissingBean
  public MaritacaChatModel maritacaChatModel(
      ChatMaritaca chatMaritaca,
      MaritacaProperties properties,
      ObjectProvider<ToolCallingManager> toolCallingManager,
      ObjectProvider<ObservationRegistry> observationRegistry,
      ObjectProvider<ChatModelObservationConvention> observationConvention) {
    BatchOptions.Builder batch =
        BatchOptions.builder().maxConcurrency(properties.getBatch().getMaxConcurrency());
    if (properties.getBudget() != null) {
      batch.budget(properties.getBudget());
    }
    MaritacaChatModel.Builder b =
        MaritacaChatModel.builder()
            .client(chatMaritaca)
            .observationRegistry(observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP))
            .batchOptions(batch.build());
    toolCallingManager.ifUnique(b::toolCallingManager);
    observationConvention.ifUnique(b::observationConvention);
    return b.build();
  }

  /**
   * Observations and meters of the client's batches, with maritaca4j-micrometer on the class path.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(MaritacaObservability.class)
  @ConditionalOnProperty(
      prefix = MaritacaProperties.PREFIX + ".observations",
      name = "enabled",
      matchIfMissing = true)
  static class Observability {

    /**
     * The listener added to the client: batch meters, and observations of batch requests only
     * (single calls are observed by the chat model); no request meters of its own, since the
     * registry derives them from the observations as it does from Spring AI's. A {@link
     * MaritacaObservationConvention} bean replaces the one matching Spring AI's keys.
     */
    @Bean
    @ConditionalOnMissingBean
    MaritacaObservability maritacaObservability(
        MaritacaProperties properties,
        ObjectProvider<ObservationRegistry> observationRegistry,
        ObjectProvider<MeterRegistry> meterRegistry,
        ObjectProvider<MaritacaObservationConvention> convention) {
      MaritacaObservability.Builder b =
          MaritacaObservability.builder()
              .requestFilter(ChatListener.RequestStart::isBatch)
              .requestMeters(false)
              .recordContent(properties.getObservations().isIncludeContent())
              .observationConvention(convention.getIfUnique(SpringAiObservationConvention::new));
      observationRegistry.ifUnique(b::observationRegistry);
      meterRegistry.ifUnique(b::meterRegistry);
      return b.build();
    }

    /**
     * Spring AI's token counter for the observations of batch requests (idle without a meter
     * registry).
     */
    @Bean
    MaritacaTokenUsageObservationHandler maritacaTokenUsageObservationHandler(
        ObjectProvider<MeterRegistry> meterRegistry) {
      return new MaritacaTokenUsageObservationHandler(meterRegistry.getIfUnique());
    }
  }
}
