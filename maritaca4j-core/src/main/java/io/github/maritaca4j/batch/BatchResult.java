package io.github.maritaca4j.batch;

import io.github.maritaca4j.ChatResult;
import io.github.maritaca4j.Usage;
import io.github.maritaca4j.cost.Cost;
import io.github.maritaca4j.errors.MaritacaException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * Every item of a finished batch, in input order, with totals. Immutable and thread-safe.
 *
 * <pre>{@code
 * for (BatchItem item : result) {
 *   if (item.isSuccess()) System.out.println(item.index() + ": " + item.result().content());
 *   else System.out.println(item.index() + " failed: " + item.error().getMessage());
 * }
 * }</pre>
 */
public final class BatchResult implements Iterable<BatchItem> {
  private final List<BatchItem> items;
  private final Duration wallTime;
  private final long rateLimited;
  private final int failed;
  private final Usage usage;
  private final Cost cost;
  private final long retries;

  /**
   * Creates a result. The batch engine makes these; the constructor exists for adapters and tests.
   *
   * @param items one item per input, item {@code i} at position {@code i}
   * @param wallTime how long the batch took
   * @param rateLimited 429 answers received
   */
  public BatchResult(List<BatchItem> items, Duration wallTime, long rateLimited) {
    this.items = List.copyOf(items);
    for (int i = 0; i < this.items.size(); i++) {
      if (this.items.get(i).index() != i) {
        throw new IllegalArgumentException(
            "item at position " + i + " has index " + this.items.get(i).index());
      }
    }
    this.wallTime = Objects.requireNonNull(wallTime, "wallTime");
    this.rateLimited = rateLimited;
    int f = 0;
    long r = 0;
    Usage u = Usage.ZERO;
    Cost c = Cost.ZERO;
    for (BatchItem item : this.items) {
      if (!item.isSuccess()) {
        f++;
      }
      r += item.retries();
      u = u.plus(item.usage());
      c = c.plus(item.cost());
    }
    this.failed = f;
    this.usage = u;
    this.cost = c;
    this.retries = r;
  }

  /** All items, in input order. */
  public List<BatchItem> items() {
    return items;
  }

  /** Item {@code index}. */
  public BatchItem get(int index) {
    return items.get(index);
  }

  @Override
  public Iterator<BatchItem> iterator() {
    return items.iterator();
  }

  /** Number of items (= number of inputs). */
  public int size() {
    return items.size();
  }

  /**
   * The answers in input order, when every item succeeded.
   *
   * @throws MaritacaException the error of the first failed item (by index)
   */
  public List<ChatResult> results() {
    List<ChatResult> out = new ArrayList<>(items.size());
    for (BatchItem item : items) {
      out.add(item.resultOrThrow());
    }
    return List.copyOf(out);
  }

  /** The items that succeeded, in input order. */
  public List<BatchItem> successes() {
    return items.stream().filter(BatchItem::isSuccess).toList();
  }

  /** The items that failed, in input order. */
  public List<BatchItem> failures() {
    return items.stream().filter(i -> !i.isSuccess()).toList();
  }

  public int successCount() {
    return items.size() - failed;
  }

  public int failureCount() {
    return failed;
  }

  /** Whether every item succeeded. */
  public boolean allSucceeded() {
    return failed == 0;
  }

  /** Summed usage of the answers. */
  public Usage usage() {
    return usage;
  }

  /** Summed actual cost of the answers, BRL. */
  public Cost cost() {
    return cost;
  }

  /** From the start of the batch to its end. */
  public Duration wallTime() {
    return wallTime;
  }

  /** 429 answers received while running the batch. */
  public long rateLimitedCount() {
    return rateLimited;
  }

  /**
   * The totals, as fields; printed, one line for people: {@code 40 requests: 39 ok, 1 failed; 790
   * input + 1,608 output tokens, R$ 0.025300 (OFF_PEAK); 2 retries, 1 rate limited (429); 3.2 s}.
   */
  public BatchSummary summary() {
    return new BatchSummary(
        items.size(), successCount(), failed, usage, cost, rateLimited, retries, wallTime);
  }

  @Override
  public String toString() {
    return "BatchResult[" + summary() + "]";
  }
}
