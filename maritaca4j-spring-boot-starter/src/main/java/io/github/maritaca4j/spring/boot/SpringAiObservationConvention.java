package io.github.maritaca4j.spring.boot;

import io.github.maritaca4j.ChatListener;
import io.github.maritaca4j.micrometer.DefaultMaritacaObservationConvention;
import io.github.maritaca4j.micrometer.MaritacaObservationContext;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import org.springframework.ai.chat.observation.ChatModelObservationDocumentation.LowCardinalityKeyNames;

/**
 * maritaca4j's request observations with the low-cardinality keys of Spring AI's chat model
 * observations, which have the same name ({@value DefaultMaritacaObservationConvention#NAME}): the
 * meters a registry derives from both (Boot's timer, Spring AI's token counter) then have one set
 * of tag keys per name, as Prometheus requires. {@code error.type} moves to the high-cardinality
 * keys (the timer's {@code error} tag still tells failures apart); every other key is the default
 * convention's.
 */
final class SpringAiObservationConvention extends DefaultMaritacaObservationConvention {

  @Override
  public KeyValues getLowCardinalityKeyValues(MaritacaObservationContext context) {
    ChatListener.RequestStart s = context.start();
    ChatListener.RequestEnd e = context.end();
    String responseModel =
        e == null || e.responseModel() == null ? KeyValue.NONE_VALUE : e.responseModel();
    return KeyValues.of(
        KeyValue.of(LowCardinalityKeyNames.AI_OPERATION_TYPE.asString(), s.operation()),
        KeyValue.of(LowCardinalityKeyNames.AI_PROVIDER.asString(), PROVIDER),
        KeyValue.of(LowCardinalityKeyNames.REQUEST_MODEL.asString(), s.model()),
        KeyValue.of(LowCardinalityKeyNames.RESPONSE_MODEL.asString(), responseModel));
  }

  @Override
  public KeyValues getHighCardinalityKeyValues(MaritacaObservationContext context) {
    KeyValues kv = super.getHighCardinalityKeyValues(context);
    ChatListener.RequestEnd e = context.end();
    return e == null || e.errorType() == null ? kv : kv.and(ERROR_TYPE, e.errorType());
  }
}
