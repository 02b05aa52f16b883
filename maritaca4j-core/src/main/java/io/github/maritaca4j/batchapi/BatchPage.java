package io.github.maritaca4j.batchapi;

import java.util.List;

/**
 * One page of {@code GET /batches}. Immutable.
 *
 * @param data the batches, newest first
 * @param hasMore whether more pages follow
 * @param lastId the id to pass as {@code after} for the next page; null when the page is empty
 */
public record BatchPage(List<Batch> data, boolean hasMore, String lastId) {
  public BatchPage {
    data = List.copyOf(data);
  }
}
