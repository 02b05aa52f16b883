package io.github.maritaca4j;

/**
 * Receives a streamed answer as it arrives. All methods have empty defaults: override what you
 * need.
 *
 * <p>Threading: the methods of one stream are called in order, one at a time, never concurrently,
 * on a thread of the client's executor (the JDK {@code HttpClient}'s executor unless you gave one).
 * Do not block in them for long: that stalls the stream. If a method throws, the stream is
 * abandoned and the call's future completes exceptionally with what it threw.
 *
 * <p>When a stream fails before any text or tool call was delivered, the call is retried like any
 * other; once something was delivered it is not retried (the handler would see it twice).
 */
public interface StreamHandler {

  /** A piece of the first choice's text. */
  default void onText(String delta) {}

  /**
   * A piece of a tool call of the first choice: {@code id} and {@code name} come in the first piece
   * of each call (null afterwards), {@code argumentsDelta} is the next part of the arguments' JSON
   * text.
   */
  default void onToolCallDelta(int index, String id, String name, String argumentsDelta) {}
}
