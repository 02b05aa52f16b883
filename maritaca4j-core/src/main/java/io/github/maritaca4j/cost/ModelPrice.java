package io.github.maritaca4j.cost;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * The list prices and limits of one model, in BRL per million tokens. Immutable.
 *
 * @param model the canonical model id (e.g. {@code sabia-4})
 * @param inputPerMillion price of one million non-cached input tokens
 * @param outputPerMillion price of one million output tokens
 * @param cachedInputPerMillion price of one million cached input tokens (normally a quarter of the
 *     input price)
 * @param contextWindow the context window in tokens (input plus output)
 * @param maxOutputTokens the largest {@code max_tokens} the model accepts
 */
public record ModelPrice(
    String model,
    BigDecimal inputPerMillion,
    BigDecimal outputPerMillion,
    BigDecimal cachedInputPerMillion,
    int contextWindow,
    int maxOutputTokens) {

  private static final BigDecimal FOUR = BigDecimal.valueOf(4);

  /**
   * @throws IllegalArgumentException when a price is negative or a limit is not positive
   */
  public ModelPrice {
    Objects.requireNonNull(model, "model");
    if (model.isBlank()) {
      throw new IllegalArgumentException("model must not be blank");
    }
    nonNegative(model, "inputPerMillion", inputPerMillion);
    nonNegative(model, "outputPerMillion", outputPerMillion);
    nonNegative(model, "cachedInputPerMillion", cachedInputPerMillion);
    if (contextWindow <= 0) {
      throw new IllegalArgumentException(
          model + ": contextWindow must be positive, was " + contextWindow);
    }
    if (maxOutputTokens <= 0 || maxOutputTokens > contextWindow) {
      throw new IllegalArgumentException(
          model
              + ": maxOutputTokens must be between 1 and the context window ("
              + contextWindow
              + "), was "
              + maxOutputTokens);
    }
  }

  /** A price whose cached input costs a quarter of the input price (Maritaca's cache discount). */
  public static ModelPrice of(
      String model,
      BigDecimal inputPerMillion,
      BigDecimal outputPerMillion,
      int contextWindow,
      int maxOutputTokens) {
    Objects.requireNonNull(inputPerMillion, "inputPerMillion");
    return new ModelPrice(
        model,
        inputPerMillion,
        outputPerMillion,
        inputPerMillion.divide(FOUR),
        contextWindow,
        maxOutputTokens);
  }

  /** A copy under another model id (for aliases and regional variants). */
  public ModelPrice withModel(String model) {
    return new ModelPrice(
        model,
        inputPerMillion,
        outputPerMillion,
        cachedInputPerMillion,
        contextWindow,
        maxOutputTokens);
  }

  /** A copy named {@code model} with every price multiplied by {@code factor}, exactly. */
  public ModelPrice scaled(String model, BigDecimal factor) {
    Objects.requireNonNull(factor, "factor");
    return new ModelPrice(
        model,
        inputPerMillion.multiply(factor),
        outputPerMillion.multiply(factor),
        cachedInputPerMillion.multiply(factor),
        contextWindow,
        maxOutputTokens);
  }

  private static void nonNegative(String model, String name, BigDecimal value) {
    Objects.requireNonNull(value, name);
    if (value.signum() < 0) {
      throw new IllegalArgumentException(
          model + ": " + name + " must not be negative, was " + value);
    }
  }
}
