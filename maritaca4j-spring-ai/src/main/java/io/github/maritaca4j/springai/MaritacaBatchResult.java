package io.github.maritaca4j.springai;

import io.github.maritaca4j.ChatRequest;
import io.github.maritaca4j.Usage;
import io.github.maritaca4j.batch.BatchItem;
import io.github.maritaca4j.batch.BatchResult;
import io.github.maritaca4j.cost.Cost;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.springframework.ai.chat.model.ChatResponse;

/**
 * The outcome of {@link MaritacaChatModel#batch(List, io.github.maritaca4j.batch.BatchOptions)}:
 * one {@link Item} per prompt, in input order, each a Spring AI response or a Spring AI exception,
 * plus the batch's totals (usage, cost in BRL, wall time, 429s) from maritaca4j's {@link
 * BatchResult}. Immutable.
 */
public final class MaritacaBatchResult implements Iterable<MaritacaBatchResult.Item> {

  /**
   * One prompt's outcome.
   *
   * @param index the prompt's position in the input
   * @param response the answer, or null when the item failed
   * @param error the failure ({@code TransientAiException} or {@code NonTransientAiException} with
   *     the maritaca4j exception as cause), or null when it succeeded
   * @param source maritaca4j's item (attempts, latency, the raw result or error)
   */
  public record Item(int index, ChatResponse response, RuntimeException error, BatchItem source) {
    public Item {
      Objects.requireNonNull(source, "source");
      if ((response == null) == (error == null)) {
        throw new IllegalArgumentException("an item has either a response or an error");
      }
    }

    /** Whether the prompt got its answer. */
    public boolean isSuccess() {
      return response != null;
    }
  }

  private final List<Item> items;
  private final BatchResult source;

  private MaritacaBatchResult(List<Item> items, BatchResult source) {
    this.items = List.copyOf(items);
    this.source = source;
  }

  static MaritacaBatchResult of(BatchResult result, List<ChatRequest> requests) {
    List<Item> items = new ArrayList<>(result.size());
    for (BatchItem item : result) {
      items.add(
          item.isSuccess()
              ? new Item(
                  item.index(),
                  Mapping.toResponse(item.result(), requests.get(item.index())),
                  null,
                  item)
              : new Item(item.index(), null, Errors.map(item.error()), item));
    }
    return new MaritacaBatchResult(items, result);
  }

  /** Every item, in input order. */
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

  /** The number of items. */
  public int size() {
    return items.size();
  }

  /**
   * The responses in input order.
   *
   * @throws RuntimeException the first failed item's exception, when an item failed
   */
  public List<ChatResponse> responses() {
    List<ChatResponse> out = new ArrayList<>(items.size());
    for (Item item : items) {
      if (!item.isSuccess()) {
        throw item.error();
      }
      out.add(item.response());
    }
    return List.copyOf(out);
  }

  /** The items that failed. */
  public List<Item> failures() {
    return items.stream().filter(i -> !i.isSuccess()).toList();
  }

  public int successCount() {
    return source.successCount();
  }

  public int failureCount() {
    return source.failureCount();
  }

  /** The tokens of every answer. */
  public Usage usage() {
    return source.usage();
  }

  /** The cost of every answer, in BRL. */
  public Cost cost() {
    return source.cost();
  }

  /** From the first request to the last answer. */
  public Duration wallTime() {
    return source.wallTime();
  }

  /** maritaca4j's result (rate-limited count, summary...). */
  public BatchResult source() {
    return source;
  }

  @Override
  public String toString() {
    return "MaritacaBatchResult[items="
        + size()
        + ", failed="
        + failureCount()
        + ", cost="
        + cost().total()
        + "]";
  }
}
