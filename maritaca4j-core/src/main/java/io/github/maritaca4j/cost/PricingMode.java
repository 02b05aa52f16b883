package io.github.maritaca4j.cost;

/**
 * How a request is billed. The discounted modes are mutually exclusive: exactly one applies to a
 * request, and none of them multiplies with the cached-input discount.
 */
public enum PricingMode {
  /** List price. */
  STANDARD,
  /** {@code service_tier: "flex"}: half the non-cached input and output price. */
  FLEX,
  /** Maritaca's Batch API: half the non-cached input and output price. */
  BATCH,
  /** Off-peak hours (22:00 to 06:00, America/Sao_Paulo): 70% of the list price. */
  OFF_PEAK
}
