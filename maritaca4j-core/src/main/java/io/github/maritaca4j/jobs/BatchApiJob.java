package io.github.maritaca4j.jobs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.batchapi.Batch;
import io.github.maritaca4j.batchapi.BatchApiClient;
import io.github.maritaca4j.batchapi.BatchPage;
import io.github.maritaca4j.batchapi.BatchStatus;
import io.github.maritaca4j.cost.PricingMode;
import io.github.maritaca4j.internal.Json;
import io.github.maritaca4j.internal.WireFormat;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A JSONL job run on Maritaca's Batch API at half price instead of in real time: the same input and
 * output files as {@link JsonlJob}, with the server doing the work within 24 hours.
 *
 * <ol>
 *   <li>{@link #prepare} validates the input and estimates at Batch API prices (nothing sent);
 *   <li>{@link #submit} writes the requests not done yet into part files (one model each, at most
 *       50,000 lines and 200 MB), uploads them and creates one batch per part, recording every step
 *       in a {@link BatchJobState} file so that an interrupted submission goes on where it stopped
 *       (a part uploaded but whose batch creation was interrupted is matched to an existing batch
 *       of the same input file before a new one is created);
 *   <li>{@link #refresh} asks the server how the batches are doing;
 *   <li>{@link #downloadResults} appends the results of finished batches to the output file and
 *       their failures to the errors file, skipping any {@code custom_id} already there, so it can
 *       be interrupted and run again;
 *   <li>{@link #cancel} cancels the batches still running.
 * </ol>
 *
 * Requests a batch did not finish (expired, cancelled) are simply not in the output: {@code
 * maritaca batch run} or another submission does them. Not thread-safe.
 */
public final class BatchApiJob {
  private static final JsonFactory FACTORY = Json.MAPPER.getFactory();
  private static final int ADOPT_PAGES = 10;

  private final ChatMaritaca client;
  private final BatchApiClient api;
  private final Path stateDir;
  private int maxLines = BatchApiClient.MAX_LINES_PER_FILE;
  private long maxBytes = BatchApiClient.MAX_FILE_BYTES;

  /**
   * @param stateDir where job states ({@code <job id>.json}) and part files live
   */
  public BatchApiJob(ChatMaritaca client, Path stateDir) {
    this.client = Objects.requireNonNull(client, "client");
    this.api = BatchApiClient.of(client);
    this.stateDir = Objects.requireNonNull(stateDir, "stateDir");
  }

  /** For tests: smaller part limits than the Batch API's. */
  BatchApiJob limits(int lines, long bytes) {
    this.maxLines = lines;
    this.maxBytes = bytes;
    return this;
  }

  /** The Batch API client used. */
  public BatchApiClient api() {
    return api;
  }

  /** The job id of an input file: {@code job_} and 12 hex digits of its absolute path's hash. */
  public static String jobId(Path input) {
    try {
      byte[] h =
          MessageDigest.getInstance("SHA-256")
              .digest(
                  input.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
      return "job_" + HexFormat.of().formatHex(h, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The state file of a job. */
  public Path stateFile(String jobId) {
    return stateDir.resolve(jobId + ".json");
  }

  /** The job's state, or null when it was never submitted. */
  public BatchJobState load(String jobId) {
    return BatchJobState.load(stateFile(jobId));
  }

  /**
   * Finds a job by input file or job id.
   *
   * @throws JobException when there is no such job
   */
  public BatchJobState find(String inputOrJobId) {
    Path asPath = null;
    try {
      asPath = Path.of(inputOrJobId);
    } catch (RuntimeException e) {
      asPath = null;
    }
    String id =
        asPath != null && Files.isRegularFile(asPath) ? jobId(asPath) : inputOrJobId.strip();
    BatchJobState s = load(id);
    if (s == null) {
      throw new JobException(
          "no Batch API job "
              + (id.equals(inputOrJobId) ? id : id + " for " + inputOrJobId)
              + " in "
              + stateDir
              + " (submit it first with: maritaca batch submit INPUT -o OUTPUT)");
    }
    return s;
  }

  /** Every job state in the state directory, oldest first. */
  public List<BatchJobState> list() {
    if (!Files.isDirectory(stateDir)) {
      return List.of();
    }
    List<BatchJobState> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(stateDir)) {
      files
          .filter(p -> p.getFileName().toString().matches("job_[0-9a-f]{12}\\.json"))
          .forEach(
              p -> {
                BatchJobState s = BatchJobState.load(p);
                if (s != null) {
                  out.add(s);
                }
              });
    } catch (IOException e) {
      throw new JobException("cannot list " + stateDir + ": " + e.getMessage(), e);
    }
    out.sort((a, b) -> Long.compare(a.createdAt(), b.createdAt()));
    return out;
  }

  /**
   * Validates the input and estimates the requests not done yet at Batch API prices; sends nothing.
   */
  public JobPlan prepare(JobFiles files) {
    return job(files).prepare();
  }

  private JsonlJob job(JobFiles files) {
    return JsonlJob.builder(client, files).pricingMode(PricingMode.BATCH).build();
  }

  /** Told of each step of a submission. */
  public interface SubmitListener {
    /** A part file was written. */
    default void onPartWritten(BatchJobState.Part part) {}

    /** A part was uploaded. */
    default void onUploaded(BatchJobState.Part part) {}

    /** A part's batch was created (or an existing one adopted). */
    default void onBatchCreated(BatchJobState.Part part, boolean adopted) {}
  }

  /**
   * Submits the requests of {@code plan} not done yet, or goes on with an interrupted submission of
   * the same input.
   *
   * @throws JobException when the plan's input has problems, or the job is already submitted and
   *     its results not yet downloaded
   */
  public BatchJobState submit(JobPlan plan, SubmitListener listener) {
    Objects.requireNonNull(plan, "plan");
    SubmitListener l = listener != null ? listener : new SubmitListener() {};
    if (!plan.isValid()) {
      throw new JobException(plan.input().describe());
    }
    JobFiles files = plan.files();
    String id = jobId(files.input());
    Path stateFile = stateFile(id);
    BatchJobState state = BatchJobState.load(stateFile);
    boolean resuming = false;
    if (state != null && !state.isFinished()) {
      if (state.isSubmitted()) {
        throw new JobException(
            "job "
                + id
                + " for "
                + files.input()
                + " is already submitted; see `maritaca batch status "
                + id
                + "` and get its results with `maritaca batch results "
                + id
                + "`");
      }
      resuming = true;
    } else {
      state = split(plan, id, l);
      state.save(stateFile);
    }
    for (BatchJobState.Part p : state.parts()) {
      if (p.batchId() != null) {
        continue;
      }
      if (p.inputFileId() == null) {
        Path f = Path.of(p.file());
        if (!Files.exists(f)) {
          throw new JobException(
              "part file "
                  + f
                  + " of job "
                  + id
                  + " is missing; delete "
                  + stateFile
                  + " and submit again");
        }
        p = p.withUpload(api.uploadFile(f).id());
        state = state.with(p);
        state.save(stateFile);
        l.onUploaded(p);
      }
      Batch existing = resuming ? findBatchOf(p.inputFileId()) : null;
      Batch b =
          existing != null
              ? existing
              : api.createBatch(
                  p.inputFileId(),
                  Map.of("maritaca4j_job", id, "part", Integer.toString(p.index())));
      p = p.withBatch(b);
      state = state.with(p);
      state.save(stateFile);
      l.onBatchCreated(p, existing != null);
      try {
        Files.deleteIfExists(Path.of(p.file()));
      } catch (IOException e) {
        // a leftover part file is harmless
      }
    }
    return state;
  }

  private Batch findBatchOf(String inputFileId) {
    String after = null;
    for (int page = 0; page < ADOPT_PAGES; page++) {
      BatchPage bp = api.listBatches(100, after);
      for (Batch b : bp.data()) {
        if (inputFileId.equals(b.inputFileId())) {
          return b;
        }
      }
      if (!bp.hasMore() || bp.lastId() == null) {
        return null;
      }
      after = bp.lastId();
    }
    return null;
  }

  /** Writes the part files: the not-done requests, grouped by model, split at the limits. */
  private BatchJobState split(JobPlan plan, String id, SubmitListener l) {
    JobFiles files = plan.files();
    Path dir = stateDir.resolve(id);
    try {
      if (Files.isDirectory(dir)) {
        try (Stream<Path> old = Files.list(dir)) {
          for (Path p : (Iterable<Path>) old::iterator) {
            Files.deleteIfExists(p);
          }
        }
      }
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new JobException("cannot prepare " + dir + ": " + e.getMessage(), e);
    }
    List<BatchJobState.Part> parts = new ArrayList<>();
    Map<String, PartWriter> open = new LinkedHashMap<>();
    int seq = 0;
    try (InputScan scan =
        InputScan.open(
            files.input(),
            job(files).parser(),
            JsonlJob.skipPredicate(plan.done, plan.retry),
            InputScan.DEFAULT_MAX_PROBLEMS,
            false)) {
      while (scan.hasNext()) {
        JobRequest r = scan.next();
        byte[] line = batchLine(r);
        String model = r.request().model();
        PartWriter w = open.get(model);
        if (w != null && !w.fits(line.length)) {
          parts.add(w.close());
          l.onPartWritten(parts.get(parts.size() - 1));
          w = null;
        }
        if (w == null) {
          w = new PartWriter(dir, seq++, model, maxLines, maxBytes);
          open.put(model, w);
        }
        w.write(line);
      }
      if (scan.report().problemCount() > 0) {
        throw new JobException(
            files.input() + " changed since it was validated: " + scan.report().describe());
      }
    } catch (IOException e) {
      throw new JobException("cannot write a part file in " + dir + ": " + e.getMessage(), e);
    }
    for (PartWriter w : open.values()) {
      try {
        parts.add(w.close());
      } catch (IOException e) {
        throw new JobException("cannot write a part file in " + dir + ": " + e.getMessage(), e);
      }
      l.onPartWritten(parts.get(parts.size() - 1));
    }
    // number parts in order of completion of their files
    List<BatchJobState.Part> numbered = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      BatchJobState.Part p = parts.get(i);
      numbered.add(
          new BatchJobState.Part(
              i, p.model(), p.file(), p.lines(), p.bytes(), null, null, null, 0, 0, 0, null, null,
              false, null));
    }
    return new BatchJobState(
        id,
        files.input().toAbsolutePath().normalize().toString(),
        files.output().toAbsolutePath().normalize().toString(),
        files.errors().toAbsolutePath().normalize().toString(),
        client.baseUrl(),
        Instant.now().getEpochSecond(),
        numbered);
  }

  /** A Batch API input line for a request, newline included. */
  static byte[] batchLine(JobRequest r) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("custom_id", r.customId());
      g.writeStringField("method", "POST");
      g.writeStringField("url", BatchApiClient.CHAT_ENDPOINT);
      g.writeFieldName("body");
      g.writeRawValue(
          new String(WireFormat.writeRequest(r.request(), false), StandardCharsets.UTF_8));
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.write('\n');
    return out.toByteArray();
  }

  /** Writes one part file. */
  private static final class PartWriter {
    private final Path file;
    private final String model;
    private final int seq;
    private final int maxLines;
    private final long maxBytes;
    private final OutputStream out;
    private long lines;
    private long bytes;

    PartWriter(Path dir, int seq, String model, int maxLines, long maxBytes) throws IOException {
      this.seq = seq;
      this.maxLines = maxLines;
      this.maxBytes = maxBytes;
      this.model = model;
      String safe = model.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "_");
      this.file = dir.resolve(String.format(Locale.ROOT, "part-%03d-%s.jsonl", seq, safe));
      this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
    }

    boolean fits(int len) {
      return lines + 1 <= maxLines && bytes + len <= maxBytes;
    }

    void write(byte[] line) throws IOException {
      if (line.length > maxBytes) {
        throw new JobException("a request is larger than a Batch API file may be (200 MB)");
      }
      out.write(line);
      lines++;
      bytes += line.length;
    }

    BatchJobState.Part close() throws IOException {
      out.close();
      return new BatchJobState.Part(
          seq,
          model,
          file.toString(),
          lines,
          bytes,
          null,
          null,
          null,
          0,
          0,
          0,
          null,
          null,
          false,
          null);
    }
  }

  /** Asks the server about every batch not finished yet and saves what it says. */
  public BatchJobState refresh(BatchJobState state) {
    BatchJobState s = state;
    for (BatchJobState.Part p : state.parts()) {
      if (p.batchId() == null || p.downloaded()) {
        continue;
      }
      BatchStatus st = p.batchStatus();
      if (st != null && st.isTerminal() && p.status() != null && p.outputFileId() != null) {
        continue; // nothing more will change
      }
      s = s.with(p.withBatch(api.getBatch(p.batchId())));
    }
    s.save(stateFile(s.jobId()));
    return s;
  }

  /** Cancels every batch of the job still running; returns the refreshed state. */
  public BatchJobState cancel(BatchJobState state) {
    BatchJobState s = refresh(state);
    for (BatchJobState.Part p : s.parts()) {
      if (p.batchId() != null && p.batchStatus() != null && !p.batchStatus().isTerminal()) {
        if (p.batchStatus() != BatchStatus.CANCELLING) {
          s = s.with(p.withBatch(api.cancelBatch(p.batchId())));
        }
      }
    }
    s.save(stateFile(s.jobId()));
    return s;
  }

  /**
   * What {@link #downloadResults} did.
   *
   * @param state the job's state afterwards
   * @param succeeded result lines appended to the output file
   * @param failed failure lines appended to the errors file
   * @param duplicates lines skipped because their custom_id was already in the output or errors
   * @param pendingParts parts whose batch has not finished yet
   * @param missing requests of the finished parts that got no result (expired, cancelled, failed
   *     batch): run them again with {@code batch run} or another submission
   * @param repairedBytes bytes of partial last lines cut off the output and errors files
   */
  public record Results(
      BatchJobState state,
      long succeeded,
      long failed,
      long duplicates,
      int pendingParts,
      long missing,
      long repairedBytes) {}

  /**
   * Refreshes the job and appends the results of every finished batch not downloaded yet to the
   * job's output and errors files (failed requests to the errors file), exactly once per {@code
   * custom_id}. Safe to interrupt and run again.
   */
  @SuppressWarnings("try") // the lock is held by being open
  public Results downloadResults(BatchJobState state) {
    BatchJobState s = refresh(state);
    Path output = Path.of(s.output());
    Path errorsPath = Path.of(s.errors());
    long ok = 0;
    long failed = 0;
    long dups = 0;
    long missing = 0;
    int pending = 0;
    try (JobLock lock = JobLock.acquire(output)) {
      CustomIdSet done = new CustomIdSet();
      ResultFile.Scan os = ResultFile.scan(output, true, r -> done.add(r.customId()));
      ResultFile.Scan es = ResultFile.scan(errorsPath, true, r -> done.add(r.customId()));
      Path dir = stateDir.resolve(s.jobId());
      try (ResultFile out = ResultFile.open(output, SyncPolicy.DEFAULT);
          ResultFile err = ResultFile.open(errorsPath, SyncPolicy.DEFAULT)) {
        for (BatchJobState.Part p : s.parts()) {
          if (p.downloaded()) {
            continue;
          }
          BatchStatus st = p.batchStatus();
          if (st == null || !st.isTerminal()) {
            pending++;
            continue;
          }
          long[] counts = new long[3]; // ok, failed, duplicates
          for (String fileId : new String[] {p.outputFileId(), p.errorFileId()}) {
            if (fileId == null) {
              continue;
            }
            Path tmp = dir.resolve("part-" + p.index() + "-" + fileId.replaceAll("\\W", "_"));
            api.downloadFile(fileId, tmp);
            append(tmp, done, out, err, counts);
            Files.deleteIfExists(tmp);
          }
          out.sync();
          err.sync();
          ok += counts[0];
          failed += counts[1];
          dups += counts[2];
          missing += Math.max(0, p.lines() - counts[0] - counts[1] - counts[2]);
          s = s.with(p.withDownloaded());
          s.save(stateFile(s.jobId()));
        }
      } catch (IOException e) {
        throw new JobException("cannot write results: " + e.getMessage(), e);
      }
      return new Results(
          s, ok, failed, dups, pending, missing, os.truncatedBytes() + es.truncatedBytes());
    }
  }

  private static void append(
      Path downloaded, CustomIdSet done, ResultFile out, ResultFile err, long[] counts)
      throws IOException {
    try (BufferedReader r = ResultFile.reader(downloaded)) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        ResultLines.Summary sum;
        try {
          sum = ResultLines.read(line);
        } catch (IllegalArgumentException e) {
          throw new JobException("the server sent a malformed result line: " + e.getMessage());
        }
        if (!done.add(sum.customId())) {
          counts[2]++;
          continue;
        }
        byte[] bytes = (line.strip() + "\n").getBytes(StandardCharsets.UTF_8);
        if (sum.ok()) {
          out.append(bytes);
          counts[0]++;
        } else {
          err.append(bytes);
          counts[1]++;
        }
      }
    }
  }
}
