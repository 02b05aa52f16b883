package io.github.maritaca4j.bench;

import java.util.List;

/**
 * One client library, set up the way its documentation shows and pointed at a simulator: base URL,
 * a dummy key, the model name and {@code max_tokens}, nothing else tuned.
 */
interface ClientRunner extends AutoCloseable {

  /**
   * Sends one chat request per prompt, at most the concurrency given at creation in flight, and
   * returns when every request has ended (answered or failed after the client's own retries).
   */
  Outcome run(List<String> prompts) throws Exception;

  @Override
  void close();

  /**
   * The account's limits as a user would give them to a client that takes them: the scenario's RPM
   * and TPM, nothing about the server's burst.
   *
   * @param onClient for maritaca4j: on the client ({@code ChatMaritaca.builder().rateLimits}, the
   *     account's limits) instead of the batch's options ({@code BatchOptions.rateLimits}, a cap
   *     for that batch alone); the peers take no limits either way
   */
  record Limits(long rpm, long tpmIn, long tpmOut, boolean onClient) {
    static final Limits NONE = new Limits(0, 0, 0);

    /** Limits given in the batch's options. */
    Limits(long rpm, long tpmIn, long tpmOut) {
      this(rpm, tpmIn, tpmOut, false);
    }

    boolean none() {
      return rpm == 0 && tpmIn == 0 && tpmOut == 0;
    }
  }
}
