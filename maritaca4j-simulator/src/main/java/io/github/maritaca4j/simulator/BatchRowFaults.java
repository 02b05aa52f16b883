package io.github.maritaca4j.simulator;

/**
 * Rows of Batch API batches that do not come back as answers, to test clients that must finish
 * every request: every {@code failEvery}-th row of a batch goes to the error file as a retryable
 * failure ({@code server_error}), every {@code dropEvery}-th row is in neither file (a request the
 * batch lost). Counted from 1 in each batch's input order; 0 turns a kind off. Immutable.
 *
 * @param failEvery every how many rows one fails; 0 for none
 * @param dropEvery every how many rows one is missing; 0 for none (a row that is both fails)
 */
public record BatchRowFaults(int failEvery, int dropEvery) {
  /** Every row is answered. */
  public static final BatchRowFaults NONE = new BatchRowFaults(0, 0);

  public BatchRowFaults {
    if (failEvery < 0 || dropEvery < 0) {
      throw new IllegalArgumentException(
          "failEvery and dropEvery must be >= 0: " + failEvery + ", " + dropEvery);
    }
  }

  /** Whether row {@code index} (0-based) fails. */
  public boolean fails(int index) {
    return failEvery > 0 && (index + 1) % failEvery == 0;
  }

  /** Whether row {@code index} (0-based) is missing from both files. */
  public boolean drops(int index) {
    return !fails(index) && dropEvery > 0 && (index + 1) % dropEvery == 0;
  }
}
