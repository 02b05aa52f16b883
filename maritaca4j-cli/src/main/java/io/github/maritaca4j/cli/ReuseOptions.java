package io.github.maritaca4j.cli;

import io.github.maritaca4j.cache.SqliteResponseCache;
import io.github.maritaca4j.errors.JobException;
import io.github.maritaca4j.jobs.JobOrder;
import io.github.maritaca4j.jobs.JsonlJob;
import io.github.maritaca4j.jobs.ResponseCache;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * Paying less for the same answers in {@code batch run}: {@code --cache PATH} (answers kept in a
 * SQLite file and reused), {@code --no-dedup} and {@code --order prefix|input}.
 */
final class ReuseOptions {
  @Option(
      names = "--cache",
      paramLabel = "PATH",
      description =
          "Keep every answer in this SQLite file (created when missing), keyed by a hash of the"
              + " model, messages and parameters; a request found there is answered from it at"
              + " zero cost (\"from_cache\": true in its output line). Several jobs and processes"
              + " may share one file.")
  Path cache;

  @Option(
      names = "--no-dedup",
      description =
          "Send identical requests each time (by default an identical request is sent once and"
              + " its answer written for each custom_id, with \"duplicate_of\").")
  boolean noDedup;

  @Option(
      names = "--order",
      paramLabel = "prefix|input",
      description =
          "prefix (default): requests sharing a long prefix (system prompt, examples) wait until"
              + " the first of them is answered, so that they hit the server's prompt cache and"
              + " pay the cached input price; input: send in input order.",
      converter = OrderConverter.class,
      defaultValue = "prefix")
  JobOrder order = JobOrder.PREFIX;

  /** {@code prefix} or {@code input}. */
  static final class OrderConverter implements picocli.CommandLine.ITypeConverter<JobOrder> {
    @Override
    public JobOrder convert(String value) {
      switch (value.strip().toLowerCase(Locale.ROOT)) {
        case "prefix":
          return JobOrder.PREFIX;
        case "input":
          return JobOrder.INPUT;
        default:
          throw new picocli.CommandLine.TypeConversionException(
              "'" + value + "' is not an order: use prefix or input");
      }
    }
  }

  /**
   * Opens the cache file (null without {@code --cache}); a path that cannot be used stops the
   * command before anything is read or sent.
   */
  ResponseCache openCache() {
    if (cache == null) {
      return null;
    }
    try {
      return SqliteResponseCache.open(cache);
    } catch (JobException e) {
      throw new CliException(ExitCodes.ERROR, e.getMessage());
    }
  }

  /** Applies the options to a job. */
  void apply(JsonlJob.Builder b, ResponseCache openCache) {
    b.cache(openCache).deduplicate(!noDedup).order(order);
  }
}
