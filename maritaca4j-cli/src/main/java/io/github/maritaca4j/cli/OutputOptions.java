package io.github.maritaca4j.cli;

import picocli.CommandLine.Option;

/** How a job reports: progress style, quiet, JSON. */
final class OutputOptions {
  /** Progress styles. */
  enum ProgressStyle {
    AUTO,
    BAR,
    LINES,
    NONE
  }

  @Option(
      names = {"-q", "--quiet"},
      description = "No progress and no summary; errors only.")
  boolean quiet;

  @Option(
      names = "--json",
      description = "Print the result as one JSON object on stdout (progress stays on stderr).")
  boolean json;

  @Option(
      names = "--progress",
      paramLabel = "STYLE",
      description =
          "auto (a bar on a terminal, else a line every few seconds), bar, lines or none"
              + " (default: ${DEFAULT-VALUE}).",
      defaultValue = "auto")
  ProgressStyle progress;

  @Option(
      names = "--progress-interval",
      paramLabel = "SECONDS",
      description = "Seconds between progress lines when not on a terminal (default: 5).",
      defaultValue = "5")
  double progressInterval;

  ProgressStyle style(CliEnvironment env) {
    if (quiet) {
      return ProgressStyle.NONE;
    }
    if (progress == ProgressStyle.AUTO) {
      return env.interactive() ? ProgressStyle.BAR : ProgressStyle.LINES;
    }
    return progress;
  }
}
