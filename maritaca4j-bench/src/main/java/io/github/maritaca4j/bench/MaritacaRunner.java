package io.github.maritaca4j.bench;

import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.Message;
import io.github.maritaca4j.batch.BatchItem;
import io.github.maritaca4j.batch.BatchOptions;
import io.github.maritaca4j.batch.BatchResult;
import io.github.maritaca4j.batch.RateLimits;
import java.util.ArrayList;
import java.util.List;

/**
 * maritaca4j's batch engine: {@code batchAsync(inputs, BatchOptions)} with {@code
 * maxConcurrency(C)}, {@code returnExceptions(true)} and, in rate-limited scenarios, the limits a
 * user would configure ({@code RateLimits.of(rpm, tpmIn, tpmOut)}, burst unknown): in the batch's
 * options (S1 to S5), or on the client, as the account's ({@link ClientRunner.Limits#onClient()},
 * S2M).
 */
final class MaritacaRunner implements ClientRunner {
  private final ChatMaritaca model;
  private final BatchOptions options;

  MaritacaRunner(String baseUrl, int concurrency, Limits limits) {
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
    this.model = b.build();
    this.options =
        BatchOptions.builder()
            .maxConcurrency(concurrency)
            .returnExceptions(true)
            .rateLimits(limits.onClient() ? RateLimits.UNKNOWN : told)
            .build();
  }

  @Override
  public Outcome run(List<String> prompts) {
    List<List<Message>> inputs = new ArrayList<>(prompts.size());
    for (String p : prompts) {
      inputs.add(List.of(Message.user(p)));
    }
    BatchResult result = model.batchAsync(inputs, options).join();
    Outcome.Tally tally = new Outcome.Tally();
    for (BatchItem item : result) {
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
