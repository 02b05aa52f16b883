package io.github.maritaca4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks of the files a command is given, before any work: one clear message naming the file and
 * the problem (exit 1) instead of an I/O exception from deep inside.
 */
final class Inputs {
  private Inputs() {}

  /** {@code file} must be an existing, readable file (a pipe will do: it is read once). */
  static void requireFile(Path file, String what) {
    requireFile(file, what, false);
  }

  /**
   * A job's input: an existing, readable regular file (a job reads it more than once: validation,
   * then the run).
   */
  static void requireInput(Path file) {
    requireFile(file, "input file", true);
  }

  private static void requireFile(Path file, String what, boolean regular) {
    if (Files.isDirectory(file)) {
      throw new CliException(ExitCodes.ERROR, what + " is a directory, not a file: " + file);
    }
    if (!Files.exists(file)) {
      throw new CliException(ExitCodes.ERROR, what + " not found: " + file);
    }
    if (regular && !Files.isRegularFile(file)) {
      throw new CliException(
          ExitCodes.ERROR,
          what
              + " is not a regular file (a job reads it more than once; save it to a file): "
              + file);
    }
    if (!Files.isReadable(file)) {
      throw new CliException(ExitCodes.ERROR, what + " is not readable (permissions): " + file);
    }
  }

  /**
   * {@code file} will be created or appended to: it must not be a directory, and its directory must
   * be one (created when missing) where files can be written.
   */
  static void requireWritable(Path file, String what) {
    if (Files.isDirectory(file)) {
      throw new CliException(ExitCodes.ERROR, what + " is a directory; give a file name: " + file);
    }
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      throw new CliException(ExitCodes.ERROR, what + " is not a regular file: " + file);
    }
    if (Files.exists(file) && !Files.isWritable(file)) {
      throw new CliException(ExitCodes.ERROR, what + " is not writable (permissions): " + file);
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent == null) {
      return;
    }
    for (Path p = parent; p != null; p = p.getParent()) {
      if (Files.exists(p)) {
        if (!Files.isDirectory(p)) {
          throw new CliException(
              ExitCodes.ERROR, "cannot create " + what + " " + file + ": " + p + " is a file");
        }
        if (!Files.isWritable(p)) {
          throw new CliException(
              ExitCodes.ERROR,
              "cannot create " + what + " " + file + ": directory " + p + " is not writable");
        }
        break;
      }
    }
  }
}
