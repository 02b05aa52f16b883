package io.github.maritaca4j.langchain4j;

import dev.langchain4j.exception.LangChain4jException;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.github.maritaca4j.batch.BatchItem;
import io.github.maritaca4j.batch.BatchResult;
import io.github.maritaca4j.batch.BatchSummary;
import io.github.maritaca4j.cost.Cost;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * Every item of a finished batch as LangChain4j responses, in input order, with the batch's totals
 * (usage, cost in BRL, 429s, wall time). Immutable and thread-safe.
 *
 * <pre>{@code
 * for (MaritacaBatchResult.Item item : result) {
 *   if (item.isSuccess()) System.out.println(item.response().aiMessage().text());
 *   else System.out.println(item.index() + " failed: " + item.error().getMessage());
 * }
 * }</pre>
 */
public final class MaritacaBatchResult implements Iterable<MaritacaBatchResult.Item> {
  private final List<Item> items;
  private final BatchResult source;

  MaritacaBatchResult(List<Item> items, BatchResult source) {
    this.items = List.copyOf(items);
    this.source = Objects.requireNonNull(source, "source");
  }

  /**
   * One input's outcome: its answer or the error that ended it (a LangChain4j exception whose cause
   * is maritaca4j's).
   *
   * @param index the input's position (0-based)
   * @param response the answer; null when the item failed
   * @param error the failure; null when it succeeded
   * @param source maritaca4j's item (attempts, latency, usage, cost, retried failures)
   */
  public record Item(
      int index, ChatResponse response, LangChain4jException error, BatchItem source) {
    public Item {
      if ((response == null) == (error == null)) {
        throw new IllegalArgumentException("exactly one of response and error must be set");
      }
      Objects.requireNonNull(source, "source");
    }

    public boolean isSuccess() {
      return error == null;
    }

    /**
     * The answer, or the error thrown when the item failed.
     *
     * @throws LangChain4jException the item's error, when it failed
     */
    public ChatResponse responseOrThrow() {
      if (error != null) {
        throw error;
      }
      return response;
    }
  }

  /** All items, in input order. */
  public List<Item> items() {
    return items;
  }

  /** Item {@code index}. */
  public Item get(int index) {
    return items.get(index);
  }

  @Override
  public Iterator<Item> iterator() {
    return items.iterator();
  }

  /** Number of items (= number of inputs). */
  public int size() {
    return items.size();
  }

  /**
   * The answers in input order, when every item succeeded.
   *
   * @throws LangChain4jException the error of the first failed item (by index)
   */
  public List<ChatResponse> responses() {
    List<ChatResponse> out = new ArrayList<>(items.size());
    for (Item item : items) {
      out.add(item.responseOrThrow());
    }
    return List.copyOf(out);
  }

  /** The items that succeeded, in input order. */
  public List<Item> successes() {
    return items.stream().filter(Item::isSuccess).toList();
  }

  /** The items that failed, in input order. */
  public List<Item> failures() {
    return items.stream().filter(i -> !i.isSuccess()).toList();
  }

  /** Whether every item succeeded. */
  public boolean allSucceeded() {
    return source.allSucceeded();
  }

  /** Summed token usage of the answers. */
  public MaritacaTokenUsage tokenUsage() {
    return MaritacaTokenUsage.from(source.usage());
  }

  /** Summed actual cost of the answers, BRL. */
  public Cost cost() {
    return source.cost();
  }

  /** From the start of the batch to its end. */
  public Duration wallTime() {
    return source.wallTime();
  }

  /** The totals: items, successes, failures, usage, cost, 429s, retries, wall time. */
  public BatchSummary summary() {
    return source.summary();
  }

  /** maritaca4j's result, with maritaca4j's types. */
  public BatchResult source() {
    return source;
  }

  @Override
  public String toString() {
    return "MaritacaBatchResult[" + source + "]";
  }
}
