package io.github.maritaca4j.springai;

import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.errors.ApiException;
import io.github.maritaca4j.errors.ConnectionException;
import io.github.maritaca4j.errors.InvalidResponseException;
import io.github.maritaca4j.errors.MaritacaException;
import io.github.maritaca4j.errors.MissingApiKeyException;
import io.github.maritaca4j.errors.RateLimitException;
import io.github.maritaca4j.errors.RequestTimeoutException;
import io.github.maritaca4j.errors.ServerException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.springframework.ai.retry.NonTransientAiException;
import org.springframework.ai.retry.TransientAiException;

/**
 * Maps maritaca4j's exceptions onto Spring AI's two roots, keeping the original as the cause (with
 * its status code, the server's message and the retry delay it asked for). The one place that
 * decides the mapping. Stateless.
 *
 * <p>Transient: 429 ({@link RateLimitException}, flex capacity included), 5xx ({@link
 * ServerException}), 408 and 409, timeouts, connection failures and malformed answers, that is,
 * what maritaca4j itself retries (these reach the caller once its retries ran out). Non-transient:
 * every other 4xx (bad request, authentication, unknown model), a missing key, a budget or
 * configuration failure. Cancellations and exceptions that are not maritaca4j's pass through.
 */
final class Errors {
  private Errors() {}

  /** Strips {@link CompletionException} and {@link ExecutionException} layers. */
  static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }

  /** The Spring AI exception for {@code t} (unwrapped first). */
  static RuntimeException toSpring(Throwable t) {
    Throwable c = unwrap(t);
    if (c instanceof MaritacaException m) {
      return map(m);
    }
    if (c instanceof CancellationException ce) {
      return ce;
    }
    if (c instanceof RuntimeException r) {
      return r;
    }
    if (c instanceof Error e) {
      throw e;
    }
    if (c instanceof java.io.IOException) {
      return new TransientAiException(String.valueOf(c.getMessage()), c);
    }
    return new NonTransientAiException(String.valueOf(c.getMessage()), c);
  }

  /** The Spring AI exception for one of ours. */
  static RuntimeException map(MaritacaException e) {
    if (e instanceof MissingApiKeyException) {
      return new NonTransientAiException(
          "no Maritaca API key: set spring.ai.maritaca.api-key, the "
              + ChatMaritaca.API_KEY_ENV
              + " environment variable, or ChatMaritaca.builder().apiKey(...)",
          e);
    }
    String message = e.getMessage();
    return isTransient(e)
        ? new TransientAiException(message, e)
        : new NonTransientAiException(message, e);
  }

  static boolean isTransient(MaritacaException e) {
    if (e instanceof RateLimitException
        || e instanceof ServerException
        || e instanceof RequestTimeoutException
        || e instanceof ConnectionException
        || e instanceof InvalidResponseException) {
      return true;
    }
    if (e instanceof ApiException a) {
      int status = a.statusCode();
      return status == 408 || status == 409 || status == 429 || status >= 500;
    }
    return false;
  }

  /** A request that cannot be built (a value out of range, a message the API cannot take). */
  static NonTransientAiException invalidRequest(RuntimeException e) {
    return new NonTransientAiException("invalid request for Maritaca: " + e.getMessage(), e);
  }
}
