package io.github.maritaca4j.batch;

import io.github.maritaca4j.ChatRequest;
import io.github.maritaca4j.ChatResult;
import java.util.List;

/**
 * Checks each answer of a batch ({@link BatchOptions.Builder#validator}): an answer with problems
 * is asked again, with the problems sent back to the model, up to {@link BatchOptions#maxRepairs()}
 * times; one still invalid then fails with {@link
 * io.github.maritaca4j.errors.InvalidOutputException}, which lists them.
 *
 * <p>The {@code maritaca4j-json-schema} module has one that parses the answer as JSON and validates
 * it against a JSON Schema (the request's own {@code response_format} of type {@code json_schema},
 * or a schema given).
 *
 * <p>Called on the batch's threads, possibly at once for several items: implementations must be
 * thread-safe and must not block. An exception it throws fails the item (it is not retried).
 */
@FunctionalInterface
public interface ResponseValidator {

  /**
   * The problems of {@code result}, an answer to {@code request}; empty when it is valid. Each
   * problem is one line the model can act on (e.g. {@code "/age: must be >= 0"}).
   *
   * @param request the request as the batch was given it (not a repair request)
   * @param result the answer
   */
  List<String> validate(ChatRequest request, ChatResult result);
}
