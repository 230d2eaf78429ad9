package org.songhong.jobs.logistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/** The gate moves' shared key hashes: each value met more than once in a sorted run, once. */
class RepeatedValuesTest {
  private static List<Long> repeated(Long... sorted) {
    LogisticsEventsSilverJob.RepeatedValues it =
        new LogisticsEventsSilverJob.RepeatedValues(List.of(sorted).iterator());
    List<Long> out = new ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }

  @Test
  void eachRepeatedValueOnceAndNoOther() {
    assertThat(repeated()).isEmpty();
    assertThat(repeated(7L)).isEmpty();
    assertThat(repeated(1L, 2L, 3L)).isEmpty();
    assertThat(repeated(1L, 1L)).containsExactly(1L);
    assertThat(repeated(1L, 1L, 1L, 2L)).containsExactly(1L);
    // A value right after a run of copies is compared with the one after it, not skipped.
    assertThat(repeated(1L, 1L, 2L, 2L, 3L, 4L, 4L, 4L)).containsExactly(1L, 2L, 4L);
    assertThat(repeated(Long.MIN_VALUE, Long.MIN_VALUE, 0L, Long.MAX_VALUE, Long.MAX_VALUE))
        .containsExactly(Long.MIN_VALUE, Long.MAX_VALUE);
  }

  @Test
  void nextPastTheEndFails() {
    LogisticsEventsSilverJob.RepeatedValues it =
        new LogisticsEventsSilverJob.RepeatedValues(List.of(3L, 4L).iterator());
    assertThat(it.hasNext()).isFalse();
    assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
  }
}
