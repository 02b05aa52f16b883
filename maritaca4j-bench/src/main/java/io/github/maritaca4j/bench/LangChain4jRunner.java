package io.github.maritaca4j.bench;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.openai.OpenAiChatModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * LangChain4j's {@code OpenAiChatModel} with its defaults (2 retries, its JDK HTTP client), called
 * from a fixed pool of C threads: the way a LangChain4j user runs many requests at once.
 */
final class LangChain4jRunner implements ClientRunner {
  private final OpenAiChatModel model;
  private final ExecutorService pool;

  LangChain4jRunner(String baseUrl, int concurrency) {
    this.model =
        OpenAiChatModel.builder()
            .baseUrl(baseUrl)
            .apiKey("bench-dummy-key")
            .modelName(Scenario.MODEL)
            .maxTokens(Scenario.MAX_TOKENS)
            .build();
    this.pool = Executors.newFixedThreadPool(concurrency);
  }

  @Override
  public Outcome run(List<String> prompts) throws Exception {
    Outcome.Tally tally = new Outcome.Tally();
    List<Future<?>> futures = new ArrayList<>(prompts.size());
    for (String p : prompts) {
      futures.add(
          pool.submit(
              () -> {
                try {
                  model.chat(UserMessage.from(p));
                  tally.ok();
                } catch (RuntimeException e) {
                  tally.failed(e);
                }
              }));
    }
    for (Future<?> f : futures) {
      f.get();
    }
    return tally.outcome();
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
