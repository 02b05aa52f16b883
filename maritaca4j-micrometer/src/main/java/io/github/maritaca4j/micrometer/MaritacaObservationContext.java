package io.github.maritaca4j.micrometer;

import io.github.maritaca4j.ChatListener;
import io.micrometer.observation.Observation;
import java.util.Objects;

/**
 * The {@link Observation.Context} of one request: its start event, and its end event once it ended.
 * Conventions read both. Written by the thread that starts the request and then by the one that
 * ends it (the observation's stop publishes the end).
 */
public class MaritacaObservationContext extends Observation.Context {
  private final ChatListener.RequestStart start;
  private final boolean recordContent;
  private volatile ChatListener.RequestEnd end;

  /**
   * @param start the request
   * @param recordContent whether conventions may record prompts and answers
   */
  public MaritacaObservationContext(ChatListener.RequestStart start, boolean recordContent) {
    this.start = Objects.requireNonNull(start, "start");
    this.recordContent = recordContent;
  }

  /** The request as it was sent. */
  public ChatListener.RequestStart start() {
    return start;
  }

  /** How it ended, or null while it runs. */
  public ChatListener.RequestEnd end() {
    return end;
  }

  /** Whether prompts and answers may be recorded ({@code recordContent(true)}). */
  public boolean recordContent() {
    return recordContent;
  }

  void end(ChatListener.RequestEnd end) {
    this.end = end;
  }
}
