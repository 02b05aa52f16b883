package io.github.maritaca4j.springai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.maritaca4j.ResponseFormat;
import io.github.maritaca4j.ServiceTier;
import io.github.maritaca4j.ToolChoice;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.model.tool.ToolCallingChatOptions;

class MaritacaChatOptionsTest {

  private static MaritacaChatOptions full() {
    return MaritacaChatOptions.builder()
        .model("sabia-4")
        .temperature(0.3)
        .maxTokens(100)
        .topP(0.9)
        .stop(List.of("FIM"))
        .frequencyPenalty(0.1)
        .presencePenalty(-0.1)
        .serviceTier(ServiceTier.FLEX)
        .responseFormat(ResponseFormat.JSON_OBJECT)
        .toolChoice(ToolChoice.AUTO)
        .toolContext(Map.of("tenant", "acme"))
        .build();
  }

  @Test
  void mutateGivesABuilderOfEqualOptions() {
    MaritacaChatOptions o = full();

    assertThat(o.mutate().build()).isEqualTo(o).hasSameHashCodeAs(o);
    assertThat(o.mutate().temperature(1.0).build().getTemperature()).isEqualTo(1.0);
    assertThat(o.getTemperature()).isEqualTo(0.3);
  }

  @Test
  void valuesOutOfRangeAreRejectedNamingThem() {
    assertThatThrownBy(() -> MaritacaChatOptions.builder().temperature(2.5).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("temperature")
        .hasMessageContaining("2.5");
    assertThatThrownBy(() -> MaritacaChatOptions.builder().topP(1.5).build())
        .hasMessageContaining("topP");
    assertThatThrownBy(() -> MaritacaChatOptions.builder().maxTokens(0).build())
        .hasMessageContaining("maxTokens");
    assertThatThrownBy(() -> MaritacaChatOptions.builder().topK(3).build())
        .hasMessageContaining("topK");
  }

  @Test
  void mergeTakesWhatTheRuntimeOptionsSetAndKeepsTheRest() {
    MaritacaChatOptions merged =
        MaritacaChatOptions.merge(
            full(),
            ToolCallingChatOptions.builder()
                .maxTokens(7)
                .toolContext(Map.of("user", "ana"))
                .build());

    assertThat(merged.getMaxTokens()).isEqualTo(7);
    assertThat(merged.getTemperature()).isEqualTo(0.3);
    assertThat(merged.getServiceTier()).isEqualTo(ServiceTier.FLEX);
    assertThat(merged.getToolContext())
        .containsEntry("tenant", "acme")
        .containsEntry("user", "ana");
  }

  @Test
  void mergingOptionsThatAlreadyHoldTheDefaultsChangesNothing() {
    MaritacaChatOptions defaults = full();
    // what ChatClient does: the model's options, mutated and combined with the request's
    MaritacaChatOptions fromChatClient =
        defaults.mutate().combineWith(ChatOptions.builder().temperature(0.5)).build();

    MaritacaChatOptions merged = MaritacaChatOptions.merge(defaults, fromChatClient);

    assertThat(merged.getStopSequences()).containsExactly("FIM");
    assertThat(merged.getTemperature()).isEqualTo(0.5);
    assertThat(merged).isEqualTo(fromChatClient);
  }

  @Test
  void combineWithTakesMaritacasOwnOptionsToo() {
    MaritacaChatOptions combined =
        MaritacaChatOptions.builder()
            .model("sabia-4")
            .combineWith(
                MaritacaChatOptions.builder().serviceTier(ServiceTier.FLEX).outputSchema("{}"))
            .build();

    assertThat(combined.getServiceTier()).isEqualTo(ServiceTier.FLEX);
    assertThat(combined.getOutputSchema()).isEqualTo("{}");
    assertThat(combined.getModel()).isEqualTo("sabia-4");
  }
}
