package io.github.maritaca4j.errors;

/**
 * A job cannot start or go on: an output file that is not a job's output, an input file that
 * changed during the run, a file that cannot be read or written. Not retryable.
 */
public class JobException extends MaritacaException {
  public JobException(String message) {
    super(message);
  }

  public JobException(String message, Throwable cause) {
    super(message, cause);
  }
}
