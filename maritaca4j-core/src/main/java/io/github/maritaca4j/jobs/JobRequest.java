package io.github.maritaca4j.jobs;

import io.github.maritaca4j.ChatRequest;
import java.util.Objects;

/**
 * One line of a JSONL job: its {@code custom_id} and the request it asks for. Immutable.
 *
 * @param line the 1-based line number in the input file
 * @param customId the line's {@code custom_id} (the line number, as text, when the line has none)
 * @param request the chat request, with the job's defaults applied
 */
record JobRequest(long line, String customId, ChatRequest request) {
  public JobRequest {
    Objects.requireNonNull(customId, "customId");
    Objects.requireNonNull(request, "request");
  }
}
