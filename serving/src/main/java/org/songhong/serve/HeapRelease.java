package org.songhong.serve;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Gives the heap memory a JVM no longer uses back to the machine: a full collection with the heap's
 * free-space bounds lowered for its length, so that the collector shrinks the heap to what is live.
 * For a JVM that stays and idles (the warm runner between scheduled runs), which otherwise keeps
 * what its largest job grew the heap to.
 *
 * <p>G1 shrinks on such a collection. The parallel collector (the launcher's) does only when
 * started with {@code -XX:+UseAdaptiveSizePolicyWithSystemGC} (the launcher sets it), and only its
 * old generation: its young generation keeps its size. Where neither applies the collection frees
 * nothing, and {@link Result} says so.
 */
public final class HeapRelease {
  private HeapRelease() {}

  /** The heap's committed bytes and the process's resident bytes (-1 without /proc) around it. */
  public record Result(
      long committedBefore, long committedAfter, long residentBefore, long residentAfter) {
    @Override
    public String toString() {
      return String.format(
          "heap committed %s -> %s, resident %s -> %s",
          mib(committedBefore), mib(committedAfter), mib(residentBefore), mib(residentAfter));
    }

    private static String mib(long bytes) {
      return bytes < 0 ? "?" : (bytes >> 20) + " MiB";
    }
  }

  /** The free share of the heap above which the collector shrinks it, while releasing. */
  static final String MAX_FREE = "10";

  public static Result now() {
    var memory = ManagementFactory.getMemoryMXBean();
    long committedBefore = memory.getHeapMemoryUsage().getCommitted();
    long residentBefore = resident();
    HotSpotDiagnosticMXBean hotspot =
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    String min = hotspot.getVMOption("MinHeapFreeRatio").getValue();
    String max = hotspot.getVMOption("MaxHeapFreeRatio").getValue();
    // The minimum first: each must stay at most the maximum.
    hotspot.setVMOption("MinHeapFreeRatio", "0");
    hotspot.setVMOption("MaxHeapFreeRatio", MAX_FREE);
    try {
      System.gc();
    } finally {
      hotspot.setVMOption("MaxHeapFreeRatio", max);
      hotspot.setVMOption("MinHeapFreeRatio", min);
    }
    return new Result(
        committedBefore, memory.getHeapMemoryUsage().getCommitted(), residentBefore, resident());
  }

  /** This process's resident memory in bytes, from /proc; -1 where there is none. */
  static long resident() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        }
      }
    } catch (java.io.IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
