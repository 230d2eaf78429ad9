package org.songhong.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CpuClockTest {
  /**
   * A busy thread's work shows as CPU seconds; sleeping does not. The clock is the process's, and
   * this JVM's other threads (the compiler, the collectors, a test's Spark session) run meanwhile:
   * the span slept is held against the span spun (a thread's 0.4 s more), not against a fixed
   * bound, which a burst of the compiler crossed in CI (0.15 s in 0.3 s slept).
   */
  @Test
  void cpuSecondsCountWorkNotWaiting() throws Exception {
    CpuClock start = CpuClock.now();
    long until = System.nanoTime() + 400_000_000L;
    long spins = 0;
    while (System.nanoTime() < until) {
      spins++;
    }
    CpuClock busy = CpuClock.now();
    Thread.sleep(300);
    CpuClock slept = CpuClock.now();
    assertThat(spins).isPositive();
    double spun = busy.cpuSecondsSince(start);
    assertThat(spun).isBetween(0.3, 2.0);
    assertThat(slept.cpuSecondsSince(busy)).isLessThan(spun - 0.25);
  }

  /** The stolen share, from the counters of /proc/stat: steal over all eight counters' growth. */
  @Test
  void theStolenShareIsStealOverAllCounters() {
    CpuClock start = new CpuClock(0, new long[] {100, 0, 50, 800, 0, 0, 0, 50});
    CpuClock end = new CpuClock(0, new long[] {160, 0, 70, 880, 0, 0, 0, 90});
    // grew: 60 + 20 + 80 + 40 = 200, of which steal 40
    assertThat(end.stealShareSince(start)).isEqualTo(0.2);
    assertThat(end.stealShareSince(new CpuClock(0, new long[0]))).isNaN();
    if (Files.isReadable(Path.of("/proc/stat"))) {
      assertThat(CpuClock.now().stealShareSince(CpuClock.now()))
          .satisfiesAnyOf(s -> assertThat(s).isNaN(), s -> assertThat(s).isBetween(0.0, 1.0));
    }
  }

  /**
   * The JIT compiler's and the collectors' counters give spans in seconds, NaN when either end does
   * not know them; read live, they never run backwards.
   */
  @Test
  void theCompilerAndCollectorCountersAreSpansToo() {
    CpuClock start = new CpuClock(0, new long[0], 500, 10);
    CpuClock end = new CpuClock(0, new long[0], 2_000, 40);
    assertThat(end.compileSecondsSince(start)).isEqualTo(1.5);
    assertThat(end.gcPauseSecondsSince(start)).isEqualTo(0.03);
    assertThat(end.compileSecondsSince(new CpuClock(0, new long[0]))).isNaN();
    assertThat(end.gcPauseSecondsSince(new CpuClock(0, new long[0]))).isNaN();
    CpuClock live = CpuClock.now();
    System.gc();
    CpuClock later = CpuClock.now();
    assertThat(later.compileSecondsSince(live))
        .satisfiesAnyOf(s -> assertThat(s).isNaN(), s -> assertThat(s).isGreaterThanOrEqualTo(0));
    assertThat(later.gcPauseSecondsSince(live))
        .satisfiesAnyOf(s -> assertThat(s).isNaN(), s -> assertThat(s).isGreaterThanOrEqualTo(0));
  }

  /**
   * The compiler threads' CPU comes from their lines in /proc: only threads named as HotSpot names
   * its compilers count, and the fields are found after the name even when it holds blanks and
   * parentheses.
   */
  @Test
  void theCompilerThreadsCpuIsReadFromTheirStatLines() {
    String c2 =
        "4242 (C2 CompilerThre) S 1 1 1 0 -1 1077936192 24 0 0 0 1234 56 0 0 20 0 40 0 81 0";
    assertThat(CpuClock.compilerTicksOf(c2)).isEqualTo(1290);
    assertThat(CpuClock.compilerTicksOf(c2.replace("C2", "C1"))).isEqualTo(1290);
    assertThat(CpuClock.compilerTicksOf(c2.replace("C2 CompilerThre", "Executor task l"))).isZero();
    assertThat(CpuClock.compilerTicksOf(c2.replace("C2 CompilerThre", "a (b) c"))).isZero();
    assertThat(CpuClock.compilerTicksOf("4242 (C2 CompilerThre) S 1")).isZero();
    assertThat(
            new CpuClock(0, new long[0], 0, 0, 3_000_000_000L)
                .compilerCpuSecondsSince(new CpuClock(0, new long[0], 0, 0, 1_000_000_000L)))
        .isEqualTo(2.0);
    assertThat(new CpuClock(0, new long[0]).compilerCpuSecondsSince(CpuClock.now())).isNaN();
    if (Files.isDirectory(Path.of("/proc/self/task"))) {
      // this JVM compiles as the test runs: its compiler threads have used some CPU, never less
      CpuClock a = CpuClock.now();
      CpuClock b = CpuClock.now();
      assertThat(a.compilerThreadsNanos()).isPositive();
      assertThat(b.compilerCpuSecondsSince(a)).isGreaterThanOrEqualTo(0);
    }
  }
}
