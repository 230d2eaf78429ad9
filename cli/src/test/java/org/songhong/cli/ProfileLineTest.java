package org.songhong.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.songhong.ops.CpuClock;

/** The line {@code songhong run --profile} ends each run's steps with. */
class ProfileLineTest {
  @Test
  void cpuSecondsCoresAndTheStolenShare() {
    CpuClock start = new CpuClock(1_000_000_000L, new long[] {0, 0, 0, 0, 0, 0, 0, 0});
    CpuClock end = new CpuClock(3_000_000_000L, new long[] {50, 0, 20, 20, 0, 0, 0, 10});
    assertThat(RunCommand.cpuLine(end, start, 4.0))
        .isEqualTo(
            "CPU: 2.0 s of this process's threads in 4.0 s (0.50 cores); host CPU stolen"
                + " meanwhile: 10%");
    // no /proc/stat (not Linux): the stolen share is left out
    assertThat(RunCommand.cpuLine(new CpuClock(3_000_000_000L, new long[0]), start, 2.0))
        .isEqualTo("CPU: 2.0 s of this process's threads in 2.0 s (1.00 cores)");
    // with the JVM's compiler and collector counters (milliseconds)
    CpuClock jvmStart = new CpuClock(1_000_000_000L, new long[0], 5_000, 100);
    CpuClock jvmEnd = new CpuClock(4_000_000_000L, new long[0], 6_250, 350);
    assertThat(RunCommand.cpuLine(jvmEnd, jvmStart, 2.0))
        .isEqualTo(
            "CPU: 3.0 s of this process's threads in 2.0 s (1.50 cores); the JIT compiler's"
                + " threads ran 1.3 s, the collector paused 0.3 s");
    // and the compiler threads' CPU time as Linux counts it (nanoseconds)
    CpuClock linuxStart = new CpuClock(1_000_000_000L, new long[0], 5_000, 100, 2_000_000_000L);
    CpuClock linuxEnd = new CpuClock(4_000_000_000L, new long[0], 6_250, 350, 2_900_000_000L);
    assertThat(RunCommand.cpuLine(linuxEnd, linuxStart, 2.0))
        .isEqualTo(
            "CPU: 3.0 s of this process's threads in 2.0 s (1.50 cores); the JIT compiler's"
                + " threads ran 1.3 s (0.9 s of CPU), the collector paused 0.3 s");
  }
}
