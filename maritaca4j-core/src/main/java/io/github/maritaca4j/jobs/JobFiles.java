package io.github.maritaca4j.jobs;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The files of a JSONL job: the input, the output (results), the errors (failures), and the
 * temporary file of an unfinished {@code --retry-failed} run. Immutable.
 *
 * @param input the requests, one a line
 * @param output successful results, one a line, in completion order
 * @param errors failures, one a line
 */
public record JobFiles(Path input, Path output, Path errors) {

  public JobFiles {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(output, "output");
    if (errors == null) {
      errors = defaultErrors(output);
    }
    if (output.toAbsolutePath().normalize().equals(input.toAbsolutePath().normalize())) {
      throw new IllegalArgumentException("the output file must not be the input file: " + output);
    }
    if (errors.toAbsolutePath().normalize().equals(output.toAbsolutePath().normalize())) {
      throw new IllegalArgumentException("the errors file must differ from the output: " + errors);
    }
  }

  /** Files with the default errors file. */
  public static JobFiles of(Path input, Path output) {
    return new JobFiles(input, output, null);
  }

  /**
   * The default errors file of {@code output}: {@code out.jsonl} gives {@code out.errors.jsonl}; a
   * name without {@code .jsonl} gets {@code .errors.jsonl} appended.
   */
  public static Path defaultErrors(Path output) {
    String name = output.getFileName().toString();
    String base = name.endsWith(".jsonl") ? name.substring(0, name.length() - 6) : name;
    return output.resolveSibling(base + ".errors.jsonl");
  }

  /**
   * Where {@code --retry-failed} keeps the failures it is retrying until it is done: {@code
   * <errors>.retrying}.
   */
  public Path retrying() {
    return errors.resolveSibling(errors.getFileName() + ".retrying");
  }
}
