package io.github.maritaca4j.jobs;

/**
 * What {@link JsonlJob#prepare()} found in a job's output or errors file before it ran anything
 * ({@link JobPlan#outputScan()}, {@link JobPlan#errorsScan()}). Immutable.
 *
 * @param lines result lines read (each names a {@code custom_id} that is done)
 * @param truncatedBytes bytes of a partial last line cut off (0 when the file ended cleanly): the
 *     line a process killed while writing left without its newline; its request runs again
 */
public record ResultFileScan(long lines, long truncatedBytes) {
  static final ResultFileScan EMPTY = new ResultFileScan(0, 0);
}
