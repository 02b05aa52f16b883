package io.github.maritaca4j.testing;

import io.github.maritaca4j.batch.SharedLimits;

/** The reference store holds to the contract (on the real clock: the contract allows for it). */
class InMemorySharedLimitsTest extends SharedLimitsContract {
  private final InMemorySharedLimits store = new InMemorySharedLimits(System::nanoTime);

  @Override
  protected SharedLimits store() {
    return store;
  }
}
