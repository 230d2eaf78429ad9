package org.songhong.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.songhong.config.SonghongConfig;
import org.songhong.error.Errors;
import org.songhong.sample.LogisticsEventGenerator;

/**
 * The demo's event feeds. They are too big to keep in git at a realistic scale, so the demo
 * generates December 2025 from a fixed seed (the port reports in data/sample were made to match)
 * into {@code <lake>/_landing/logistics/events}, once, and points the events jobs there.
 */
record SampleEvents(SonghongConfig config, LocalDate lastDay) {
  static final LocalDate FROM = LocalDate.of(2025, 12, 1);
  static final LocalDate TO = LocalDate.of(2025, 12, 31);
  static final long SEED = 2025;

  static SampleEvents prepare(SonghongConfig config, PrintWriter out) {
    String lake = SonghongConfig.absolutise(config.get(SonghongConfig.LAKE_PATH));
    String inputEvents = SonghongConfig.absolutise(config.get(SonghongConfig.INPUT_DIR)) + "/logistics/events";
    boolean configured = !config.get(SonghongConfig.EVENTS_DIR).isBlank();
    if (configured || !lake.startsWith("file:") || Files.isDirectory(Path.of(java.net.URI.create(inputEvents)))) {
      return new SampleEvents(config, null);
    }
    Path dir = Path.of(java.net.URI.create(lake)).resolve("_landing/logistics/events");
    try {
      if (!Files.isDirectory(dir.resolve("gate_moves").resolve(TO.toString()))) {
        out.printf("Generating the sample event feeds (%s..%s, seed %d) into %s%n", FROM, TO, SEED, dir);
        out.flush();
        long n = LogisticsEventGenerator.generate(dir, FROM, TO, new LogisticsEventGenerator.Settings(SEED, 1.0, 0.002, true), null);
        out.printf("  %,d lines%n", n);
      }
    } catch (IOException e) {
      throw Errors.unreadableFile(dir.toString(), e.getMessage(), e);
    }
    int lookback = (int) java.time.temporal.ChronoUnit.DAYS.between(FROM, TO);
    return new SampleEvents(config.with(SonghongConfig.EVENTS_DIR.key(), dir.toString())
        .with(SonghongConfig.EVENTS_LOOKBACK_DAYS.key(), String.valueOf(lookback)), TO);
  }
}
