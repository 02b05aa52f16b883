package io.github.maritaca4j.bench;

import com.openai.client.OpenAIClientAsync;
import com.openai.client.okhttp.OpenAIOkHttpClientAsync;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;

/**
 * openai-java's async client with its defaults (2 retries, OkHttp), one {@code create} per prompt,
 * a {@link Semaphore} of C permits bounding the requests in flight.
 */
final class OpenAiJavaRunner implements ClientRunner {
  private final OpenAIClientAsync client;
  private final int concurrency;

  OpenAiJavaRunner(String baseUrl, int concurrency) {
    this.client =
        OpenAIOkHttpClientAsync.builder().baseUrl(baseUrl).apiKey("bench-dummy-key").build();
    this.concurrency = concurrency;
  }

  @Override
  public Outcome run(List<String> prompts) throws Exception {
    Outcome.Tally tally = new Outcome.Tally();
    Semaphore permits = new Semaphore(concurrency);
    CountDownLatch done = new CountDownLatch(prompts.size());
    for (String p : prompts) {
      permits.acquire();
      ChatCompletionCreateParams params =
          ChatCompletionCreateParams.builder()
              .model(Scenario.MODEL)
              .addUserMessage(p)
              .maxCompletionTokens(Scenario.MAX_TOKENS)
              .build();
      client
          .chat()
          .completions()
          .create(params)
          .whenComplete(
              (r, e) -> {
                if (e == null) {
                  tally.ok();
                } else {
                  tally.failed(e);
                }
                permits.release();
                done.countDown();
              });
    }
    done.await();
    return tally.outcome();
  }

  @Override
  public void close() {
    client.close();
  }
}
