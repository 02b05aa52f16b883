package io.github.maritaca4j.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.ChatResult;
import io.github.maritaca4j.Message;
import io.github.maritaca4j.TestClocks;
import io.github.maritaca4j.errors.InvalidOutputException;
import io.github.maritaca4j.testing.ApiBodies;
import io.github.maritaca4j.testing.ScriptedHttpServer;
import io.github.maritaca4j.testing.ScriptedHttpServer.Reply;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An invalid answer is asked again with its problems, up to maxRepairs, over real HTTP. */
class ResponseValidatorTest {
  static final ObjectMapper JSON = new ObjectMapper();

  /** Valid when the answer is a JSON object with a boolean "ok". */
  static final ResponseValidator OK_FIELD =
      (request, result) -> {
        try {
          JsonNode n = JSON.readTree(result.content());
          return n != null && n.path("ok").isBoolean() ? List.of() : List.of("/ok: is missing");
        } catch (Exception e) {
          return List.of("the answer is not JSON");
        }
      };

  ScriptedHttpServer server;
  ChatMaritaca client;

  @BeforeEach
  void start() throws Exception {
    server = new ScriptedHttpServer();
    client =
        ChatMaritaca.builder()
            .baseUrl(server.baseUrl())
            .apiKey("k")
            .model("sabia-4")
            .clock(TestClocks.peak())
            .build();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private BatchResult run(int maxRepairs) {
    return client
        .batchAsync(
            List.of(List.of(Message.user("Responda em JSON"))),
            BatchOptions.builder()
                .returnExceptions(true)
                .validator(OK_FIELD)
                .maxRepairs(maxRepairs)
                .build())
        .join();
  }

  @Test
  void anInvalidAnswerIsAskedAgainWithItsProblemsAndTheItemPaysForBoth() throws Exception {
    server.enqueue(
        Reply.json(200, ApiBodies.completion("não sei")),
        Reply.json(200, ApiBodies.completion("{\\\"ok\\\": true}")));
    BatchResult r = run(2);
    BatchItem item = r.items().get(0);
    assertThat(item.isSuccess()).isTrue();
    assertThat(item.result().content()).isEqualTo("{\"ok\": true}");
    assertThat(item.attempts()).isEqualTo(2);
    assertThat(item.usage().promptTokens()).isEqualTo(20);
    assertThat(item.usage().completionTokens()).isEqualTo(4);
    assertThat(server.requestCount()).isEqualTo(2);
    JsonNode second = JSON.readTree(server.requests().get(1).body());
    JsonNode msgs = second.path("messages");
    assertThat(msgs).hasSize(3);
    assertThat(msgs.get(0).path("content").asText()).isEqualTo("Responda em JSON");
    assertThat(msgs.get(1).path("role").asText()).isEqualTo("assistant");
    assertThat(msgs.get(1).path("content").asText()).isEqualTo("não sei");
    assertThat(msgs.get(2).path("role").asText()).isEqualTo("user");
    assertThat(msgs.get(2).path("content").asText()).contains("- the answer is not JSON");
  }

  @Test
  void stillInvalidAfterTheRepairsFailsWithTheProblems() {
    server.defaultReply(Reply.json(200, ApiBodies.completion("{\\\"ok\\\": 1}")));
    BatchResult r = run(1);
    BatchItem item = r.items().get(0);
    assertThat(item.isSuccess()).isFalse();
    assertThat(item.error()).isInstanceOf(InvalidOutputException.class);
    InvalidOutputException e = (InvalidOutputException) item.error();
    assertThat(e.problems()).containsExactly("/ok: is missing");
    assertThat(e.repairs()).isEqualTo(1);
    assertThat(e.content()).isEqualTo("{\"ok\": 1}");
    assertThat(e.isRetryable()).isFalse();
    assertThat(server.requestCount()).isEqualTo(2);
    assertThat(item.usage().promptTokens()).as("both answers were paid for").isEqualTo(20);
  }

  @Test
  void noRepairsMeansOneRequest() {
    server.defaultReply(Reply.json(200, ApiBodies.completion("texto")));
    BatchResult r = run(0);
    assertThat(r.items().get(0).error()).isInstanceOf(InvalidOutputException.class);
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void aValidAnswerIsNotAskedAgain() {
    server.defaultReply(Reply.json(200, ApiBodies.completion("{\\\"ok\\\": false}")));
    ChatResult res = run(2).items().get(0).result();
    assertThat(res).isNotNull();
    assertThat(server.requestCount()).isEqualTo(1);
  }
}
