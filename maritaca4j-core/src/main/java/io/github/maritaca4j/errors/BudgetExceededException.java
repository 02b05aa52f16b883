package io.github.maritaca4j.errors;

import java.math.BigDecimal;

/**
 * A request was not sent because its worst-case cost did not fit in what is left of the budget.
 * Nothing was spent on it. Not retryable.
 */
public class BudgetExceededException extends MaritacaException {
  private final BigDecimal budget;
  private final BigDecimal required;
  private final BigDecimal remaining;

  public BudgetExceededException(BigDecimal budget, BigDecimal required, BigDecimal remaining) {
    super(
        "budget of R$ "
            + budget.toPlainString()
            + " would be exceeded: the request may cost up to R$ "
            + required.stripTrailingZeros().toPlainString()
            + " and R$ "
            + remaining.stripTrailingZeros().toPlainString()
            + " is left uncommitted");
    this.budget = budget;
    this.required = required;
    this.remaining = remaining;
  }

  /** The budget, BRL. */
  public BigDecimal budget() {
    return budget;
  }

  /** The worst-case cost of the refused request, BRL. */
  public BigDecimal required() {
    return required;
  }

  /** What was left of the budget (neither spent nor reserved) when it was refused, BRL. */
  public BigDecimal remaining() {
    return remaining;
  }
}
