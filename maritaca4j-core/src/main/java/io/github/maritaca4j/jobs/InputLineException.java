package io.github.maritaca4j.jobs;

/** A line of a job's input that cannot be run; carries the problem. */
public final class InputLineException extends IllegalArgumentException {
  private final transient InputProblem problem;

  public InputLineException(InputProblem problem) {
    super(problem.toString());
    this.problem = problem;
  }

  /** What is wrong, with the line number. */
  public InputProblem problem() {
    return problem;
  }
}
