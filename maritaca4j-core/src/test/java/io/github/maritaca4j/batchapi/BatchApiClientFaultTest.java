package io.github.maritaca4j.batchapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.TestClocks;
import io.github.maritaca4j.errors.AuthenticationException;
import io.github.maritaca4j.errors.BadRequestException;
import io.github.maritaca4j.errors.ConnectionException;
import io.github.maritaca4j.errors.MaritacaException;
import io.github.maritaca4j.errors.NotFoundException;
import io.github.maritaca4j.errors.RateLimitException;
import io.github.maritaca4j.errors.ServerException;
import io.github.maritaca4j.testing.ScriptedHttpServer;
import io.github.maritaca4j.testing.ScriptedHttpServer.Reply;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Batch API client against a scripted server: odd shapes and HTTP faults on every call. */
class BatchApiClientFaultTest {
  static final String KEY = "sk-secret-key-123456";
  @TempDir Path dir;
  ScriptedHttpServer server;
  BatchApiClient api;

  @BeforeEach
  void start() throws Exception {
    server = new ScriptedHttpServer();
    api =
        BatchApiClient.of(
            ChatMaritaca.builder()
                .baseUrl(server.baseUrl())
                .apiKey(KEY)
                .maxRetries(2)
                .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(5))
                .clock(TestClocks.peak())
                .build());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  // ---- batch objects

  @Test
  void readsBatchesWithExtraFieldsNullsAndPartialCounts() {
    server.enqueue(
        "GET /api/batches/b1",
        Reply.json(
            200,
            "{\"id\":\"b1\",\"object\":\"batch\",\"status\":\"in_progress\",\"future_field\":{\"x\":[1]},"
                + "\"input_file_id\":\"f1\",\"output_file_id\":null,\"error_file_id\":null,"
                + "\"completion_window\":\"48h\",\"created_at\":null,\"completed_at\":null,"
                + "\"in_progress_at\":1.7E9,\"metadata\":null,\"errors\":null,"
                + "\"request_counts\":{\"total\":10}}"));
    server.enqueue(
        "GET /api/batches/b2",
        Reply.json(200, "{\"id\":\"b2\",\"status\":\"completed\",\"request_counts\":null}"));
    server.enqueue(
        "GET /api/batches/b3",
        Reply.json(200, "{\"id\":\"b3\",\"status\":\"validating\",\"created_at\":1764355200}"));
    Batch b1 = api.getBatch("b1");
    assertThat(b1.status()).isEqualTo(BatchStatus.IN_PROGRESS);
    assertThat(b1.total()).isEqualTo(10);
    assertThat(b1.completed()).isZero();
    assertThat(b1.createdAt()).isZero();
    assertThat(b1.metadata()).isEmpty();
    assertThat(b1.errors()).isEmpty();
    Batch b2 = api.getBatch("b2");
    assertThat(b2.total()).isZero();
    assertThat(b2.outputFileId()).isNull();
    assertThat(api.getBatch("b3").createdAt()).isEqualTo(1764355200L);
  }

  @Test
  void everyStatusParsesAndAnUnknownOneIsKeptAsSent() {
    for (String s :
        new String[] {
          "validating",
          "failed",
          "in_progress",
          "finalizing",
          "completed",
          "expired",
          "cancelling",
          "cancelled"
        }) {
      assertThat(BatchStatus.fromWire(s)).isNotEqualTo(BatchStatus.UNKNOWN);
      assertThat(BatchStatus.fromWire(s).wireName()).isEqualTo(s);
    }
    server.enqueue(
        "GET /api/batches/b9", Reply.json(200, "{\"id\":\"b9\",\"status\":\"paused_for_review\"}"));
    Batch b = api.getBatch("b9");
    assertThat(b.status()).isEqualTo(BatchStatus.UNKNOWN);
    assertThat(b.status().isTerminal()).isFalse();
    assertThat(b.statusText()).isEqualTo("paused_for_review");
  }

  @Test
  void validationErrorsOfAFailedBatchAreKept() {
    server.enqueue(
        "GET /api/batches/b1",
        Reply.json(
            200,
            "{\"id\":\"b1\",\"status\":\"failed\",\"errors\":{\"object\":\"list\",\"data\":["
                + "{\"code\":\"invalid_json_line\",\"message\":\"Line 3 is not valid JSON\","
                + "\"line\":3,\"param\":null},"
                + "{\"code\":\"mismatched_model\",\"message\":\"one model per file\",\"line\":7,"
                + "\"param\":\"body.model\"}]}}"));
    server.enqueue(
        "GET /api/batches/b2",
        Reply.json(
            200, "{\"id\":\"b2\",\"status\":\"failed\",\"errors\":[{\"code\":\"too_large\"}]}"));
    Batch b = api.getBatch("b1");
    assertThat(b.status()).isEqualTo(BatchStatus.FAILED);
    assertThat(b.errors())
        .containsExactly(
            "line 3: invalid_json_line: Line 3 is not valid JSON",
            "line 7: mismatched_model: one model per file (param body.model)");
    assertThat(api.getBatch("b2").errors()).containsExactly("too_large");
  }

  // ---- pagination

  @Test
  void listsPagesWithAfter() {
    server.enqueue(
        "GET /api/batches",
        Reply.json(
            200,
            "{\"object\":\"list\",\"data\":[{\"id\":\"b3\",\"status\":\"completed\"},"
                + "{\"id\":\"b2\",\"status\":\"completed\"}],\"first_id\":\"b3\","
                + "\"last_id\":\"b2\",\"has_more\":true}"),
        Reply.json(
            200,
            "{\"object\":\"list\",\"data\":[{\"id\":\"b1\",\"status\":\"failed\"}],"
                + "\"has_more\":false}"));
    BatchPage p1 = api.listBatches(2, null);
    assertThat(p1.hasMore()).isTrue();
    assertThat(p1.lastId()).isEqualTo("b2");
    BatchPage p2 = api.listBatches(2, p1.lastId());
    assertThat(p2.data()).extracting(Batch::id).containsExactly("b1");
    assertThat(p2.hasMore()).isFalse();
    assertThat(p2.lastId()).isEqualTo("b1");
    assertThat(server.requests("GET /api/batches").get(0).query()).isEqualTo("limit=2");
    assertThat(server.requests("GET /api/batches").get(1).query()).isEqualTo("limit=2&after=b2");
  }

  // ---- files

  @Test
  void uploadAnswerWithExtraFields() throws Exception {
    Path in = dir.resolve("in.jsonl");
    Files.writeString(in, "{}\n");
    server.enqueue(
        "POST /api/files",
        Reply.json(
            200,
            "{\"id\":\"file-1\",\"object\":\"file\",\"bytes\":3,\"created_at\":1,\"filename\":\"in.jsonl\","
                + "\"purpose\":\"batch\",\"status\":\"processed\",\"expires_at\":null,\"x\":{}}"));
    assertThat(api.uploadFile(in).id()).isEqualTo("file-1");
    String body = server.requests("POST /api/files").get(0).body();
    assertThat(body).contains("name=\"purpose\"").contains("batch").contains("{}\n");
  }

  @Test
  void downloadsAnyContentTypeByteForByte() throws Exception {
    byte[] content =
        "\uFEFF{\"custom_id\":\"a\"}\r\n\r\n{\"custom_id\":\"b\"}".getBytes(StandardCharsets.UTF_8);
    for (String type :
        new String[] {"application/octet-stream", "text/plain", "application/jsonl"}) {
      server.enqueue("GET /api/files/f1/content", Reply.bytes(type, content));
      Path t = dir.resolve("t-" + type.replace('/', '_'));
      assertThat(api.downloadFile("f1", t)).isEqualTo(content.length);
      assertThat(Files.readAllBytes(t)).isEqualTo(content);
    }
  }

  @Test
  void aFailedDownloadLeavesNoFileBehind() throws Exception {
    server.enqueue(
        "GET /api/files/nope/content",
        Reply.json(404, "{\"error\":{\"message\":\"No such file\"}}"));
    Path t = dir.resolve("t.jsonl");
    assertThatThrownBy(() -> api.downloadFile("nope", t)).isInstanceOf(NotFoundException.class);
    assertThat(server.requests("GET /api/files/nope/content")).hasSize(1);
    assertThat(Files.list(dir)).isEmpty();
  }

  // ---- HTTP faults

  @Test
  void readsAreRetriedAfter429And5xxAndResets() {
    server.enqueue(
        "GET /api/batches/b1",
        Reply.json(429, "{\"error\":{\"message\":\"slow down\"}}", "Retry-After", "0"),
        Reply.json(503, "{\"error\":{\"message\":\"busy\"}}"),
        Reply.json(200, "{\"id\":\"b1\",\"status\":\"completed\"}"));
    assertThat(api.getBatch("b1").status()).isEqualTo(BatchStatus.COMPLETED);
    server.enqueue(
        "GET /api/files/f1/content",
        Reply.drop(),
        Reply.json(502, "<html>bad gateway</html>"),
        Reply.bytes(
            "application/jsonl", "{\"custom_id\":\"a\"}\n".getBytes(StandardCharsets.UTF_8)));
    assertThat(api.downloadFile("f1", dir.resolve("o.jsonl"))).isPositive();
    server.enqueue(
        "GET /api/batches", Reply.drop(), Reply.json(200, "{\"data\":[],\"has_more\":false}"));
    assertThat(api.listBatches(10, null).data()).isEmpty();
  }

  @Test
  void creatingABatchIsRetriedOnlyAfterA429() {
    server.enqueue(
        "POST /api/batches",
        Reply.json(429, "{\"error\":{\"message\":\"slow down\"}}", "Retry-After", "0"),
        Reply.json(200, "{\"id\":\"b1\",\"status\":\"validating\",\"input_file_id\":\"f1\"}"));
    assertThat(api.createBatch("f1", Map.of()).id()).isEqualTo("b1");
    assertThat(server.requests("POST /api/batches")).hasSize(2);

    server.enqueue("POST /api/batches", Reply.json(500, "{\"error\":{\"message\":\"oops\"}}"));
    assertThatThrownBy(() -> api.createBatch("f2", Map.of())).isInstanceOf(ServerException.class);
    assertThat(server.requests("POST /api/batches")).hasSize(3); // not retried: it may exist
    server.enqueue("POST /api/batches", Reply.drop());
    assertThatThrownBy(() -> api.createBatch("f3", Map.of()))
        .isInstanceOf(ConnectionException.class);
    assertThat(server.requests("POST /api/batches")).hasSize(4);
  }

  @Test
  void fourHundredsAreNotRetried() {
    server.enqueue(
        "GET /api/files/f404", Reply.json(404, "{\"error\":{\"message\":\"No such file\"}}"));
    assertThatThrownBy(() -> api.getFile("f404")).isInstanceOf(NotFoundException.class);
    assertThat(server.requests("GET /api/files/f404")).hasSize(1);
    server.enqueue(
        "POST /api/batches/b1/cancel",
        Reply.json(
            400,
            "{\"error\":{\"message\":\"Batch b1 cannot be cancelled: completed\","
                + "\"code\":\"invalid_state\"}}"));
    assertThatThrownBy(() -> api.cancelBatch("b1")).isInstanceOf(BadRequestException.class);
    assertThat(server.requests("POST /api/batches/b1/cancel")).hasSize(1);
  }

  @Test
  void theKeyNeverShowsInErrors() throws Exception {
    String echo = "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + "\"}}";
    server.enqueue("GET /api/batches/b1", Reply.json(401, echo));
    server.enqueue("POST /api/batches", Reply.json(401, echo));
    server.enqueue("GET /api/files/f1/content", Reply.json(401, echo));
    server.enqueue(
        "GET /api/batches/b2", Reply.json(200, "{\"status\":\"completed\",\"k\":\"" + KEY + "\"}"));
    server.enqueue("GET /api/batches/b3", Reply.json(200, "not json " + KEY));
    Path t = dir.resolve("x");
    for (Runnable r :
        new Runnable[] {
          () -> api.getBatch("b1"),
          () -> api.createBatch("f1", Map.of()),
          () -> api.downloadFile("f1", t),
          () -> api.getBatch("b2"),
          () -> api.getBatch("b3")
        }) {
      assertThatThrownBy(r::run)
          .isInstanceOf(MaritacaException.class)
          .satisfies(e -> assertThat(stackText(e)).doesNotContain(KEY));
    }
    assertThatThrownBy(() -> api.getBatch("b1")).isInstanceOf(AuthenticationException.class);
    assertThat(server.requests("GET /api/batches/b1")).hasSize(2); // a 401 is not retried
    assertThat(server.requests())
        .allSatisfy(r -> assertThat(r.header("Authorization")).isEqualTo("Bearer " + KEY));
  }

  @Test
  void aRateLimitOnUploadIsRetried() throws Exception {
    Path in = dir.resolve("in.jsonl");
    Files.writeString(in, "{}\n");
    server.enqueue(
        "POST /api/files",
        Reply.json(429, "{\"error\":{\"message\":\"slow\"}}", "Retry-After", "0"),
        Reply.json(200, "{\"id\":\"file-1\"}"));
    assertThat(api.uploadFile(in).id()).isEqualTo("file-1");
    assertThat(server.requests("POST /api/files")).hasSize(2);
    assertThat(server.requests("POST /api/files").get(1).body()).contains("{}\n");
    server.enqueue(
        "POST /api/files",
        Reply.json(429, "{\"error\":{\"message\":\"slow\"}}", "Retry-After", "0"));
    assertThatThrownBy(() -> api.uploadFile(in)).isInstanceOf(RateLimitException.class);
  }

  static String stackText(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      sb.append(t).append('\n');
    }
    return sb.toString();
  }
}
