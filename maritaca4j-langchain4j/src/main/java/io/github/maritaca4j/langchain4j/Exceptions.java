package io.github.maritaca4j.langchain4j;

import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.ContentFilteredException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.LangChain4jException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.NonRetriableException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.RetriableException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.exception.UnresolvedModelServerException;
import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.errors.ApiException;
import io.github.maritaca4j.errors.BadRequestException;
import io.github.maritaca4j.errors.BudgetExceededException;
import io.github.maritaca4j.errors.ConfigurationException;
import io.github.maritaca4j.errors.ConnectionException;
import io.github.maritaca4j.errors.MaritacaException;
import io.github.maritaca4j.errors.MissingApiKeyException;
import io.github.maritaca4j.errors.NotFoundException;
import io.github.maritaca4j.errors.RequestTimeoutException;
import io.github.maritaca4j.errors.ServerException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Maps maritaca4j's exception tree to LangChain4j's, keeping the original as the cause. The one
 * place that decides the mapping. Stateless.
 *
 * <table>
 *   <caption>maritaca4j → LangChain4j</caption>
 *   <tr><td>AuthenticationException (401, 403)</td><td>AuthenticationException</td></tr>
 *   <tr><td>NotFoundException (404)</td><td>ModelNotFoundException</td></tr>
 *   <tr><td>BadRequestException (400, 422)</td><td>InvalidRequestException
 *       (ContentFilteredException when the server says the content was filtered)</td></tr>
 *   <tr><td>RateLimitException (429)</td><td>RateLimitException</td></tr>
 *   <tr><td>ServerException (5xx)</td><td>InternalServerException</td></tr>
 *   <tr><td>other ApiException</td><td>TimeoutException (408), InvalidRequestException (other
 *       4xx), HttpException</td></tr>
 *   <tr><td>RequestTimeoutException</td><td>TimeoutException</td></tr>
 *   <tr><td>ConnectionException</td><td>UnresolvedModelServerException (unknown host),
 *       RetriableException</td></tr>
 *   <tr><td>InvalidResponseException</td><td>RetriableException</td></tr>
 *   <tr><td>BudgetExceededException, ConfigurationException</td><td>NonRetriableException
 *       (for a missing key, a message naming the builder the model was made with)</td></tr>
 * </table>
 *
 * Cancellations pass through unchanged.
 */
final class Exceptions {
  private Exceptions() {}

  /** Strips {@link CompletionException} and {@link ExecutionException} layers. */
  static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }

  /** The builder named when there is no key, for the models built by {@link MaritacaChatModel}. */
  static final String CHAT_BUILDER = "MaritacaChatModel.builder()";

  /** The builder named when there is no key, for {@link MaritacaStreamingChatModel}. */
  static final String STREAMING_BUILDER = "MaritacaStreamingChatModel.builder()";

  /** {@link #toLangChain4j(Throwable, String)} for {@link MaritacaChatModel}'s calls. */
  static RuntimeException toLangChain4j(Throwable t) {
    return toLangChain4j(t, CHAT_BUILDER);
  }

  /**
   * The LangChain4j exception for {@code t} (unwrapped first). LangChain4j exceptions,
   * cancellations and unchecked exceptions that are not ours pass through unchanged.
   *
   * @param builder the builder the user made the model with, named when the key is missing
   */
  static RuntimeException toLangChain4j(Throwable t, String builder) {
    Throwable c = unwrap(t);
    if (c instanceof MaritacaException m) {
      return map(m, builder);
    }
    if (c instanceof LangChain4jException l) {
      return l;
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
    if (c instanceof java.net.http.HttpTimeoutException) {
      return new TimeoutException(c.getMessage(), c);
    }
    if (c instanceof java.io.IOException) {
      return new RetriableException(c.getMessage(), c);
    }
    return new LangChain4jException(c.getMessage(), c);
  }

  /** {@link #map(MaritacaException, String)} for {@link MaritacaChatModel}'s calls. */
  static LangChain4jException map(MaritacaException e) {
    return map(e, CHAT_BUILDER);
  }

  /**
   * The LangChain4j exception for one of ours.
   *
   * @param builder the builder the user made the model with: a missing key's message says to call
   *     its {@code apiKey(...)} (core's names {@code ChatMaritaca.builder()})
   */
  static LangChain4jException map(MaritacaException e, String builder) {
    if (e instanceof MissingApiKeyException) {
      return new NonRetriableException(
          "no Maritaca API key: set the "
              + ChatMaritaca.API_KEY_ENV
              + " environment variable or call "
              + builder
              + ".apiKey(...)",
          e);
    }
    String message = e.getMessage();
    if (e instanceof io.github.maritaca4j.errors.AuthenticationException) {
      return new AuthenticationException(message, e);
    }
    if (e instanceof NotFoundException) {
      return new ModelNotFoundException(message, e);
    }
    if (e instanceof BadRequestException b) {
      return isContentFiltered(b)
          ? new ContentFilteredException(message, e)
          : new InvalidRequestException(message, e);
    }
    if (e instanceof io.github.maritaca4j.errors.RateLimitException) {
      return new RateLimitException(message, e);
    }
    if (e instanceof ServerException) {
      return new InternalServerException(message, e);
    }
    if (e instanceof ApiException a) {
      int status = a.statusCode();
      if (status == 408) {
        return new TimeoutException(message, e);
      }
      if (status >= 400 && status < 500) {
        return new InvalidRequestException(message, e);
      }
      if (status >= 500) {
        return new InternalServerException(message, e);
      }
      HttpException h = new HttpException(status, message);
      h.initCause(e);
      return h;
    }
    if (e instanceof RequestTimeoutException) {
      return new TimeoutException(message, e);
    }
    if (e instanceof ConnectionException) {
      for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
        if (c instanceof UnresolvedAddressException || c instanceof UnknownHostException) {
          return new UnresolvedModelServerException(message, e);
        }
      }
      return new RetriableException(message, e);
    }
    if (e instanceof BudgetExceededException || e instanceof ConfigurationException) {
      return new NonRetriableException(message, e);
    }
    return e.isRetryable()
        ? new RetriableException(message, e)
        : new NonRetriableException(message, e);
  }

  private static boolean isContentFiltered(ApiException e) {
    for (String s : new String[] {e.errorCode(), e.errorType()}) {
      if (s != null) {
        String v = s.toLowerCase(Locale.ROOT);
        if (v.contains("content_filter") || v.contains("content_policy")) {
          return true;
        }
      }
    }
    return false;
  }

  /** A request that cannot be built (a parameter out of range, a message the API cannot take). */
  static InvalidRequestException invalidRequest(RuntimeException e) {
    return new InvalidRequestException(e.getMessage(), e);
  }
}
