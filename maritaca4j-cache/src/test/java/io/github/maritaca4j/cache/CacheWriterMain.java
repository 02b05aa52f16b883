package io.github.maritaca4j.cache;

import java.nio.file.Path;

/** A second process for the tests: puts N entries named by a prefix, reading each back. */
public final class CacheWriterMain {
  private CacheWriterMain() {}

  public static void main(String[] args) {
    Path file = Path.of(args[0]);
    String prefix = args[1];
    int n = Integer.parseInt(args[2]);
    try (SqliteResponseCache c = SqliteResponseCache.open(file)) {
      for (int i = 0; i < n; i++) {
        String key = prefix + i;
        c.put(key, "{\"n\":" + i + "}");
        if (!("{\"n\":" + i + "}").equals(c.get(key))) {
          System.exit(3);
        }
      }
    }
    System.exit(0);
  }
}
