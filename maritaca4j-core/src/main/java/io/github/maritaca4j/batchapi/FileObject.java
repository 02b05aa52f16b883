package io.github.maritaca4j.batchapi;

/**
 * A file stored by the Batch API. Immutable.
 *
 * @param id the file id, e.g. {@code file-abc123}
 * @param bytes its size
 * @param createdAt creation time, Unix seconds
 * @param filename the name it was uploaded with
 * @param purpose e.g. {@code batch}, {@code batch_output}
 */
public record FileObject(String id, long bytes, long createdAt, String filename, String purpose) {}
