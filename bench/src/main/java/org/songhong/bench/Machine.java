package org.songhong.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** What a benchmark ran on, printed with every result so figures are never compared blind. */
public record Machine(String cpu, int cores, long memoryGiB, String os, String java) {
  public static Machine here() {
    String cpu = "unknown";
    try {
      cpu =
          Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
              .filter(l -> l.startsWith("model name"))
              .map(l -> l.substring(l.indexOf(':') + 1).strip())
              .findFirst()
              .orElse("unknown");
    } catch (Exception e) {
      // not Linux: leave it unknown
    }
    long mem = 0;
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      mem = Math.round(os.getTotalMemorySize() / (1024.0 * 1024 * 1024));
    }
    return new Machine(
        cpu,
        Runtime.getRuntime().availableProcessors(),
        mem,
        System.getProperty("os.name") + " " + System.getProperty("os.version"),
        System.getProperty("java.version"));
  }

  @Override
  public String toString() {
    return String.format("%s, %d cores, %d GiB, %s, Java %s", cpu, cores, memoryGiB, os, java);
  }
}
