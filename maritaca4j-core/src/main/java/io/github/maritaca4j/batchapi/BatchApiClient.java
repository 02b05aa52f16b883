package io.github.maritaca4j.batchapi;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.errors.InvalidResponseException;
import io.github.maritaca4j.errors.MaritacaException;
import io.github.maritaca4j.internal.ClientContext;
import io.github.maritaca4j.internal.ClientContexts;
import io.github.maritaca4j.internal.Clock;
import io.github.maritaca4j.internal.ErrorMapper;
import io.github.maritaca4j.internal.HttpTransport;
import io.github.maritaca4j.internal.Json;
import io.github.maritaca4j.internal.RestCalls;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * A client for Maritaca's Batch API (half price, results within 24 hours): files ({@code /files})
 * and batches ({@code /batches}). Shares the {@link ChatMaritaca} client's key, base URL, HTTP
 * connections, timeouts and retry policy; failures are the same {@link MaritacaException} tree.
 *
 * <pre>{@code
 * BatchApiClient api = BatchApiClient.of(ChatMaritaca.create());
 * FileObject in = api.uploadFile(Path.of("requests.jsonl"));
 * Batch b = api.createBatch(in.id(), Map.of("job", "capitals"));
 * // ... later
 * b = api.getBatch(b.id());
 * if (b.status() == BatchStatus.COMPLETED) api.downloadFile(b.outputFileId(), Path.of("out.jsonl"));
 * }</pre>
 *
 * <p>Files travel as streams: uploads read the file as they send it, downloads write to a file as
 * they receive it (constant memory whatever the size), whatever the {@code Content-Type}. Reads
 * ({@code GET}), uploads, cancels and deletes are retried like chat calls (429, 5xx, IO; an upload
 * repeated after a lost answer leaves an unused file on the server, which costs nothing); creating
 * a batch is retried only after a 429, which proves it was not created, so that a lost answer never
 * makes two batches ({@link io.github.maritaca4j.jobs.BatchApiJob} then looks the batch up by its
 * input file). Error messages never hold the key, even when the server echoes it. Batch objects are
 * read leniently: unknown fields are ignored, missing or null counts and timestamps read as 0, an
 * unknown status is {@link BatchStatus#UNKNOWN} (kept as sent in {@link Batch#statusText()}).
 * Synchronous methods; thread-safe.
 */
public final class BatchApiClient {

  /** The endpoint of chat batches. */
  public static final String CHAT_ENDPOINT = "/v1/chat/completions";

  /** The only completion window offered. */
  public static final String COMPLETION_WINDOW = "24h";

  /** The most lines a batch input file may have. */
  public static final int MAX_LINES_PER_FILE = 50_000;

  /** The largest batch input file, bytes (200 MB). */
  public static final long MAX_FILE_BYTES = 200L * 1024 * 1024;

  private final HttpTransport transport;
  private final HttpClient http;
  private final Clock clock;
  private final RestCalls rest;

  private BatchApiClient(ChatMaritaca client) {
    ClientContext context = ClientContexts.of(client);
    this.transport = context.transport();
    this.http = transport.httpClient();
    this.clock = context.clock();
    this.rest = RestCalls.of(context);
  }

  /** A Batch API client sharing {@code client}'s settings and connections. */
  public static BatchApiClient of(ChatMaritaca client) {
    return new BatchApiClient(Objects.requireNonNull(client, "client"));
  }

  // ---- files

  /** Uploads a JSONL file for a batch ({@code purpose=batch}). */
  public FileObject uploadFile(Path file) {
    return uploadFile(file, "batch");
  }

  /** Uploads a file (multipart, streamed from disk). */
  public FileObject uploadFile(Path file, String purpose) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(purpose, "purpose");
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("not a file: " + file);
    }
    String boundary = "maritaca4j-" + UUID.randomUUID();
    String name = file.getFileName().toString().replace("\"", "_");
    String head =
        "--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\n"
            + purpose
            + "\r\n--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
            + name
            + "\"\r\nContent-Type: application/jsonl\r\n\r\n";
    String tail = "\r\n--" + boundary + "--\r\n";
    JsonNode n =
        retrying(
            true,
            () -> {
              HttpRequest.BodyPublisher body;
              try {
                body =
                    HttpRequest.BodyPublishers.concat(
                        HttpRequest.BodyPublishers.ofString(head, StandardCharsets.UTF_8),
                        HttpRequest.BodyPublishers.ofFile(file),
                        HttpRequest.BodyPublishers.ofString(tail, StandardCharsets.UTF_8));
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
              return sendJson(
                  transport
                      .newRequest(transport.uri("/files"))
                      .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                      .POST(body)
                      .build());
            });
    return file(n);
  }

  /** The file's description. */
  public FileObject getFile(String fileId) {
    return file(get("/files/" + enc(fileId)));
  }

  /** Every file (first page as the server gives it). */
  public List<FileObject> listFiles() {
    JsonNode n = get("/files");
    List<FileObject> out = new ArrayList<>();
    for (JsonNode f : n.path("data")) {
      out.add(file(f));
    }
    return out;
  }

  /**
   * Downloads a file's content to {@code target} (replaced), streaming. The content goes to a
   * temporary file beside the target first and is moved into place when complete, so {@code target}
   * never holds a partial download.
   *
   * @return bytes written
   */
  public long downloadFile(String fileId, Path target) {
    Objects.requireNonNull(target, "target");
    return retrying(
        true,
        () -> {
          Path tmp = target.resolveSibling(target.getFileName() + ".part");
          HttpRequest req =
              transport
                  .newRequest(transport.uri("/files/" + enc(fileId) + "/content"))
                  .GET()
                  .build();
          return http.sendAsync(req, HttpResponse.BodyHandlers.ofInputStream())
              .handle(
                  (resp, err) -> {
                    if (err != null) {
                      throw new CompletionException(ErrorMapper.fromThrowable(err, host()));
                    }
                    try (InputStream in = resp.body()) {
                      if (resp.statusCode() / 100 != 2) {
                        throw ErrorMapper.fromResponse(
                            resp.statusCode(),
                            resp.headers(),
                            in.readAllBytes(),
                            clock.now(),
                            transport.secret());
                      }
                      Path parent = target.toAbsolutePath().getParent();
                      if (parent != null) {
                        Files.createDirectories(parent);
                      }
                      long bytes;
                      try {
                        bytes = Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                      } catch (IOException e) {
                        Files.deleteIfExists(tmp);
                        throw e;
                      }
                      return bytes;
                    } catch (IOException e) {
                      throw new CompletionException(ErrorMapper.fromThrowable(e, host()));
                    }
                  });
        });
  }

  /** Deletes a file; true when the server confirmed. */
  public boolean deleteFile(String fileId) {
    JsonNode n =
        retrying(
            true,
            () ->
                sendJson(
                    transport.newRequest(transport.uri("/files/" + enc(fileId))).DELETE().build()));
    return n.path("deleted").asBoolean(true);
  }

  // ---- batches

  /**
   * Creates a batch of chat completions over an uploaded file, with a 24 h window.
   *
   * @param metadata small string pairs kept with the batch (e.g. a job id); may be empty
   */
  public Batch createBatch(String inputFileId, Map<String, String> metadata) {
    Objects.requireNonNull(inputFileId, "inputFileId");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("input_file_id", inputFileId);
    body.put("endpoint", CHAT_ENDPOINT);
    body.put("completion_window", COMPLETION_WINDOW);
    if (metadata != null && !metadata.isEmpty()) {
      body.put("metadata", metadata);
    }
    byte[] json = Json.write(body).getBytes(StandardCharsets.UTF_8);
    return batch(
        retrying(
            false,
            () ->
                sendJson(
                    transport
                        .newRequest(transport.uri("/batches"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(json))
                        .build())));
  }

  /** The batch as it is now. */
  public Batch getBatch(String batchId) {
    return batch(get("/batches/" + enc(batchId)));
  }

  /** Asks the server to cancel the batch; returns its new state (usually {@code cancelling}). */
  public Batch cancelBatch(String batchId) {
    return batch(
        retrying(
            true,
            () ->
                sendJson(
                    transport
                        .newRequest(transport.uri("/batches/" + enc(batchId) + "/cancel"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build())));
  }

  /**
   * One page of batches, newest first.
   *
   * @param limit at most this many (1-100)
   * @param after the last id of the previous page; null for the first page
   */
  public BatchPage listBatches(int limit, String after) {
    if (limit < 1 || limit > 100) {
      throw new IllegalArgumentException("limit must be in [1, 100], was " + limit);
    }
    String q = "/batches?limit=" + limit + (after == null ? "" : "&after=" + enc(after));
    JsonNode n = get(q);
    List<Batch> data = new ArrayList<>();
    for (JsonNode b : n.path("data")) {
      data.add(batch(b));
    }
    String last = n.hasNonNull("last_id") ? n.get("last_id").asText() : null;
    if (last == null && !data.isEmpty()) {
      last = data.get(data.size() - 1).id();
    }
    return new BatchPage(data, n.path("has_more").asBoolean(false), last);
  }

  // ---- plumbing

  private JsonNode get(String path) {
    return rest.get(path);
  }

  private CompletableFuture<JsonNode> sendJson(HttpRequest req) {
    return rest.sendJson(req);
  }

  private <T> T retrying(boolean idempotent, Supplier<CompletableFuture<T>> call) {
    return rest.retrying(idempotent, call);
  }

  private String host() {
    return transport.host();
  }

  private static String enc(String s) {
    Objects.requireNonNull(s, "id");
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static FileObject file(JsonNode n) {
    return new FileObject(
        text(n, "id"),
        n.path("bytes").asLong(0),
        n.path("created_at").asLong(0),
        text(n, "filename"),
        text(n, "purpose"));
  }

  static Batch batch(JsonNode n) {
    if (!n.hasNonNull("id")) {
      List<String> fields = new ArrayList<>();
      n.fieldNames().forEachRemaining(fields::add);
      // the field names only: a body echoing a secret must not reach a message
      throw new InvalidResponseException(
          "a batch without an id (fields: " + String.join(", ", fields) + ")", 200, null);
    }
    JsonNode rc = n.path("request_counts");
    Map<String, String> meta = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : n.path("metadata").properties()) {
      meta.put(e.getKey(), e.getValue().asText());
    }
    List<String> errors = new ArrayList<>();
    JsonNode errs = n.path("errors");
    for (JsonNode e : errs.isArray() ? errs : errs.path("data")) {
      errors.add(validationError(e));
    }
    String status = text(n, "status");
    return new Batch(
        text(n, "id"),
        BatchStatus.fromWire(status),
        text(n, "endpoint"),
        text(n, "input_file_id"),
        text(n, "output_file_id"),
        text(n, "error_file_id"),
        n.path("created_at").asLong(0),
        n.path("completed_at").asLong(0),
        rc.path("total").asLong(0),
        rc.path("completed").asLong(0),
        rc.path("failed").asLong(0),
        meta,
        errors,
        status);
  }

  /** One validation error: {@code line 3: code: message (param body.model)}. */
  private static String validationError(JsonNode e) {
    if (!e.isObject()) {
      return e.asText(e.toString());
    }
    StringBuilder sb = new StringBuilder();
    if (e.hasNonNull("line")) {
      sb.append("line ").append(e.get("line").asText()).append(": ");
    }
    String code = text(e, "code");
    String message = text(e, "message");
    if (code != null && !code.isBlank()) {
      sb.append(code);
      if (message != null && !message.isBlank()) {
        sb.append(": ");
      }
    }
    if (message != null && !message.isBlank()) {
      sb.append(message);
    }
    if (code == null && message == null) {
      sb.append(e);
    }
    String param = text(e, "param");
    if (param != null && !param.isBlank()) {
      sb.append(" (param ").append(param).append(')');
    }
    return sb.toString();
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
