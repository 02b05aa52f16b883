/**
 * API: money and tokens. Prices in BRL as data ({@link io.github.maritaca4j.cost.PriceTable},
 * {@link io.github.maritaca4j.cost.PricingMode}), exact costs ({@link
 * io.github.maritaca4j.cost.Cost}), estimates before sending ({@link
 * io.github.maritaca4j.cost.CostEstimator}, {@link io.github.maritaca4j.cost.CostEstimate}) and
 * token counting ({@link io.github.maritaca4j.cost.TokenCounter}). See {@code docs/cost.md}.
 */
package io.github.maritaca4j.cost;
