package io.github.maritaca4j.simulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.multipart.Attribute;
import io.netty.handler.codec.http.multipart.DefaultHttpDataFactory;
import io.netty.handler.codec.http.multipart.FileUpload;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.netty.handler.codec.http.multipart.InterfaceHttpData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The Batch API: files ({@code POST /files} multipart, {@code GET /files}, {@code GET /files/{id}},
 * {@code GET /files/{id}/content}, {@code DELETE /files/{id}}) and batches ({@code POST /batches},
 * {@code GET /batches/{id}}, {@code POST /batches/{id}/cancel}, {@code GET /batches}). A batch
 * moves one status per {@code batchPace} on its own daemon thread: validating → in_progress (up to
 * {@link #LINES_PER_STEP} lines answered per step) → finalizing → completed. Lines go through the
 * answer generator, not through the rate limits. Thread-safe.
 */
final class BatchService implements AutoCloseable {
  static final int MAX_LINES = 50_000;
  static final int LINES_PER_STEP = 1000;
  static final Set<String> ENDPOINTS = Set.of("/v1/chat/completions", "/chat/completions");

  private record StoredFile(
      String id, String filename, String purpose, long createdAt, byte[] bytes) {
    ObjectNode json() {
      ObjectNode o = Json.object();
      o.put("id", id);
      o.put("object", "file");
      o.put("bytes", bytes.length);
      o.put("created_at", createdAt);
      o.put("filename", filename);
      o.put("purpose", purpose);
      o.put("status", "processed");
      return o;
    }
  }

  private final class Batch {
    final String id;
    final String inputFileId;
    final String endpoint;
    final String completionWindow;
    final JsonNode metadata;
    final long createdAt = now();
    final long createdNanos = System.nanoTime();
    final long expiresAt;
    String status = "validating";
    Long inProgressAt;
    Long finalizingAt;
    Long completedAt;
    Long failedAt;
    Long expiredAt;
    Long cancellingAt;
    Long cancelledAt;
    String outputFileId;
    String errorFileId;
    ArrayNode errors;
    int total;
    int completed;
    int failed;
    List<JsonNode> lines = List.of();
    int cursor;
    final StringBuilder out = new StringBuilder();
    final StringBuilder err = new StringBuilder();

    Batch(String id, String inputFileId, String endpoint, String window, JsonNode metadata) {
      this.id = id;
      this.inputFileId = inputFileId;
      this.endpoint = endpoint;
      this.completionWindow = window;
      this.metadata = metadata;
      this.expiresAt = createdAt + Math.max(1, sim.cfg.batchExpiry().toSeconds());
    }

    synchronized ObjectNode json() {
      ObjectNode o = Json.object();
      o.put("id", id);
      o.put("object", "batch");
      o.put("endpoint", endpoint);
      if (errors == null) {
        o.putNull("errors");
      } else {
        ObjectNode e = o.putObject("errors");
        e.put("object", "list");
        e.set("data", errors);
      }
      o.put("input_file_id", inputFileId);
      o.put("completion_window", completionWindow);
      o.put("status", status);
      o.put("output_file_id", outputFileId);
      o.put("error_file_id", errorFileId);
      o.put("created_at", createdAt);
      o.put("in_progress_at", inProgressAt);
      o.put("expires_at", expiresAt);
      o.put("finalizing_at", finalizingAt);
      o.put("completed_at", completedAt);
      o.put("failed_at", failedAt);
      o.put("expired_at", expiredAt);
      o.put("cancelling_at", cancellingAt);
      o.put("cancelled_at", cancelledAt);
      ObjectNode rc = o.putObject("request_counts");
      rc.put("total", total);
      rc.put("completed", completed);
      rc.put("failed", failed);
      o.set("metadata", metadata == null ? Json.MAPPER.nullNode() : metadata);
      return o;
    }
  }

  private final SimServer sim;
  private final Map<String, StoredFile> files = new ConcurrentHashMap<>();
  private final Map<String, Batch> batches = new ConcurrentHashMap<>();
  private final ScheduledExecutorService exec =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "maritaca-sim-batch");
            t.setDaemon(true);
            return t;
          });

  private volatile int failEvery;
  private volatile int dropEvery;

  BatchService(SimServer sim) {
    this.sim = sim;
  }

  /** Every failEvery-th row fails (server_error), every dropEvery-th is lost; 0 = none. */
  void rowFaults(int failEvery, int dropEvery) {
    this.failEvery = failEvery;
    this.dropEvery = dropEvery;
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }

  HttpHandler.Response handle(
      HttpMethod method, String sub, QueryStringDecoder qs, FullHttpRequest req) {
    String[] p = sub.substring(1).split("/");
    if (p[0].equals("files")) {
      if (p.length == 1 && method.equals(HttpMethod.POST)) {
        return HttpHandler.Response.json(200, upload(req).json());
      }
      if (p.length == 1 && method.equals(HttpMethod.GET)) {
        ObjectNode o = Json.object();
        o.put("object", "list");
        ArrayNode data = o.putArray("data");
        files.values().stream()
            .sorted(Comparator.comparingLong(StoredFile::createdAt).thenComparing(StoredFile::id))
            .forEach(f -> data.add(f.json()));
        o.put("has_more", false);
        return HttpHandler.Response.json(200, o);
      }
      StoredFile f = file(p[1]);
      if (p.length == 2 && method.equals(HttpMethod.GET)) {
        return HttpHandler.Response.json(200, f.json());
      }
      if (p.length == 2 && method.equals(HttpMethod.DELETE)) {
        files.remove(f.id());
        ObjectNode o = Json.object();
        o.put("id", f.id());
        o.put("object", "file");
        o.put("deleted", true);
        return HttpHandler.Response.json(200, o);
      }
      if (p.length == 3 && p[2].equals("content") && method.equals(HttpMethod.GET)) {
        return new HttpHandler.Response(200, f.bytes(), "application/jsonl", Map.of());
      }
    } else if (p[0].equals("batches")) {
      if (p.length == 1 && method.equals(HttpMethod.POST)) {
        return HttpHandler.Response.json(200, create(req).json());
      }
      if (p.length == 1 && method.equals(HttpMethod.GET)) {
        return HttpHandler.Response.json(200, list(qs));
      }
      Batch b = batch(p[1]);
      if (p.length == 2 && method.equals(HttpMethod.GET)) {
        return HttpHandler.Response.json(200, b.json());
      }
      if (p.length == 3 && p[2].equals("cancel") && method.equals(HttpMethod.POST)) {
        cancel(b);
        return HttpHandler.Response.json(200, b.json());
      }
    }
    throw new ApiError(
        404, "invalid_request_error", "unknown_url", "Unknown request URL: " + method + " " + sub);
  }

  // ------------------------------------------------------------------ files

  private StoredFile file(String id) {
    StoredFile f = files.get(id);
    if (f == null) {
      throw ApiError.notFound("file_not_found", "No such File object: " + id);
    }
    return f;
  }

  private StoredFile upload(FullHttpRequest req) {
    String ct = req.headers().get("content-type", "");
    if (!ct.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data")) {
      throw ApiError.badRequest(
          null, "POST /files needs a multipart/form-data body with 'file' and 'purpose'.");
    }
    HttpPostRequestDecoder dec =
        new HttpPostRequestDecoder(new DefaultHttpDataFactory(false), req, StandardCharsets.UTF_8);
    try {
      byte[] bytes = null;
      String filename = null;
      String purpose = null;
      for (InterfaceHttpData d : dec.getBodyHttpDatas()) {
        if (d instanceof FileUpload fu && d.getName().equals("file")) {
          bytes = fu.get();
          filename = fu.getFilename();
        } else if (d instanceof Attribute a) {
          if (a.getName().equals("purpose")) {
            purpose = a.getValue();
          } else if (a.getName().equals("file") && bytes == null) {
            bytes = a.get();
            filename = "file.jsonl";
          }
        }
      }
      if (bytes == null) {
        throw ApiError.badRequest("file", "Missing the 'file' part.");
      }
      if (purpose == null || purpose.isBlank()) {
        throw ApiError.badRequest("purpose", "Missing the 'purpose' part (e.g. 'batch').");
      }
      return store(filename == null ? "file.jsonl" : filename, purpose, bytes);
    } catch (IOException | HttpPostRequestDecoder.ErrorDataDecoderException e) {
      throw ApiError.badRequest("file", "Cannot read the multipart body: " + e.getMessage());
    } finally {
      dec.destroy();
    }
  }

  private StoredFile store(String filename, String purpose, byte[] bytes) {
    StoredFile f = new StoredFile(sim.nextId("file-"), filename, purpose, now(), bytes);
    files.put(f.id(), f);
    return f;
  }

  // ------------------------------------------------------------------ batches

  private Batch batch(String id) {
    Batch b = batches.get(id);
    if (b == null) {
      throw ApiError.notFound("batch_not_found", "No such Batch object: " + id);
    }
    return b;
  }

  private Batch create(FullHttpRequest req) {
    JsonNode body;
    try {
      body = Json.MAPPER.readTree(req.content().toString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ApiError(400, "invalid_request_error", "invalid_json", "Malformed JSON body.");
    }
    if (body == null || !body.isObject()) {
      throw new ApiError(
          400, "invalid_request_error", "invalid_json", "The body must be a JSON object.");
    }
    String input = body.path("input_file_id").asText("");
    if (input.isEmpty()) {
      throw ApiError.badRequest("input_file_id", "'input_file_id' is required.");
    }
    file(input);
    String endpoint = body.path("endpoint").asText("");
    if (!ENDPOINTS.contains(endpoint)) {
      throw ApiError.badRequest(
          "endpoint", "'endpoint' must be /v1/chat/completions, not '" + endpoint + "'.");
    }
    String window = body.path("completion_window").asText("");
    if (!window.equals("24h")) {
      throw ApiError.badRequest(
          "completion_window", "'completion_window' must be '24h', not '" + window + "'.");
    }
    JsonNode metadata = body.get("metadata");
    Batch b = new Batch(sim.nextId("batch_"), input, endpoint, window, metadata);
    batches.put(b.id, b);
    schedule(b);
    return b;
  }

  private void schedule(Batch b) {
    try {
      exec.schedule(() -> step(b), sim.cfg.batchPace().toNanos(), TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // shutting down
    }
  }

  private void cancel(Batch b) {
    synchronized (b) {
      switch (b.status) {
        case "validating", "in_progress" -> {
          b.status = "cancelling";
          b.cancellingAt = now();
        }
        case "cancelling" -> {}
        default ->
            throw new ApiError(
                400,
                "invalid_request_error",
                "invalid_state",
                "Cannot cancel a batch with status '" + b.status + "'.");
      }
    }
  }

  private ObjectNode list(QueryStringDecoder qs) {
    int limit = 20;
    List<String> l = qs.parameters().get("limit");
    if (l != null && !l.isEmpty()) {
      try {
        limit = Integer.parseInt(l.get(0));
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > 100) {
        throw ApiError.badRequest("limit", "'limit' must be an integer in [1, 100]: " + l.get(0));
      }
    }
    List<String> after = qs.parameters().get("after");
    List<Batch> all = new ArrayList<>(batches.values());
    // most recent first; ids are unique and increase with creation
    all.sort(Comparator.comparingLong((Batch b) -> b.createdNanos).reversed());
    int start = 0;
    if (after != null && !after.isEmpty()) {
      start = -1;
      for (int i = 0; i < all.size(); i++) {
        if (all.get(i).id.equals(after.get(0))) {
          start = i + 1;
        }
      }
      if (start < 0) {
        throw ApiError.notFound("batch_not_found", "No such Batch object: " + after.get(0));
      }
    }
    List<Batch> page =
        all.subList(Math.min(start, all.size()), Math.min(start + limit, all.size()));
    ObjectNode o = Json.object();
    o.put("object", "list");
    ArrayNode data = o.putArray("data");
    page.forEach(b -> data.add(b.json()));
    o.put("first_id", page.isEmpty() ? null : page.get(0).id);
    o.put("last_id", page.isEmpty() ? null : page.get(page.size() - 1).id);
    o.put("has_more", start + limit < all.size());
    return o;
  }

  private void step(Batch b) {
    boolean again;
    synchronized (b) {
      again = advance(b);
    }
    if (again) {
      schedule(b);
    }
  }

  /** One status step; true when another step follows. */
  private boolean advance(Batch b) {
    long age = System.nanoTime() - b.createdNanos;
    boolean expired = age >= sim.cfg.batchExpiry().toNanos();
    switch (b.status) {
      case "cancelling" -> {
        b.status = "cancelled";
        b.cancelledAt = now();
        writeFiles(b);
        return false;
      }
      case "validating" -> {
        validate(b);
        if (b.errors == null && expired) {
          expire(b);
          return false;
        }
        if (b.errors != null) {
          b.status = "failed";
          b.failedAt = now();
          return false;
        }
        b.status = "in_progress";
        b.inProgressAt = now();
        return true;
      }
      case "in_progress" -> {
        if (expired) {
          expire(b);
          return false;
        }
        int end = Math.min(b.lines.size(), b.cursor + LINES_PER_STEP);
        for (; b.cursor < end; b.cursor++) {
          int row = b.cursor + 1;
          if (failEvery > 0 && row % failEvery == 0) {
            errorLine(
                b,
                b.lines.get(b.cursor).path("custom_id").asText(),
                "server_error",
                "The server had an error while processing this request.");
          } else if (dropEvery > 0 && row % dropEvery == 0) {
            continue; // lost: in neither file
          } else {
            answer(b, b.lines.get(b.cursor));
          }
        }
        if (b.cursor >= b.lines.size()) {
          b.status = "finalizing";
          b.finalizingAt = now();
        }
        return true;
      }
      case "finalizing" -> {
        writeFiles(b);
        b.status = "completed";
        b.completedAt = now();
        b.lines = List.of();
        return false;
      }
      default -> {
        return false;
      }
    }
  }

  private void expire(Batch b) {
    for (int i = b.cursor; i < b.lines.size(); i++) {
      JsonNode line = b.lines.get(i);
      errorLine(
          b,
          line.path("custom_id").asText(),
          "batch_expired",
          "This request could not be executed before the completion window expired.");
    }
    b.cursor = b.lines.size();
    b.status = "expired";
    b.expiredAt = now();
    writeFiles(b);
    b.lines = List.of();
  }

  private void writeFiles(Batch b) {
    if (b.out.length() > 0) {
      b.outputFileId =
          store(
                  "batch_" + b.id + "_output.jsonl",
                  "batch_output",
                  b.out.toString().getBytes(StandardCharsets.UTF_8))
              .id();
    }
    if (b.err.length() > 0) {
      b.errorFileId =
          store(
                  "batch_" + b.id + "_error.jsonl",
                  "batch_output",
                  b.err.toString().getBytes(StandardCharsets.UTF_8))
              .id();
    }
    b.out.setLength(0);
    b.err.setLength(0);
  }

  private void validate(Batch b) {
    StoredFile f = files.get(b.inputFileId);
    ArrayNode errors = Json.MAPPER.createArrayNode();
    List<JsonNode> lines = new ArrayList<>();
    if (f == null) {
      addError(errors, "file_not_found", "The input file was deleted.", null);
    } else {
      String[] raw = new String(f.bytes(), StandardCharsets.UTF_8).split("\r?\n");
      Set<String> ids = new HashSet<>();
      String model = null;
      int lineNo = 0;
      for (String s : raw) {
        lineNo++;
        if (s.isBlank()) {
          continue;
        }
        if (lines.size() >= MAX_LINES) {
          addError(
              errors,
              "too_many_requests",
              "The input file has more than " + MAX_LINES + " requests.",
              null);
          break;
        }
        JsonNode n;
        try {
          n = Json.MAPPER.readTree(s);
        } catch (IOException e) {
          addError(errors, "invalid_json_line", "This line is not valid JSON.", lineNo);
          continue;
        }
        if (n == null || !n.isObject()) {
          addError(errors, "invalid_json_line", "This line is not a JSON object.", lineNo);
          continue;
        }
        String cid = n.path("custom_id").asText("");
        if (cid.isEmpty()) {
          addError(errors, "missing_required_parameter", "Missing 'custom_id'.", lineNo);
        } else if (!ids.add(cid)) {
          addError(
              errors,
              "duplicate_custom_id",
              "The custom_id '" + cid + "' appears more than once.",
              lineNo);
        }
        if (!"POST".equals(n.path("method").asText())) {
          addError(errors, "invalid_method", "'method' must be POST.", lineNo);
        }
        if (!ENDPOINTS.contains(n.path("url").asText())) {
          addError(errors, "invalid_url", "'url' must be " + b.endpoint + ".", lineNo);
        }
        if (!n.path("body").isObject()) {
          addError(errors, "missing_required_parameter", "Missing 'body' (an object).", lineNo);
        } else {
          String m = n.path("body").path("model").asText("");
          if (model == null) {
            model = m;
          } else if (!model.equals(m)) {
            addError(
                errors,
                "mismatched_model",
                "All requests of a batch must use the same model ('"
                    + model
                    + "', not '"
                    + m
                    + "').",
                lineNo);
          }
        }
        lines.add(n);
        if (errors.size() >= 100) {
          break;
        }
      }
      if (lines.isEmpty() && errors.isEmpty()) {
        addError(errors, "empty_file", "The input file has no requests.", null);
      }
    }
    if (!errors.isEmpty()) {
      b.errors = errors;
      return;
    }
    b.lines = lines;
    b.total = lines.size();
  }

  private static void addError(ArrayNode errors, String code, String message, Integer line) {
    ObjectNode e = errors.addObject();
    e.put("code", code);
    e.put("message", message);
    e.putNull("param");
    e.put("line", line);
  }

  private void answer(Batch b, JsonNode line) {
    String cid = line.path("custom_id").asText();
    try {
      ChatRequest cr = ChatRequest.parse(Json.bytes(line.get("body")));
      if (cr.stream()) {
        throw ApiError.badRequest("stream", "Streaming is not supported in the Batch API.");
      }
      Generator.Completion comp = sim.generator.complete(cr);
      int prompt = cr.promptIds(sim.tokens).size() + 3;
      ObjectNode o = Json.object();
      o.put("id", sim.nextId("batch_req_"));
      o.put("custom_id", cid);
      ObjectNode resp = o.putObject("response");
      resp.put("status_code", 200);
      resp.put("request_id", sim.nextId("req_"));
      resp.set("body", HttpHandler.completionJson(sim.nextId("chatcmpl-"), cr, comp, prompt, 0));
      o.putNull("error");
      b.out.append(Json.string(o)).append('\n');
      b.completed++;
    } catch (ApiError e) {
      errorLine(b, cid, e.code(), e.getMessage());
    }
  }

  private void errorLine(Batch b, String cid, String code, String message) {
    ObjectNode o = Json.object();
    o.put("id", sim.nextId("batch_req_"));
    o.put("custom_id", cid);
    o.putNull("response");
    ObjectNode e = o.putObject("error");
    e.put("code", code);
    e.put("message", message);
    b.err.append(Json.string(o)).append('\n');
    b.failed++;
  }

  @Override
  public void close() {
    exec.shutdownNow();
  }
}
