package io.github.maritaca4j.bench;

import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.batch.BatchOptions;
import io.github.maritaca4j.batch.RateLimits;
import io.github.maritaca4j.springai.MaritacaBatchResult;
import io.github.maritaca4j.springai.MaritacaChatModel;
import java.util.ArrayList;
import java.util.List;
import org.springframework.ai.chat.prompt.Prompt;

/**
 * The Spring AI batch path: {@code MaritacaChatModel.batch(prompts, BatchOptions)} with the same
 * options as {@link MaritacaRunner} ({@code maxConcurrency(C)}, {@code returnExceptions(true)}, the
 * limits in the batch's options or, for {@link ClientRunner.Limits#onClient()}, on the client).
 */
final class SpringAiBatchRunner implements ClientRunner {
  private final MaritacaChatModel model;
  private final BatchOptions options;

  SpringAiBatchRunner(String baseUrl, int concurrency, Limits limits) {
    RateLimits told =
        limits.none()
            ? RateLimits.UNKNOWN
            : RateLimits.of(limits.rpm(), limits.tpmIn(), limits.tpmOut());
    ChatMaritaca.Builder b =
        ChatMaritaca.builder()
            .baseUrl(baseUrl)
            .apiKey("bench-dummy-key")
            .model(Scenario.MODEL)
            .maxTokens(Scenario.MAX_TOKENS);
    if (limits.onClient() && !limits.none()) {
      b.rateLimits(told);
    }
    this.model = MaritacaChatModel.of(b.build());
    this.options =
        BatchOptions.builder()
            .maxConcurrency(concurrency)
            .returnExceptions(true)
            .rateLimits(limits.onClient() ? RateLimits.UNKNOWN : told)
            .build();
  }

  @Override
  public Outcome run(List<String> texts) {
    List<Prompt> prompts = new ArrayList<>(texts.size());
    for (String t : texts) {
      prompts.add(new Prompt(t));
    }
    MaritacaBatchResult result = model.batch(prompts, options).join();
    Outcome.Tally tally = new Outcome.Tally();
    for (MaritacaBatchResult.Item item : result) {
      if (item.isSuccess()) {
        tally.ok();
      } else {
        tally.failed(item.error());
      }
    }
    return tally.outcome();
  }

  @Override
  public void close() {}
}
