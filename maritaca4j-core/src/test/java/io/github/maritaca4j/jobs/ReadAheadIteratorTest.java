package io.github.maritaca4j.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ReadAheadIteratorTest {
  @Test
  void givesEveryElementInOrderAcrossManyGroups() {
    int n = ReadAheadIterator.GROUP * (ReadAheadIterator.GROUPS + 3) + 17;
    List<Integer> source = IntStream.range(0, n).boxed().toList();
    List<Integer> seen = new ArrayList<>();
    try (ReadAheadIterator<Integer> it = new ReadAheadIterator<>(source.iterator(), "t")) {
      while (it.hasNext()) {
        seen.add(it.next());
      }
      assertThat(it.hasNext()).isFalse();
      assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
    }
    assertThat(seen).isEqualTo(source);
  }

  @Test
  void aFailureOfTheSourceIsThrownInItsPlaceAfterTheElementsBeforeIt() {
    Iterator<Integer> failing =
        new Iterator<>() {
          int i;

          @Override
          public boolean hasNext() {
            if (i == 300) {
              throw new IllegalStateException("line 301 cannot be read");
            }
            return true;
          }

          @Override
          public Integer next() {
            return i++;
          }
        };
    List<Integer> seen = new ArrayList<>();
    try (ReadAheadIterator<Integer> it = new ReadAheadIterator<>(failing, "t")) {
      assertThatThrownBy(
              () -> {
                while (it.hasNext()) {
                  seen.add(it.next());
                }
              })
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("line 301 cannot be read");
    }
    assertThat(seen).hasSize(ReadAheadIterator.GROUP); // the whole first group, then the failure
  }

  @Test
  void closeStopsReadingAheadOfAnEndlessSource() {
    AtomicInteger read = new AtomicInteger();
    Iterator<Integer> endless =
        new Iterator<>() {
          @Override
          public boolean hasNext() {
            return true;
          }

          @Override
          public Integer next() {
            return read.incrementAndGet();
          }
        };
    ReadAheadIterator<Integer> it = new ReadAheadIterator<>(endless, "t");
    assertThat(it.next()).isEqualTo(1);
    it.close(); // returns: the thread has ended
    int after = read.get();
    assertThat(after).isLessThanOrEqualTo(ReadAheadIterator.GROUP * (ReadAheadIterator.GROUPS + 3));
    assertThat(read.get()).isEqualTo(after);
  }
}
