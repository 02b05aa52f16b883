package io.github.maritaca4j.langchain4j;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.common.AbstractChatModelIT;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponseMetadata;
import dev.langchain4j.model.output.TokenUsage;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * LangChain4j's shared contract suite for chat models ({@code AbstractChatModelIT} from the {@code
 * langchain4j-core} test jar), run against the simulator. The structural tests run (user messages,
 * model names, max output tokens in requests and defaults, integration-specific parameters, forced
 * tool calls, tools without arguments, metadata and token usage types); the ones that need a model
 * that understands its input (translation, memory, images, choosing a tool by meaning) are disabled
 * here, each with its reason.
 */
class ChatModelContractTest extends AbstractChatModelIT {
  private static final MaritacaSimulator SIM = MaritacaSimulator.builder().seed(42).start();

  @AfterAll
  static void stop() {
    SIM.close();
  }

  private static MaritacaChatModel.Builder builder() {
    return MaritacaChatModel.builder().baseUrl(SIM.baseUrl()).apiKey("test-key");
  }

  @Override
  protected List<ChatModel> models() {
    return List.of(builder().build());
  }

  @Override
  protected ChatModel createModelWith(ChatRequestParameters parameters) {
    return builder().defaultRequestParameters(parameters).build();
  }

  @Override
  protected String customModelName() {
    return "sabiazinho-4";
  }

  @Override
  protected ChatRequestParameters createIntegrationSpecificParameters(int maxOutputTokens) {
    return MaritacaChatRequestParameters.builder().maxOutputTokens(maxOutputTokens).build();
  }

  @Override
  protected Class<? extends ChatResponseMetadata> chatResponseMetadataType(ChatModel model) {
    return MaritacaChatResponseMetadata.class;
  }

  @Override
  protected Class<? extends TokenUsage> tokenUsageType(ChatModel model) {
    return MaritacaTokenUsage.class;
  }

  @Override
  @ParameterizedTest
  @MethodSource("models")
  @Disabled("needs a real model: translating \"I love you\" into German")
  protected void should_respect_system_message(ChatModel model) {}

  @Override
  @ParameterizedTest
  @MethodSource("models")
  @Disabled("needs a real model: remembering a colour from earlier in the conversation")
  protected void should_respect_multiple_messages(ChatModel model) {}

  @Override
  @ParameterizedTest
  @MethodSource("models")
  @Disabled("needs a real model: saying 'Hello World' when asked to")
  protected void should_respect_stopSequences_in_chat_request(ChatModel model) {}

  @Override
  @ParameterizedTest
  @MethodSource("models")
  @Disabled("needs a real model: knowing that Berlin is a city")
  protected void should_respect_JSON_response_format(ChatModel model) {}

  @Override
  @ParameterizedTest
  @MethodSource("models")
  @Disabled("needs a real model: knowing that Berlin is a city")
  protected void should_respect_JSON_response_format_with_schema(ChatModel model) {}

  @Override
  @ParameterizedTest
  @MethodSource("models")
  @Disabled("needs a real model: knowing that Berlin is a city")
  protected void should_respect_JsonRawSchema_responseFormat(ChatModel model) {}

  @Override
  @ParameterizedTest
  @MethodSource("models")
  @Disabled("needs a real model: choosing a tool named getWeather for 'weather' in auto mode")
  protected void should_execute_a_tool_then_answer(ChatModel model) {}

  @Override
  @ParameterizedTest
  @MethodSource("models")
  @Disabled("needs a real model: choosing a tool named getWeather for 'weather' in auto mode")
  protected void should_execute_a_tool_then_answer_respecting_JSON_response_format_with_schema(
      ChatModel model) {}

  @Override
  @ParameterizedTest
  @MethodSource("models")
  @Disabled("needs a real model: calling two tools in parallel")
  protected void should_execute_multiple_tools_in_parallel_then_answer(ChatModel model) {}

  @Override
  @ParameterizedTest
  @MethodSource("models")
  @Disabled("needs a real model: seeing a cat in an image")
  protected void should_accept_single_image_as_base64_encoded_string(ChatModel model) {}

  @Override
  @ParameterizedTest
  @MethodSource("models")
  @Disabled("needs a real model: seeing a cat in an image")
  protected void should_accept_multiple_images_as_base64_encoded_strings(ChatModel model) {}

  @Override
  @ParameterizedTest
  @MethodSource("models")
  @Disabled("needs a real model: seeing a cat in an image")
  protected void should_accept_single_image_as_public_URL(ChatModel model) {}

  @Override
  @ParameterizedTest
  @MethodSource("models")
  @Disabled("needs a real model: seeing a cat in an image")
  protected void should_accept_multiple_images_as_public_URLs(ChatModel model) {}

  @Override
  @Test
  @Disabled("needs a real model: saying 'Hello World' when asked to")
  protected void should_respect_stopSequences_in_default_model_parameters() {}
}
