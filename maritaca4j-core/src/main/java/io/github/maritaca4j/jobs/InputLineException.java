package io.github.maritaca4j.jobs;

import io.github.maritaca4j.errors.JobException;

/**
 * A line of a job's input that cannot be run; carries the problem. Thrown by {@link JobLineParser}
 * and always caught inside this package (an {@link InputScan} records the problem and goes on), so
 * callers see problems in an {@link InputReport}, never this exception.
 */
final class InputLineException extends JobException {
  private final transient InputProblem problem;

  InputLineException(InputProblem problem) {
    super(problem.toString());
    this.problem = problem;
  }

  /** What is wrong, with the line number. */
  InputProblem problem() {
    return problem;
  }
}
