package io.github.maritaca4j.internal.batch;

import java.math.BigDecimal;

/**
 * Budget accounting: worst-case reservations before sending, settled with actual costs. Not
 * thread-safe: the run's lock guards it.
 */
final class BudgetLedger {
  private final BigDecimal budget;
  private BigDecimal spent = BigDecimal.ZERO;
  private BigDecimal reserved = BigDecimal.ZERO;

  BudgetLedger(BigDecimal budget) {
    this.budget = budget;
  }

  BigDecimal budget() {
    return budget;
  }

  BigDecimal spent() {
    return spent;
  }

  BigDecimal reserved() {
    return reserved;
  }

  /** Neither spent nor reserved. */
  BigDecimal remaining() {
    return budget.subtract(spent).subtract(reserved);
  }

  boolean fits(BigDecimal amount) {
    return remaining().compareTo(amount) >= 0;
  }

  void reserve(BigDecimal amount) {
    reserved = reserved.add(amount);
  }

  /** Drops a reservation: nothing was spent. */
  void release(BigDecimal amount) {
    reserved = reserved.subtract(amount);
  }

  /** Replaces a reservation by what was actually spent. */
  void settle(BigDecimal reservation, BigDecimal actual) {
    reserved = reserved.subtract(reservation);
    spent = spent.add(actual);
  }
}
