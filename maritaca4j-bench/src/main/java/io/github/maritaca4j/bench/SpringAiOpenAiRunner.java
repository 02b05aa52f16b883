package io.github.maritaca4j.bench;

import java.util.List;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;

/**
 * Spring AI's own OpenAI provider ({@code spring-ai-openai}, on openai-java) built without a Spring
 * context, as its starter would build it: base URL, a dummy key, the model and {@code max_tokens}
 * in {@code OpenAiChatOptions}, everything else default (Spring AI 2.0's 60 s timeout and 3
 * retries, which the SDK runs), then {@code call(new Prompt(text))} from a fixed pool of C threads.
 */
final class SpringAiOpenAiRunner implements ClientRunner {
  private final OpenAiChatModel model;
  private final PoolCalls pool;

  SpringAiOpenAiRunner(String baseUrl, int concurrency) {
    this.model =
        OpenAiChatModel.builder()
            .options(
                OpenAiChatOptions.builder()
                    .baseUrl(baseUrl)
                    .apiKey("bench-dummy-key")
                    .model(Scenario.MODEL)
                    .maxTokens(Scenario.MAX_TOKENS)
                    .build())
            .build();
    this.pool = new PoolCalls(concurrency);
  }

  @Override
  public Outcome run(List<String> prompts) throws Exception {
    return pool.run(prompts, p -> model.call(new Prompt(p)));
  }

  @Override
  public void close() {
    pool.close();
  }
}
