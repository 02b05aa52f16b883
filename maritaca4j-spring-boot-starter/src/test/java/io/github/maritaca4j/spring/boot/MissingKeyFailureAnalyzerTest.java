package io.github.maritaca4j.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** A missing key stops startup with a report naming the property, not a builder's stack trace. */
@ExtendWith(OutputCaptureExtension.class)
class MissingKeyFailureAnalyzerTest {

  @SpringBootApplication
  static class App {}

  @Test
  void startupWithoutAKeyReportsThePropertyToSet(CapturedOutput output) {
    Throwable t =
        catchThrowable(
            () ->
                new SpringApplicationBuilder(App.class)
                    .web(WebApplicationType.NONE)
                    // blank, whatever the machine's environment holds
                    .properties(
                        "MARITACA_API_KEY=", "spring.ai.maritaca.base-url=http://127.0.0.1:9")
                    .run()
                    .close());

    assertThat(t).isNotNull();
    assertThat(output.getOut() + output.getErr())
        .contains("APPLICATION FAILED TO START")
        .contains("'spring.ai.maritaca.api-key' is not set")
        .contains("MARITACA_API_KEY")
        .doesNotContain("at io.github.maritaca4j.ChatMaritaca$Builder");
  }

  @Test
  void theAnalysisNamesThePropertyAndTheVariable() {
    FailureAnalysis analysis =
        new MaritacaFailureAnalyzer().analyze(new MissingMaritacaApiKeyException());

    assertThat(analysis.getDescription()).contains("spring.ai.maritaca.api-key");
    assertThat(analysis.getAction())
        .contains("spring.ai.maritaca.api-key")
        .contains("MARITACA_API_KEY")
        .contains("spring.ai.model.chat");
  }
}
