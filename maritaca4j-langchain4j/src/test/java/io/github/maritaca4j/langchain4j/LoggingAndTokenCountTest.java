package io.github.maritaca4j.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.AudioContent;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.memory.chat.TokenWindowChatMemory;
import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.Message;
import io.github.maritaca4j.ToolCall;
import io.github.maritaca4j.cost.TokenCounter;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.slf4j.event.EventRecordingLogger;
import org.slf4j.event.SubstituteLoggingEvent;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.SubstituteLogger;

class LoggingAndTokenCountTest {

  @Test
  void logsRequestsAndResponsesButNeverTheKey() {
    String key = "sk-maritaca-very-secret-0123456789";
    Queue<SubstituteLoggingEvent> events = new ConcurrentLinkedQueue<>();
    EventRecordingLogger log =
        new EventRecordingLogger(new SubstituteLogger("test", events, false), events);
    try (MaritacaSimulator sim = MaritacaSimulator.builder().requireApiKey(key).start()) {
      ModelSettings settings = new ModelSettings();
      settings.client = Pinned.peak(); // the logged response has a cost
      settings.baseUrl = sim.baseUrl();
      settings.apiKey = key;
      settings.logRequests = true;
      settings.logResponses = true;
      MaritacaChatModel model = new MaritacaChatModel(settings.resolve(log));

      String answer = model.chat("Qual é a capital do Brasil?");

      List<String> lines =
          events.stream()
              .map(
                  e ->
                      MessageFormatter.arrayFormat(e.getMessage(), e.getArgumentArray())
                          .getMessage())
              .toList();
      assertThat(lines).hasSize(2);
      assertThat(lines.get(0))
          .contains("POST " + sim.baseUrl() + "/chat/completions")
          .contains("\"model\":\"sabia-4\"")
          .contains("Qual é a capital do Brasil?");
      assertThat(lines.get(1)).contains(answer).contains("finishReason=STOP").contains("costBrl=");
      assertThat(lines).noneMatch(l -> l.contains(key));
      assertThat(model.toString()).doesNotContain(key);
    }
  }

  @Test
  void logsNothingUnlessAsked() {
    Queue<SubstituteLoggingEvent> events = new ConcurrentLinkedQueue<>();
    EventRecordingLogger log =
        new EventRecordingLogger(new SubstituteLogger("test", events, false), events);
    try (MaritacaSimulator sim = MaritacaSimulator.start()) {
      ModelSettings settings = new ModelSettings();
      settings.baseUrl = sim.baseUrl();
      settings.apiKey = "k";
      new MaritacaChatModel(settings.resolve(log)).chat("Oi");

      assertThat(events).isEmpty();
    }
  }

  @Test
  void countsTokensWithTheCoreCounter() {
    MaritacaTokenCountEstimator estimator = MaritacaTokenCountEstimator.create();
    TokenCounter counter = estimator.counter();
    String text = "Olá, mundo! Como vai você?";

    assertThat(estimator.estimateTokenCountInText(text)).isEqualTo(counter.count(text));
    assertThat(estimator.estimateTokenCountInText("")).isZero();
    assertThat(estimator.estimateTokenCountInMessage(UserMessage.from(text)))
        .isEqualTo(counter.countMessages(List.of(Message.user(text))));
  }

  @Test
  void countsConversationsWithToolCallsAndFraming() {
    MaritacaTokenCountEstimator estimator = MaritacaTokenCountEstimator.create();
    ToolExecutionRequest call =
        ToolExecutionRequest.builder()
            .id("call_1")
            .name("clima")
            .arguments("{\"cidade\":\"Natal\"}")
            .build();
    List<ChatMessage> conversation =
        List.of(
            SystemMessage.from("Você é um assistente."),
            UserMessage.from("Como está o clima em Natal?"),
            AiMessage.from(call),
            ToolExecutionResultMessage.from(call, "Natal: 30 °C"));

    long expected =
        estimator
            .counter()
            .countMessages(
                List.of(
                    Message.system("Você é um assistente."),
                    Message.user("Como está o clima em Natal?"),
                    Message.assistant(
                        null, List.of(new ToolCall("call_1", "clima", "{\"cidade\":\"Natal\"}"))),
                    Message.tool("call_1", "Natal: 30 °C")));

    assertThat(estimator.estimateTokenCountInMessages(conversation)).isEqualTo((int) expected);
    int separately = conversation.stream().mapToInt(estimator::estimateTokenCountInMessage).sum();
    assertThat(separately).isEqualTo((int) expected);
  }

  @Test
  void skipsContentItCannotCountInsteadOfFailing() {
    MaritacaTokenCountEstimator estimator = MaritacaTokenCountEstimator.create();
    UserMessage withAudio =
        UserMessage.from(TextContent.from("Transcreva"), AudioContent.from("AAAA", "audio/wav"));

    assertThat(estimator.estimateTokenCountInMessage(withAudio))
        .isEqualTo(estimator.estimateTokenCountInMessage(UserMessage.from("Transcreva")));
  }

  @Test
  void usesTheClientsCounterAndWorksWithTokenWindowMemory() {
    ChatMaritaca client = ChatMaritaca.builder().apiKey("k").build();
    MaritacaTokenCountEstimator estimator = MaritacaTokenCountEstimator.of(client);
    TokenWindowChatMemory memory = TokenWindowChatMemory.withMaxTokens(40, estimator);

    for (int i = 0; i < 10; i++) {
      memory.add(UserMessage.from("Mensagem número " + i + " com algumas palavras a mais."));
    }

    assertThat(estimator.counter()).isSameAs(client.tokenCounter());
    assertThat(estimator.estimateTokenCountInMessages(memory.messages())).isLessThanOrEqualTo(40);
    assertThat(memory.messages()).isNotEmpty().hasSizeLessThan(10);
  }
}
