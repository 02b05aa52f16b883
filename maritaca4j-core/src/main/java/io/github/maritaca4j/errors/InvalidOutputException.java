package io.github.maritaca4j.errors;

import java.util.List;

/**
 * An answer that its batch's {@link io.github.maritaca4j.batch.ResponseValidator} still found
 * invalid after the repairs allowed ({@link io.github.maritaca4j.batch.BatchOptions#maxRepairs()}):
 * {@link #problems()} are the last answer's, {@link #content()} that answer. Not retryable.
 */
public class InvalidOutputException extends MaritacaException {
  private final List<String> problems;
  private final String content;
  private final int repairs;

  public InvalidOutputException(List<String> problems, String content, int repairs) {
    super(message(problems, repairs));
    this.problems = List.copyOf(problems);
    this.content = content;
    this.repairs = repairs;
  }

  private static String message(List<String> problems, int repairs) {
    return "the answer is invalid"
        + (repairs > 0 ? " after " + repairs + " repair" + (repairs == 1 ? "" : "s") : "")
        + ": "
        + String.join("; ", problems);
  }

  /** The problems of the last answer, one a line. */
  public List<String> problems() {
    return problems;
  }

  /** The last answer's text; null when it had none. */
  public String content() {
    return content;
  }

  /** How many times the answer was asked again. */
  public int repairs() {
    return repairs;
  }
}
