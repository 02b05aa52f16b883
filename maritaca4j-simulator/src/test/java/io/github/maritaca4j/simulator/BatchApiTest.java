package io.github.maritaca4j.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchApiTest {

  static String line(String id, String question) {
    return "{\"custom_id\":\""
        + id
        + "\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":"
        + Http.chat("sabia-4", question, "\"max_tokens\":100")
        + "}";
  }

  static JsonNode upload(String base, String content) {
    String boundary = "----sim" + System.nanoTime();
    String body =
        "--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n"
            + "--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"in.jsonl\"\r\n"
            + "Content-Type: application/jsonl\r\n\r\n"
            + content
            + "\r\n--"
            + boundary
            + "--\r\n";
    HttpResponse<String> r =
        Http.send(
            HttpRequest.newBuilder(URI.create(base + "/files"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Http.json(r);
  }

  static JsonNode createBatch(String base, String fileId) {
    HttpResponse<String> r =
        Http.post(
            base + "/batches",
            "{\"input_file_id\":\""
                + fileId
                + "\",\"endpoint\":\"/v1/chat/completions\","
                + "\"completion_window\":\"24h\",\"metadata\":{\"job\":\"t\"}}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Http.json(r);
  }

  static JsonNode awaitStatus(String base, String id, Set<String> terminal)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    JsonNode b;
    do {
      Thread.sleep(10);
      b = Http.json(Http.get(base + "/batches/" + id));
    } while (!terminal.contains(b.path("status").asText()) && System.nanoTime() < deadline);
    return b;
  }

  static Map<String, JsonNode> byCustomId(String jsonl) {
    Map<String, JsonNode> m = new HashMap<>();
    for (String l : jsonl.split("\n")) {
      if (!l.isBlank()) {
        JsonNode n = Http.json(l);
        m.put(n.path("custom_id").asText(), n);
      }
    }
    return m;
  }

  @Test
  void uploadCreatePollDownload() throws Exception {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder().batchPace(Duration.ofMillis(20)).start()) {
      String base = sim.baseUrl().replace("/api", "/v1");
      String content =
          IntStream.range(0, 30)
                  .mapToObj(
                      i ->
                          line(
                              "req-" + i, i == 0 ? "Qual é a capital do Brasil?" : "Pergunta " + i))
                  .collect(Collectors.joining("\n"))
              + "\n{\"custom_id\":\"bad\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{\"model\":\"sabia-4\",\"messages\":[],\"max_tokens\":5}}\n";
      JsonNode file = upload(base, content);
      assertThat(file.path("id").asText()).startsWith("file-");
      assertThat(file.path("purpose").asText()).isEqualTo("batch");
      assertThat(file.path("bytes").asInt())
          .isEqualTo(content.getBytes(StandardCharsets.UTF_8).length);
      assertThat(Http.get(base + "/files/" + file.path("id").asText() + "/content").body())
          .isEqualTo(content);

      JsonNode created = createBatch(base, file.path("id").asText());
      assertThat(created.path("status").asText()).isEqualTo("validating");
      assertThat(created.path("object").asText()).isEqualTo("batch");
      assertThat(created.path("metadata").path("job").asText()).isEqualTo("t");

      JsonNode done =
          awaitStatus(base, created.path("id").asText(), Set.of("completed", "failed", "expired"));
      assertThat(done.path("status").asText()).isEqualTo("completed");
      assertThat(done.path("request_counts").path("total").asInt()).isEqualTo(31);
      assertThat(done.path("request_counts").path("completed").asInt()).isEqualTo(30);
      assertThat(done.path("request_counts").path("failed").asInt()).isEqualTo(1);
      for (String ts : List.of("in_progress_at", "finalizing_at", "completed_at")) {
        assertThat(done.path(ts).isNumber()).as(ts).isTrue();
      }

      Map<String, JsonNode> out =
          byCustomId(
              Http.get(base + "/files/" + done.path("output_file_id").asText() + "/content")
                  .body());
      assertThat(out).hasSize(30);
      JsonNode first = out.get("req-0");
      assertThat(first.path("id").asText()).startsWith("batch_req_");
      assertThat(first.path("error").isNull()).isTrue();
      assertThat(first.path("response").path("status_code").asInt()).isEqualTo(200);
      assertThat(first.path("response").path("request_id").asText()).isNotBlank();
      assertThat(
              first
                  .path("response")
                  .path("body")
                  .path("choices")
                  .get(0)
                  .path("message")
                  .path("content")
                  .asText())
          .contains("Brasília");

      Map<String, JsonNode> err =
          byCustomId(
              Http.get(base + "/files/" + done.path("error_file_id").asText() + "/content").body());
      assertThat(err).containsOnlyKeys("bad");
      assertThat(err.get("bad").path("response").isNull()).isTrue();
      assertThat(err.get("bad").path("error").path("code").asText()).isNotBlank();
      assertThat(err.get("bad").path("error").path("message").asText()).contains("messages");

      // files can be listed and deleted
      assertThat(Http.json(Http.get(base + "/files")).path("data")).hasSize(3);
      HttpResponse<String> del =
          Http.send(
              HttpRequest.newBuilder(URI.create(base + "/files/" + file.path("id").asText()))
                  .DELETE()
                  .build());
      assertThat(Http.json(del).path("deleted").asBoolean()).isTrue();
      assertThat(Http.get(base + "/files/" + file.path("id").asText()).statusCode()).isEqualTo(404);
    }
  }

  @Test
  void cancelStopsABatch() throws Exception {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder().batchPace(Duration.ofMillis(500)).start()) {
      String base = sim.baseUrl();
      JsonNode file = upload(base, line("a", "oi") + "\n" + line("b", "olá"));
      JsonNode b = createBatch(base, file.path("id").asText());
      HttpResponse<String> c =
          Http.post(base + "/batches/" + b.path("id").asText() + "/cancel", "");
      assertThat(c.statusCode()).isEqualTo(200);
      assertThat(Http.json(c).path("status").asText()).isEqualTo("cancelling");
      assertThat(Http.json(c).path("cancelling_at").isNumber()).isTrue();
      JsonNode done = awaitStatus(base, b.path("id").asText(), Set.of("cancelled", "completed"));
      assertThat(done.path("status").asText()).isEqualTo("cancelled");
      assertThat(done.path("cancelled_at").isNumber()).isTrue();
      HttpResponse<String> again =
          Http.post(base + "/batches/" + b.path("id").asText() + "/cancel", "");
      assertThat(again.statusCode()).isEqualTo(400);
    }
  }

  @Test
  void unfinishedBatchExpiresWithItsRequestsInTheErrorFile() throws Exception {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder()
            .batchPace(Duration.ofMillis(20))
            .batchExpiry(Duration.ofMillis(1))
            .start()) {
      String base = sim.baseUrl();
      JsonNode file = upload(base, line("a", "oi") + "\n" + line("b", "olá") + "\n");
      JsonNode b = createBatch(base, file.path("id").asText());
      JsonNode done =
          awaitStatus(base, b.path("id").asText(), Set.of("expired", "completed", "failed"));
      assertThat(done.path("status").asText()).isEqualTo("expired");
      assertThat(done.path("expired_at").isNumber()).isTrue();
      assertThat(done.path("output_file_id").isNull()).isTrue();
      Map<String, JsonNode> err =
          byCustomId(
              Http.get(base + "/files/" + done.path("error_file_id").asText() + "/content").body());
      assertThat(err).containsOnlyKeys("a", "b");
      assertThat(err.get("a").path("error").path("code").asText()).isEqualTo("batch_expired");
    }
  }

  @Test
  void invalidInputFileFailsTheBatchWithErrors() throws Exception {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder().batchPace(Duration.ofMillis(10)).start()) {
      String base = sim.baseUrl();
      String content =
          line("a", "oi")
              + "\n"
              + line("a", "dup")
              + "\nnot json\n"
              + line("c", "x").replace("sabia-4", "sabiazinho-4");
      JsonNode b = createBatch(base, upload(base, content).path("id").asText());
      JsonNode done = awaitStatus(base, b.path("id").asText(), Set.of("failed", "completed"));
      assertThat(done.path("status").asText()).isEqualTo("failed");
      assertThat(done.path("failed_at").isNumber()).isTrue();
      List<String> codes = done.path("errors").path("data").findValuesAsText("code");
      assertThat(codes).contains("duplicate_custom_id", "invalid_json_line", "mismatched_model");
      assertThat(done.path("errors").path("data").get(0).path("line").asInt()).isEqualTo(2);
    }
  }

  @Test
  void listsBatchesNewestFirstWithLimitAndAfter() {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder().batchPace(Duration.ofSeconds(30)).start()) {
      String base = sim.baseUrl();
      String fid = upload(base, line("a", "oi")).path("id").asText();
      String b1 = createBatch(base, fid).path("id").asText();
      String b2 = createBatch(base, fid).path("id").asText();
      String b3 = createBatch(base, fid).path("id").asText();
      JsonNode page1 = Http.json(Http.get(base + "/batches?limit=2"));
      assertThat(page1.path("data").findValuesAsText("id")).containsExactly(b3, b2);
      assertThat(page1.path("has_more").asBoolean()).isTrue();
      JsonNode page2 =
          Http.json(Http.get(base + "/batches?limit=2&after=" + page1.path("last_id").asText()));
      assertThat(page2.path("data").findValuesAsText("id")).containsExactly(b1);
      assertThat(page2.path("has_more").asBoolean()).isFalse();
    }
  }

  @Test
  void createRejectsUnknownFileAndBadWindow() {
    try (MaritacaSimulator sim = MaritacaSimulator.builder().start()) {
      String base = sim.baseUrl();
      assertThat(
              Http.post(
                      base + "/batches",
                      "{\"input_file_id\":\"file-x\",\"endpoint\":\"/v1/chat/completions\",\"completion_window\":\"24h\"}")
                  .statusCode())
          .isEqualTo(404);
      String fid = upload(base, line("a", "oi")).path("id").asText();
      assertThat(
              Http.post(
                      base + "/batches",
                      "{\"input_file_id\":\""
                          + fid
                          + "\",\"endpoint\":\"/v1/chat/completions\",\"completion_window\":\"1h\"}")
                  .statusCode())
          .isEqualTo(400);
      assertThat(Http.get(base + "/batches/batch_nope").statusCode()).isEqualTo(404);
    }
  }
}
