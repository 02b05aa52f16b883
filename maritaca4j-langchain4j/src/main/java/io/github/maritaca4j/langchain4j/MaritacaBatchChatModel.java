package io.github.maritaca4j.langchain4j;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.LangChain4jException;
import dev.langchain4j.model.batch.BatchError;
import dev.langchain4j.model.batch.BatchItemResult;
import dev.langchain4j.model.batch.BatchPage;
import dev.langchain4j.model.batch.BatchPagination;
import dev.langchain4j.model.batch.BatchRequest;
import dev.langchain4j.model.batch.BatchResponse;
import dev.langchain4j.model.batch.BatchState;
import dev.langchain4j.model.chat.BatchChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.ChatResult;
import io.github.maritaca4j.ServiceTier;
import io.github.maritaca4j.batchapi.Batch;
import io.github.maritaca4j.batchapi.BatchApiClient;
import io.github.maritaca4j.batchapi.BatchStatus;
import io.github.maritaca4j.batchapi.FileObject;
import io.github.maritaca4j.batchapi.ResultLine;
import io.github.maritaca4j.cost.PriceTable;
import io.github.maritaca4j.cost.PricingMode;
import io.github.maritaca4j.errors.MaritacaException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * LangChain4j's {@link BatchChatModel} on Maritaca's Batch API: requests run asynchronously on
 * Maritaca's side at half price, with results within 24 hours.
 *
 * <pre>{@code
 * MaritacaBatchChatModel batches = MaritacaBatchChatModel.of(chatModel);
 * BatchResponse<ChatResponse> submitted = batches.submit(new BatchRequest<>(requests));
 * // ... later (poll: results arrive within 24 hours)
 * BatchResponse<ChatResponse> done = batches.retrieve(submitted.batchId());
 * if (done.state() == BatchState.SUCCEEDED) done.responses().forEach(...);
 * }</pre>
 *
 * <ul>
 *   <li>{@link #submit} converts each request (its parameters over the chat model's defaults, as in
 *       {@code chat}), writes them as one JSONL file ({@code custom_id} {@code request-0}, {@code
 *       request-1}...), uploads it and creates the batch. Maritaca takes one model per batch and at
 *       most 50,000 requests: other batches are rejected with {@link InvalidRequestException}
 *       before anything is sent.
 *   <li>{@link #retrieve} reports the state ({@code validating} → {@code PENDING}; {@code
 *       in_progress}, {@code finalizing}, {@code cancelling} → {@code RUNNING}; {@code completed} →
 *       {@code SUCCEEDED}; {@code failed}, {@code expired}, {@code cancelled} as such) and, once
 *       the batch has results (completed, expired or cancelled), downloads them: one {@link
 *       BatchItemResult} per submitted request, <b>in submission order</b>; a request the batch did
 *       not run (expired, cancelled) is a failure with code 0. Responses carry {@link
 *       MaritacaChatResponseMetadata} with the cost at Batch API prices.
 *   <li>{@link #cancel} asks Maritaca to cancel; {@link #list} pages through batches (newest first)
 *       without downloading results.
 * </ul>
 *
 * Errors are LangChain4j exceptions whose cause is maritaca4j's, as for {@link MaritacaChatModel}.
 * Methods are synchronous; immutable and thread-safe.
 */
public final class MaritacaBatchChatModel implements BatchChatModel {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(MaritacaBatchChatModel.class);

  private static final String ID_PREFIX = "request-";
  private static final int DEFAULT_PAGE_SIZE = 20;

  private final MaritacaChatModel chatModel;
  private final BatchApiClient api;
  private final Path workDirectory;
  private final Map<String, String> metadata;

  private MaritacaBatchChatModel(Builder b) {
    this.chatModel = Objects.requireNonNull(b.chatModel, "chatModel");
    this.api = BatchApiClient.of(chatModel.client());
    this.workDirectory = b.workDirectory;
    this.metadata = Map.copyOf(b.metadata);
  }

  /** A batch model with {@code chatModel}'s client and default parameters. */
  public static MaritacaBatchChatModel of(MaritacaChatModel chatModel) {
    return builder().chatModel(chatModel).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** maritaca4j's Batch API client behind this model (files, batches, validation errors). */
  public BatchApiClient api() {
    return api;
  }

  @Override
  public BatchResponse<ChatResponse> submit(BatchRequest<ChatRequest> request) {
    Objects.requireNonNull(request, "request");
    List<io.github.maritaca4j.ChatRequest> requests = toCoreRequests(request.requests());
    Path file = null;
    try {
      file = writeJsonl(requests);
      Path input = file;
      FileObject uploaded = call(() -> api.uploadFile(input));
      Map<String, String> meta = new LinkedHashMap<>(metadata);
      meta.put("requests", Integer.toString(requests.size()));
      Batch batch;
      try {
        batch = call(() -> api.createBatch(uploaded.id(), meta));
      } catch (RuntimeException e) {
        try {
          api.deleteFile(uploaded.id()); // no batch: the uploaded input is of no use
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
      return response(batch, List.of());
    } finally {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException ignored) {
          // a temporary file left behind is harmless
        }
      }
    }
  }

  @Override
  public BatchResponse<ChatResponse> retrieve(String batchId) {
    Objects.requireNonNull(batchId, "batchId");
    Batch batch = call(() -> api.getBatch(batchId));
    if (!batch.status().hasResults()) {
      return response(batch, List.of());
    }
    return response(batch, results(batch));
  }

  @Override
  public void cancel(String batchId) {
    Objects.requireNonNull(batchId, "batchId");
    call(() -> api.cancelBatch(batchId));
  }

  @Override
  public BatchPage<ChatResponse> list(BatchPagination pagination) {
    int size =
        pagination == null || pagination.pageSize() == null
            ? DEFAULT_PAGE_SIZE
            : Math.max(1, Math.min(100, pagination.pageSize()));
    String after = pagination == null ? null : pagination.pageToken();
    io.github.maritaca4j.batchapi.BatchPage page = call(() -> api.listBatches(size, after));
    List<BatchResponse<ChatResponse>> batches = new ArrayList<>();
    for (Batch b : page.data()) {
      batches.add(response(b, List.of()));
    }
    return new BatchPage<>(batches, page.hasMore() ? page.lastId() : null);
  }

  /** LangChain4j's state for a Batch API status. */
  static BatchState state(BatchStatus status) {
    return switch (status) {
      case VALIDATING -> BatchState.PENDING;
      case IN_PROGRESS, FINALIZING, CANCELLING -> BatchState.RUNNING;
      case COMPLETED -> BatchState.SUCCEEDED;
      case FAILED -> BatchState.FAILED;
      case EXPIRED -> BatchState.EXPIRED;
      case CANCELLED -> BatchState.CANCELLED;
      case UNKNOWN -> BatchState.UNSPECIFIED;
    };
  }

  private static BatchResponse<ChatResponse> response(
      Batch batch, List<BatchItemResult<ChatResponse>> results) {
    return BatchResponse.<ChatResponse>builder()
        .batchId(batch.id())
        .state(state(batch.status()))
        .results(results)
        .build();
  }

  // ---- submission

  private List<io.github.maritaca4j.ChatRequest> toCoreRequests(List<ChatRequest> requests) {
    if (requests.isEmpty()) {
      throw new InvalidRequestException("a batch needs at least one request");
    }
    if (requests.size() > BatchApiClient.MAX_LINES_PER_FILE) {
      throw new InvalidRequestException(
          "a Maritaca batch takes at most "
              + BatchApiClient.MAX_LINES_PER_FILE
              + " requests, got "
              + requests.size());
    }
    List<io.github.maritaca4j.ChatRequest> out = new ArrayList<>(requests.size());
    for (ChatRequest r : requests) {
      Objects.requireNonNull(r, "requests contains null");
      io.github.maritaca4j.ChatRequest core =
          chatModel
              .settings()
              .toCoreRequest(
                  ChatRequest.builder()
                      .messages(r.messages())
                      .parameters(chatModel.defaultRequestParameters().overrideWith(r.parameters()))
                      .build());
      if (core.serviceTier() != ServiceTier.STANDARD) {
        // the Batch API has its own price; a flex tier means nothing there
        core = core.toBuilder().serviceTier(ServiceTier.STANDARD).build();
      }
      if (!out.isEmpty() && !out.get(0).model().equals(core.model())) {
        throw new InvalidRequestException(
            "a Maritaca batch takes one model; request 0 uses "
                + out.get(0).model()
                + " and request "
                + out.size()
                + " uses "
                + core.model());
      }
      out.add(core);
    }
    return out;
  }

  private Path writeJsonl(List<io.github.maritaca4j.ChatRequest> requests) {
    try {
      Path file =
          workDirectory == null
              ? Files.createTempFile("maritaca-batch-", ".jsonl")
              : Files.createTempFile(
                  Files.createDirectories(workDirectory), "maritaca-batch-", ".jsonl");
      try (OutputStream out = Files.newOutputStream(file)) {
        for (int i = 0; i < requests.size(); i++) {
          out.write(
              ("{\"custom_id\":\""
                      + ID_PREFIX
                      + i
                      + "\",\"method\":\"POST\",\"url\":\""
                      + BatchApiClient.CHAT_ENDPOINT
                      + "\",\"body\":")
                  .getBytes(StandardCharsets.UTF_8));
          out.write(requests.get(i).toJson(false).getBytes(StandardCharsets.UTF_8));
          out.write("}\n".getBytes(StandardCharsets.UTF_8));
        }
      }
      if (Files.size(file) > BatchApiClient.MAX_FILE_BYTES) {
        Files.deleteIfExists(file);
        throw new InvalidRequestException(
            "the batch is larger than Maritaca's limit of "
                + BatchApiClient.MAX_FILE_BYTES
                + " bytes");
      }
      return file;
    } catch (IOException e) {
      throw new LangChain4jException("cannot write the batch input file: " + e.getMessage(), e);
    }
  }

  // ---- results

  private List<BatchItemResult<ChatResponse>> results(Batch batch) {
    Map<Integer, BatchItemResult<ChatResponse>> byIndex = new HashMap<>();
    List<BatchItemResult<ChatResponse>> unnumbered = new ArrayList<>();
    for (String fileId : new String[] {batch.outputFileId(), batch.errorFileId()}) {
      if (fileId != null) {
        readResults(fileId, byIndex, unnumbered);
      }
    }
    int total =
        (int)
            Math.max(
                batch.total(), byIndex.keySet().stream().mapToLong(i -> i + 1L).max().orElse(0));
    List<BatchItemResult<ChatResponse>> out = new ArrayList<>(total + unnumbered.size());
    for (int i = 0; i < total; i++) {
      BatchItemResult<ChatResponse> r = byIndex.get(i);
      out.add(
          r != null
              ? r
              : BatchItemResult.failure(
                  new BatchError(
                      0,
                      "no result: the batch ended ("
                          + batch.statusText()
                          + ") before this request ran",
                      null)));
    }
    out.addAll(unnumbered);
    return out;
  }

  private void readResults(
      String fileId,
      Map<Integer, BatchItemResult<ChatResponse>> byIndex,
      List<BatchItemResult<ChatResponse>> unnumbered) {
    Path tmp = null;
    try {
      tmp =
          workDirectory == null
              ? Files.createTempFile("maritaca-batch-results-", ".jsonl")
              : Files.createTempFile(
                  Files.createDirectories(workDirectory), "maritaca-batch-results-", ".jsonl");
      Path target = tmp;
      call(() -> api.downloadFile(fileId, target));
      try (BufferedReader reader = Files.newBufferedReader(tmp, StandardCharsets.UTF_8)) {
        String line;
        long lineNo = 0;
        while ((line = reader.readLine()) != null) {
          lineNo++;
          if (lineNo == 1 && line.startsWith("\uFEFF")) {
            line = line.substring(1); // a byte order mark
          }
          if (line.isBlank()) {
            continue;
          }
          ResultLine result = ResultLine.parse(line);
          if (result == null) {
            // one unreadable line must not lose the others: its request shows as "no result"
            LOG.warn("skipping line {} of batch file {}: not a JSON object", lineNo, fileId);
            continue;
          }
          BatchItemResult<ChatResponse> item = item(result);
          Integer index = index(result.customId());
          if (index != null) {
            // a request answered twice (output and error file): a success is never replaced
            BatchItemResult<ChatResponse> before = byIndex.get(index);
            if (before == null || !before.isSuccess()) {
              byIndex.put(index, item);
            }
          } else {
            unnumbered.add(item);
          }
        }
      }
    } catch (IOException e) {
      throw new LangChain4jException("cannot read the batch results: " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // a temporary file left behind is harmless
        }
      }
    }
  }

  private static Integer index(String customId) {
    if (customId == null || !customId.startsWith(ID_PREFIX)) {
      return null;
    }
    try {
      int i = Integer.parseInt(customId.substring(ID_PREFIX.length()));
      return i >= 0 ? i : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private BatchItemResult<ChatResponse> item(ResultLine line) {
    if (line.isSuccess()) {
      try {
        ChatResult r = line.result();
        return BatchItemResult.success(
            Mapping.toResponse(withBatchCost(r), r.model(), ServiceTier.STANDARD));
      } catch (io.github.maritaca4j.errors.InvalidResponseException e) {
        String why = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
        return BatchItemResult.failure(
            new BatchError(line.statusCode(), "unreadable result: " + why, null));
      }
    }
    JsonNode err = line.error();
    String code = err.path("code").asText(null);
    return BatchItemResult.failure(
        new BatchError(
            line.statusCode(),
            err.path("message").asText(code != null ? code : "failed"),
            details(code, line.body().path("error").path("type").asText(null))));
  }

  private static List<Map<String, Object>> details(String code, String type) {
    Map<String, Object> d = new LinkedHashMap<>();
    if (code != null) {
      d.put("code", code);
    }
    if (type != null) {
      d.put("type", type);
    }
    return d.isEmpty() ? null : List.of(d);
  }

  private ChatResult withBatchCost(ChatResult r) {
    PriceTable prices = chatModel.client().priceTable();
    if (r.model() == null || !prices.contains(r.model())) {
      return r;
    }
    return r.withCost(prices.cost(r.model(), r.usage(), PricingMode.BATCH));
  }

  private static <T> T call(Supplier<T> call) {
    try {
      return call.get();
    } catch (MaritacaException e) {
      throw Exceptions.map(e);
    } catch (UncheckedIOException e) {
      throw new LangChain4jException(e.getMessage(), e);
    }
  }

  /** Builds a {@link MaritacaBatchChatModel}. Not thread-safe. */
  public static final class Builder {
    private MaritacaChatModel chatModel;
    private Path workDirectory;
    private final Map<String, String> metadata = new LinkedHashMap<>();

    Builder() {
      metadata.put("created_by", "maritaca4j-langchain4j");
    }

    /**
     * The chat model whose client (key, base URL, connections, retries, prices) and default
     * parameters the batches use. Required.
     */
    public Builder chatModel(MaritacaChatModel chatModel) {
      this.chatModel = Objects.requireNonNull(chatModel, "chatModel");
      return this;
    }

    /** A client to build a chat model on, with its defaults. */
    public Builder client(ChatMaritaca client) {
      return chatModel(MaritacaChatModel.of(client));
    }

    /**
     * Where the JSONL files are written before upload and after download (deleted right after);
     * default the system's temporary directory.
     */
    public Builder workDirectory(Path directory) {
      this.workDirectory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /**
     * A metadata pair stored with every batch (besides {@code created_by} and {@code requests}).
     */
    public Builder metadata(String key, String value) {
      metadata.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    public MaritacaBatchChatModel build() {
      if (chatModel == null) {
        throw new IllegalStateException("chatModel (or client) is required");
      }
      return new MaritacaBatchChatModel(this);
    }
  }
}
