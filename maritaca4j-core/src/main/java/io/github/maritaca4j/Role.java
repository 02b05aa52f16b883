package io.github.maritaca4j;

import java.util.Locale;

/** The author of a {@link Message}. */
public enum Role {
  SYSTEM,
  USER,
  ASSISTANT,
  TOOL;

  /** The value used on the wire ({@code "system"}, {@code "user"}, ...). */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a wire role name.
   *
   * @throws IllegalArgumentException for an unknown role
   */
  public static Role fromWire(String value) {
    if (value != null) {
      for (Role r : values()) {
        if (r.wireName().equals(value)) {
          return r;
        }
      }
    }
    throw new IllegalArgumentException(
        "unknown role '" + value + "' (expected system, user, assistant or tool)");
  }
}
