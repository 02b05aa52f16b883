package io.github.maritaca4j.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.NonRetriableException;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.errors.MissingApiKeyException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Without a key, the message says where to put it in the terms of the builder the model was made
 * with, not core's {@code ChatMaritaca.builder()}. A blank key is a missing one (whatever {@code
 * MARITACA_API_KEY} holds here); nothing is sent, so no server is needed.
 */
class MissingKeyMessageTest {
  private static final String NOWHERE = "http://127.0.0.1:9/api";

  @Test
  void theChatModelNamesItsBuilder() {
    MaritacaChatModel model = MaritacaChatModel.builder().baseUrl(NOWHERE).apiKey("").build();

    Throwable t = catchThrowable(() -> model.chat("Oi"));

    assertThat(t)
        .isInstanceOf(NonRetriableException.class)
        .hasCauseInstanceOf(MissingApiKeyException.class)
        .hasMessage(
            "no Maritaca API key: set the MARITACA_API_KEY environment variable or call"
                + " MaritacaChatModel.builder().apiKey(...)");
  }

  @Test
  void theChatModelsBatchesNameItToo() {
    MaritacaChatModel model = MaritacaChatModel.builder().baseUrl(NOWHERE).apiKey("").build();

    Throwable t =
        catchThrowable(() -> model.batchAsync(List.of(List.of(UserMessage.from("Oi"))), 1).join());

    assertThat(Exceptions.unwrap(t))
        .isInstanceOf(NonRetriableException.class)
        .hasMessageContaining("MaritacaChatModel.builder().apiKey(...)")
        .hasMessageNotContaining("ChatMaritaca.builder()");
  }

  @Test
  void theStreamingModelNamesItsBuilder() throws Exception {
    MaritacaStreamingChatModel model =
        MaritacaStreamingChatModel.builder().baseUrl(NOWHERE).apiKey("").build();
    CompletableFuture<Throwable> failed = new CompletableFuture<>();

    model.chat(
        "Oi",
        new StreamingChatResponseHandler() {
          @Override
          public void onCompleteResponse(ChatResponse response) {
            failed.complete(null);
          }

          @Override
          public void onError(Throwable error) {
            failed.complete(error);
          }
        });

    assertThat(failed.get(10, TimeUnit.SECONDS))
        .isInstanceOf(NonRetriableException.class)
        .hasCauseInstanceOf(MissingApiKeyException.class)
        .hasMessage(
            "no Maritaca API key: set the MARITACA_API_KEY environment variable or call"
                + " MaritacaStreamingChatModel.builder().apiKey(...)");
  }

  @Test
  void coreStillNamesItsOwnBuilder() {
    ChatMaritaca client = ChatMaritaca.builder().baseUrl(NOWHERE).apiKey("").build();

    assertThat(
            catchThrowable(() -> client.invoke(List.of(io.github.maritaca4j.Message.user("Oi")))))
        .isInstanceOf(MissingApiKeyException.class)
        .hasMessageContaining("ChatMaritaca.builder().apiKey(...)");
  }
}
