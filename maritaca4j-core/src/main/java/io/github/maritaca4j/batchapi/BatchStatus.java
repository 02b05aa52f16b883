package io.github.maritaca4j.batchapi;

import java.util.Locale;

/** The lifecycle of a Batch API batch. */
public enum BatchStatus {
  /** The input file is being checked. */
  VALIDATING,
  /** The input file failed validation; nothing runs. */
  FAILED,
  /** Requests are being run. */
  IN_PROGRESS,
  /** Requests are done; the output and error files are being written. */
  FINALIZING,
  /** Done: the output (and maybe error) file is ready. */
  COMPLETED,
  /** The completion window passed; finished requests are in the output file. */
  EXPIRED,
  /** Cancellation requested. */
  CANCELLING,
  /** Cancelled; finished requests are in the output file. */
  CANCELLED,
  /** A status this library does not know. */
  UNKNOWN;

  /** Parses a wire status ({@code "in_progress"}...); unknown values give UNKNOWN. */
  public static BatchStatus fromWire(String s) {
    if (s == null) {
      return UNKNOWN;
    }
    try {
      return valueOf(s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return UNKNOWN;
    }
  }

  /** The wire value. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether the batch will not change any more. */
  public boolean isTerminal() {
    return this == FAILED || this == COMPLETED || this == EXPIRED || this == CANCELLED;
  }

  /** Whether results (full or partial) can be downloaded. */
  public boolean hasResults() {
    return this == COMPLETED || this == EXPIRED || this == CANCELLED;
  }
}
