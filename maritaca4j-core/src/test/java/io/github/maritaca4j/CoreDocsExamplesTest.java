package io.github.maritaca4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.maritaca4j.simulator.MaritacaSimulator;
import io.github.maritaca4j.testing.DocSnippets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Examples of {@code docs/client.md}, run against the simulator. Each region between {@code //
 * docs:begin NAME} and {@code // docs:end} must be the code block of the page that follows {@code
 * <!-- tested: NAME -->}, compared without whitespace. Lines ending with {@code // docs:omit} exist
 * only here (to point the example at the simulator); a comment {@code // docs: CODE} is a line that
 * only the page has (imports, the real client). The same convention as the LangChain4j module's
 * {@code DocsExamplesTest}.
 */
class CoreDocsExamplesTest {
  private static MaritacaSimulator sim;

  @BeforeAll
  static void start() {
    sim = MaritacaSimulator.builder().seed(7).start();
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  /** A client of the simulator, at noon in Brasília. */
  private static ChatMaritaca simulatorClient() {
    return ChatMaritaca.builder()
        .baseUrl(sim.baseUrl())
        .apiKey("test-key")
        .clock(TestClocks.peak())
        .build();
  }

  /** The page's {@code runMyTool}: the user's own code. */
  private static String runMyTool(String arguments) {
    assertThat(arguments).isEqualTo("{\"cidade\":\"Recife\"}");
    return "Em Recife: 28 °C, chuva fraca à tarde.";
  }

  @Test
  void theFirstExample() {
    // docs:begin client-first
    // docs: import io.github.maritaca4j.ChatMaritaca;
    // docs: import io.github.maritaca4j.Message;
    // docs: import java.util.List;
    // docs: ChatMaritaca model = ChatMaritaca.create(); // key from MARITACA_API_KEY
    ChatMaritaca model = simulatorClient(); // docs:omit
    String answer = model.invoke(List.of(Message.user("Qual é a capital do Brasil?"))).content();
    // docs:end

    assertThat(answer).isEqualTo("A capital do Brasil é Brasília.");
  }

  @Test
  void theToolExampleCallsItsToolOnTheSimulator() {
    ChatMaritaca model = simulatorClient();
    ChatResult[] seen = new ChatResult[2];
    // docs:begin tools
    Tool weather =
        Tool.functionJson(
            "previsao_do_tempo",
            "Previsão do tempo numa cidade",
            "{\"type\":\"object\",\"properties\":{\"cidade\":{\"type\":\"string\"}},\"required\":[\"cidade\"]}");
    List<Message> chat =
        new ArrayList<>(List.of(Message.user("Qual é a previsão do tempo em Recife?")));
    ChatResult first = model.invoke(model.request(chat).tools(List.of(weather)).build());
    seen[0] = first; // docs:omit
    if (first.hasToolCalls()) {
      ToolCall call = first.toolCalls().get(0); // previsao_do_tempo, {"cidade":"Recife"}
      chat.add(first.message());
      chat.add(Message.tool(call.id(), runMyTool(call.arguments()))); // your code
      ChatResult answer = model.invoke(model.request(chat).tools(List.of(weather)).build());
      System.out.println(answer.content());
      seen[1] = answer; // docs:omit
    }
    // docs:end

    assertThat(seen[0].finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(seen[0].toolCalls())
        .singleElement()
        .satisfies(c -> assertThat(c.name()).isEqualTo("previsao_do_tempo"));
    assertThat(seen[1]).as("the tool was called and answered").isNotNull();
    assertThat(seen[1].content())
        .isEqualTo(
            "De acordo com o resultado da ferramenta: Em Recife: 28 °C, chuva fraca à tarde.");

    // the rule the page states: no word of the tool in the question, no call
    ChatResult plain =
        model.invoke(
            model
                .request(List.of(Message.user("Vai chover em Recife?")))
                .tools(List.of(weather))
                .build());
    assertThat(plain.hasToolCalls()).isFalse();
  }

  // ---- the page shows this code

  @Test
  void thePageShowsExactlyTheTestedCode() {
    List<String> regions =
        DocSnippets.assertPageShowsRegions(
            Path.of("src/test/java/io/github/maritaca4j/CoreDocsExamplesTest.java"),
            Path.of("../docs/client.md"));
    assertThat(regions).containsExactly("client-first", "tools");
  }
}
