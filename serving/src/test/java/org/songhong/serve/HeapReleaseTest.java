package org.songhong.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The heap a JVM grew to is given back by {@link HeapRelease}: in a JVM of its own started with the
 * launcher's collector flags (the parallel collector, resizing on a requested collection), which
 * fills its heap with 600 MiB, drops it and releases.
 */
class HeapReleaseTest {

  /**
   * The child: fills, drops, releases, prints the committed bytes before and after, and the heap's
   * free-space bounds before and after.
   */
  public static void main(String[] args) {
    var hotspot =
        ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
    String bounds =
        hotspot.getVMOption("MinHeapFreeRatio").getValue()
            + "/"
            + hotspot.getVMOption("MaxHeapFreeRatio").getValue();
    List<byte[]> held = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      held.add(new byte[1 << 20]);
    }
    System.out.println("held " + held.size());
    held = null;
    HeapRelease.Result r = HeapRelease.now();
    System.out.println(r.committedBefore() + " " + r.committedAfter());
    System.out.println(
        bounds
            + " "
            + hotspot.getVMOption("MinHeapFreeRatio").getValue()
            + "/"
            + hotspot.getVMOption("MaxHeapFreeRatio").getValue());
  }

  @Test
  void theLaunchersCollectorGivesTheHeapBackAndTheBoundsAreRestored() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                java.toString(),
                "-Xmx2g",
                "-XX:+UseParallelGC",
                "-XX:+UseAdaptiveSizePolicyWithSystemGC",
                "-cp",
                System.getProperty("java.class.path"),
                HeapReleaseTest.class.getName())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    List<String> lines = out.lines().toList();
    assertThat(lines).as(out).hasSize(3);
    String[] committed = lines.get(1).split(" ");
    long before = Long.parseLong(committed[0]);
    long after = Long.parseLong(committed[1]);
    assertThat(before).as(out).isGreaterThan(600L << 20);
    assertThat(after).as("committed after the release: " + out).isLessThan(before / 2);
    String[] bounds = lines.get(2).split(" ");
    assertThat(bounds[1]).as("the heap's free-space bounds put back").isEqualTo(bounds[0]);
  }
}
