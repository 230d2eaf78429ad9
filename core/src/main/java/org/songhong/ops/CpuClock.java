package org.songhong.ops;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU this process has used and the host's CPU counters (Linux's {@code /proc/stat}), read
 * together, so that a span between two readings gives the process's CPU seconds and the share of
 * the machine's CPU time the hypervisor took for others ("steal").
 *
 * <p>Why: on our virtual machines the same run took 1.5-2x longer in some hours than in others, and
 * a sample of {@code /proc/stat} during a benchmark showed 37% of the CPU time stolen. Wall-clock
 * seconds of two runs minutes apart (two engines, or a job before and after a change) mix the code
 * with the host's hour; CPU seconds do not count the stolen time. The benchmarks and {@code
 * songhong run --profile} report both.
 *
 * <p>Two of the JVM's own counters ride along, because on 2 cores they are a large part of a short
 * run's CPU seconds: the time the just-in-time compiler spent (its threads' elapsed time, which
 * includes waiting for a core, so an upper bound of their CPU time: 60-70 s in runs of {@code
 * logistics_events_silver} on a year of gate moves that took 160-180 CPU s) and the collectors'
 * pause time (wall; a parallel collector uses every core meanwhile). Both are -1 where the JVM does
 * not report them.
 */
public record CpuClock(long processNanos, long[] host, long compileMillis, long gcPauseMillis) {
  /** Without the JVM's compiler and collector counters (unknown). */
  public CpuClock(long processNanos, long[] host) {
    this(processNanos, host, -1, -1);
  }

  /** The counters now; {@code host} is empty where {@code /proc/stat} cannot be read. */
  public static CpuClock now() {
    long cpu = -1;
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      cpu = os.getProcessCpuTime();
    }
    var compiler = ManagementFactory.getCompilationMXBean();
    long compile =
        compiler != null && compiler.isCompilationTimeMonitoringSupported()
            ? compiler.getTotalCompilationTime()
            : -1;
    long gc = 0;
    for (var b : ManagementFactory.getGarbageCollectorMXBeans()) {
      long t = b.getCollectionTime();
      gc = t < 0 || gc < 0 ? -1 : gc + t;
    }
    return new CpuClock(cpu, hostJiffies(), compile, gc);
  }

  /** Seconds the JIT compiler spent since {@code start}; NaN when the JVM does not tell. */
  public double compileSecondsSince(CpuClock start) {
    return compileMillis < 0 || start.compileMillis < 0
        ? Double.NaN
        : (compileMillis - start.compileMillis) / 1e3;
  }

  /** Seconds the collectors paused the application since {@code start}; NaN when unknown. */
  public double gcPauseSecondsSince(CpuClock start) {
    return gcPauseMillis < 0 || start.gcPauseMillis < 0
        ? Double.NaN
        : (gcPauseMillis - start.gcPauseMillis) / 1e3;
  }

  /** CPU seconds the process used since {@code start} (all its threads, native ones too). */
  public double cpuSecondsSince(CpuClock start) {
    return processNanos < 0 || start.processNanos < 0
        ? Double.NaN
        : (processNanos - start.processNanos) / 1e9;
  }

  /** The share of the host's CPU time stolen since {@code start}, 0..1; NaN when unknown. */
  public double stealShareSince(CpuClock start) {
    if (host.length < 8 || start.host.length < 8) {
      return Double.NaN;
    }
    long total = 0;
    for (int i = 0; i < 8; i++) {
      total += host[i] - start.host[i];
    }
    return total <= 0 ? Double.NaN : (double) (host[7] - start.host[7]) / total;
  }

  /**
   * The first line of {@code /proc/stat}: user, nice, system, idle, iowait, irq, softirq, steal
   * (jiffies of all CPUs since boot).
   */
  private static long[] hostJiffies() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      if (!f[0].equals("cpu") || f.length < 9) {
        return new long[0];
      }
      long[] v = new long[8];
      for (int i = 0; i < 8; i++) {
        v[i] = Long.parseLong(f[i + 1]);
      }
      return v;
    } catch (IOException | NumberFormatException | IndexOutOfBoundsException e) {
      return new long[0]; // not Linux: the span says unknown
    }
  }
}
