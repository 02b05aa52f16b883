package io.github.maritaca4j.simulator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.knuddels.jtokkit.api.IntArrayList;
import org.junit.jupiter.api.Test;

class PrefixCacheTest {
  static IntArrayList ids(int n, int divergeAt) {
    IntArrayList l = new IntArrayList();
    for (int i = 0; i < n; i++) {
      l.add(i < divergeAt ? i : -i);
    }
    return l;
  }

  @Test
  void sharedPrefixIsRoundedDownToBlocksFromTheMinimum() {
    PrefixCache c = new PrefixCache();
    assertThat(c.lookupAndRemember("m", ids(3000, 3000))).isZero();
    assertThat(c.lookupAndRemember("m", ids(3000, 1500))).isEqualTo(1408);
    assertThat(c.lookupAndRemember("m", ids(3000, 3000))).isEqualTo(2944);
    assertThat(c.lookupAndRemember("m", ids(3000, 2000))).isEqualTo(1920); // best of the recent
    assertThat(c.lookupAndRemember("other", ids(3000, 3000))).isZero();
  }

  @Test
  void prefixesShorterThan1024TokensAreNotCached() {
    PrefixCache c = new PrefixCache();
    c.lookupAndRemember("m", ids(2000, 2000));
    assertThat(c.lookupAndRemember("m", ids(2000, 1023))).isZero();
    assertThat(c.lookupAndRemember("m", ids(1000, 1000))).isZero();
  }

  @Test
  void aPromptCountsOnlyOnceRemembered() {
    PrefixCache c = new PrefixCache();
    assertThat(c.lookup("m", ids(3000, 3000))).isZero();
    assertThat(c.lookup("m", ids(3000, 2000))).as("the first is not answered yet").isZero();
    c.remember("m", ids(3000, 3000));
    assertThat(c.lookup("m", ids(3000, 2000))).isEqualTo(1920);
  }
}
