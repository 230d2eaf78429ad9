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
 * <p>The JVM's own costs ride along, because on 2 cores they are a large part of a short run's CPU
 * seconds: the time the just-in-time compiler spent as the JVM counts it (its threads' elapsed
 * time, which includes waiting for a core: an upper bound of their CPU), the CPU time of the
 * compiler's threads as Linux counts it ({@code /proc/self/task/<tid>/stat} of the threads named
 * {@code C1/C2 CompilerThread}: their true CPU, 55.6 s where the JVM's figure said 66.8 s in a run
 * of {@code logistics_events_silver} on a year of gate moves that took 164 CPU s; a compiler thread
 * that ended between the two readings is not counted, so a lower bound where the JVM retires idle
 * compiler threads, which it does not below 3 cores), and the collectors' pause time (wall; a
 * parallel collector uses every core meanwhile). Each is -1 where it cannot be read.
 */
public record CpuClock(
    long processNanos,
    long[] host,
    long compileMillis,
    long gcPauseMillis,
    long compilerThreadsNanos) {
  /** Without the JVM's compiler and collector counters (unknown). */
  public CpuClock(long processNanos, long[] host) {
    this(processNanos, host, -1, -1, -1);
  }

  /** Without the compiler threads' CPU time (unknown). */
  public CpuClock(long processNanos, long[] host, long compileMillis, long gcPauseMillis) {
    this(processNanos, host, compileMillis, gcPauseMillis, -1);
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
    return new CpuClock(cpu, hostJiffies(), compile, gc, readCompilerThreadsNanos());
  }

  /**
   * CPU seconds the JIT compiler's threads used since {@code start}, as the kernel counts them (10
   * ms resolution); NaN when unknown (not Linux).
   */
  public double compilerCpuSecondsSince(CpuClock start) {
    return compilerThreadsNanos < 0 || start.compilerThreadsNanos < 0
        ? Double.NaN
        : Math.max(0, compilerThreadsNanos - start.compilerThreadsNanos) / 1e9;
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

  /** Linux's clock ticks per second in {@code /proc} (USER_HZ: 100 on every Linux we run on). */
  private static final long TICKS_PER_SECOND = 100;

  /**
   * The CPU time (user + system) of this process's threads whose name starts as HotSpot names its
   * compiler threads ({@code C1 CompilerThread0}, cut to 15 characters by the kernel); -1 when
   * {@code /proc/self/task} cannot be read.
   */
  static long readCompilerThreadsNanos() {
    Path tasks = Path.of("/proc/self/task");
    if (!Files.isDirectory(tasks)) {
      return -1;
    }
    long ticks = 0;
    try (var threads = Files.list(tasks)) {
      for (Path t : (Iterable<Path>) threads::iterator) {
        ticks += compilerTicks(t.resolve("stat"));
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      return -1;
    }
    return ticks * (1_000_000_000L / TICKS_PER_SECOND);
  }

  /** A thread's user + system ticks if it is a compiler thread, else 0 (0 too if it has ended). */
  private static long compilerTicks(Path stat) {
    String line;
    try {
      line = Files.readString(stat);
    } catch (IOException e) {
      return 0; // the thread ended since the folder was listed
    }
    return compilerTicksOf(line);
  }

  /**
   * From one line of {@code /proc/<pid>/task/<tid>/stat}: {@code tid (name) state ...}, utime and
   * stime the 14th and 15th fields. The name may hold blanks and parentheses, so the fields are
   * counted from the last closing one.
   */
  static long compilerTicksOf(String statLine) {
    int open = statLine.indexOf('(');
    int close = statLine.lastIndexOf(')');
    if (open < 0 || close < open) {
      return 0;
    }
    String name = statLine.substring(open + 1, close);
    if (!name.matches("C\\d CompilerThre.*")) {
      return 0;
    }
    String[] f = statLine.substring(close + 2).trim().split("\\s+");
    try {
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
      return 0;
    }
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
