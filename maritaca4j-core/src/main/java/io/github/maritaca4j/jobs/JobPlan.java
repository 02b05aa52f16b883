package io.github.maritaca4j.jobs;

import io.github.maritaca4j.cost.CostEstimate;
import java.util.Objects;

/**
 * What a {@link JsonlJob} found before sending anything: the state of its files, the input's
 * problems, and the estimate of what is left to do. Made by {@link JsonlJob#prepare()}; pass it to
 * {@link JsonlJob#run(JobPlan)}, or to {@link BatchApiJob#submit}. Holds the set of done {@code
 * custom_id}s (a compact set of fingerprints); not thread-safe.
 */
public final class JobPlan {
  private final JobFiles files;
  private final InputReport input;
  private final CostEstimate estimate;
  private final ResultFileScan outputScan;
  private final ResultFileScan errorsScan;
  private final boolean retryFailed;
  private final boolean retryInterrupted;
  private final long retryCandidates;
  final CustomIdSet done;
  final CustomIdSet retry;
  private final JobShard shard;
  private final long otherShardResults;

  JobPlan(
      JobFiles files,
      InputReport input,
      CostEstimate estimate,
      ResultFileScan outputScan,
      ResultFileScan errorsScan,
      boolean retryFailed,
      boolean retryInterrupted,
      long retryCandidates,
      CustomIdSet done,
      CustomIdSet retry,
      JobShard shard,
      long otherShardResults) {
    this.files = Objects.requireNonNull(files);
    this.input = Objects.requireNonNull(input);
    this.estimate = estimate;
    this.outputScan = outputScan;
    this.errorsScan = errorsScan;
    this.retryFailed = retryFailed;
    this.retryInterrupted = retryInterrupted;
    this.retryCandidates = retryCandidates;
    this.done = done;
    this.retry = retry;
    this.shard = shard;
    this.otherShardResults = otherShardResults;
  }

  public JobFiles files() {
    return files;
  }

  /** The input pass: problems, requests left to run, requests already done. */
  public InputReport input() {
    return input;
  }

  /** Whether the input has no problem (the job may run). */
  public boolean isValid() {
    return input.isValid();
  }

  /** The estimate of the requests left to run; null when the input has problems. */
  public CostEstimate estimate() {
    return estimate;
  }

  /** Requests left to run (of the shard, when there is one). */
  public long remaining() {
    return input.requests();
  }

  /** Requests of the input already in the output or errors file. */
  public long alreadyDone() {
    return input.skipped();
  }

  /** The output file as found (result lines, bytes of a partial last line cut off). */
  public ResultFileScan outputScan() {
    return outputScan;
  }

  /** The errors file as found. */
  public ResultFileScan errorsScan() {
    return errorsScan;
  }

  /** Bytes of partial last lines cut off the output and errors files. */
  public long repairedBytes() {
    return outputScan.truncatedBytes() + errorsScan.truncatedBytes();
  }

  /** Whether this is a {@code --retry-failed} run. */
  public boolean retryFailed() {
    return retryFailed;
  }

  /**
   * Whether an earlier {@code --retry-failed} run was interrupted (its failures file is still
   * there); this run finishes it.
   */
  public boolean retryInterrupted() {
    return retryInterrupted;
  }

  /** For a retry: the failures to retry, before subtracting those already retried. */
  public long retryCandidates() {
    return retryCandidates;
  }

  /** The shard of the input this plan runs; null for the whole input. */
  public JobShard shard() {
    return shard;
  }

  /**
   * Results in the output and errors files (and an interrupted retry's failures file) whose {@code
   * custom_id} belongs to another shard than {@link #shard()}: more than 0 means the files are
   * (partly) another shard's output, and running would mix two shards in one file; always 0 without
   * a shard.
   */
  public long otherShardResults() {
    return otherShardResults;
  }
}
