package io.github.maritaca4j.jsonschema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.maritaca4j.ChatRequest;
import io.github.maritaca4j.ChatResult;
import io.github.maritaca4j.Message;
import io.github.maritaca4j.ResponseFormat;
import io.github.maritaca4j.errors.JobException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonSchemaValidatorTest {
  static final String PERSON =
      "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"},"
          + "\"age\":{\"type\":\"integer\",\"minimum\":0}},\"required\":[\"name\",\"age\"],"
          + "\"additionalProperties\":false}";

  @TempDir Path dir;

  static ChatRequest ask() {
    return ChatRequest.builder().model("sabia-4").messages(List.of(Message.user("Quem?"))).build();
  }

  static ChatResult answer(String content) {
    return new ChatResult(
        "c",
        "sabia-4",
        0L,
        List.of(
            new io.github.maritaca4j.Choice(
                0, Message.assistant(content), io.github.maritaca4j.FinishReason.STOP)),
        io.github.maritaca4j.Usage.of(1, 1),
        null,
        null,
        1,
        java.time.Duration.ZERO,
        null);
  }

  @Test
  void aValidAnswerHasNoProblems() throws Exception {
    JsonSchemaValidator v =
        JsonSchemaValidator.of(Files.writeString(dir.resolve("p.json"), PERSON));
    assertThat(v.validate(ask(), answer("{\"name\":\"Ana\",\"age\":30}"))).isEmpty();
  }

  @Test
  void eachProblemNamesItsPlaceInTheAnswerAsAJsonPointer() throws Exception {
    JsonSchemaValidator v =
        JsonSchemaValidator.of(Files.writeString(dir.resolve("p.json"), PERSON));
    List<String> p = v.validate(ask(), answer("{\"name\":\"Ana\",\"age\":-3,\"x\":1}"));
    assertThat(p).hasSize(2);
    assertThat(p).anySatisfy(s -> assertThat(s).startsWith("/age: "));
    assertThat(p).anySatisfy(s -> assertThat(s).startsWith("/: ").contains("x"));
    assertThat(v.validate(ask(), answer("Ana, 30 anos")))
        .singleElement()
        .asString()
        .startsWith("the answer is not JSON");
    assertThat(v.validate(ask(), answer("{\"name\":\"Ana\",\"age\":3} e mais")))
        .singleElement()
        .asString()
        .startsWith("the answer is not JSON");
  }

  @Test
  void aRequestsOwnSchemaWins() throws Exception {
    JsonSchemaValidator v = JsonSchemaValidator.forRequests();
    assertThat(v.validate(ask(), answer("texto livre"))).as("no schema: not checked").isEmpty();
    ChatRequest own =
        ask().toBuilder()
            .responseFormat(ResponseFormat.jsonSchema("n", "{\"type\":\"array\"}"))
            .build();
    assertThat(v.validate(own, answer("[1,2]"))).isEmpty();
    assertThat(v.validate(own, answer("{}"))).singleElement().asString().startsWith("/: ");
  }

  @Test
  void anInvalidSchemaFileIsRefusedWithTheJsonPointerOfTheMistake() throws Exception {
    Path bad =
        Files.writeString(
            dir.resolve("bad.json"),
            "{\"type\":\"object\",\"properties\":{\"age\":{\"type\":\"integr\"}}}");
    assertThatThrownBy(() -> JsonSchemaValidator.of(bad))
        .isInstanceOf(JobException.class)
        .hasMessageContaining(bad + " is not a valid JSON Schema")
        .hasMessageContaining("at /properties/age/type");
    Path notJson =
        Files.writeString(dir.resolve("nj.json"), "{\n  \"type\": \"object\",\n  oops\n}");
    assertThatThrownBy(() -> JsonSchemaValidator.of(notJson))
        .isInstanceOf(JobException.class)
        .hasMessageContaining(notJson + " is not JSON (line 3, column");
    Path array = Files.writeString(dir.resolve("arr.json"), "[1]");
    assertThatThrownBy(() -> JsonSchemaValidator.of(array))
        .hasMessageContaining("its top level must be an object");
    assertThatThrownBy(() -> JsonSchemaValidator.of(dir.resolve("missing.json")))
        .isInstanceOf(JobException.class)
        .hasMessageContaining("cannot read the JSON Schema");
  }

  @Test
  void itsSchemaIsTheResponseFormatToSend() throws Exception {
    JsonSchemaValidator v =
        JsonSchemaValidator.of(Files.writeString(dir.resolve("person.schema.json"), PERSON));
    ResponseFormat rf = v.responseFormat();
    assertThat(rf.type()).isEqualTo("json_schema");
    assertThat(rf.name()).isEqualTo("person");
    assertThat(rf.schema()).containsKey("properties");
    // a request carrying it is checked against the same schema
    ChatRequest r = ask().toBuilder().responseFormat(rf).build();
    assertThat(v.validate(r, answer("{\"name\":\"A\"}"))).isNotEmpty();
  }
}
