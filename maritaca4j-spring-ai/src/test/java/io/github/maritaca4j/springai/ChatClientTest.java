package io.github.maritaca4j.springai;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.ServiceTier;
import io.github.maritaca4j.TestClocks;
import io.github.maritaca4j.cost.Cost;
import io.github.maritaca4j.cost.PricingMode;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import io.github.maritaca4j.simulator.SimulatorStats.RequestRecord;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.annotation.ToolParam;

/** Spring AI's ChatClient on the model: plain, streaming, tools (the loop), structured output. */
class ChatClientTest {
  private static MaritacaSimulator sim;
  private static ChatClient chat;

  @BeforeAll
  static void start() {
    sim = MaritacaSimulator.builder().seed(7).start();
    ChatMaritaca client =
        ChatMaritaca.builder()
            .baseUrl(sim.baseUrl())
            .apiKey("test-key")
            .clock(TestClocks.peak())
            .build();
    chat = ChatClient.create(MaritacaChatModel.of(client));
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  @BeforeEach
  void reset() {
    sim.reset();
  }

  @Test
  void answersAPlainQuestion() {
    assertThat(chat.prompt().user("Qual é a capital do Chile?").call().content())
        .isEqualTo("A capital do Chile é Santiago.");
  }

  @Test
  void takesMaritacasOwnOptionsPerCall() {
    ChatResponse response =
        chat.prompt()
            .user("Conte uma história longa sobre o Brasil.")
            .options(
                MaritacaChatOptions.builder()
                    .model("sabiazinho-4")
                    .maxTokens(6)
                    .serviceTier(ServiceTier.FLEX))
            .call()
            .chatResponse();

    assertThat(response.getMetadata().getUsage().getCompletionTokens()).isEqualTo(6);
    assertThat((String) response.getMetadata().get("service-tier")).isEqualTo("flex");
    Cost cost = response.getMetadata().get("cost");
    assertThat(cost.mode()).isEqualTo(PricingMode.FLEX);
    assertThat(sim.stats().log().get(0).model()).isEqualTo("sabiazinho-4");
  }

  @Test
  void streamsAnAnswer() {
    List<String> pieces =
        chat.prompt().user("Qual é a capital do Peru?").stream().content().collectList().block();

    assertThat(pieces).hasSizeGreaterThan(1);
    assertThat(String.join("", pieces)).isEqualTo("A capital do Peru é Lima.");
  }

  static final class WeatherTools {
    final List<String> cities = new CopyOnWriteArrayList<>();

    @Tool(description = "Current weather in a city")
    String currentWeather(@ToolParam(description = "the city") String city) {
      cities.add(city);
      return "28 graus e sol em " + city;
    }
  }

  @Test
  void runsTheToolTheModelCallsAndSendsItsResultBack() {
    WeatherTools tools = new WeatherTools();

    String answer =
        chat.prompt().user("Como está o weather em Recife hoje?").tools(tools).call().content();

    assertThat(tools.cities).containsExactly("Recife");
    assertThat(answer)
        .startsWith("De acordo com o resultado da ferramenta:")
        .contains("28 graus e sol em Recife");
    List<RequestRecord> log = sim.stats().log();
    assertThat(log).hasSize(2); // the call, then the answer with the tool's result
  }

  @Test
  void runsToolsWhenStreamingToo() {
    WeatherTools tools = new WeatherTools();

    String answer =
        chat.prompt().user("Como está o weather em Manaus hoje?").tools(tools).stream()
            .content()
            .collect(Collectors.joining())
            .block();

    assertThat(tools.cities).containsExactly("Manaus");
    assertThat(answer).contains("28 graus e sol em Manaus");
  }

  record Capital(String country, String capital) {}

  @Test
  void returnsAnEntityThroughTheProvidersStructuredOutput() {
    Capital capital =
        chat.prompt()
            .user("Qual é a capital do Brasil?")
            .call()
            .entity(Capital.class, spec -> spec.useProviderStructuredOutput());

    assertThat(capital).isNotNull();
    assertThat(capital.country()).isEqualTo("Brasil");
    assertThat(capital.capital()).isNotBlank();
  }
}
