package io.github.maritaca4j.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.langchain4j.model.batch.BatchItemResult;
import dev.langchain4j.model.batch.BatchResponse;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Result files as a Batch API server other than the simulator may write them: a byte order mark, a
 * line that is not JSON, a body sent as a JSON string, a request answered in both files.
 */
class BatchResultFilesTest {
  private HttpServer server;
  private final Map<String, String> files = new java.util.concurrent.ConcurrentHashMap<>();

  private static String completion(String text) {
    return "{\"id\":\"c\",\"object\":\"chat.completion\",\"model\":\"sabia-4\",\"choices\":[{\"index\":0,"
        + "\"message\":{\"role\":\"assistant\",\"content\":\""
        + text
        + "\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2,"
        + "\"total_tokens\":7}}";
  }

  private static String ok(int i, String body) {
    return "{\"id\":\"r"
        + i
        + "\",\"custom_id\":\"request-"
        + i
        + "\",\"response\":{\"status_code\":200,\"request_id\":\"q\",\"body\":"
        + body
        + "},\"error\":null}";
  }

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/api/batches/",
        ex -> {
          byte[] b =
              ("{\"id\":\"batch_1\",\"object\":\"batch\",\"status\":\"completed\","
                      + "\"input_file_id\":\"file-in\",\"output_file_id\":\"file-out\","
                      + "\"error_file_id\":\"file-err\",\"request_counts\":{\"total\":5,"
                      + "\"completed\":3,\"failed\":2}}")
                  .getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "application/json");
          ex.sendResponseHeaders(200, b.length);
          try (OutputStream os = ex.getResponseBody()) {
            os.write(b);
          }
        });
    server.createContext(
        "/api/files/",
        ex -> {
          String id = ex.getRequestURI().getPath().split("/")[3];
          byte[] b = files.getOrDefault(id, "").getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "application/octet-stream");
          ex.sendResponseHeaders(200, b.length == 0 ? -1 : b.length);
          if (b.length > 0) {
            try (OutputStream os = ex.getResponseBody()) {
              os.write(b);
            }
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void everyReadableLineCountsAndASuccessIsNeverReplaced() {
    files.put(
        "file-out",
        "\uFEFF"
            + ok(0, completion("zero"))
            + "\r\n"
            + "this is not json\r\n"
            + ok(2, "\"" + completion("dois").replace("\"", "\\\"") + "\"")
            + "\r\n"
            + ok(3, completion("três")));
    files.put(
        "file-err",
        "{\"id\":\"e1\",\"custom_id\":\"request-3\",\"response\":null,"
            + "\"error\":{\"code\":\"server_error\",\"message\":\"late duplicate\"}}\n"
            + "{\"id\":\"e2\",\"custom_id\":\"request-4\",\"response\":{\"status_code\":400,"
            + "\"body\":{\"error\":{\"message\":\"bad\",\"code\":\"invalid\"}}},\"error\":null}\n");
    MaritacaBatchChatModel model =
        MaritacaBatchChatModel.of(
            MaritacaChatModel.builder()
                .baseUrl("http://127.0.0.1:" + server.getAddress().getPort() + "/api")
                .apiKey("test-key")
                .build());
    BatchResponse<ChatResponse> r = model.retrieve("batch_1");
    List<BatchItemResult<ChatResponse>> items = r.results();
    assertThat(items).hasSize(5);
    assertThat(items.get(0).response().aiMessage().text()).isEqualTo("zero");
    assertThat(items.get(1).isSuccess()).isFalse(); // its line was unreadable: no result
    assertThat(items.get(2).response().aiMessage().text()).isEqualTo("dois");
    assertThat(items.get(3).response().aiMessage().text()).isEqualTo("três");
    assertThat(items.get(4).isSuccess()).isFalse();
    assertThat(items.get(4).error().message()).isEqualTo("bad");
  }
}
