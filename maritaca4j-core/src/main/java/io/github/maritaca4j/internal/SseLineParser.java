package io.github.maritaca4j.internal;

import java.util.function.Consumer;

/**
 * Splits server-sent-event lines into events (the {@code data} fields of one event joined with
 * newlines), per the SSE specification: a blank line ends an event, lines starting with {@code :}
 * are comments, other fields ({@code event}, {@code id}, {@code retry}) are ignored, a single space
 * after the colon is dropped ({@code data:x} and {@code data: x} are the same), a leading
 * byte-order mark is skipped. Lines arrive already split at CRLF, LF or a lone CR. Not thread-safe:
 * one parser per stream.
 */
public final class SseLineParser {
  private final Consumer<String> onEvent;
  private StringBuilder data;
  private boolean first = true;

  public SseLineParser(Consumer<String> onEvent) {
    this.onEvent = onEvent;
  }

  /** Feeds one line, without its line terminator. */
  public void line(String line) {
    if (first) {
      first = false;
      if (line.startsWith("\uFEFF")) {
        line = line.substring(1);
      }
    }
    if (line.isEmpty()) {
      dispatch();
      return;
    }
    if (line.charAt(0) == ':') {
      return;
    }
    int colon = line.indexOf(':');
    String field = colon < 0 ? line : line.substring(0, colon);
    if (!"data".equals(field)) {
      return;
    }
    String value = colon < 0 ? "" : line.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    if (data == null) {
      data = new StringBuilder(value);
    } else {
      data.append('\n').append(value);
    }
  }

  /** Ends the stream: an event without its closing blank line is still delivered. */
  public void end() {
    dispatch();
  }

  private void dispatch() {
    if (data != null) {
      String event = data.toString();
      data = null;
      onEvent.accept(event);
    }
  }
}
