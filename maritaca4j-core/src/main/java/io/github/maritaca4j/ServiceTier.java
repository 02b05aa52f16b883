package io.github.maritaca4j;

/** Maritaca's service tiers. */
public enum ServiceTier {
  /** Normal processing; no {@code service_tier} field is sent. */
  STANDARD,
  /**
   * {@code service_tier: "flex"}: half price for input and output, subject to capacity (queued up
   * to five minutes, then 429; 429 at once when the queue is full).
   */
  FLEX
}
