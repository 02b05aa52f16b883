package io.github.maritaca4j.jobs;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.maritaca4j.batchapi.Batch;
import io.github.maritaca4j.batchapi.BatchStatus;
import io.github.maritaca4j.errors.JobException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The local record of a job submitted to the Batch API: which files were uploaded and which batches
 * were created for it, so that {@code status}, {@code results} and {@code cancel} work from the
 * input file or the job id, and an interrupted submission goes on where it stopped. A small JSON
 * file ({@code <state dir>/<job id>.json}), replaced atomically at each change. Immutable.
 *
 * @param jobId the job id ({@code job_} and 12 hex digits of a hash of the input's absolute path)
 * @param input the input file (absolute)
 * @param output the output file (absolute)
 * @param errors the errors file (absolute)
 * @param baseUrl the API the batches were created on
 * @param createdAt when the submission started, Unix seconds
 * @param parts one entry per uploaded file (one model, at most 50,000 lines and 200 MB each)
 */
public record BatchApiJobState(
    String jobId,
    String input,
    String output,
    String errors,
    String baseUrl,
    long createdAt,
    List<Part> parts) {

  static final ObjectMapper MAPPER =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
          .enable(SerializationFeature.INDENT_OUTPUT);

  public BatchApiJobState {
    Objects.requireNonNull(jobId, "jobId");
    parts = parts == null ? List.of() : List.copyOf(parts);
  }

  /**
   * One uploaded file and its batch.
   *
   * @param index 0-based
   * @param model the model of every line
   * @param file the local part file (deleted once its batch exists)
   * @param lines requests in it
   * @param bytes its size
   * @param inputFileId the uploaded file's id; null before the upload
   * @param batchId the batch's id; null before its creation
   * @param status the batch's last known status as the server sent it ({@code in_progress}...; a
   *     status this library does not know is kept as is and counts as still running); null before
   *     its creation
   * @param total the batch's request count
   * @param completed requests completed
   * @param failed requests failed
   * @param outputFileId the batch's output file, when known
   * @param errorFileId the batch's error file, when known
   * @param downloaded whether its results were written to the job's output and errors files
   * @param message a note (the server's validation errors of a failed batch), or null
   */
  public record Part(
      int index,
      String model,
      String file,
      long lines,
      long bytes,
      String inputFileId,
      String batchId,
      String status,
      long total,
      long completed,
      long failed,
      String outputFileId,
      String errorFileId,
      boolean downloaded,
      String message) {

    /** The batch status; null before the batch exists. */
    @JsonIgnore
    public BatchStatus batchStatus() {
      return status == null ? null : BatchStatus.fromWire(status);
    }

    /** Whether this part needs nothing more from the server. */
    @JsonIgnore
    public boolean isFinished() {
      return downloaded;
    }

    Part withUpload(String fileId) {
      return new Part(
          index,
          model,
          file,
          lines,
          bytes,
          fileId,
          batchId,
          status,
          total,
          completed,
          failed,
          outputFileId,
          errorFileId,
          downloaded,
          message);
    }

    Part withBatch(Batch b) {
      String msg = b.errors().isEmpty() ? message : String.join("; ", b.errors());
      return new Part(
          index,
          model,
          file,
          lines,
          bytes,
          inputFileId,
          b.id(),
          b.statusText() != null ? b.statusText() : b.status().wireName(),
          b.total(),
          b.completed(),
          b.failed(),
          b.outputFileId(),
          b.errorFileId(),
          downloaded,
          msg);
    }

    Part withDownloaded() {
      return new Part(
          index,
          model,
          file,
          lines,
          bytes,
          inputFileId,
          batchId,
          status,
          total,
          completed,
          failed,
          outputFileId,
          errorFileId,
          true,
          message);
    }
  }

  /** A copy with part {@code p} replaced. */
  BatchApiJobState with(Part p) {
    List<Part> ps = new ArrayList<>(parts);
    ps.set(p.index(), p);
    return new BatchApiJobState(jobId, input, output, errors, baseUrl, createdAt, ps);
  }

  /** Requests in all parts. */
  @JsonIgnore
  public long totalLines() {
    return parts.stream().mapToLong(Part::lines).sum();
  }

  /** Whether every part's results were downloaded. */
  @JsonIgnore
  public boolean isFinished() {
    return parts.stream().allMatch(Part::downloaded);
  }

  /** Whether every part has a batch. */
  @JsonIgnore
  public boolean isSubmitted() {
    return parts.stream().allMatch(p -> p.batchId() != null);
  }

  /** Whether every batch reached a final status. */
  @JsonIgnore
  public boolean isTerminal() {
    return parts.stream()
        .allMatch(p -> p.downloaded() || (p.batchStatus() != null && p.batchStatus().isTerminal()));
  }

  /** Reads a state file; null when it does not exist. */
  public static BatchApiJobState load(Path file) {
    try {
      return MAPPER.readValue(Files.readAllBytes(file), BatchApiJobState.class);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new JobException("cannot read the job state " + file + ": " + e.getMessage(), e);
    }
  }

  /** Writes the state to {@code file} atomically (a temporary file, synced, then renamed). */
  public void save(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.write(tmp, MAPPER.writeValueAsBytes(this));
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new JobException("cannot write the job state " + file + ": " + e.getMessage(), e);
    }
  }
}
