package org.songhong.bench;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.songhong.ops.CpuClock;

/**
 * Where a Spark load's CPU seconds went, measured while it runs: Spark's tasks (their executor CPU
 * time, as Spark's task metrics count it), the JVM's JIT compiler, the collectors' pauses, and the
 * rest (the driver: planning, generating and compiling the queries' code, Delta's log, the runner).
 * The compiler is counted twice over: its threads' elapsed time as the JVM reports it, and their
 * CPU time as Linux does (55.6 against 66.8 s in a run of the gate moves' silver job). On 2 cores
 * and a few minutes of work the compiler alone is a large share, a cost DuckDB (compiled ahead of
 * time) does not pay: the breakdown says how much of a ratio is the work and how much the JVM's
 * warm-up.
 */
final class SparkCpu {
  private final SparkContext sc;
  private final AtomicLong taskNanos = new AtomicLong();
  private final SparkListener listener;
  private final CpuClock start;

  private SparkCpu(SparkSession spark) {
    this.sc = spark.sparkContext();
    this.listener =
        new SparkListener() {
          @Override
          public void onTaskEnd(SparkListenerTaskEnd end) {
            if (end.taskMetrics() != null) {
              taskNanos.addAndGet(end.taskMetrics().executorCpuTime());
            }
          }
        };
    sc.addSparkListener(listener);
    this.start = CpuClock.now();
  }

  /** Starts counting (the session's tasks from now, the process's counters). */
  static SparkCpu start(SparkSession spark) {
    return new SparkCpu(spark);
  }

  /**
   * The span's figures. {@code jit} is the compiler threads' elapsed time as the JVM counts it,
   * which includes waiting for a core while the tasks hold both (an upper bound of their CPU);
   * {@code jitCpu} their CPU seconds as Linux counts them (NaN elsewhere).
   */
  record Breakdown(
      double cpu, double tasks, double jit, double jitCpu, double gcPause, double stealShare) {
    /** CPU seconds outside Spark's tasks: the JIT compiler, the collector, the driver. */
    double outsideTasks() {
      return cpu - tasks;
    }

    void print(PrintWriter out) {
      out.printf(
          Locale.ROOT,
          "  Spark's CPU seconds: %.1f = tasks %.1f + outside them %.1f (the JIT compiler's threads"
              + " used %.1f CPU s and ran %.1f s, the collector paused %.1f s, the rest is the"
              + " driver)%n",
          cpu,
          tasks,
          outsideTasks(),
          jitCpu,
          jit,
          gcPause);
      out.flush();
    }

    List<Results.Measure> measures() {
      return List.of(
          new Results.Measure("spark_task_cpu_seconds", tasks, "s"),
          new Results.Measure("spark_jit_compiler_seconds", jit, "s"),
          new Results.Measure("spark_jit_compiler_cpu_seconds", jitCpu, "s"),
          new Results.Measure("spark_gc_pause_seconds", gcPause, "s"));
    }
  }

  Breakdown stop() {
    CpuClock end = CpuClock.now();
    // Task ends reach listeners asynchronously: wait until the bus has delivered the span's.
    try {
      sc.listenerBus().waitUntilEmpty(60_000);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(
          "Spark's listener bus kept events undelivered for 60 s: the tasks' CPU time would be"
              + " undercounted",
          e);
    }
    sc.removeSparkListener(listener);
    return new Breakdown(
        end.cpuSecondsSince(start),
        taskNanos.get() / 1e9,
        end.compileSecondsSince(start),
        end.compilerCpuSecondsSince(start),
        end.gcPauseSecondsSince(start),
        end.stealShareSince(start));
  }
}
