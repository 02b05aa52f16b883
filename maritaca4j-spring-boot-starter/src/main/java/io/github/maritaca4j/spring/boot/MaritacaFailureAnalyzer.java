package io.github.maritaca4j.spring.boot;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains a startup that failed for want of a Maritaca API key, naming the property. */
public class MaritacaFailureAnalyzer
    extends AbstractFailureAnalyzer<MissingMaritacaApiKeyException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, MissingMaritacaApiKeyException cause) {
    return new FailureAnalysis(
        "No Maritaca API key was configured: the property '"
            + MaritacaProperties.PREFIX
            + ".api-key' is not set and neither is the MARITACA_API_KEY environment variable.",
        "Set '"
            + MaritacaProperties.PREFIX
            + ".api-key' (for example in application.properties, or as the environment variable"
            + " SPRING_AI_MARITACA_API_KEY), or the MARITACA_API_KEY environment variable. To use"
            + " another chat model, set 'spring.ai.model.chat' to its name.",
        cause);
  }
}
