package io.github.maritaca4j.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options of the Batch API commands. */
final class BatchApiOptions {
  /** Environment variable naming the directory of Batch API job states. */
  static final String STATE_DIR_ENV = "MARITACA_STATE_DIR";

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description =
          "Where Batch API job states are kept (default: $MARITACA_STATE_DIR, else"
              + " ~/.maritaca/jobs).")
  Path stateDir;

  @Option(
      names = "--poll",
      paramLabel = "SECONDS",
      description = "Seconds between status checks with --wait (default: ${DEFAULT-VALUE}).",
      defaultValue = "10")
  double pollSeconds;

  Path stateDir(CliEnvironment env) {
    if (stateDir != null) {
      return stateDir;
    }
    String d = env.get(STATE_DIR_ENV);
    return d != null ? Path.of(d) : env.home().resolve(".maritaca").resolve("jobs");
  }

  long pollMillis() {
    if (pollSeconds <= 0) {
      throw new CliException(ExitCodes.USAGE, "--poll must be positive");
    }
    return Math.max(1, (long) (pollSeconds * 1000));
  }
}
