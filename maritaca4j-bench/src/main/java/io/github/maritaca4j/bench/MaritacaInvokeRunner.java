package io.github.maritaca4j.bench;

import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.Message;
import io.github.maritaca4j.batch.RateLimits;
import java.util.List;

/**
 * maritaca4j's single calls: {@code ChatMaritaca.invoke(messages)} from a fixed pool of C threads,
 * the client told the scenario's limits as the account's ({@code builder().rateLimits(...)}) when
 * it has any: the basis the Spring AI {@code ChatModel.call} path is compared with.
 */
final class MaritacaInvokeRunner implements ClientRunner {
  private final ChatMaritaca client;
  private final PoolCalls pool;

  MaritacaInvokeRunner(String baseUrl, int concurrency, Limits limits) {
    this.client = client(baseUrl, limits);
    this.pool = new PoolCalls(concurrency);
  }

  /**
   * A client on {@code baseUrl} with the bench's model and {@code max_tokens}; the limits, when
   * any, as the account's: a user calling one request at a time has no batch to give them to.
   */
  static ChatMaritaca client(String baseUrl, Limits limits) {
    ChatMaritaca.Builder b =
        ChatMaritaca.builder()
            .baseUrl(baseUrl)
            .apiKey("bench-dummy-key")
            .model(Scenario.MODEL)
            .maxTokens(Scenario.MAX_TOKENS);
    if (!limits.none()) {
      b.rateLimits(RateLimits.of(limits.rpm(), limits.tpmIn(), limits.tpmOut()));
    }
    return b.build();
  }

  @Override
  public Outcome run(List<String> prompts) throws Exception {
    return pool.run(prompts, p -> client.invoke(List.of(Message.user(p))));
  }

  @Override
  public void close() {
    pool.close();
  }
}
