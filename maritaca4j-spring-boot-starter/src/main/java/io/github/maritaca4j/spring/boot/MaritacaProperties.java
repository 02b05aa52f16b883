package io.github.maritaca4j.spring.boot;

import io.github.maritaca4j.ServiceTier;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code spring.ai.maritaca.*} properties: connection, the account's rate limits, shared limits
 * on Redis, a batch budget, and the default chat options ({@code
 * spring.ai.maritaca.chat.options.*}). Mutable, for Spring's binder; read once at startup.
 */
@ConfigurationProperties(prefix = MaritacaProperties.PREFIX)
public class MaritacaProperties {
  /** The prefix of every property. */
  public static final String PREFIX = "spring.ai.maritaca";

  /**
   * Maritaca API key. When not set, the MARITACA_API_KEY environment variable (or system property)
   * is used; startup fails when neither is set.
   */
  private String apiKey;

  /**
   * Base URL of the API. When not set, the MARITACA_API_BASE environment variable, else
   * https://chat.maritaca.ai/api.
   */
  private String baseUrl;

  /** Timeout of one request, from sending to the last byte of the answer. */
  private Duration timeout;

  /** Retries of a failed request (429, 5xx, timeouts, connection failures). */
  private Integer maxRetries;

  /**
   * URL of a store shared by processes for the account's rate limits, e.g. redis://host:6379 (needs
   * io.github.maritaca4j:maritaca4j-redis on the class path).
   */
  private String sharedLimits;

  /**
   * The most one batch run with the model's default batch options may spend, in BRL
   * (MaritacaChatModel.batch(prompts)). Real spend never exceeds it.
   */
  private BigDecimal budget;

  /** The account's rate limits, paced at the client. */
  private final RateLimits rateLimits = new RateLimits();

  /** Batches run with the model's default batch options. */
  private final Batch batch = new Batch();

  /** The chat model. */
  private final Chat chat = new Chat();

  /** Observations and meters of the requests and batches of the client. */
  private final Observations observations = new Observations();

  public String getApiKey() {
    return apiKey;
  }

  public void setApiKey(String apiKey) {
    this.apiKey = apiKey;
  }

  public String getBaseUrl() {
    return baseUrl;
  }

  public void setBaseUrl(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  public Duration getTimeout() {
    return timeout;
  }

  public void setTimeout(Duration timeout) {
    this.timeout = timeout;
  }

  public Integer getMaxRetries() {
    return maxRetries;
  }

  public void setMaxRetries(Integer maxRetries) {
    this.maxRetries = maxRetries;
  }

  public String getSharedLimits() {
    return sharedLimits;
  }

  public void setSharedLimits(String sharedLimits) {
    this.sharedLimits = sharedLimits;
  }

  public BigDecimal getBudget() {
    return budget;
  }

  public void setBudget(BigDecimal budget) {
    this.budget = budget;
  }

  public RateLimits getRateLimits() {
    return rateLimits;
  }

  public Batch getBatch() {
    return batch;
  }

  public Chat getChat() {
    return chat;
  }

  public Observations getObservations() {
    return observations;
  }

  /** {@code spring.ai.maritaca.observations.*}. */
  public static class Observations {
    /**
     * Whether the client's batches are observed (needs io.github.maritaca4j:maritaca4j-micrometer,
     * which the starter brings): batch meters in the MeterRegistry, and one observation per batch
     * request in the ObservationRegistry, named and tagged as Spring AI's chat model observations.
     */
    private boolean enabled = true;

    /**
     * Whether the prompts and answers of batch requests are recorded in their observations
     * (gen_ai.input.messages, gen_ai.output.messages). They may hold personal data.
     */
    private boolean includeContent = false;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public boolean isIncludeContent() {
      return includeContent;
    }

    public void setIncludeContent(boolean includeContent) {
      this.includeContent = includeContent;
    }
  }

  /** {@code spring.ai.maritaca.rate-limits.*}. */
  public static class RateLimits {
    /**
     * The account's Maritaca tier, 0 to 5: the published limits of every model. Explicit rpm /
     * tpm-in / tpm-out take precedence for the default model.
     */
    private Integer tier;

    /** Requests per minute of the default model (0 or unset: not known). */
    private long rpm;

    /** Input tokens per minute of the default model (0 or unset: not known). */
    private long tpmIn;

    /** Output tokens per minute of the default model (0 or unset: not known). */
    private long tpmOut;

    public Integer getTier() {
      return tier;
    }

    public void setTier(Integer tier) {
      this.tier = tier;
    }

    public long getRpm() {
      return rpm;
    }

    public void setRpm(long rpm) {
      this.rpm = rpm;
    }

    public long getTpmIn() {
      return tpmIn;
    }

    public void setTpmIn(long tpmIn) {
      this.tpmIn = tpmIn;
    }

    public long getTpmOut() {
      return tpmOut;
    }

    public void setTpmOut(long tpmOut) {
      this.tpmOut = tpmOut;
    }
  }

  /** {@code spring.ai.maritaca.batch.*}. */
  public static class Batch {
    /** Requests in flight at most in one batch run with the default batch options. */
    private int maxConcurrency = io.github.maritaca4j.batch.BatchOptions.DEFAULT_MAX_CONCURRENCY;

    public int getMaxConcurrency() {
      return maxConcurrency;
    }

    public void setMaxConcurrency(int maxConcurrency) {
      this.maxConcurrency = maxConcurrency;
    }
  }

  /** {@code spring.ai.maritaca.chat.*}. */
  public static class Chat {
    /** Default options of every request. */
    private final Options options = new Options();

    public Options getOptions() {
      return options;
    }
  }

  /** {@code spring.ai.maritaca.chat.options.*}: the defaults of every request. */
  public static class Options {
    /** Model id, e.g. sabia-4 (the default), sabiazinho-4, sabia-4-thinking. */
    private String model;

    /** Sampling temperature, 0 to 2. */
    private Double temperature;

    /** Most tokens an answer may have, 1 to 32768. */
    private Integer maxTokens;

    /** Nucleus sampling, 0 to 1. */
    private Double topP;

    /** Stop sequences. */
    private List<String> stop = new ArrayList<>();

    /** Frequency penalty, -2 to 2. */
    private Double frequencyPenalty;

    /** Presence penalty, -2 to 2. */
    private Double presencePenalty;

    /** Service tier: standard, or flex (half price, subject to capacity). */
    private ServiceTier serviceTier;

    public String getModel() {
      return model;
    }

    public void setModel(String model) {
      this.model = model;
    }

    public Double getTemperature() {
      return temperature;
    }

    public void setTemperature(Double temperature) {
      this.temperature = temperature;
    }

    public Integer getMaxTokens() {
      return maxTokens;
    }

    public void setMaxTokens(Integer maxTokens) {
      this.maxTokens = maxTokens;
    }

    public Double getTopP() {
      return topP;
    }

    public void setTopP(Double topP) {
      this.topP = topP;
    }

    public List<String> getStop() {
      return stop;
    }

    public void setStop(List<String> stop) {
      this.stop = stop;
    }

    public Double getFrequencyPenalty() {
      return frequencyPenalty;
    }

    public void setFrequencyPenalty(Double frequencyPenalty) {
      this.frequencyPenalty = frequencyPenalty;
    }

    public Double getPresencePenalty() {
      return presencePenalty;
    }

    public void setPresencePenalty(Double presencePenalty) {
      this.presencePenalty = presencePenalty;
    }

    public ServiceTier getServiceTier() {
      return serviceTier;
    }

    public void setServiceTier(ServiceTier serviceTier) {
      this.serviceTier = serviceTier;
    }
  }
}
