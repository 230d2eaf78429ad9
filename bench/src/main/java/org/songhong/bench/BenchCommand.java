package org.songhong.bench;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import org.songhong.cli.Main;
import org.songhong.error.Errors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bench/run NAME}: the benchmarks of bench/README.md (not tests: they take minutes). Its own
 * main, on the launcher's class path plus this module's jar and DuckDB: the benchmarks never ship.
 */
@Command(
    name = "bench/run",
    mixinStandardHelpOptions = true,
    description =
        "Run a benchmark and append its results to bench/results/NAME.csv (with the machine), plus a chart. Names: logistics, environment, history, lake-open.")
public final class BenchCommand implements Callable<Integer> {
  public static void main(String[] args) {
    System.exit(
        Main.execute(
            new BenchCommand(),
            args,
            new PrintWriter(System.out, true),
            new PrintWriter(System.err, true)));
  }

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "NAME",
      description =
          "logistics, environment, history (a day into 1 vs 3 years) or lake-open (new lakes' tables created)")
  String name;

  @Option(
      names = "--days",
      defaultValue = "365",
      description = "Days of history generated (default ${DEFAULT-VALUE}).")
  int days;

  @Option(
      names = "--stations",
      defaultValue = "200",
      description = "environment: air stations (default ${DEFAULT-VALUE}).")
  int stations;

  @Option(
      names = "--scale",
      defaultValue = "1.0",
      description = "Volume relative to real terminal volumes (default ${DEFAULT-VALUE}).")
  double scale;

  @Option(
      names = "--lakes",
      defaultValue = "6",
      description = "lake-open: lakes opened, the first to warm up (default ${DEFAULT-VALUE}).")
  int lakes;

  @Option(
      names = "--seed",
      defaultValue = "2025",
      description = "Generator seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--duckdb-runs",
      paramLabel = "N",
      description =
          "logistics, environment: DuckDB runs, the median's CPU seconds compared (default: 3"
              + " for logistics, whose DuckDB run takes seconds; 1 for environment, minutes).")
  Integer duckdbRuns;

  @Option(
      names = "--work",
      paramLabel = "DIR",
      description = "Scratch folder (default: a new temporary folder, deleted after).")
  Path work;

  @Option(
      names = "--results",
      paramLabel = "DIR",
      defaultValue = "bench/results",
      description = "Where results go (default ${DEFAULT-VALUE}).")
  Path results;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Machine machine = Machine.here();
    if (!List.of("logistics", "environment", "history", "lake-open").contains(name)) {
      throw Errors.badOption("NAME", name, "logistics, environment, history or lake-open");
    }
    boolean temp = work == null;
    Path dir = temp ? Files.createTempDirectory("songhong-bench-") : work;
    String params =
        name.equals("logistics")
            ? String.format("days=%d scale=%.2f seed=%d", days, scale, seed)
            : name.equals("history")
                ? String.format("years=1,3 stations=%d seed=%d", stations, seed)
                : name.equals("lake-open")
                    ? String.format("lakes=%d", lakes)
                    : String.format("days=%d stations=%d seed=%d", days, stations, seed);
    // JVM options added to the launcher's (bench/run passes SONGHONG_JAVA_OPTS on): part of what
    // was measured, so they go with the parameters into the results
    String jvm = System.getenv().getOrDefault("SONGHONG_JAVA_OPTS", "").trim();
    if (!jvm.isEmpty()) {
      params += " jvm=" + jvm;
    }
    out.printf("Benchmark %s: %s%nMachine: %s%n", name, params, machine);
    try {
      List<Results.Measure> m =
          switch (name) {
            case "logistics" ->
                LogisticsBenchmark.run(
                    dir,
                    LocalDate.of(2025, 12, 31),
                    days,
                    scale,
                    seed,
                    duckdbRuns == null ? 3 : duckdbRuns,
                    out);
            case "history" ->
                org.songhong.bench.HistoryBenchmark.run(
                    dir, LocalDate.of(2025, 12, 31), stations, seed, out);
            case "lake-open" -> org.songhong.bench.LakeOpenBenchmark.run(dir, lakes, out);
            default ->
                org.songhong.bench.EnvironmentBenchmark.run(
                    dir,
                    LocalDate.of(2025, 12, 31),
                    days,
                    stations,
                    seed,
                    duckdbRuns == null ? 1 : duckdbRuns,
                    out);
          };
      out.println();
      for (Results.Measure x : m) {
        out.printf("  %-45s %14s %s%n", x.name(), Results.fmt(x.value()), x.unit());
      }
      Results.write(results, name, params, machine, m);
      out.printf(
          "%nAppended to %s and drew %s%n",
          results.resolve(name + ".csv"), results.resolve(name + "-latest.svg"));
    } finally {
      if (temp) {
        try (var walk = Files.walk(dir)) {
          walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
    return 0;
  }
}
