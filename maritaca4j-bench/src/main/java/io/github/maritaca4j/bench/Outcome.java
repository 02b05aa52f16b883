package io.github.maritaca4j.bench;

import java.util.Map;
import java.util.TreeMap;

/**
 * What one measured run produced, as the client saw it.
 *
 * @param ok items answered
 * @param failed items whose call ended in an exception after the client's own retries
 * @param errors failed items by exception (simple class name and message head), for diagnosis
 */
record Outcome(int ok, int failed, Map<String, Integer> errors) {

  Outcome {
    errors = Map.copyOf(errors);
  }

  /** Counts outcomes from many threads. */
  static final class Tally {
    private int ok;
    private int failed;
    private final Map<String, Integer> errors = new TreeMap<>();

    synchronized void ok() {
      ok++;
    }

    synchronized void failed(Throwable t) {
      failed++;
      errors.merge(describe(t), 1, Integer::sum);
    }

    synchronized Outcome outcome() {
      return new Outcome(ok, failed, errors);
    }
  }

  /** The innermost interesting cause: class name and the first 80 characters of its message. */
  static String describe(Throwable t) {
    Throwable e = t;
    while ((e instanceof java.util.concurrent.CompletionException
            || e instanceof java.util.concurrent.ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    String m = e.getMessage() == null ? "" : e.getMessage().replaceAll("\\s+", " ");
    if (m.length() > 80) {
      m = m.substring(0, 80) + "...";
    }
    return e.getClass().getSimpleName() + (m.isEmpty() ? "" : ": " + m);
  }
}
