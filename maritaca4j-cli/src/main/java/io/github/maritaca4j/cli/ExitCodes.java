package io.github.maritaca4j.cli;

/** The exit codes of the {@code maritaca} command (documented in docs/cli.md). */
public final class ExitCodes {
  /** Everything asked was done, nothing failed. */
  public static final int OK = 0;

  /** An unexpected error (the message says what; {@code --verbose} shows the stack trace). */
  public static final int ERROR = 1;

  /** A bad command line: unknown option, missing argument, bad value. */
  public static final int USAGE = 2;

  /**
   * The input file has problems (malformed lines, duplicates, unknown models); nothing was sent.
   */
  public static final int INVALID_INPUT = 3;

  /**
   * The budget stops the job: the estimate exceeds {@code --budget} (nothing was sent), or the
   * budget ran out during the run (run again with a larger budget to go on).
   */
  public static final int BUDGET = 4;

  /** The job finished but some requests failed: they are in the errors file. */
  public static final int ITEMS_FAILED = 5;

  /**
   * The API cannot be used: no key, bad key, unreachable server, unknown model on the server; or
   * the {@code --shared-limits} store cannot be used (nothing was sent).
   */
  public static final int API = 6;

  /** A Batch API job is not finished yet (status or results without {@code --wait}). */
  public static final int PENDING = 7;

  /** Interrupted (Ctrl-C): what came back was written; the same command resumes. */
  public static final int INTERRUPTED = 130;

  private ExitCodes() {}
}
