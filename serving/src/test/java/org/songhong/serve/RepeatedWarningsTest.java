package org.songhong.serve;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RepeatedWarningsTest {
  private static final long S = 1_000_000_000L;

  @Test
  void theFirstOfAKeyInAWindowIsLoggedAndTheOthersCountedOnce() {
    RepeatedWarnings w = new RepeatedWarnings(60 * S);
    // a client retrying five times a second for a minute and a half, another refused once
    int logged = 0;
    for (long t = 0; t < 90 * S; t += S / 5) {
      logged += w.log("looping", t) ? 1 : 0;
    }
    assertThat(w.log("once", 10 * S)).isTrue();
    assertThat(logged).as("lines for 450 refusals in 90 s").isEqualTo(2);
    // the first window's 299 left out are reported when the second one starts, at 60 s
    assertThat(w.ended(61 * S)).containsExactly(new RepeatedWarnings.LeftOut("looping", 299));
    assertThat(w.ended(89 * S)).isEmpty();
    // the second window (60 s to 89.8 s: 150 refusals, one logged) ends at 120 s
    assertThat(w.ended(120 * S)).containsExactly(new RepeatedWarnings.LeftOut("looping", 149));
    assertThat(w.ended(200 * S)).isEmpty();
    // a key whose window ended is new again
    assertThat(w.log("looping", 201 * S)).isTrue();
    assertThat(w.log("once", 201 * S)).isTrue();
  }
}
