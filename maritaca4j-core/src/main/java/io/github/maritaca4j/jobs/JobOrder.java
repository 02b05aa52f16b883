package io.github.maritaca4j.jobs;

/**
 * The order in which a {@link JsonlJob} sends its requests.
 *
 * <p>Only the order changes: every request is sent, and each answer is written under its own {@code
 * custom_id}, whatever the order.
 */
public enum JobOrder {
  /**
   * Prefix-aware (the default): requests that share a long prefix (the same leading messages: a
   * system prompt, examples) form a group; the first request of a group is sent alone, and the
   * others wait until it is answered (other requests go meanwhile), so that they find the prefix in
   * the server's prompt cache and pay the cached input price for it. A prefix counts as long from
   * {@link #MIN_PREFIX_CHARS} characters. At most {@link #MAX_HELD} requests wait at a time; beyond
   * that they go in input order.
   */
  PREFIX,

  /** Input order: requests go in the order of the input file. */
  INPUT;

  /** The shortest shared prefix (characters of the leading messages) that forms a group. */
  public static final int MIN_PREFIX_CHARS = 1024;

  /** The most requests held back at once waiting for their group's first answer. */
  public static final int MAX_HELD = 10_000;
}
