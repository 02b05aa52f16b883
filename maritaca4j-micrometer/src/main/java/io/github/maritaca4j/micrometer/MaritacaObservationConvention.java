package io.github.maritaca4j.micrometer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * A convention for the observations of maritaca4j requests. Implement it (or extend {@link
 * DefaultMaritacaObservationConvention}) to change names or key values, and pass it to {@link
 * MaritacaObservability.Builder#observationConvention}; Micrometer's global conventions registered
 * on the {@code ObservationRegistry} apply as well.
 */
public interface MaritacaObservationConvention
    extends ObservationConvention<MaritacaObservationContext> {

  @Override
  default boolean supportsContext(Observation.Context context) {
    return context instanceof MaritacaObservationContext;
  }
}
