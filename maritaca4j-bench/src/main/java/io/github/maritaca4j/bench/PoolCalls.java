package io.github.maritaca4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * A fixed pool of C threads, each taking the next prompt and making one blocking call with it: how
 * a user of a blocking {@code ChatModel.call} or {@code invoke} runs many requests at once.
 */
final class PoolCalls implements AutoCloseable {
  private final ExecutorService pool;

  PoolCalls(int concurrency) {
    this.pool = Executors.newFixedThreadPool(concurrency);
  }

  /** One call per prompt; a call that throws counts as a failed item. */
  Outcome run(List<String> prompts, Consumer<String> call) throws Exception {
    Outcome.Tally tally = new Outcome.Tally();
    List<Future<?>> futures = new ArrayList<>(prompts.size());
    for (String p : prompts) {
      futures.add(
          pool.submit(
              () -> {
                try {
                  call.accept(p);
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
