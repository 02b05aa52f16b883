package io.github.maritaca4j.jobs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.batchapi.Batch;
import io.github.maritaca4j.batchapi.BatchApiClient;
import io.github.maritaca4j.batchapi.BatchPage;
import io.github.maritaca4j.batchapi.BatchStatus;
import io.github.maritaca4j.batchapi.ResultLine;
import io.github.maritaca4j.cost.PricingMode;
import io.github.maritaca4j.errors.ApiException;
import io.github.maritaca4j.errors.JobException;
import io.github.maritaca4j.errors.MaritacaException;
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
 *       in a {@link BatchApiJobState} file so that an interrupted submission goes on where it
 *       stopped (a part uploaded but whose batch creation was interrupted is matched to an existing
 *       batch of the same input file before a new one is created);
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
  public BatchApiJobState load(String jobId) {
    return BatchApiJobState.load(stateFile(jobId));
  }

  /**
   * Finds a job by input file or job id.
   *
   * @throws JobException when there is no such job
   */
  public BatchApiJobState find(String inputOrJobId) {
    Path asPath = null;
    try {
      asPath = Path.of(inputOrJobId);
    } catch (RuntimeException e) {
      asPath = null;
    }
    String id =
        asPath != null && Files.isRegularFile(asPath) ? jobId(asPath) : inputOrJobId.strip();
    BatchApiJobState s = load(id);
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
  public List<BatchApiJobState> list() {
    if (!Files.isDirectory(stateDir)) {
      return List.of();
    }
    List<BatchApiJobState> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(stateDir)) {
      files
          .filter(p -> p.getFileName().toString().matches("job_[0-9a-f]{12}\\.json"))
          .forEach(
              p -> {
                BatchApiJobState s = BatchApiJobState.load(p);
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

  /**
   * Submits the requests of {@code plan} not done yet, or goes on with an interrupted submission of
   * the same input.
   *
   * @throws JobException when the plan's input has problems, or the job is already submitted and
   *     its results not yet downloaded
   */
  public BatchApiJobState submit(JobPlan plan, BatchApiSubmitListener listener) {
    Objects.requireNonNull(plan, "plan");
    BatchApiSubmitListener l = listener != null ? listener : new BatchApiSubmitListener() {};
    if (!plan.isValid()) {
      throw new JobException(plan.input().describe());
    }
    JobFiles files = plan.files();
    String id = jobId(files.input());
    Path stateFile = stateFile(id);
    BatchApiJobState state = BatchApiJobState.load(stateFile);
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
    for (BatchApiJobState.Part p : state.parts()) {
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
      Batch b = existing != null ? existing : createBatch(id, p, stateFile);
      boolean adopted = existing != null || !createdNow;
      p = p.withBatch(b);
      state = state.with(p);
      state.save(stateFile);
      l.onBatchCreated(p, adopted);
      try {
        Files.deleteIfExists(Path.of(p.file()));
      } catch (IOException e) {
        // a leftover part file is harmless
      }
    }
    return state;
  }

  /** Whether the last {@link #createBatch} made a new batch (false: it adopted one). */
  private boolean createdNow;

  /**
   * {@code POST /batches} for a part. The client retries it only after a 429 (which proves nothing
   * was created). After any other failure that does not prove the contrary (a 5xx, a timeout, a
   * dropped connection, an unreadable answer) the batch may exist on the server: it is looked up by
   * its input file id and adopted when found; otherwise the submission stops and says to run it
   * again, which looks it up once more before creating one. A 4xx other than 429 is the server's
   * definite refusal and is reported as is.
   */
  private Batch createBatch(String jobId, BatchApiJobState.Part p, Path stateFile) {
    createdNow = true;
    try {
      return api.createBatch(
          p.inputFileId(), Map.of("maritaca4j_job", jobId, "part", Integer.toString(p.index())));
    } catch (MaritacaException e) {
      if (e instanceof ApiException a && a.statusCode() / 100 == 4) {
        throw e;
      }
      Batch found;
      try {
        found = findBatchOf(p.inputFileId());
      } catch (MaritacaException again) {
        found = null;
      }
      if (found != null) {
        createdNow = false;
        return found;
      }
      throw new JobException(
          "creating the batch of part "
              + p.index()
              + " (input file "
              + p.inputFileId()
              + ") failed and the server may have created it anyway: "
              + e.getMessage()
              + "; run the same submit again: it adopts a batch of that input file if one exists"
              + " before creating one (the job state is "
              + stateFile
              + ")",
          e);
    }
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
  private BatchApiJobState split(JobPlan plan, String id, BatchApiSubmitListener l) {
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
    List<BatchApiJobState.Part> parts = new ArrayList<>();
    Map<String, PartWriter> open = new LinkedHashMap<>();
    int seq = 0;
    try (InputScan scan =
        InputScan.open(
                files.input(),
                job(files).parser(),
                JsonlJob.skipPredicate(plan.done, plan.retry),
                InputScan.DEFAULT_MAX_PROBLEMS,
                false)
            .shard(plan.shard())) { // a plan of one shard submits that shard's lines only
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
        w.write(line, r.customId());
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
    List<BatchApiJobState.Part> numbered = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      BatchApiJobState.Part p = parts.get(i);
      numbered.add(
          new BatchApiJobState.Part(
              i, p.model(), p.file(), p.lines(), p.bytes(), null, null, null, 0, 0, 0, null, null,
              false, null));
    }
    return new BatchApiJobState(
        id,
        files.input().toAbsolutePath().normalize().toString(),
        files.output().toAbsolutePath().normalize().toString(),
        files.errors().toAbsolutePath().normalize().toString(),
        client.baseUrl(),
        io.github.maritaca4j.internal.ClientContexts.of(client).clock().now().getEpochSecond(),
        numbered);
  }

  /**
   * The file beside a part file that lists its custom_ids (one JSON string a line): kept until the
   * part's results are downloaded, to tell which requests got no result and to ignore result lines
   * for requests that were never submitted.
   */
  static Path idsFile(String partFile) {
    String f =
        partFile.endsWith(".jsonl") ? partFile.substring(0, partFile.length() - 6) : partFile;
    return Path.of(f + ".ids");
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
    private final OutputStream ids;
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
      this.ids = new BufferedOutputStream(Files.newOutputStream(idsFile(file.toString())), 1 << 16);
    }

    boolean fits(int len) {
      return lines + 1 <= maxLines && bytes + len <= maxBytes;
    }

    void write(byte[] line, String customId) throws IOException {
      if (line.length > maxBytes) {
        throw new JobException("a request is larger than a Batch API file may be (200 MB)");
      }
      out.write(line);
      ids.write((Json.write(customId) + "\n").getBytes(StandardCharsets.UTF_8));
      lines++;
      bytes += line.length;
    }

    BatchApiJobState.Part close() throws IOException {
      out.close();
      ids.close();
      return new BatchApiJobState.Part(
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
  public BatchApiJobState refresh(BatchApiJobState state) {
    BatchApiJobState s = state;
    for (BatchApiJobState.Part p : state.parts()) {
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
  public BatchApiJobState cancel(BatchApiJobState state) {
    BatchApiJobState s = refresh(state);
    for (BatchApiJobState.Part p : s.parts()) {
      if (p.batchId() != null && p.batchStatus() != null && !p.batchStatus().isTerminal()) {
        if (p.batchStatus() != BatchStatus.CANCELLING) {
          Batch b;
          try {
            b = api.cancelBatch(p.batchId());
          } catch (ApiException e) {
            if (e.statusCode() != 400 && e.statusCode() != 409) {
              throw e;
            }
            // it ended between the refresh and the cancel: the server refuses to cancel it
            b = api.getBatch(p.batchId());
            if (!b.status().isTerminal() && b.status() != BatchStatus.CANCELLING) {
              throw e;
            }
          }
          s = s.with(p.withBatch(b));
        }
      }
    }
    s.save(stateFile(s.jobId()));
    return s;
  }

  /**
   * Refreshes the job and appends the results of every finished batch not downloaded yet to the
   * job's output and errors files (failed requests to the errors file), exactly once per {@code
   * custom_id}. Safe to interrupt and run again.
   *
   * <p>The server's files are read leniently: lines in any order, CRLF or LF, blank lines, a UTF-8
   * byte order mark and a missing final newline are fine. A line goes to the output file only when
   * its {@code response} has a 2xx {@code status_code}, a chat completion object as {@code body} (a
   * body sent as a JSON string holding that object is unwrapped) and no {@code error}; any other
   * line goes to the errors file, with an {@code error} object ({@code code}, {@code message},
   * {@code status}) made from the response when the server gave none. A custom_id already written
   * is skipped (counted in {@code duplicates}); a line that is not JSON, has no custom_id, or names
   * a custom_id the batch was never given is skipped with a warning.
   */
  @SuppressWarnings("try") // the lock is held by being open
  public BatchApiResults downloadResults(BatchApiJobState state) {
    BatchApiJobState s = refresh(state);
    Path output = Path.of(s.output());
    Path errorsPath = Path.of(s.errors());
    long ok = 0;
    long failed = 0;
    long dups = 0;
    long missing = 0;
    long ignored = 0;
    int pending = 0;
    List<String> warnings = new ArrayList<>();
    try (JobLock lock = JobLock.acquire(output)) {
      CustomIdSet done = new CustomIdSet();
      ResultFileScan os = ResultFile.scan(output, true, done::add);
      ResultFileScan es = ResultFile.scan(errorsPath, true, done::add);
      Path dir = stateDir.resolve(s.jobId());
      try (ResultFile out = ResultFile.open(output, SyncPolicy.DEFAULT);
          ResultFile err = ResultFile.open(errorsPath, SyncPolicy.DEFAULT)) {
        for (BatchApiJobState.Part p : s.parts()) {
          if (p.downloaded()) {
            continue;
          }
          BatchStatus st = p.batchStatus();
          if (st == null || !st.isTerminal()) {
            pending++;
            continue;
          }
          if (st == BatchStatus.FAILED && p.message() != null) {
            warn(
                warnings,
                "part " + p.index() + ": batch " + p.batchId() + " failed: " + p.message());
          }
          Path idsFile = p.file() == null ? null : idsFile(p.file());
          CustomIdSet submitted = null;
          if (idsFile != null && Files.isRegularFile(idsFile)) {
            submitted = new CustomIdSet();
            try (BufferedReader r = Files.newBufferedReader(idsFile, StandardCharsets.UTF_8)) {
              String line;
              while ((line = r.readLine()) != null) {
                if (!line.isEmpty()) {
                  submitted.add(Json.MAPPER.readValue(line, String.class));
                }
              }
            }
          }
          Counts c = new Counts();
          for (String fileId : new String[] {p.outputFileId(), p.errorFileId()}) {
            if (fileId == null) {
              continue;
            }
            Files.createDirectories(dir);
            Path tmp = dir.resolve("part-" + p.index() + "-" + fileId.replaceAll("\\W", "_"));
            api.downloadFile(fileId, tmp);
            append(tmp, fileId, p, submitted, done, out, err, c, warnings);
            Files.deleteIfExists(tmp);
          }
          out.sync();
          err.sync();
          ok += c.ok;
          failed += c.failed;
          dups += c.dups;
          ignored += c.ignored;
          if (submitted != null) {
            long m = 0;
            try (BufferedReader r = Files.newBufferedReader(idsFile, StandardCharsets.UTF_8)) {
              String line;
              while ((line = r.readLine()) != null) {
                if (!line.isEmpty() && !done.contains(Json.MAPPER.readValue(line, String.class))) {
                  m++;
                }
              }
            }
            missing += m;
          } else {
            missing += Math.max(0, p.lines() - c.ok - c.failed - c.dups);
          }
          s = s.with(p.withDownloaded());
          s.save(stateFile(s.jobId()));
          if (idsFile != null) {
            Files.deleteIfExists(idsFile);
          }
        }
      } catch (IOException e) {
        throw new JobException("cannot write results: " + e.getMessage(), e);
      }
      return new BatchApiResults(
          s,
          ok,
          failed,
          dups,
          pending,
          missing,
          os.truncatedBytes() + es.truncatedBytes(),
          ignored,
          warnings);
    }
  }

  private static final class Counts {
    long ok;
    long failed;
    long dups;
    long ignored;
  }

  private static void warn(List<String> warnings, String w) {
    if (warnings.size() < BatchApiResults.MAX_WARNINGS) {
      warnings.add(w);
    } else if (warnings.size() == BatchApiResults.MAX_WARNINGS) {
      warnings.add("(more warnings not shown)");
    }
  }

  private static void append(
      Path downloaded,
      String fileId,
      BatchApiJobState.Part p,
      CustomIdSet submitted,
      CustomIdSet done,
      ResultFile out,
      ResultFile err,
      Counts counts,
      List<String> warnings)
      throws IOException {
    try (BufferedReader r = ResultFile.reader(downloaded)) {
      String line;
      long n = 0;
      while ((line = r.readLine()) != null) {
        n++;
        if (n == 1 && line.startsWith("\uFEFF")) {
          line = line.substring(1);
        }
        if (line.isBlank()) {
          continue;
        }
        Normalized norm = normalize(line);
        String where = "part " + p.index() + ", file " + fileId + " line " + n;
        if (norm == null) {
          counts.ignored++;
          warn(
              warnings,
              where + ": not a result line (not a JSON object with a custom_id); skipped");
          continue;
        }
        if (submitted != null && !submitted.contains(norm.customId)) {
          counts.ignored++;
          warn(
              warnings,
              where + ": custom_id " + Json.write(norm.customId) + " was not submitted; skipped");
          continue;
        }
        if (!done.add(norm.customId)) {
          counts.dups++;
          continue;
        }
        if (norm.ok) {
          out.append(norm.bytes);
          counts.ok++;
        } else {
          err.append(norm.bytes);
          counts.failed++;
        }
      }
    }
  }

  /** A server result line made ready to append. */
  record Normalized(String customId, boolean ok, byte[] bytes) {}

  /**
   * Reads a line of a Batch API output or error file ({@link ResultLine}); null when it is not a
   * JSON object with a custom_id.
   */
  static Normalized normalize(String line) {
    ResultLine r = ResultLine.parse(line);
    if (r == null || r.customId() == null) {
      return null;
    }
    return new Normalized(
        r.customId(), r.isSuccess(), (r.text() + "\n").getBytes(StandardCharsets.UTF_8));
  }
}
