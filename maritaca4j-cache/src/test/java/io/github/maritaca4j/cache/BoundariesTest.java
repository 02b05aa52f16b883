package io.github.maritaca4j.cache;

import io.github.maritaca4j.testing.Boundaries;
import org.junit.jupiter.api.Test;

/** Nothing in this module uses core's or the simulator's internals. */
class BoundariesTest {
  @Test
  void usesNoInternalPackageOfAnotherModule() {
    Boundaries.assertUsesNoInternals("io.github.maritaca4j.cache");
  }
}
