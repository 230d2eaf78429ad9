package org.songhong.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.songhong.contract.SchemaResources;
import org.songhong.job.LakeRuntime;
import org.songhong.ops.CpuClock;

/**
 * A songhong pipeline written again for DuckDB, to measure the Spark jobs against a single-node
 * engine on the same input files with the same rules: its SQL (a resource of statements under
 * {@code -- stage: NAME} lines, {@code ${...}} placeholders filled from the reference data) runs in
 * a JVM of its own before Spark's jobs, so that its time and its peak resident memory are DuckDB's
 * alone (beside the benchmark's resident Spark JVM it ran 1.4-1.9x slower); after Spark's run, each
 * of its tables is compared row by row with the Delta table Spark wrote.
 */
public final class DuckDbPipeline {
  /** One pipeline: its SQL resource, the placeholders' values, the tables compared. */
  interface Pipeline {
    String resource();

    /** Values of the placeholders but {@code ${out}} (the folder DuckDB writes to). */
    Map<String, String> values(SchemaResources schemas, Path landing) throws IOException;

    List<Compared> tables();
  }

  /**
   * DuckDB's table, the Delta table Spark wrote, the columns compared (every column of the contract
   * but when and by which run a row was written) and a filter on Spark's rows (null: all). Doubles
   * are compared to 6 decimals (the engines may add in another order), files by folder and name.
   */
  record Compared(String duckTable, String sparkTable, List<String> columns, String filter) {}

  /**
   * What the DuckDB run printed: seconds per stage, rows per table in each engine, differing rows,
   * memory.
   */
  record Result(
      Map<String, Double> seconds,
      Map<String, Long> sparkRows,
      Map<String, Long> duckRows,
      Map<String, Long> differing,
      long peakRssKib,
      long memoryLimitMib,
      double cpuSeconds,
      double stealShare,
      Spread spread) {
    double totalSeconds() {
      return total(seconds);
    }

    long totalDiffering() {
      return differing.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-z0-9_]+)}");
  private static final Pattern STAGE = Pattern.compile("(?m)^-- stage: (\\w+)\\s*$");

  private DuckDbPipeline() {}

  static Pipeline named(String name) {
    return switch (name) {
      case "environment" -> new EnvironmentDuckDb();
      case "logistics" -> new LogisticsDuckDb();
      default -> throw new IllegalArgumentException("no DuckDB pipeline " + name);
    };
  }

  /**
   * {@code DuckDbPipeline run NAME SCHEMAS LANDING OUT}: runs pipeline NAME on the files under
   * LANDING, each compared table written to {@code OUT/<table>.parquet}; prints {@code
   * memory_limit_mib N}, {@code stage NAME SECONDS} and {@code peak_rss_kib N}.
   *
   * <p>{@code DuckDbPipeline compare NAME SPARK_FILES OUT}: compares those Parquet files with the
   * Spark tables whose active files SPARK_FILES lists ({@code table=file,file}); prints {@code
   * table NAME SPARK_ROWS DUCKDB_ROWS DIFFERING}.
   */
  public static void main(String[] args) throws Exception {
    Pipeline p = named(args[1]);
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    switch (args[0]) {
      case "run" ->
          runPipeline(p, args[2], Path.of(args[3]), Files.createDirectories(Path.of(args[4])), out);
      case "compare" -> compareTables(p, Path.of(args[2]), Path.of(args[3]), out);
      default -> throw new IllegalArgumentException("run or compare, not " + args[0]);
    }
  }

  private static void runPipeline(
      Pipeline p, String schemas, Path landing, Path outDir, PrintWriter out) throws Exception {
    CpuClock start = CpuClock.now();
    long limit = memoryLimitMib();
    out.printf(Locale.ROOT, "memory_limit_mib %d%n", limit);
    Map<String, String> values =
        new LinkedHashMap<>(p.values(SchemaResources.open(schemas), landing));
    values.put("out", outDir.toString().replace("'", "''"));
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      try (Statement st = c.createStatement()) {
        st.execute("SET threads = " + Runtime.getRuntime().availableProcessors());
        st.execute("SET preserve_insertion_order = true");
        // Half the memory free at the start, spilling to disk beyond it: DuckDB's default (80% of
        // RAM) got this process killed when it ran beside the benchmark's Spark JVM.
        st.execute("SET memory_limit = '" + limit + "MiB'");
        st.execute("SET temp_directory = " + lit(outDir.resolve("spill").toString()));
        st.execute("SET TimeZone = 'UTC'");
      }
      for (Map.Entry<String, Double> e :
          run(c, p.resource(), sql(p.resource(), values)).entrySet()) {
        out.printf(Locale.ROOT, "stage %s %.3f%n", e.getKey(), e.getValue());
      }
    }
    out.printf(Locale.ROOT, "peak_rss_kib %d%n", peakRssKib());
    CpuClock end = CpuClock.now();
    out.printf(Locale.ROOT, "cpu_seconds %.3f%n", end.cpuSecondsSince(start));
    out.printf(Locale.ROOT, "steal_share %.4f%n", end.stealShareSince(start));
  }

  private static void compareTables(Pipeline p, Path sparkFiles, Path outDir, PrintWriter out)
      throws Exception {
    Properties spark = new Properties();
    try (var r = Files.newBufferedReader(sparkFiles)) {
      spark.load(r);
    }
    long limit = memoryLimitMib();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      try (Statement st = c.createStatement()) {
        st.execute("SET TimeZone = 'UTC'");
        // As for the run: without a limit DuckDB takes up to 80% of RAM, and at a year x 400
        // stations (22.6 M readings) the comparison was killed at 12.4 GiB beside the benchmark's
        // resident Spark JVM.
        st.execute("SET memory_limit = '" + limit + "MiB'");
        st.execute("SET temp_directory = " + lit(outDir.resolve("spill").toString()));
        for (Compared t : p.tables()) {
          st.execute(
              "CREATE VIEW "
                  + t.duckTable()
                  + " AS SELECT * FROM read_parquet("
                  + lit(outDir.resolve(t.duckTable() + ".parquet").toString())
                  + ")");
        }
      }
      for (Compared t : p.tables()) {
        List<String> files =
            List.of(spark.getProperty(t.sparkTable(), "").split(",")).stream()
                .filter(s -> !s.isBlank())
                .toList();
        long[] d = compare(c, t, files);
        out.printf(Locale.ROOT, "table %s %d %d %d%n", t.sparkTable(), d[0], d[1], d[2]);
      }
    }
  }

  /**
   * What the first phase printed: seconds per stage, peak resident memory, memory limit, CPU; of
   * the run with the median CPU seconds when DuckDB ran more than once, with the spread of all.
   */
  record Run(
      Map<String, Double> seconds,
      long peakRssKib,
      long memoryLimitMib,
      double cpuSeconds,
      double stealShare,
      Spread spread) {}

  /**
   * How many times DuckDB ran and the least and most CPU and wall seconds among the runs: on our
   * virtual machines one DuckDB run of the same files took 29 CPU s one night and 46 the next, a
   * spread larger than most changes a ratio is meant to show.
   */
  record Spread(int runs, double cpuMin, double cpuMax, double wallMin, double wallMax) {
    static Spread of(List<Run> runs) {
      if (runs.isEmpty()) {
        throw new IllegalArgumentException("no DuckDB run to take the spread of");
      }
      var cpu = runs.stream().mapToDouble(Run::cpuSeconds).summaryStatistics();
      var wall = runs.stream().mapToDouble(r -> total(r.seconds())).summaryStatistics();
      return new Spread(runs.size(), cpu.getMin(), cpu.getMax(), wall.getMin(), wall.getMax());
    }
  }

  /** The run with the median CPU seconds (the lower middle one of an even count). */
  static Run median(List<Run> runs) {
    List<Run> byCpu =
        runs.stream().sorted(java.util.Comparator.comparingDouble(Run::cpuSeconds)).toList();
    Run m = byCpu.get((byCpu.size() - 1) / 2);
    return new Run(
        m.seconds(),
        m.peakRssKib(),
        m.memoryLimitMib(),
        m.cpuSeconds(),
        m.stealShare(),
        Spread.of(runs));
  }

  /** The seconds of all stages. */
  static double total(Map<String, Double> seconds) {
    return seconds.values().stream().mapToDouble(Double::doubleValue).sum();
  }

  /**
   * Runs the DuckDB pipeline {@code runs} times, each in a JVM of its own on the files under {@code
   * landing}, before Spark runs (so that no resident Spark JVM shares the machine with it); returns
   * the run with the median CPU seconds and the spread of all. The tables of the last run are kept
   * as Parquet in {@code work/duckdb-NAME/out} for {@link #compareInChild} after Spark's run.
   */
  static Run runInChild(
      String name, Path schemas, Path landing, Path work, int runs, PrintWriter out)
      throws Exception {
    if (runs < 1) {
      throw new IllegalArgumentException("DuckDB runs: at least 1, not " + runs);
    }
    List<Run> all = new ArrayList<>();
    for (int i = 1; i <= runs; i++) {
      all.add(runOnce(name, schemas, landing, work, i, runs, out));
    }
    Run m = median(all);
    if (runs > 1) {
      out.printf(
          Locale.ROOT,
          "  %-45s %8.1f s, %.1f CPU s (of %d runs: %.1f-%.1f s, %.1f-%.1f CPU s)%n",
          "DuckDB, the run with the median CPU seconds",
          total(m.seconds()),
          m.cpuSeconds(),
          runs,
          m.spread().wallMin(),
          m.spread().wallMax(),
          m.spread().cpuMin(),
          m.spread().cpuMax());
      out.flush();
    }
    return m;
  }

  private static Run runOnce(
      String name, Path schemas, Path landing, Path work, int nth, int runs, PrintWriter out)
      throws Exception {
    Path dir = Files.createDirectories(work.resolve("duckdb-" + name));
    Path outDir = dir.resolve("out");
    if (Files.exists(outDir)) {
      try (var walk = Files.walk(outDir)) {
        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    out.printf(
        "  DuckDB on the landing files (a process of its own, before Spark), run %d of %d...%n",
        nth, runs);
    out.flush();
    List<String> command = new ArrayList<>(List.of("-Xmx1g"));
    if (System.getProperty(MEMORY_MIB) != null) {
      command.add("-D" + MEMORY_MIB + "=" + System.getProperty(MEMORY_MIB));
    }
    command.addAll(
        List.of(
            DuckDbPipeline.class.getName(),
            "run",
            name,
            schemas.toString(),
            landing.toString(),
            outDir.toString()));
    Map<String, Double> seconds = new LinkedHashMap<>();
    long[] rss = {-1};
    long[] limit = {-1};
    double[] cpu = {Double.NaN, Double.NaN};
    child(
        command,
        "the DuckDB run",
        line -> {
          String[] f = line.split(" ");
          switch (f[0]) {
            case "stage" -> seconds.put(f[1], Double.parseDouble(f[2]));
            case "peak_rss_kib" -> rss[0] = Long.parseLong(f[1]);
            case "memory_limit_mib" -> limit[0] = Long.parseLong(f[1]);
            case "cpu_seconds" -> cpu[0] = Double.parseDouble(f[1]);
            case "steal_share" -> cpu[1] = Double.parseDouble(f[1]);
            default -> {
              return false;
            }
          }
          return true;
        });
    Run run = new Run(seconds, rss[0], limit[0], cpu[0], cpu[1], null);
    out.printf(
        Locale.ROOT,
        "  %-45s %8.1f s, %.1f CPU s (memory limit %,d MiB: half the memory free when it started;"
            + " it spills beyond)%n",
        "DuckDB: the same files, the same rules",
        total(seconds),
        cpu[0],
        limit[0]);
    out.flush();
    return run;
  }

  /**
   * In the benchmark's JVM, after Spark's run: lists the active files of the Spark tables the
   * pipeline compares and compares them, in a JVM of its own, with DuckDB's tables of {@code run}.
   */
  static Result compareInChild(String name, Run run, LakeRuntime rt, Path work, PrintWriter out)
      throws Exception {
    Path dir = work.resolve("duckdb-" + name);
    Properties files = new Properties();
    for (Compared table : named(name).tables()) {
      String path = rt.lake().root() + "/" + table.sparkTable().replace('.', '/');
      files.setProperty(
          table.sparkTable(),
          String.join(
              ",",
              List.of(rt.spark().read().format("delta").load(path).inputFiles()).stream()
                  .map(f -> f.replaceFirst("^file:", ""))
                  .toList()));
    }
    try (var w = Files.newBufferedWriter(dir.resolve("spark-files.properties"))) {
      files.store(w, "active files of the Delta tables Spark wrote");
    }
    Map<String, Long> sparkRows = new LinkedHashMap<>();
    Map<String, Long> duckRows = new LinkedHashMap<>();
    Map<String, Long> differing = new LinkedHashMap<>();
    child(
        List.of(
            "-Xmx1g",
            DuckDbPipeline.class.getName(),
            "compare",
            name,
            dir.resolve("spark-files.properties").toString(),
            dir.resolve("out").toString()),
        "the comparison with DuckDB's tables",
        line -> {
          String[] f = line.split(" ");
          if (!f[0].equals("table")) {
            return false;
          }
          sparkRows.put(f[1], Long.parseLong(f[2]));
          duckRows.put(f[1], Long.parseLong(f[3]));
          differing.put(f[1], Long.parseLong(f[4]));
          return true;
        });
    if (differing.size() != named(name).tables().size()) {
      throw new IllegalStateException(
          "the comparison with DuckDB's tables printed "
              + differing.size()
              + " of "
              + named(name).tables().size()
              + " tables");
    }
    return new Result(
        run.seconds(),
        sparkRows,
        duckRows,
        differing,
        run.peakRssKib(),
        run.memoryLimitMib(),
        run.cpuSeconds(),
        run.stealShare(),
        run.spread());
  }

  /**
   * Runs this class path's JVM with {@code args}, each line it prints to {@code line} (false: kept
   * for the error).
   */
  private static void child(
      List<String> args, String what, java.util.function.Predicate<String> line) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path")));
    command.addAll(args);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    StringBuilder other = new StringBuilder();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String l; (l = r.readLine()) != null; ) {
        if (!line.test(l)) {
          other.append(l).append('\n');
        }
      }
    }
    if (p.waitFor() != 0) {
      throw new IllegalStateException(
          what
              + " failed (exit "
              + p.exitValue()
              + (p.exitValue() == 137 ? ", killed: out of memory?" : "")
              + "):\n"
              + other);
    }
  }

  /**
   * Each engine's CPU seconds and their ratio, and the share of the host's CPU time stolen while
   * each ran (wall-clock ratios move with it; CPU seconds do not count it).
   */
  static void printCpu(double sparkCpu, double sparkSteal, Result duck, PrintWriter out) {
    out.printf(
        Locale.ROOT,
        "  %-28s %8.1f s %8.1f s %7.1fx   (host CPU stolen meanwhile: %.0f%% / %.0f%%)%n",
        "CPU seconds (all threads)",
        sparkCpu,
        duck.cpuSeconds(),
        sparkCpu / duck.cpuSeconds(),
        100 * sparkSteal,
        100 * duck.stealShare());
    out.flush();
  }

  /** The table of rows per engine and differing rows. */
  static void printTables(Result r, PrintWriter out) {
    out.printf("%n  %-36s %12s %12s %10s%n", "table", "Spark rows", "DuckDB rows", "differing");
    r.differing()
        .forEach(
            (name, n) ->
                out.printf(
                    "  %-36s %,12d %,12d %,10d%n",
                    name, r.sparkRows().get(name), r.duckRows().get(name), n));
    out.flush();
  }

  /**
   * The comparison's figures: DuckDB's seconds (in all and per stage), its {@code records} per
   * second, Spark's seconds over DuckDB's, differing rows (in all and per table), and each engine's
   * peak resident memory.
   */
  static List<Results.Measure> measures(
      Result duck,
      double sparkSeconds,
      long records,
      String unit,
      long sparkRssKib,
      double sparkCpuSeconds,
      double sparkStealShare) {
    List<Results.Measure> m = new ArrayList<>();
    m.add(new Results.Measure("duckdb_full_load_seconds", duck.totalSeconds(), "s"));
    duck.seconds()
        .forEach(
            (stage, sec) -> m.add(new Results.Measure("duckdb_" + stage + "_seconds", sec, "s")));
    m.add(
        new Results.Measure(
            "duckdb_" + unit.replace("/s", "") + "_per_second",
            records / duck.totalSeconds(),
            unit));
    m.add(
        new Results.Measure("ratio_spark_to_duckdb", sparkSeconds / duck.totalSeconds(), "ratio"));
    m.add(new Results.Measure("rows_differing", duck.totalDiffering(), "rows"));
    duck.differing()
        .forEach(
            (name, n) ->
                m.add(new Results.Measure("rows_differing_" + name.replace('.', '_'), n, "rows")));
    m.add(new Results.Measure("spark_peak_rss", sparkRssKib / 1024.0, "MiB"));
    m.add(new Results.Measure("duckdb_peak_rss", duck.peakRssKib() / 1024.0, "MiB"));
    // CPU seconds leave out what the host stole: a ratio of two runs minutes apart that does not
    // move with the host's hour.
    m.add(new Results.Measure("spark_cpu_seconds", sparkCpuSeconds, "s"));
    m.add(new Results.Measure("duckdb_cpu_seconds", duck.cpuSeconds(), "s"));
    if (duck.spread() != null) {
      m.add(new Results.Measure("duckdb_runs", duck.spread().runs(), "runs"));
      m.add(new Results.Measure("duckdb_cpu_seconds_min", duck.spread().cpuMin(), "s"));
      m.add(new Results.Measure("duckdb_cpu_seconds_max", duck.spread().cpuMax(), "s"));
    }
    m.add(
        new Results.Measure(
            "ratio_spark_to_duckdb_cpu", sparkCpuSeconds / duck.cpuSeconds(), "ratio"));
    m.add(new Results.Measure("host_steal_share_spark", sparkStealShare, "share"));
    m.add(new Results.Measure("host_steal_share_duckdb", duck.stealShare(), "share"));
    return m;
  }

  /** The pipeline's statements, placeholders filled, grouped by stage in file order. */
  static Map<String, List<String>> sql(String resource, Map<String, String> values)
      throws IOException {
    String text;
    try (InputStream in = DuckDbPipeline.class.getResourceAsStream(resource)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      String v = values.get(m.group(1));
      if (v == null) {
        throw new IllegalStateException(resource + ": no value for ${" + m.group(1) + "}");
      }
      m.appendReplacement(b, Matcher.quoteReplacement(v));
    }
    m.appendTail(b);
    Map<String, List<String>> stages = new LinkedHashMap<>();
    Matcher s = STAGE.matcher(b);
    List<int[]> at = new ArrayList<>();
    List<String> names = new ArrayList<>();
    while (s.find()) {
      at.add(new int[] {s.start(), s.end()});
      names.add(s.group(1));
    }
    for (int i = 0; i < at.size(); i++) {
      String body = b.substring(at.get(i)[1], i + 1 < at.size() ? at.get(i + 1)[0] : b.length());
      String stmt =
          body.lines()
              .filter(l -> !l.strip().startsWith("--"))
              .collect(Collectors.joining("\n"))
              .strip();
      if (stmt.endsWith(";")) {
        stmt = stmt.substring(0, stmt.length() - 1);
      }
      if (!stmt.isEmpty()) {
        stages.computeIfAbsent(names.get(i), k -> new ArrayList<>()).add(stmt);
      }
    }
    return stages;
  }

  /** Seconds per stage; a failing statement is named with its stage and text. */
  static Map<String, Double> run(Connection c, String resource, Map<String, List<String>> stages)
      throws Exception {
    Map<String, Double> seconds = new LinkedHashMap<>();
    try (Statement st = c.createStatement()) {
      for (Map.Entry<String, List<String>> e : stages.entrySet()) {
        long t = System.nanoTime();
        for (String sql : e.getValue()) {
          try {
            st.execute(sql);
          } catch (java.sql.SQLException x) {
            throw new IllegalStateException(
                resource + ", stage " + e.getKey() + ": " + x.getMessage() + "\n" + sql, x);
          }
        }
        seconds.put(e.getKey(), (System.nanoTime() - t) / 1e9);
      }
    }
    return seconds;
  }

  /** Rows in Spark's table, in DuckDB's, and rows of either without an equal row in the other. */
  static long[] compare(Connection c, Compared t, List<String> sparkFiles) throws Exception {
    Map<String, String> types = new LinkedHashMap<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("DESCRIBE " + t.duckTable())) {
      while (rs.next()) {
        types.put(rs.getString(1), rs.getString(2));
      }
    }
    String cols =
        t.columns().stream()
            .map(col -> normalised(col, types.get(col)))
            .collect(Collectors.joining(", "));
    String spark =
        sparkFiles.isEmpty()
            ? "(SELECT * FROM " + t.duckTable() + " LIMIT 0)"
            : "read_parquet(["
                + sparkFiles.stream().map(DuckDbPipeline::lit).collect(Collectors.joining(", "))
                + "], hive_partitioning = true, union_by_name = true)";
    String s =
        "SELECT " + cols + " FROM " + spark + (t.filter() == null ? "" : " WHERE " + t.filter());
    String d = "SELECT " + cols + " FROM " + t.duckTable();
    String q =
        "SELECT (SELECT count(*) FROM ("
            + s
            + ")), (SELECT count(*) FROM ("
            + d
            + ")), "
            + "(SELECT count(*) FROM ("
            + s
            + " EXCEPT ALL "
            + d
            + ")) + (SELECT count(*) FROM ("
            + d
            + " EXCEPT ALL "
            + s
            + "))";
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(q)) {
      rs.next();
      return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
    }
  }

  /**
   * A column as compared, by its type in DuckDB's table (Spark's is cast to it; partition values
   * come as text).
   */
  private static String normalised(String column, String duckType) {
    String q = "\"" + column + "\"";
    if (column.equals("source_file")) {
      return "regexp_extract(source_file, '[^/]+/[^/]+$') AS source_file";
    }
    if (duckType == null) {
      throw new IllegalStateException("no column " + column + " in DuckDB's table");
    }
    return switch (duckType) {
      case "DOUBLE" -> "round(CAST(" + q + " AS DOUBLE), 6) AS " + q;
      case "DATE", "TIMESTAMP", "INTEGER", "BIGINT", "BOOLEAN" ->
          "CAST(" + q + " AS " + duckType + ") AS " + q;
      default -> q;
    };
  }

  /** A string literal for DuckDB (standard SQL: a quote doubled; a backslash is a backslash). */
  static String lit(String s) {
    return s == null ? "NULL" : "'" + s.replace("'", "''") + "'";
  }

  /** The files under {@code dir}, sorted, as paths DuckDB reads. */
  static List<String> files(Path dir) throws IOException {
    try (var walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile)
          .map(Path::toString)
          .filter(f -> !f.contains("/_"))
          .sorted()
          .toList();
    }
  }

  /**
   * A fixed memory limit for DuckDB, in MiB (a system property of the benchmark's JVM, passed on to
   * DuckDB's).
   */
  static final String MEMORY_MIB = "songhong.bench.duckdb.memory.mib";

  /**
   * DuckDB's memory limit in MiB: {@link #MEMORY_MIB} when given, else half of MemAvailable (4 GiB
   * where /proc is not there).
   */
  static long memoryLimitMib() {
    String given = System.getProperty(MEMORY_MIB);
    if (given != null) {
      return Long.parseLong(given);
    }
    try {
      for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (l.startsWith("MemAvailable:")) {
          return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024 / 2;
        }
      }
    } catch (IOException e) {
      return 4096;
    }
    return 4096;
  }

  /** The process's peak resident memory (VmHWM), in KiB; -1 where /proc is not there. */
  static long peakRssKib() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (l.startsWith("VmHWM:")) {
          return Long.parseLong(l.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }
}
