package io.github.maritaca4j.jobs;

import io.github.maritaca4j.cost.CostEstimate;
import java.util.Objects;

/**
 * An input file validated and estimated without running it: what {@link JsonlJob#estimate} returns.
 * Immutable.
 *
 * @param input the pass over the file: problems, requests by model, ignored fields
 * @param estimate the estimate of running every request; null when the input has problems
 */
public record InputEstimate(InputReport input, CostEstimate estimate) {
  public InputEstimate {
    Objects.requireNonNull(input, "input");
  }

  /** Whether the input has no problem (and so has an estimate). */
  public boolean isValid() {
    return input.isValid();
  }
}
