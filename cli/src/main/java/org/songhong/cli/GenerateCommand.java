package org.songhong.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import org.songhong.error.Errors;
import org.songhong.sample.LogisticsEventGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code songhong generate logistics-events}: repeatable event feeds at realistic scale. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description =
        "Generate sample inputs at scale, repeatably (same seed, same bytes). Kinds: logistics-events, environment.")
final class GenerateCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "KIND",
      description =
          "logistics-events (into FEED/DAY/), or environment (registry/ and readings/DAY/)")
  String kind;

  @Option(
      names = "--from",
      required = true,
      paramLabel = "DATE",
      description = "First day (YYYY-MM-DD).")
  LocalDate from;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "DATE",
      description = "Last day (YYYY-MM-DD).")
  LocalDate to;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Events landing folder (FEED/DAY/TERMINAL.jsonl).")
  Path out;

  @Option(
      names = "--seed",
      defaultValue = "2025",
      description = "Random seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--scale",
      defaultValue = "1.0",
      description = "Volume relative to the terminals' real yearly TEU (default ${DEFAULT-VALUE}).")
  double scale;

  @Option(
      names = "--fault-rate",
      defaultValue = "0.002",
      description = "Share of lines with a fault (default ${DEFAULT-VALUE}).")
  double faultRate;

  @Option(names = "--gzip", description = "Write gzipped files.")
  boolean gzip;

  @Option(
      names = "--air-stations",
      defaultValue = "6",
      description = "environment: ambient-air stations (default ${DEFAULT-VALUE}).")
  int airStations;

  @Option(
      names = "--discharge-points",
      defaultValue = "4",
      description = "environment: wastewater discharge points (default ${DEFAULT-VALUE}).")
  int dischargePoints;

  @Override
  public Integer call() throws Exception {
    out = org.songhong.config.SonghongConfig.local(out);
    if (!kind.equals("logistics-events") && !kind.equals("environment")) {
      throw Errors.badOption("KIND", kind, "logistics-events or environment");
    }
    if (to.isBefore(from)) {
      throw Errors.badOption("--to", to.toString(), "a day on or after --from");
    }
    PrintWriter o = spec.commandLine().getOut();
    long t0 = System.nanoTime();
    long total = java.time.temporal.ChronoUnit.DAYS.between(from, to) + 1;
    long[] day = {0};
    java.util.function.LongConsumer progress =
        lines -> {
          day[0]++;
          if (day[0] % 10 == 0 || day[0] == total) {
            o.printf("  %d/%d days, %,d lines%n", day[0], total, lines);
            o.flush();
          }
        };
    long n;
    if (kind.equals("environment")) {
      var settings =
          new org.songhong.sample.EnvironmentGenerator.Settings(
              airStations, dischargePoints, seed, faultRate, gzip);
      org.songhong.sample.EnvironmentGenerator.registry(out, settings);
      n = org.songhong.sample.EnvironmentGenerator.readings(out, from, to, settings, progress);
    } else {
      n =
          LogisticsEventGenerator.generate(
              out,
              from,
              to,
              new LogisticsEventGenerator.Settings(seed, scale, faultRate, gzip),
              progress);
    }
    o.printf(
        "Wrote %,d lines for %s..%s to %s in %.1f s%n",
        n, from, to, out, (System.nanoTime() - t0) / 1e9);
    return 0;
  }
}
