package io.github.maritaca4j.jobs;

import java.util.Objects;

/**
 * Something wrong with one line of a job's input file, found before anything is sent. Immutable.
 *
 * @param line the 1-based line number
 * @param kind what is wrong
 * @param customId the line's {@code custom_id} when it could be read, else null
 * @param message a description for people
 */
public record InputProblem(long line, Kind kind, String customId, String message) {

  /** The kinds of problems. */
  public enum Kind {
    /** The line is not a JSON object. */
    MALFORMED_JSON,
    /** No {@code messages} (or {@code prompt}), or an empty list. */
    MISSING_MESSAGES,
    /** A {@code custom_id} already used on an earlier line. */
    DUPLICATE_CUSTOM_ID,
    /** A model the price table does not know. */
    UNKNOWN_MODEL,
    /** A field with a wrong type or value, or an endpoint other than chat completions. */
    INVALID_REQUEST
  }

  public InputProblem {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(message, "message");
  }

  /** {@code "line 4: malformed JSON: ..."}. */
  @Override
  public String toString() {
    return "line " + line + ": " + message;
  }
}
