package io.github.maritaca4j.cost;

import io.github.maritaca4j.ChatRequest;
import io.github.maritaca4j.errors.ConfigurationException;
import io.github.maritaca4j.internal.tokens.MemoizingCounter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Estimates what requests will cost before they are sent, checks that they fit the model's context
 * window, and gives the worst-case cost a budget must reserve. Immutable and thread-safe.
 *
 * <p>Input tokens are counted with the {@link TokenCounter} (message framing included, see {@link
 * TokenOverhead}) and priced as non-cached input. Output tokens are the request's {@code
 * max_tokens} when set, else the default the caller gives, capped at the model's maximum output.
 */
public final class CostEstimator {

  /**
   * Output tokens assumed for a request that sets no {@code max_tokens} when the caller gives no
   * other figure: 1000, as in the Python original's {@code abatch_estimate_cost}. The one-argument
   * {@code estimateBatchCost}, JSONL jobs and the CLI's {@code --max-output-tokens} default to it.
   */
  public static final int DEFAULT_OUTPUT_TOKENS = 1000;

  /**
   * The safety margin on estimated input tokens in {@link #worstCaseCost}: +10 %. The default
   * estimator is typically within 1 % of the exact count on Portuguese text, and can be a few
   * percent off on unusual text (code, other scripts); the framing overhead is an assumption too.
   */
  public static final BigDecimal WORST_CASE_INPUT_MARGIN = new BigDecimal("1.10");

  private final PriceTable prices;
  private final TokenCounter counter;

  /** An estimator with the given prices and token counter. */
  public CostEstimator(PriceTable prices, TokenCounter counter) {
    this.prices = Objects.requireNonNull(prices, "prices");
    this.counter = Objects.requireNonNull(counter, "counter");
  }

  /** {@link PriceTable#defaults()} and {@link TokenCounter#defaults()}. */
  public static CostEstimator defaults() {
    return new CostEstimator(PriceTable.defaults(), TokenCounter.defaults());
  }

  public PriceTable prices() {
    return prices;
  }

  public TokenCounter counter() {
    return counter;
  }

  /** The estimated input tokens of {@code request} ({@link TokenCounter#countRequest}). */
  public long inputTokens(ChatRequest request) {
    return counter.countRequest(Objects.requireNonNull(request, "request"));
  }

  /**
   * The estimate for one request.
   *
   * @param defaultMaxOutputTokens output tokens assumed when the request sets no {@code max_tokens}
   * @throws ConfigurationException when the request's model has no price
   * @throws IllegalArgumentException when {@code defaultMaxOutputTokens} is negative
   */
  public RequestEstimate estimate(
      ChatRequest request, int defaultMaxOutputTokens, PricingMode mode) {
    Objects.requireNonNull(request, "request");
    checkDefault(defaultMaxOutputTokens);
    BigDecimal multiplier = prices.multiplier(mode);
    ModelPrice price = prices.require(request.model());
    long in = counter.countRequest(request);
    long out = outputTokens(request, defaultMaxOutputTokens, price);
    return new RequestEstimate(
        in,
        out,
        PriceTable.perMillion(in, price.inputPerMillion().multiply(multiplier)),
        PriceTable.perMillion(out, price.outputPerMillion().multiply(multiplier)));
  }

  /**
   * The estimate for a batch. The requests are read once, one at a time, and not kept: a lazy
   * {@code Iterable} (a JSONL file being read) is estimated in constant memory. Texts repeated
   * across requests (a shared system prompt) are counted once.
   *
   * @param defaultMaxOutputTokens output tokens assumed for requests without {@code max_tokens}
   * @throws ConfigurationException when a request's model has no price
   */
  public CostEstimate estimateBatch(
      Iterable<ChatRequest> requests, int defaultMaxOutputTokens, PricingMode mode) {
    Objects.requireNonNull(requests, "requests");
    checkDefault(defaultMaxOutputTokens);
    BigDecimal multiplier = prices.multiplier(mode);
    TokenCounter c = MemoizingCounter.forBatch(counter);
    Map<ModelPrice, long[]> perModel = new LinkedHashMap<>(); // price → {requests, in, out}
    String lastModel = null;
    long[] last = null;
    ModelPrice lastPrice = null;
    for (ChatRequest r : requests) {
      Objects.requireNonNull(r, "requests contains null");
      if (last == null || !r.model().equals(lastModel)) {
        lastModel = r.model();
        lastPrice = prices.require(lastModel);
        last = perModel.computeIfAbsent(lastPrice, p -> new long[3]);
      }
      last[0]++;
      last[1] += c.countRequest(r);
      last[2] += outputTokens(r, defaultMaxOutputTokens, lastPrice);
    }
    if (perModel.isEmpty()) {
      return CostEstimate.empty(mode);
    }
    long n = 0;
    long in = 0;
    long out = 0;
    BigDecimal inCost = BigDecimal.ZERO;
    BigDecimal outCost = BigDecimal.ZERO;
    String model = null;
    for (Map.Entry<ModelPrice, long[]> e : perModel.entrySet()) {
      ModelPrice p = e.getKey();
      long[] t = e.getValue();
      n += t[0];
      in += t[1];
      out += t[2];
      inCost = inCost.add(PriceTable.perMillion(t[1], p.inputPerMillion().multiply(multiplier)));
      outCost = outCost.add(PriceTable.perMillion(t[2], p.outputPerMillion().multiply(multiplier)));
      model = p.model();
    }
    if (perModel.size() > 1) {
      model = null;
    }
    return new CostEstimate(
        model, mode, n, in, out, inCost, outCost, Money.canonical(inCost.add(outCost)));
  }

  /**
   * An upper bound of what {@code request} can cost, for budget reservation: the estimated input
   * tokens × {@link #WORST_CASE_INPUT_MARGIN} (rounded up) at the non-cached input price, plus
   * {@code max_tokens} (or the model's maximum output when unset) at the output price, both in
   * {@code mode}. Cached input only lowers the real cost. Pass the most expensive mode that can
   * apply (STANDARD for a real-time request unless it is flex).
   *
   * @throws ConfigurationException when the request's model has no price
   */
  public BigDecimal worstCaseCost(ChatRequest request, PricingMode mode) {
    Objects.requireNonNull(request, "request");
    BigDecimal multiplier = prices.multiplier(mode);
    ModelPrice price = prices.require(request.model());
    long in = worstCaseInputTokens(counter.countRequest(request));
    long out = outputTokens(request, price.maxOutputTokens(), price);
    return Money.canonical(
        PriceTable.perMillion(in, price.inputPerMillion().multiply(multiplier))
            .add(PriceTable.perMillion(out, price.outputPerMillion().multiply(multiplier))));
  }

  /** {@code ceil(estimatedInputTokens × WORST_CASE_INPUT_MARGIN)}. */
  public static long worstCaseInputTokens(long estimatedInputTokens) {
    return BigDecimal.valueOf(estimatedInputTokens)
        .multiply(WORST_CASE_INPUT_MARGIN)
        .setScale(0, RoundingMode.CEILING)
        .longValueExact();
  }

  /**
   * Checks, before sending, that the estimated input plus {@code max_tokens} fits the model's
   * context window (without {@code max_tokens}, that the input alone fits).
   *
   * @throws ConfigurationException with the numbers when it does not fit, or when the model has no
   *     price
   */
  public void checkContext(ChatRequest request) {
    checkContext(request, counter.countRequest(Objects.requireNonNull(request, "request")));
  }

  /** {@link #checkContext(ChatRequest)} with input tokens already counted. */
  public void checkContext(ChatRequest request, long estimatedInputTokens) {
    Objects.requireNonNull(request, "request");
    ModelPrice price = prices.require(request.model());
    Integer max = request.maxTokens();
    long needed = estimatedInputTokens + (max == null ? 0 : max);
    if (needed > price.contextWindow()) {
      String what =
          max == null
              ? "about " + estimatedInputTokens + " input tokens (estimated)"
              : "about "
                  + estimatedInputTokens
                  + " input tokens (estimated) + max_tokens "
                  + max
                  + " = "
                  + needed;
      throw new ConfigurationException(
          "request does not fit the context window of "
              + request.model()
              + ": it needs "
              + what
              + ", more than the "
              + price.contextWindow()
              + " tokens the model accepts"
              + (max == null
                  ? "; shorten the messages"
                  : "; shorten the messages or lower max_tokens to at most "
                      + Math.max(0, price.contextWindow() - estimatedInputTokens)));
    }
  }

  private static long outputTokens(ChatRequest r, int dflt, ModelPrice price) {
    Integer max = r.maxTokens();
    return Math.min(max != null ? max : dflt, price.maxOutputTokens());
  }

  private static void checkDefault(int defaultMaxOutputTokens) {
    if (defaultMaxOutputTokens < 0) {
      throw new IllegalArgumentException(
          "defaultMaxOutputTokens must not be negative, was " + defaultMaxOutputTokens);
    }
  }

  @Override
  public String toString() {
    return "CostEstimator[" + prices + ", " + counter + "]";
  }
}
