package io.github.maritaca4j.langchain4j;

import dev.langchain4j.model.chat.listener.ChatModelErrorContext;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.github.maritaca4j.Usage;
import io.github.maritaca4j.cost.Cost;
import java.math.BigDecimal;

/**
 * A {@link ChatModelListener} that adds up what the model calls it hears of cost, in BRL, and their
 * token usage: every call an AI service makes (tool rounds included), streamed or not.
 *
 * <pre>{@code
 * MaritacaCostTracker costs = new MaritacaCostTracker();
 * ChatModel sabia = MaritacaChatModel.builder().listeners(costs).build();
 * // ... use it, from any number of threads
 * System.out.println("R$ " + costs.totalBrl() + " in " + costs.responses() + " answers");
 * }</pre>
 *
 * Responses without {@link MaritacaChatResponseMetadata} (another provider's) count as answers
 * without cost. Thread-safe: totals are updated atomically, and each read sees a consistent
 * snapshot. Batches run by {@link MaritacaChatModel#batchAsync} do not go through listeners; their
 * {@link MaritacaBatchResult} carries their own totals.
 */
public final class MaritacaCostTracker implements ChatModelListener {
  private Cost cost = Cost.ZERO;
  private Usage usage = Usage.ZERO;
  private long responses;
  private long failures;

  @Override
  public void onResponse(ChatModelResponseContext context) {
    ChatResponse r = context.chatResponse();
    Cost c = Cost.ZERO;
    Usage u = Usage.ZERO;
    if (r.metadata() instanceof MaritacaChatResponseMetadata m) {
      c = m.cost().orElse(Cost.ZERO);
      MaritacaTokenUsage t = m.tokenUsage();
      if (t != null) {
        u = usage(t);
      }
    } else if (r.tokenUsage() != null) {
      u =
          usage(
              new MaritacaTokenUsage(
                  r.tokenUsage().inputTokenCount(),
                  r.tokenUsage().outputTokenCount(),
                  r.tokenUsage().totalTokenCount(),
                  null));
    }
    synchronized (this) {
      cost = cost.plus(c);
      usage = usage.plus(u);
      responses++;
    }
  }

  @Override
  public void onError(ChatModelErrorContext context) {
    synchronized (this) {
      failures++;
    }
  }

  private static Usage usage(MaritacaTokenUsage t) {
    long in = t.inputTokenCount() == null ? 0 : t.inputTokenCount();
    long out = t.outputTokenCount() == null ? 0 : t.outputTokenCount();
    long total = t.totalTokenCount() == null ? in + out : t.totalTokenCount();
    long cached = t.cachedInputTokenCount() == null ? 0 : t.cachedInputTokenCount();
    return new Usage(in, out, total, Math.min(cached, in));
  }

  /** The summed cost (input, cached input and output parts), BRL. */
  public synchronized Cost cost() {
    return cost;
  }

  /** The summed cost in BRL. */
  public synchronized BigDecimal totalBrl() {
    return cost.total();
  }

  /** The summed token usage. */
  public synchronized MaritacaTokenUsage tokenUsage() {
    return MaritacaTokenUsage.from(usage);
  }

  /** Answers heard of. */
  public synchronized long responses() {
    return responses;
  }

  /** Failed calls heard of. */
  public synchronized long failures() {
    return failures;
  }

  /** Starts again from zero. */
  public synchronized void reset() {
    cost = Cost.ZERO;
    usage = Usage.ZERO;
    responses = 0;
    failures = 0;
  }

  @Override
  public synchronized String toString() {
    return "MaritacaCostTracker[responses="
        + responses
        + ", failures="
        + failures
        + ", usage="
        + usage
        + ", costBrl="
        + cost.total().toPlainString()
        + "]";
  }
}
