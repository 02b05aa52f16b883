package io.github.maritaca4j.batchapi;

import java.util.List;
import java.util.Map;

/**
 * A Batch API batch as the server last described it. Immutable.
 *
 * @param id the batch id
 * @param status where it is in its lifecycle
 * @param endpoint the endpoint its requests go to ({@code /v1/chat/completions})
 * @param inputFileId the uploaded input
 * @param outputFileId the results, once there are some; null before
 * @param errorFileId the failures, when there are some; null otherwise
 * @param createdAt Unix seconds
 * @param completedAt Unix seconds, 0 when not completed
 * @param total requests in the batch (0 while validating)
 * @param completed requests done
 * @param failed requests failed
 * @param metadata the metadata given at creation
 * @param errors validation errors of a failed batch, one per problem ({@code "line 3: code: message
 *     (param body.model)"}); empty otherwise
 * @param statusText the status exactly as the server sent it (useful when {@code status} is {@link
 *     BatchStatus#UNKNOWN}: a status newer than this library, treated as still running)
 */
public record Batch(
    String id,
    BatchStatus status,
    String endpoint,
    String inputFileId,
    String outputFileId,
    String errorFileId,
    long createdAt,
    long completedAt,
    long total,
    long completed,
    long failed,
    Map<String, String> metadata,
    List<String> errors,
    String statusText) {

  public Batch {
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    errors = errors == null ? List.of() : List.copyOf(errors);
    if (statusText == null && status != null && status != BatchStatus.UNKNOWN) {
      statusText = status.wireName();
    }
  }

  /** A batch whose status text is its status's wire name. */
  public Batch(
      String id,
      BatchStatus status,
      String endpoint,
      String inputFileId,
      String outputFileId,
      String errorFileId,
      long createdAt,
      long completedAt,
      long total,
      long completed,
      long failed,
      Map<String, String> metadata,
      List<String> errors) {
    this(
        id,
        status,
        endpoint,
        inputFileId,
        outputFileId,
        errorFileId,
        createdAt,
        completedAt,
        total,
        completed,
        failed,
        metadata,
        errors,
        null);
  }
}
