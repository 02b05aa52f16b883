package io.github.maritaca4j.spring.boot;

import io.github.maritaca4j.ChatListener;
import io.github.maritaca4j.Usage;
import io.github.maritaca4j.micrometer.MaritacaObservationContext;
import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import java.util.ArrayList;
import java.util.List;
import org.springframework.ai.observation.conventions.AiObservationMetricAttributes;
import org.springframework.ai.observation.conventions.AiObservationMetricNames;
import org.springframework.ai.observation.conventions.AiTokenType;

/**
 * Counts the tokens of answered maritaca4j requests in the meter Spring AI counts chat model tokens
 * in ({@code gen_ai.client.token.usage}, a counter tagged with the observation's low-cardinality
 * keys and {@code gen_ai.token.type} = input, output or total), so that a batch's tokens add up
 * with those of {@code ChatClient} calls.
 */
final class MaritacaTokenUsageObservationHandler
    implements ObservationHandler<MaritacaObservationContext> {
  private static final String DESCRIPTION = "Measures number of input and output tokens used";

  private final MeterRegistry meters;

  /**
   * @param meters where the counters go; null for none
   */
  MaritacaTokenUsageObservationHandler(MeterRegistry meters) {
    this.meters = meters;
  }

  @Override
  public boolean supportsContext(Observation.Context context) {
    return meters != null && context instanceof MaritacaObservationContext;
  }

  @Override
  public void onStop(MaritacaObservationContext context) {
    ChatListener.RequestEnd end = context.end();
    if (end == null || !end.isSuccess()) {
      return;
    }
    List<Tag> tags = new ArrayList<>();
    for (KeyValue kv : context.getLowCardinalityKeyValues()) {
      tags.add(Tag.of(kv.getKey(), kv.getValue()));
    }
    Usage u = end.usage();
    count(tags, AiTokenType.INPUT, u.promptTokens());
    count(tags, AiTokenType.OUTPUT, u.completionTokens());
    count(tags, AiTokenType.TOTAL, u.totalTokens());
  }

  private void count(List<Tag> tags, AiTokenType type, long tokens) {
    Counter.builder(AiObservationMetricNames.TOKEN_USAGE.value())
        .tag(AiObservationMetricAttributes.TOKEN_TYPE.value(), type.value())
        .description(DESCRIPTION)
        .tags(tags)
        .register(meters)
        .increment(tokens);
  }
}
