package org.songhong.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.songhong.config.SonghongConfig;
import org.songhong.error.Errors;
import org.songhong.sample.EnvironmentGenerator;
import org.songhong.sample.LogisticsEventGenerator;

/**
 * The demo's high-volume inputs. Terminal event feeds and hourly monitor readings are too big to
 * keep in git at a realistic scale, so the demo generates them from fixed seeds, once, into {@code
 * <lake>/_landing/}: December 2025 of gate moves and vessel calls (the port reports in data/sample
 * were made to match them), and 2025 of hourly readings for the city's air stations and
 * industrial-zone discharge points. The jobs are pointed there, with lookbacks that cover it.
 */
record SampleEvents(SonghongConfig config, LocalDate eventsDay, LocalDate environmentDay) {
  static final LocalDate FROM = LocalDate.of(2025, 12, 1);
  static final LocalDate TO = LocalDate.of(2025, 12, 31);
  static final LocalDate ENV_FROM = LocalDate.of(2025, 1, 1);
  static final long SEED = 2025;
  static final EnvironmentGenerator.Settings STATIONS =
      new EnvironmentGenerator.Settings(6, 4, SEED, 0.002, true);

  static SampleEvents prepare(SonghongConfig config, PrintWriter out) {
    String lake = SonghongConfig.absolutise(config.get(SonghongConfig.LAKE_PATH));
    if (!lake.startsWith("file:")) {
      return new SampleEvents(config, null, null);
    }
    Path landing = Path.of(java.net.URI.create(lake)).resolve("_landing");
    LocalDate eventsDay = null;
    LocalDate envDay = null;
    try {
      if (config.get(SonghongConfig.EVENTS_DIR).isBlank() && !exists(config.eventsDir())) {
        Path dir = landing.resolve("logistics/events");
        if (!Files.isDirectory(dir.resolve("gate_moves").resolve(TO.toString()))) {
          out.printf(
              "Generating the sample terminal event feeds (%s..%s, seed %d) into %s%n",
              FROM, TO, SEED, dir);
          out.flush();
          long n =
              LogisticsEventGenerator.generate(
                  dir,
                  FROM,
                  TO,
                  new LogisticsEventGenerator.Settings(SEED, 1.0, 0.002, true),
                  null);
          out.printf("  %,d events%n", n);
        }
        config =
            config
                .with(SonghongConfig.EVENTS_DIR.key(), dir.toString())
                .with(
                    SonghongConfig.EVENTS_LOOKBACK_DAYS.key(),
                    String.valueOf(java.time.temporal.ChronoUnit.DAYS.between(FROM, TO)));
        eventsDay = TO;
      }
      if (config.get(SonghongConfig.ENV_DIR).isBlank() && !exists(config.environmentDir())) {
        Path dir = landing.resolve("environment");
        if (!Files.isDirectory(dir.resolve("readings").resolve(TO.toString()))) {
          out.printf(
              "Generating a year of sample monitor readings (%s..%s, %d air stations, %d discharge points, seed %d) into %s%n",
              ENV_FROM, TO, STATIONS.airStations(), STATIONS.wastewaterPoints(), SEED, dir);
          out.flush();
          EnvironmentGenerator.registry(dir, STATIONS);
          long n = EnvironmentGenerator.readings(dir, ENV_FROM, TO, STATIONS, null);
          out.printf("  %,d readings%n", n);
        }
        config =
            config
                .with(SonghongConfig.ENV_DIR.key(), dir.toString())
                .with(
                    SonghongConfig.ENV_LOOKBACK_DAYS.key(),
                    String.valueOf(java.time.temporal.ChronoUnit.DAYS.between(ENV_FROM, TO) + 3));
        envDay = TO.plusDays(3); // late files land up to three days after
      }
    } catch (IOException e) {
      throw Errors.unreadableFile(landing.toString(), e.getMessage(), e);
    }
    return new SampleEvents(config, eventsDay, envDay);
  }

  private static boolean exists(String uri) {
    return uri.startsWith("file:") && Files.isDirectory(Path.of(java.net.URI.create(uri)));
  }

  /** The logical date the demo runs a job for. */
  LocalDate dayFor(String job, LocalDate today) {
    if (job.startsWith("logistics_events") && eventsDay != null) {
      return eventsDay;
    }
    if (job.startsWith("environment") && environmentDay != null) {
      return environmentDay;
    }
    return today;
  }
}
