package io.github.maritaca4j.bench;

import io.github.maritaca4j.springai.MaritacaChatModel;
import java.util.List;
import org.springframework.ai.chat.prompt.Prompt;

/**
 * maritaca4j's Spring AI {@code ChatModel}: {@code MaritacaChatModel.call(new Prompt(text))} from a
 * fixed pool of C threads, on a client set up as {@link MaritacaInvokeRunner}'s (limits, when any,
 * as the account's); no observation registry, as a model built without Spring.
 */
final class SpringAiMaritacaRunner implements ClientRunner {
  private final MaritacaChatModel model;
  private final PoolCalls pool;

  SpringAiMaritacaRunner(String baseUrl, int concurrency, Limits limits) {
    this.model = MaritacaChatModel.of(MaritacaInvokeRunner.client(baseUrl, limits));
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
