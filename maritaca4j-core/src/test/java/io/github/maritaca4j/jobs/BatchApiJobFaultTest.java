package io.github.maritaca4j.jobs;

import static io.github.maritaca4j.testing.ApiBodies.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.TestClocks;
import io.github.maritaca4j.batchapi.BatchStatus;
import io.github.maritaca4j.batchapi.ResultLine;
import io.github.maritaca4j.errors.JobException;
import io.github.maritaca4j.internal.Json;
import io.github.maritaca4j.testing.ScriptedHttpServer;
import io.github.maritaca4j.testing.ScriptedHttpServer.Reply;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Batch API job against a scripted server: odd result files, faults, races. */
class BatchApiJobFaultTest {
  @TempDir Path dir;
  ScriptedHttpServer server;
  ChatMaritaca client;
  Path in;
  Path out;
  Path errs;
  BatchApiJob jobs;

  @BeforeEach
  void start() throws Exception {
    server = new ScriptedHttpServer();
    client =
        ChatMaritaca.builder()
            .baseUrl(server.baseUrl())
            .apiKey("test-key")
            .model("sabiazinho-4")
            .maxRetries(2)
            .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(5))
            .clock(TestClocks.peak())
            .build();
    in = dir.resolve("in.jsonl");
    out = dir.resolve("out.jsonl");
    errs = JobFiles.defaultErrors(out);
    jobs = new BatchApiJob(client, dir.resolve("state"));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  static String ok(String id, String text) {
    return "{\"id\":\"batch_req_"
        + id
        + "\",\"custom_id\":\""
        + id
        + "\",\"response\":{\"status_code\":200,\"request_id\":\"r\",\"body\":"
        + completion(text)
        + "},\"error\":null}";
  }

  static String completion(String text) {
    return "{\"id\":\"c\",\"object\":\"chat.completion\",\"model\":\"sabiazinho-4\",\"choices\":[{"
        + "\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\""
        + text
        + "\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":10,"
        + "\"completion_tokens\":2,\"total_tokens\":12}}";
  }

  static String expired(String id) {
    return "{\"id\":\"batch_req_"
        + id
        + "\",\"custom_id\":\""
        + id
        + "\",\"response\":null,\"error\":{\"code\":\"batch_expired\","
        + "\"message\":\"This request could not be executed before the completion window expired.\"}}";
  }

  /** Submits n requests (q0..): one part, file-in, batch b1. */
  private BatchApiJobState submit(int n) throws Exception {
    JsonlJobTest.writeInput(in, n);
    server.enqueue(
        "POST /api/files",
        Reply.json(200, "{\"id\":\"file-in\",\"object\":\"file\",\"purpose\":\"batch\",\"x\":1}"));
    server.enqueue(
        "POST /api/batches", Reply.json(200, batch("b1", "validating", "file-in", null, null, "")));
    return jobs.submit(jobs.prepare(JobFiles.of(in, out)), null);
  }

  private void finished(String status, String output, String error, String extra) {
    server.enqueue(
        "GET /api/batches/b1",
        Reply.json(200, batch("b1", status, "file-in", output, error, extra)));
  }

  @Test
  void oddOutputFilesAreReadAndEveryRequestLandsOnce() throws Exception {
    BatchApiJobState s = submit(8);
    finished("completed", "file-out", "file-err", "\"request_counts\":{\"total\":8}");
    String stringBody =
        "{\"custom_id\":\"q5\",\"response\":{\"status_code\":200,\"body\":"
            + Json.write(completion("string body"))
            + "},\"error\":null}";
    String http400 =
        "{\"custom_id\":\"q6\",\"response\":{\"status_code\":400,\"body\":{\"error\":{\"message\":"
            + "\"max_tokens too large\",\"type\":\"invalid_request_error\",\"code\":\"bad_param\"}}},"
            + "\"error\":null}";
    String output =
        "\uFEFF"
            + ok("q3", "três")
            + "\r\n\r\n"
            + ok("q0", "zero")
            + "\r\n"
            + ok("q0", "zero again") // answered twice
            + "\r\n   \r\n"
            + ok("zz", "never submitted")
            + "\r\n"
            + "not json at all\r\n"
            + stringBody
            + "\r\n"
            + http400
            + "\r\n"
            + ok("q1", "um"); // no final newline
    server.enqueue(
        "GET /api/files/file-out/content",
        Reply.bytes("application/octet-stream", output.getBytes(StandardCharsets.UTF_8)));
    server.enqueue(
        "GET /api/files/file-err/content",
        Reply.bytes(
            "text/plain", (expired("q2") + "\n" + expired("q7")).getBytes(StandardCharsets.UTF_8)));

    BatchApiResults r = jobs.downloadResults(s);
    assertThat(JsonlJobTest.ids(out).keySet()).containsExactlyInAnyOrder("q0", "q1", "q3", "q5");
    assertThat(JsonlJobTest.ids(errs).keySet()).containsExactlyInAnyOrder("q2", "q6", "q7");
    assertThat(JsonlJobTest.ids(out, errs)).allSatisfy((k, v) -> assertThat(v).isEqualTo(1));
    assertThat(r.succeeded()).isEqualTo(4);
    assertThat(r.failed()).isEqualTo(3);
    assertThat(r.duplicates()).isEqualTo(1);
    assertThat(r.ignored()).isEqualTo(2);
    assertThat(r.missing()).isEqualTo(1); // q4
    assertThat(r.warnings())
        .anySatisfy(w -> assertThat(w).contains("\"zz\"").contains("not submitted"));
    assertThat(r.warnings())
        .anySatisfy(w -> assertThat(w).contains("line 7").contains("not a result line"));
    assertThat(r.state().isFinished()).isTrue();

    String outText = Files.readString(out);
    assertThat(outText).doesNotContain("\uFEFF").doesNotContain("\r").doesNotContain("zero again");
    assertThat(outText).contains("\"body\":{\"id\":\"c\"");
    assertThat(outText.lines())
        .allSatisfy(l -> assertThat(ResultLine.parse(l).isSuccess()).isTrue());
    String errText = Files.readString(errs);
    assertThat(errText)
        .contains("batch_expired")
        .contains("\"code\":\"bad_param\"")
        .contains("max_tokens too large")
        .contains("\"status\":400");
    assertThat(errText.lines())
        .allSatisfy(l -> assertThat(ResultLine.parse(l).isSuccess()).isFalse());

    // again: nothing new, nothing doubled, no request to the server's files
    int before = server.requests("GET /api/files").size();
    BatchApiResults again = jobs.downloadResults(r.state());
    assertThat(again.succeeded() + again.failed()).isZero();
    assertThat(server.requests("GET /api/files").size()).isEqualTo(before);
  }

  @Test
  void allFailedGivesOnlyAnErrorFileAndAllOkNoErrorFile() throws Exception {
    BatchApiJobState s = submit(2);
    finished(
        "completed",
        null,
        "file-err",
        "\"request_counts\":{\"total\":2,\"completed\":0,\"failed\":2}");
    server.enqueue(
        "GET /api/files/file-err/content",
        Reply.bytes(
            "application/jsonl",
            (expired("q0") + "\n" + expired("q1") + "\n").getBytes(StandardCharsets.UTF_8)));
    BatchApiResults r = jobs.downloadResults(s);
    assertThat(r.failed()).isEqualTo(2);
    assertThat(r.missing()).isZero();
    assertThat(server.requests("GET /api/files/null")).isEmpty();
  }

  @Test
  void anExpiredBatchGivesItsResultsAndItsExpiredRequests() throws Exception {
    BatchApiJobState s = submit(3);
    finished(
        "expired",
        "file-out",
        "file-err",
        "\"request_counts\":{\"total\":3,\"completed\":1,\"failed\":2}");
    server.enqueue(
        "GET /api/files/file-out/content",
        Reply.bytes("application/jsonl", (ok("q1", "um") + "\n").getBytes(StandardCharsets.UTF_8)));
    server.enqueue(
        "GET /api/files/file-err/content",
        Reply.bytes(
            "application/jsonl",
            (expired("q0") + "\n" + expired("q2") + "\n").getBytes(StandardCharsets.UTF_8)));
    BatchApiResults r = jobs.downloadResults(s);
    assertThat(r.state().parts().get(0).batchStatus()).isEqualTo(BatchStatus.EXPIRED);
    assertThat(r.succeeded()).isEqualTo(1);
    assertThat(r.failed()).isEqualTo(2);
    assertThat(r.missing()).isZero();
  }

  @Test
  void aFailedBatchReportsItsValidationErrorsAndEveryRequestAsMissing() throws Exception {
    BatchApiJobState s = submit(3);
    finished(
        "failed",
        null,
        null,
        "\"errors\":{\"object\":\"list\",\"data\":[{\"code\":\"invalid_request\",\"message\":"
            + "\"bad url\",\"line\":2,\"param\":\"url\"}]},\"request_counts\":null");
    BatchApiResults r = jobs.downloadResults(s);
    assertThat(r.state().parts().get(0).message())
        .isEqualTo("line 2: invalid_request: bad url (param url)");
    assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("failed").contains("bad url"));
    assertThat(r.missing()).isEqualTo(3);
    assertThat(r.state().isFinished()).isTrue();
  }

  @Test
  void anUnknownStatusCountsAsRunningAndIsShownAsSent() throws Exception {
    BatchApiJobState s = submit(1);
    finished("paused_for_review", null, null, "");
    BatchApiResults r = jobs.downloadResults(s);
    assertThat(r.pendingParts()).isEqualTo(1);
    assertThat(r.state().parts().get(0).status()).isEqualTo("paused_for_review");
    assertThat(r.state().isTerminal()).isFalse();
  }

  @Test
  void aLostCreateAnswerAdoptsTheBatchTheServerMade() throws Exception {
    JsonlJobTest.writeInput(in, 2);
    server.enqueue("POST /api/files", Reply.json(200, "{\"id\":\"file-in\"}"));
    server.enqueue("POST /api/batches", Reply.drop());
    server.enqueue(
        "GET /api/batches",
        Reply.json(
            200,
            "{\"data\":["
                + batch("b7", "validating", "file-in", null, null, "")
                + "],\"has_more\":false}"));
    BatchApiJobState s = jobs.submit(jobs.prepare(JobFiles.of(in, out)), null);
    assertThat(s.parts().get(0).batchId()).isEqualTo("b7");
    assertThat(server.requests("POST /api/batches")).hasSize(1);
  }

  @Test
  void aFailedCreateWithNoBatchOnTheServerStopsAndTheRerunCreatesOnce() throws Exception {
    JsonlJobTest.writeInput(in, 2);
    server.enqueue("POST /api/files", Reply.json(200, "{\"id\":\"file-in\"}"));
    server.enqueue("POST /api/batches", Reply.json(502, "<html>bad gateway</html>"));
    server.enqueue(
        "GET /api/batches",
        Reply.json(200, "{\"data\":[],\"has_more\":false}"),
        Reply.json(
            200,
            "{\"data\":["
                + batch("b0", "completed", "other-file", null, null, "")
                + "],\"has_more\":true,\"last_id\":\"b0\"}"),
        Reply.json(200, "{\"data\":[],\"has_more\":false}"));
    assertThatThrownBy(() -> jobs.submit(jobs.prepare(JobFiles.of(in, out)), null))
        .isInstanceOf(JobException.class)
        .hasMessageContaining("may have created it anyway")
        .hasMessageContaining("run the same submit again");
    BatchApiJobState saved = jobs.load(BatchApiJob.jobId(in));
    assertThat(saved.parts().get(0).inputFileId()).isEqualTo("file-in");
    assertThat(saved.parts().get(0).batchId()).isNull();

    server.enqueue(
        "POST /api/batches", Reply.json(200, batch("b8", "validating", "file-in", null, null, "")));
    BatchApiJobState s = jobs.submit(jobs.prepare(JobFiles.of(in, out)), null);
    assertThat(s.parts().get(0).batchId()).isEqualTo("b8");
    assertThat(server.requests("POST /api/files")).hasSize(1); // not uploaded twice
    assertThat(server.requests("POST /api/batches")).hasSize(2);
    // the rerun looked through both pages before creating
    assertThat(server.requests("GET /api/batches").get(2).query()).contains("after=b0");
  }

  @Test
  void aRefusedCreateIsReportedAsIs() throws Exception {
    JsonlJobTest.writeInput(in, 2);
    server.enqueue("POST /api/files", Reply.json(200, "{\"id\":\"file-in\"}"));
    server.enqueue(
        "POST /api/batches",
        Reply.json(400, "{\"error\":{\"message\":\"completion_window must be 24h\"}}"));
    assertThatThrownBy(() -> jobs.submit(jobs.prepare(JobFiles.of(in, out)), null))
        .hasMessageContaining("completion_window must be 24h");
    assertThat(server.requests("GET /api/batches")).isEmpty();
  }

  @Test
  void cancellingABatchThatJustEndedKeepsItsEnd() throws Exception {
    BatchApiJobState s = submit(2);
    server.enqueue(
        "GET /api/batches/b1",
        Reply.json(200, batch("b1", "in_progress", "file-in", null, null, "")),
        Reply.json(200, batch("b1", "completed", "file-in", "file-out", null, "")));
    server.enqueue(
        "POST /api/batches/b1/cancel",
        Reply.json(400, "{\"error\":{\"message\":\"cannot cancel a completed batch\"}}"));
    BatchApiJobState c = jobs.cancel(s);
    assertThat(c.parts().get(0).batchStatus()).isEqualTo(BatchStatus.COMPLETED);
    assertThat(c.parts().get(0).outputFileId()).isEqualTo("file-out");
  }

  @Test
  void cancelAnsweredWithTheBatchAsItIs() throws Exception {
    BatchApiJobState s = submit(2);
    server.enqueue(
        "GET /api/batches/b1",
        Reply.json(200, batch("b1", "finalizing", "file-in", null, null, "")));
    server.enqueue(
        "POST /api/batches/b1/cancel",
        Reply.json(200, batch("b1", "completed", "file-in", "file-out", null, "")));
    BatchApiJobState c = jobs.cancel(s);
    assertThat(c.parts().get(0).batchStatus()).isEqualTo(BatchStatus.COMPLETED);
  }

  @Test
  void aLargeOutputIsStreamed() throws Exception {
    int n = 20_000;
    BatchApiJobState s = submit(n);
    finished("completed", "file-out", null, "");
    ByteArrayOutputStream big = new ByteArrayOutputStream();
    for (int i = n - 1; i >= 0; i--) { // reverse order
      big.write((ok("q" + i, "x".repeat(200)) + "\n").getBytes(StandardCharsets.UTF_8));
    }
    server.enqueue(
        "GET /api/files/file-out/content", Reply.bytes("application/jsonl", big.toByteArray()));
    BatchApiResults r = jobs.downloadResults(s);
    assertThat(r.succeeded()).isEqualTo(n);
    assertThat(r.missing()).isZero();
    assertThat(JsonlJobTest.ids(out)).hasSize(n);
  }

  @Test
  void aDownloadFailureLeavesThePartToRetry() throws Exception {
    BatchApiJobState s = submit(2);
    finished("completed", "file-out", null, "");
    server.enqueue(
        "GET /api/files/file-out/content",
        Reply.json(404, "{\"error\":{\"message\":\"No such file: file-out\"}}"));
    assertThatThrownBy(() -> jobs.downloadResults(s)).hasMessageContaining("No such file");
    BatchApiJobState saved = jobs.load(s.jobId());
    assertThat(saved.parts().get(0).downloaded()).isFalse();
    server.enqueue(
        "GET /api/files/file-out/content",
        Reply.bytes(
            "application/jsonl",
            (ok("q0", "a") + "\n" + ok("q1", "b")).getBytes(StandardCharsets.UTF_8)));
    BatchApiResults r = jobs.downloadResults(saved);
    assertThat(r.succeeded()).isEqualTo(2);
    assertThat(r.missing()).isZero();
  }

  static List<String> lines(Path p) throws Exception {
    return Files.readAllLines(p);
  }

  static Map<String, Object> obj(String line) {
    return Json.parseObject(line);
  }
}
