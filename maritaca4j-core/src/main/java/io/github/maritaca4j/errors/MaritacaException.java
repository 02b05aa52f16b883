package io.github.maritaca4j.errors;

/**
 * The root of every exception this library throws. Unchecked.
 *
 * <p>The tree:
 *
 * <ul>
 *   <li>{@link ApiException}: the server answered with an HTTP error status (subclasses per status:
 *       {@link AuthenticationException}, {@link BadRequestException}, {@link NotFoundException},
 *       {@link RateLimitException}, {@link ServerException}).
 *   <li>{@link RequestTimeoutException}: no complete answer in time.
 *   <li>{@link ConnectionException}: the connection failed or broke (IO).
 *   <li>{@link InvalidResponseException}: the server's answer could not be understood (malformed
 *       JSON, truncated stream).
 *   <li>{@link BudgetExceededException}: a request was not sent because it could exceed the budget.
 *   <li>{@link ConfigurationException}: the client is not set up to send (no key: {@link
 *       MissingApiKeyException}; unsafe URL).
 *   <li>{@link JobException}: a JSONL job cannot start or go on (its files).
 * </ul>
 *
 * Messages never contain the API key.
 */
public class MaritacaException extends RuntimeException {

  public MaritacaException(String message) {
    super(message);
  }

  public MaritacaException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * The failure behind an exception from one of this library's futures: the layers of {@link
   * java.util.concurrent.CompletionException} and {@link java.util.concurrent.ExecutionException}
   * removed (what {@code future.join()} or {@code get()} wrapped). Everything else is returned as
   * it is.
   *
   * <pre>{@code
   * try {
   *   model.batchAsync(inputs, 3).join();
   * } catch (CompletionException e) {
   *   if (MaritacaException.unwrap(e) instanceof RateLimitException r) { ... }
   * }
   * }</pre>
   */
  public static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof java.util.concurrent.CompletionException
            || c instanceof java.util.concurrent.ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }

  /** The HTTP status, or 0 when the failure is not an HTTP error response. */
  public int statusCode() {
    return 0;
  }

  /**
   * Whether sending the same request again may succeed (rate limits, server errors, timeouts,
   * broken connections). Client errors and budget failures are not retryable.
   */
  public boolean isRetryable() {
    return false;
  }
}
