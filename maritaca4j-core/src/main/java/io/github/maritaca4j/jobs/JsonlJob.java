package io.github.maritaca4j.jobs;

import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.ChatRequest;
import io.github.maritaca4j.ChatResult;
import io.github.maritaca4j.ServiceTier;
import io.github.maritaca4j.Usage;
import io.github.maritaca4j.batch.BatchItem;
import io.github.maritaca4j.batch.BatchListener;
import io.github.maritaca4j.batch.BatchOptions;
import io.github.maritaca4j.batch.BatchProgress;
import io.github.maritaca4j.batch.BatchSummary;
import io.github.maritaca4j.cost.Cost;
import io.github.maritaca4j.cost.CostEstimate;
import io.github.maritaca4j.cost.CostEstimator;
import io.github.maritaca4j.cost.PricingMode;
import io.github.maritaca4j.errors.AuthenticationException;
import io.github.maritaca4j.errors.BudgetExceededException;
import io.github.maritaca4j.errors.ConfigurationException;
import io.github.maritaca4j.errors.ConnectionException;
import io.github.maritaca4j.errors.JobException;
import io.github.maritaca4j.internal.ErrorMapper;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable, resumable JSONL job: every request of an input file run through the batch engine
 * (concurrency, rate limits, retries, budget), every answer appended to the output file and every
 * failure to the errors file, in the Batch API's output format (the file formats are in {@code
 * docs/cli.md}; {@link io.github.maritaca4j.batchapi.ResultLine} reads such lines).
 *
 * <pre>{@code
 * JsonlJob job = JsonlJob.builder(client, JobFiles.of(input, output))
 *     .options(BatchOptions.builder().maxConcurrency(10).budget(new BigDecimal("5")).build())
 *     .build();
 * try (JobLock lock = job.lock()) {       // optional: no other process appends meanwhile
 *   JobPlan plan = job.prepare();         // validates the input, estimates, nothing sent
 *   if (!plan.isValid()) throw new IllegalStateException(plan.input().describe());
 *   JobSummary summary = job.run(plan);
 * }
 * }</pre>
 *
 * <p><b>Nothing is lost.</b> The job may be killed at any instant ({@code kill -9}, a crash, a
 * closed laptop). Running it again with the same files resumes it: {@link #prepare()} reads the
 * output and errors files (cutting off a partial last line a kill may have left), and the run skips
 * every {@code custom_id} found there. Each finished item is written whole, with one write, before
 * it counts as done (one write of a whole line, see {@link SyncPolicy}), so every {@code custom_id}
 * ends in the output or the errors file exactly once, and only the requests that were in flight at
 * the kill are sent again.
 *
 * <p><b>Retrying failures.</b> With {@link Builder#retryFailed(boolean)} only the failures of the
 * errors file are run again. The errors file is first renamed (atomically) to {@link
 * JobFiles#retrying()}; a fresh errors file receives the failures of the retry. The renamed file is
 * deleted when the retry has finished. If the retry is killed, running it again (or running the job
 * normally) finishes it: the ids of the renamed file not yet in the output or the new errors file
 * are still to do.
 *
 * <p><b>Failures.</b> A request that fails for good (after the engine's retries) is written to the
 * errors file with its code, message and attempts. Failures that would hit every request (no key, a
 * rejected key, a server refusing connections) are not recorded: the run stops and throws them, and
 * the next run does those requests.
 *
 * <p><b>Memory.</b> Files are streamed; the job keeps the set of done ids (10-12.5 bytes per id:
 * 64-bit fingerprints in a compact hash set), the requests in flight, and, during validation, the
 * set of the other ids seen (10-12.5 bytes per id not done) and the line numbers of candidate
 * duplicates (8 bytes each; none in a valid file but for a rare fingerprint collision).
 *
 * <p><b>Two processes.</b> {@link #lock()} takes an exclusive lock on the output file, so that two
 * processes (two {@code maritaca} commands) never append to the same files at once; hold it from
 * {@link #prepare()} to the end of {@link #run}. The job itself does not take it.
 *
 * <p><b>Shards.</b> With {@link Builder#shard(JobShard)} the job runs only the lines whose {@code
 * custom_id} falls in that shard ({@link JobShard}: a stable hash of the id, the same on every
 * machine), so that N processes given the same input and shards {@code 1/N} to {@code N/N}, each
 * with its own output file, run every line exactly once between them. The whole input is still
 * validated (a problem on any line stops every shard); the plan, the estimate, the progress and the
 * summary count the shard's lines only, and resuming works per shard. A shard's output must hold
 * only that shard's ids: {@link JobPlan#otherShardResults()} counts the results of its files that
 * belong to other shards (an output given to the wrong shard), which a caller should refuse.
 *
 * <p>One job runs once at a time; {@link #stop()} may be called from any thread. The static {@link
 * #estimate} is thread-safe.
 */
public final class JsonlJob {
  private static final Logger log = LoggerFactory.getLogger(JsonlJob.class);

  private final ChatMaritaca client;
  private final JobFiles files;
  private final boolean retryFailed;
  private final BatchOptions options;
  private final JobListener listener;
  private final SyncPolicy sync;
  private final int estimateOutputTokens;
  private final PricingMode pricingMode;
  private final JobShard shard;
  private final ResponseCache cache;
  private final boolean deduplicate;
  private final JobOrder order;
  private volatile boolean stopping;

  private JsonlJob(Builder b) {
    this.client = b.client;
    this.shard = b.shard;
    this.cache = b.cache;
    this.deduplicate = b.deduplicate;
    this.order = b.order;
    this.files = b.files;
    this.retryFailed = b.retryFailed;
    this.options = b.options;
    this.listener = b.listener;
    this.sync = b.sync;
    this.estimateOutputTokens = b.estimateOutputTokens;
    this.pricingMode =
        b.pricingMode != null
            ? b.pricingMode
            : client.defaults().serviceTier() == ServiceTier.FLEX
                ? PricingMode.FLEX
                : PricingMode.STANDARD;
  }

  /**
   * A builder for a job of {@code client}: its defaults (model, max tokens, service tier...) apply
   * to lines that do not set them.
   */
  public static Builder builder(ChatMaritaca client, JobFiles files) {
    return new Builder(client, files);
  }

  public JobFiles files() {
    return files;
  }

  /** The pricing mode of the estimate. */
  public PricingMode pricingMode() {
    return pricingMode;
  }

  /** The shard this job runs; null for the whole input. */
  public JobShard shard() {
    return shard;
  }

  /** A parser of input lines with this job's defaults and price table. */
  JobLineParser parser() {
    return new JobLineParser(client.defaults(), client.priceTable());
  }

  /**
   * Reads the files and sends nothing: repairs a partial last line of the output or errors file,
   * collects the done ids, validates the whole input (every problem with its line number), and
   * estimates the requests left to run (of the {@linkplain Builder#shard shard}, when there is
   * one).
   *
   * @throws JobException when the output or errors file is not a job's output, or a file cannot be
   *     read
   */
  public JobPlan prepare() {
    CustomIdSet done = new CustomIdSet();
    long[] otherShard = new long[1];
    ResultFileScan out = ResultFile.scan(files.output(), true, inShard(done::add, otherShard));
    Path retrying = files.retrying();
    boolean interrupted = Files.exists(retrying);
    CustomIdSet retry = null;
    ResultFileScan err;
    if (retryFailed) {
      retry = new CustomIdSet();
      CustomIdSet r = retry;
      if (interrupted) {
        ResultFile.scan(retrying, true, inShard(r::add, otherShard));
        err = ResultFile.scan(files.errors(), true, inShard(done::add, otherShard));
      } else {
        err = ResultFile.scan(files.errors(), true, inShard(r::add, otherShard));
      }
    } else {
      err = ResultFile.scan(files.errors(), true, inShard(done::add, otherShard));
    }
    // the ids of done met in the input are only marked there, not copied into the set of ids seen
    InputEstimate e =
        scanAndEstimate(
            client,
            files.input(),
            parser(),
            skipPredicate(done, retry),
            done,
            estimateOutputTokens,
            pricingMode,
            shard);
    return new JobPlan(
        files,
        e.input(),
        e.estimate(),
        out,
        err,
        retryFailed,
        interrupted,
        retry == null ? 0 : retry.size(),
        done,
        retry,
        shard,
        otherShard[0]);
  }

  /** {@code add}, counting in {@code count[0]} the ids that are not of this job's shard. */
  private java.util.function.Consumer<String> inShard(
      java.util.function.Consumer<String> add, long[] count) {
    if (shard == null) {
      return add;
    }
    return id -> {
      if (!shard.contains(id)) {
        count[0]++;
      }
      add.accept(id);
    };
  }

  /**
   * Validates and estimates an input file without a job: every problem with its line number, the
   * requests by model, and the estimate of running them all. Reads the file once (twice when it has
   * a duplicate {@code custom_id}); sends nothing and needs no key. Thread-safe.
   *
   * @param client whose defaults apply to lines that do not set them (model, max tokens...), whose
   *     price table knows the models and whose token counter counts the input
   * @param input the requests, one JSON a line (a regular file)
   * @param outputTokens output tokens assumed for a request without {@code max_tokens} (e.g. {@link
   *     CostEstimator#DEFAULT_OUTPUT_TOKENS})
   * @param mode the prices of the estimate
   * @return the report and, when the input has no problem, the estimate
   * @throws JobException when the file cannot be read
   */
  public static InputEstimate estimate(
      ChatMaritaca client, Path input, int outputTokens, PricingMode mode) {
    return estimate(client, input, outputTokens, mode, null);
  }

  /**
   * {@link #estimate(ChatMaritaca, Path, int, PricingMode)} of one shard: the whole file is
   * validated, the requests, models and estimate are those of {@code shard} ({@link
   * InputReport#otherShards()} counts the others').
   *
   * @param shard the shard; null for the whole file
   */
  public static InputEstimate estimate(
      ChatMaritaca client, Path input, int outputTokens, PricingMode mode, JobShard shard) {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(mode, "mode");
    if (outputTokens < 0) {
      throw new IllegalArgumentException("output tokens must be >= 0, was " + outputTokens);
    }
    return scanAndEstimate(
        client,
        input,
        new JobLineParser(client.defaults(), client.priceTable()),
        null,
        null,
        outputTokens,
        mode,
        shard);
  }

  /**
   * One validating pass over {@code input}, estimating the requests {@code skip} does not skip;
   * {@code done} (or null) is the set of done ids the pass need not copy (see {@link InputScan}).
   */
  private static InputEstimate scanAndEstimate(
      ChatMaritaca client,
      Path input,
      JobLineParser parser,
      Predicate<String> skip,
      CustomIdSet done,
      int outputTokens,
      PricingMode mode,
      JobShard shard) {
    CostEstimate estimate;
    InputReport report;
    try (InputScan scan =
        InputScan.open(input, parser, skip, InputScan.DEFAULT_MAX_PROBLEMS, new CustomIdSet(), done)
            .shard(shard)) {
      // the lines are read and parsed on a thread of their own while this one counts tokens
      try (ReadAheadIterator<JobRequest> ahead =
          new ReadAheadIterator<>(scan, "maritaca4j-job-prepare-read-ahead")) {
        Iterable<ChatRequest> requests = () -> map(ahead);
        estimate = client.costEstimator().estimateBatch(requests, outputTokens, mode);
      }
      report = scan.report();
    }
    return new InputEstimate(report, report.isValid() ? estimate : null);
  }

  /**
   * Takes the exclusive lock of this job's output file ({@code <output>.lock}, an OS file lock), so
   * that no other process appends to the output or errors file while it is held. Hold it from
   * {@link #prepare()} to the end of {@link #run}, and close it then.
   *
   * @throws JobException when another process (or this one) holds it
   */
  public JobLock lock() {
    return JobLock.acquire(files.output());
  }

  static Predicate<String> skipPredicate(CustomIdSet done, CustomIdSet retry) {
    return retry == null ? done::contains : id -> done.contains(id) || !retry.contains(id);
  }

  private static Iterator<ChatRequest> map(Iterator<JobRequest> it) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public ChatRequest next() {
        return it.next().request();
      }
    };
  }

  /**
   * Stops sending: no request is started after this call; the requests in flight finish and are
   * written. {@link #run} then returns with {@link JobSummary#stopped()}. Thread-safe.
   */
  public void stop() {
    stopping = true;
  }

  /** Whether {@link #stop()} was called. */
  public boolean isStopping() {
    return stopping;
  }

  /**
   * Runs the requests of {@code plan} and waits for the end.
   *
   * @throws JobException when the plan's input has problems, or a file cannot be written
   */
  public JobSummary run(JobPlan plan) {
    try {
      return runAsync(plan).join();
    } catch (RuntimeException e) {
      throw ErrorMapper.fromThrowable(e, client.baseUrl());
    }
  }

  /**
   * Starts the requests of {@code plan}; the future completes when the last one finished and was
   * written, and the files were synced and closed.
   *
   * @throws JobException when the plan's input has problems, or a file cannot be opened
   */
  public CompletableFuture<JobSummary> runAsync(JobPlan plan) {
    Objects.requireNonNull(plan, "plan");
    if (!plan.isValid()) {
      throw new JobException(plan.input().describe());
    }
    if (plan.files() != files
        || plan.retryFailed() != retryFailed
        || !Objects.equals(plan.shard(), shard)) {
      throw new IllegalArgumentException("the plan was made by another job");
    }
    if (retryFailed && !plan.retryInterrupted() && Files.exists(files.errors())) {
      moveAside(files.errors(), files.retrying());
    }
    ResultFile output = ResultFile.open(files.output(), sync);
    ResultFile errors;
    try {
      errors = ResultFile.open(files.errors(), sync);
    } catch (RuntimeException e) {
      output.close();
      throw e;
    }
    Run run = new Run(plan, output, errors);
    return run.start();
  }

  private static void moveAside(Path from, Path to) {
    try {
      try {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(from, to);
      }
    } catch (IOException e) {
      throw new JobException("cannot move " + from + " to " + to + ": " + e.getMessage(), e);
    }
  }

  /** One run: the request iterator, the event listener, the files. */
  private final class Run implements BatchListener {
    private final JobPlan plan;
    private final ResultFile output;
    private final ResultFile errors;
    private final Object writeLock = new Object();
    // ---- guarded by writeLock: the lines answered without sending, not yet written
    private final Lines reusedLines = new Lines();
    private final List<Reused> reusedHeld = new ArrayList<>();
    private JobFeed feed;
    private long reusedOk;
    private long reusedFailed;
    private BatchProgress lastProgress;
    private final String runId = newRunId();
    private final AtomicReference<RuntimeException> writeFailure = new AtomicReference<>();
    private final AtomicReference<RuntimeException> fatal = new AtomicReference<>();
    private final long started = System.nanoTime();
    private InputScan scan;
    private boolean budgetExhausted;
    private long succeeded;
    private long failed;
    private Usage usage = Usage.ZERO;
    private Cost cost = Cost.ZERO;

    Run(JobPlan plan, ResultFile output, ResultFile errors) {
      this.plan = plan;
      this.output = output;
      this.errors = errors;
    }

    CompletableFuture<JobSummary> start() {
      scan =
          InputScan.open(
                  files.input(),
                  parser(),
                  skipPredicate(plan.done, plan.retry),
                  InputScan.DEFAULT_MAX_PROBLEMS,
                  false)
              .shard(shard);
      BatchListener outer = options.listener();
      BatchOptions opts =
          options.toBuilder()
              .returnExceptions(true)
              .listener(outer == null ? this : new Both(this, outer))
              .build();
      feed =
          new JobFeed(
              scan,
              cache,
              deduplicate,
              order,
              () ->
                  !stopping
                      && !budgetExhausted
                      && writeFailure.get() == null
                      && fatal.get() == null,
              new JobFeed.Sink() {
                @Override
                public void reused(
                    JobRequest r, ChatResult result, String completionJson, String duplicateOf) {
                  writeReused(r, result, completionJson, duplicateOf);
                }

                @Override
                public void flush() {
                  flushReused();
                }
              },
              options.validator());
      CompletableFuture<BatchSummary> f;
      try {
        f = client.batch(feed, (int) Math.min(Integer.MAX_VALUE, plan.remaining()), opts);
      } catch (RuntimeException e) {
        finish();
        throw e;
      }
      return f.handle(
          (summary, error) -> {
            finish();
            RuntimeException w = writeFailure.get() != null ? writeFailure.get() : fatal.get();
            if (w != null) {
              throw w;
            }
            if (error != null) {
              throw ErrorMapper.fromThrowable(error, client.baseUrl());
            }
            return summary(summary);
          });
    }

    private void finish() {
      flushReused();
      if (feed != null) {
        feed.close(); // its thread reading the input ahead, if any, ends before the scan closes
      }
      scan.close();
      try {
        output.close();
      } finally {
        errors.close();
      }
    }

    private JobSummary summary(BatchSummary s) {
      long notRun = plan.remaining() - succeeded - failed;
      boolean complete = notRun == 0 && !stopping && !budgetExhausted;
      if (complete && Files.exists(files.retrying())) {
        try {
          Files.delete(files.retrying());
        } catch (IOException e) {
          log.warn("cannot delete {}: {}", files.retrying(), e.toString());
        }
      }
      return new JobSummary(
          plan.remaining(),
          succeeded,
          failed,
          notRun,
          plan.alreadyDone(),
          usage,
          cost,
          s == null ? 0 : s.rateLimited(),
          s == null ? 0 : s.retries(),
          Duration.ofNanos(System.nanoTime() - started),
          stopping && notRun > 0,
          budgetExhausted);
    }

    @Override
    public void onItemCompleted(BatchItem item) {
      JobFeed.Sent sent = feed.completed(item.index(), item.isSuccess() ? item.result() : null);
      if (sent == null) {
        log.warn("no custom_id for item {}", item.index());
        return;
      }
      synchronized (writeLock) {
        if (!write(sent.request, item)) {
          return; // not written (nor its duplicates): they run again on resume
        }
        for (JobRequest dup : sent.duplicates) {
          if (item.isSuccess()) {
            writeReused(
                dup,
                item.result(),
                ResultLineWriter.completionJson(item.result()),
                sent.request.customId());
          } else if (!writeFailedDuplicate(dup, item)) {
            return;
          }
        }
        flushReused();
      }
    }

    /** Writes the line of an item the engine ran; false when it was not (and must run again). */
    private boolean write(JobRequest request, BatchItem item) {
      String id = request.customId();
      if (writeFailure.get() != null) {
        return false; // not written: it will run again on resume
      }
      try {
        String lineId = "batch_req_" + runId + "_" + item.index();
        if (item.isSuccess()) {
          output.append(ResultLineWriter.success(lineId, id, item.result()));
          succeeded++;
          usage = usage.plus(item.usage());
          cost = cost.plus(item.cost());
        } else if (ErrorMapper.unwrap(item.error()) instanceof BudgetExceededException
            && item.attempts() == 0) {
          budgetExhausted = true; // not sent, not written: a later run with more budget does it
          return false;
        } else if (isFatal(item.error())) {
          // no key, a bad key, a server that cannot be reached: every other request would fail
          // the same way, so stop and record nothing; the next run (once fixed) does them
          fatal.compareAndSet(null, (RuntimeException) ErrorMapper.unwrap(item.error()));
          return false;
        } else {
          errors.append(ResultLineWriter.failure(lineId, id, item.error(), item.attempts()));
          failed++;
          usage = usage.plus(item.usage()); // answers a validator rejected were paid for
          cost = cost.plus(item.cost());
        }
      } catch (RuntimeException e) {
        writeFailure.compareAndSet(null, e);
        return false;
      }
      if (listener != null) {
        try {
          listener.onItemWritten(id, request.request(), item);
        } catch (RuntimeException e) {
          log.warn("job listener failed on {}: {}", id, e.toString());
        }
      }
      return true;
    }

    /** Writes the failure of a request identical to one that failed; false when not written. */
    private boolean writeFailedDuplicate(JobRequest dup, BatchItem item) {
      if (writeFailure.get() != null) {
        return false;
      }
      try {
        errors.append(
            ResultLineWriter.failure(
                "batch_req_" + runId + "_dup_" + dup.line(), dup.customId(), item.error(), 0));
        failed++;
        reusedFailed++;
      } catch (RuntimeException e) {
        writeFailure.compareAndSet(null, e);
        return false;
      }
      return true;
    }

    /**
     * Adds the line of a request not sent, answered from the cache ({@code duplicateOf} null) or
     * from the identical request {@code duplicateOf}, to the lines {@link #flushReused} writes
     * together. Zero cost.
     */
    private void writeReused(
        JobRequest r, ChatResult result, String completionJson, String duplicateOf) {
      synchronized (writeLock) {
        if (writeFailure.get() != null) {
          return;
        }
        try {
          reusedLines.writeBytes(
              ResultLineWriter.reused(
                  "batch_req_" + runId + "_reused_" + r.line(),
                  r.customId(),
                  completionJson,
                  duplicateOf));
        } catch (RuntimeException e) {
          writeFailure.compareAndSet(null, e);
          return;
        }
        reusedHeld.add(new Reused(r, result, duplicateOf));
        if (reusedLines.size() >= REUSED_BYTES) {
          flushReused();
        }
      }
    }

    /**
     * Writes the lines {@link #writeReused} holds with one write, then counts them and tells the
     * listener: a line counts as done only once it is in the file (lines held when the process is
     * killed were not written, and are answered again on resume).
     */
    private void flushReused() {
      synchronized (writeLock) {
        if (reusedHeld.isEmpty()) {
          return;
        }
        List<Reused> held = new ArrayList<>(reusedHeld);
        reusedHeld.clear();
        try {
          if (writeFailure.get() != null) {
            return;
          }
          output.append(reusedLines.buffer(), reusedLines.size(), held.size());
        } catch (RuntimeException e) {
          writeFailure.compareAndSet(null, e);
          return;
        } finally {
          reusedLines.reset();
        }
        long before = reusedOk;
        succeeded += held.size();
        reusedOk += held.size();
        if (before / 1000 != reusedOk / 1000) {
          progress(lastProgress);
        }
        if (listener != null) {
          for (Reused x : held) {
            try {
              listener.onItemReused(
                  x.request.customId(), x.request.request(), x.result, x.duplicateOf);
            } catch (RuntimeException e) {
              log.warn("job listener failed on {}: {}", x.request.customId(), e.toString());
            }
          }
        }
      }
    }

    @Override
    public void onProgress(BatchProgress p) {
      synchronized (writeLock) {
        lastProgress = p;
        progress(p);
      }
    }

    /** Tells the listener, counting the requests answered without sending as done (free). */
    private void progress(BatchProgress p) {
      if (listener == null) {
        return;
      }
      long reused = reusedOk + reusedFailed;
      try {
        listener.onProgress(
            new BatchProgress(
                (int) Math.min(Integer.MAX_VALUE, (p == null ? 0 : p.completed()) + reused),
                (int) Math.min(Integer.MAX_VALUE, (p == null ? 0 : p.failed()) + reusedFailed),
                p == null ? 0 : p.inFlight(),
                (int) Math.min(Integer.MAX_VALUE, plan.remaining()),
                p == null ? 0 : p.inputTokens(),
                p == null ? 0 : p.outputTokens(),
                p == null ? java.math.BigDecimal.ZERO : p.spent(),
                p == null ? 0 : p.concurrencyLimit(),
                p == null ? 0 : p.rateLimited(),
                p == null ? 0 : p.retries(),
                p == null ? Duration.ofNanos(System.nanoTime() - started) : p.elapsed()));
      } catch (RuntimeException e) {
        log.warn("job listener failed on progress: {}", e.toString());
      }
    }
  }

  /** Lines held in memory before one write: at most about this many bytes. */
  static final int REUSED_BYTES = 1 << 18;

  /** A request answered without sending whose line is held (see {@code Run#writeReused}). */
  private record Reused(JobRequest request, ChatResult result, String duplicateOf) {}

  /** A byte buffer whose array can be written without a copy. */
  private static final class Lines extends java.io.ByteArrayOutputStream {
    Lines() {
      super(REUSED_BYTES + 4096);
    }

    byte[] buffer() {
      return buf;
    }
  }

  /** Our listener first (it writes the results), then the caller's. */
  private record Both(BatchListener first, BatchListener second) implements BatchListener {
    @Override
    public void onItemStarted(int index, int attempt) {
      second.onItemStarted(index, attempt);
    }

    @Override
    public void onItemRetried(
        int index,
        io.github.maritaca4j.errors.MaritacaException reason,
        int attempt,
        Duration delay) {
      second.onItemRetried(index, reason, attempt, delay);
    }

    @Override
    public void onRateLimited(int index, Duration pause) {
      second.onRateLimited(index, pause);
    }

    @Override
    public void onItemSucceeded(BatchItem item) {
      second.onItemSucceeded(item);
    }

    @Override
    public void onItemFailed(BatchItem item) {
      second.onItemFailed(item);
    }

    @Override
    public void onBudgetExhausted(int index, BudgetExceededException error) {
      second.onBudgetExhausted(index, error);
    }

    @Override
    public void onItemCompleted(BatchItem item) {
      first.onItemCompleted(item);
      second.onItemCompleted(item);
    }

    @Override
    public void onProgress(BatchProgress progress) {
      first.onProgress(progress);
      second.onProgress(progress);
    }
  }

  /**
   * Failures that say the job cannot go on at all (no key, a rejected key, a server that refuses
   * connections): the item is not recorded as failed and the run stops.
   */
  static boolean isFatal(Throwable error) {
    Throwable e = ErrorMapper.unwrap(error);
    if (e instanceof ConfigurationException || e instanceof AuthenticationException) {
      return true;
    }
    return e instanceof ConnectionException && e.getCause() instanceof java.net.ConnectException;
  }

  private static String newRunId() {
    byte[] b = new byte[4];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** Builds a {@link JsonlJob}. Not thread-safe. */
  public static final class Builder {
    private final ChatMaritaca client;
    private final JobFiles files;
    private boolean retryFailed;
    private BatchOptions options = BatchOptions.defaults();
    private JobListener listener;
    private SyncPolicy sync = SyncPolicy.DEFAULT;
    private int estimateOutputTokens = CostEstimator.DEFAULT_OUTPUT_TOKENS;
    private PricingMode pricingMode;
    private JobShard shard;
    private ResponseCache cache;
    private boolean deduplicate = true;
    private JobOrder order = JobOrder.PREFIX;

    private Builder(ChatMaritaca client, JobFiles files) {
      this.client = Objects.requireNonNull(client, "client");
      this.files = Objects.requireNonNull(files, "files");
    }

    /** Runs only the failures of the errors file again (see the class comment). */
    public Builder retryFailed(boolean retryFailed) {
      this.retryFailed = retryFailed;
      return this;
    }

    /**
     * The engine's options: concurrency, rate limits, budget, retries, an extra listener. {@code
     * returnExceptions} is always on (every item ends in a file).
     */
    public Builder options(BatchOptions options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    /** Told of each written item and of progress; null for none. */
    public Builder listener(JobListener listener) {
      this.listener = listener;
      return this;
    }

    /** When result lines are forced to the device (default {@link SyncPolicy#DEFAULT}). */
    public Builder syncPolicy(SyncPolicy policy) {
      this.sync = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Output tokens the estimate assumes for a request without {@code max_tokens} (default 1000, as
     * the Python original's {@code abatch_estimate_cost}).
     */
    public Builder estimateOutputTokens(int tokens) {
      if (tokens < 0) {
        throw new IllegalArgumentException("estimate output tokens must be >= 0, was " + tokens);
      }
      this.estimateOutputTokens = tokens;
      return this;
    }

    /** The pricing mode of the estimate (default FLEX for a flex client, else STANDARD). */
    public Builder pricingMode(PricingMode mode) {
      this.pricingMode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * Runs only the lines of {@code shard} (see the class comment and {@link JobShard}); null (the
     * default) runs the whole input. Give each shard its own output file.
     */
    public Builder shard(JobShard shard) {
      this.shard = shard;
      return this;
    }

    /**
     * Runs only shard {@code index} of {@code count} (1 to count): {@code shard(JobShard.of(index,
     * count))}.
     *
     * @throws IllegalArgumentException unless {@code 1 <= index <= count}
     */
    public Builder shard(int index, int count) {
      return shard(JobShard.of(index, count));
    }

    /**
     * A response cache (null, the default, for none): a request whose answer it holds is answered
     * from it without sending, at zero cost, with {@code "from_cache": true} in its output line;
     * every new answer is stored in it. The job does not close it.
     */
    public Builder cache(ResponseCache cache) {
      this.cache = cache;
      return this;
    }

    /**
     * Whether identical requests (the same {@link RequestKey}) are sent once (default true): the
     * others wait for its answer, which is written for each, with {@code "duplicate_of":
     * "<custom_id>"} in their output lines (or its failure, in the errors file). Without a {@link
     * #cache}, a repeat found after the first was answered is answered from memory (the last 10,000
     * answers).
     */
    public Builder deduplicate(boolean deduplicate) {
      this.deduplicate = deduplicate;
      return this;
    }

    /** The order of sending (default {@link JobOrder#PREFIX}). */
    public Builder order(JobOrder order) {
      this.order = Objects.requireNonNull(order, "order");
      return this;
    }

    public JsonlJob build() {
      return new JsonlJob(this);
    }
  }
}
