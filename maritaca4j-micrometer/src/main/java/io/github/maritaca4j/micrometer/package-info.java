/**
 * Micrometer observations and meters for maritaca4j. {@link
 * io.github.maritaca4j.micrometer.MaritacaObservability} is a {@link
 * io.github.maritaca4j.ChatListener}: register it with {@code ChatMaritaca.builder().listener(...)}
 * and every request becomes one {@link io.micrometer.observation.Observation} named {@code
 * gen_ai.client.operation} (OpenTelemetry GenAI semantic conventions), with the {@code
 * gen_ai.client.token.usage} and {@code gen_ai.client.operation.duration} meters and the {@code
 * maritaca.batch.*} meters of batches. See {@code docs/observability.md}.
 */
package io.github.maritaca4j.micrometer;
