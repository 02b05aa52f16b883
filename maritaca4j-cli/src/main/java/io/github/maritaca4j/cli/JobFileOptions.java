package io.github.maritaca4j.cli;

import io.github.maritaca4j.jobs.JobFiles;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The files of a JSONL job, as {@code batch run} and {@code batch submit} take them: INPUT, {@code
 * -o OUTPUT} and {@code --errors FILE}. In real time the answers are appended as they come; after a
 * submit, by {@code batch results}: the wording fits both.
 */
final class JobFileOptions {
  @Parameters(index = "0", paramLabel = "INPUT", description = "The requests, one JSON a line.")
  Path input;

  @Option(
      names = {"-o", "--output"},
      required = true,
      paramLabel = "OUTPUT",
      description = "Where the answers are appended, one JSON a line (Batch API output format).")
  Path output;

  @Option(
      names = "--errors",
      paramLabel = "FILE",
      description = "Where the failures are appended (default: OUTPUT with .errors.jsonl).")
  Path errors;

  /**
   * Checks the files before any work: INPUT a readable regular file, OUTPUT and the errors file
   * files that can be created or appended to.
   */
  void check() {
    Inputs.requireInput(input);
    Inputs.requireWritable(output, "output file");
    if (errors != null) {
      Inputs.requireWritable(errors, "errors file");
    }
  }

  /** The job's files. */
  JobFiles files() {
    return new JobFiles(input, output, errors);
  }
}
