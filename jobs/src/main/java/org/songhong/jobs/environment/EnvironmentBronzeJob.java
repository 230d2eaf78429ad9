package org.songhong.jobs.environment;

import static org.apache.spark.sql.functions.col;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.songhong.config.SonghongConfig;
import org.songhong.contract.Tables;
import org.songhong.domain.environment.EnvironmentCatalog;
import org.songhong.io.DayFolders;
import org.songhong.io.LandingFiles;
import org.songhong.job.Job;
import org.songhong.job.JobContext;
import org.songhong.job.JobResult;
import org.songhong.lake.WriteResult;

/**
 * Loads the station registry into {@code silver.env_stations} and {@code silver.industrial_zones},
 * and lands the monitor files of the run's day and its lookback ({@code
 * <input>/environment/readings/YYYY-MM-DD/}) in {@code bronze.env_readings}, one row per reading as
 * written. Files are split on the executors; a file already landed (same SHA-256) is skipped.
 */
public final class EnvironmentBronzeJob implements Job {
  public static final String NAME = "environment_bronze";
  public static final String TABLE = Tables.BRONZE_ENV_READINGS;
  public static final String STATIONS = Tables.SILVER_ENV_STATIONS;
  public static final String ZONES = Tables.SILVER_INDUSTRIAL_ZONES;
  private static final Logger LOG = LoggerFactory.getLogger(EnvironmentBronzeJob.class);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public java.util.List<String> landing(org.songhong.config.SonghongConfig config) {
    return java.util.List.of(config.environmentDir());
  }

  @Override
  public java.util.Optional<org.songhong.job.Preflight> preflight() {
    return java.util.Optional.of(
        pc -> {
          String input = pc.config().environmentDir();
          LandingFiles landing = new LandingFiles(input, pc.hadoop());
          if (!LandingFiles.exists(input, pc.hadoop())) {
            return java.util.Optional.empty();
          }
          List<String> files = new ArrayList<>();
          landing.list("registry").forEach(f -> files.add(input + "/" + f));
          List<LocalDate> days =
              DayFolders.window(
                  org.songhong.job.Preflights.date(pc),
                  pc.config().get(SonghongConfig.ENV_LOOKBACK_DAYS));
          files.addAll(DayFolders.list(input + "/readings", days, pc.hadoop()));
          return org.songhong.job.Preflights.newFiles(pc, NAME, files);
        });
  }

  @Override
  public String description() {
    return "Load the station registry and land the day's monitor files (and late ones) into "
        + TABLE;
  }

  @Override
  public JobResult run(JobContext ctx) {
    JobResult.Builder result = ctx.result();
    String input = ctx.config().environmentDir();
    LandingFiles landing = new LandingFiles(input, ctx.spark().sessionState().newHadoopConf());
    if (!exists(ctx, input)) {
      LOG.warn("No environment landing folder at {}: nothing to load", input);
      return result.unchanged(TABLE).build();
    }
    List<String> registry = landing.list("registry");
    if (registry.isEmpty()) {
      LOG.warn("No station registry in {}/registry: nothing to load", input);
      return result.unchanged(TABLE).build();
    }
    loadRegistry(ctx, result, landing, registry);

    LocalDate date = ctx.logicalDate() == null ? LocalDate.now(ZoneOffset.UTC) : ctx.logicalDate();
    List<LocalDate> days =
        DayFolders.window(date, ctx.config().get(SonghongConfig.ENV_LOOKBACK_DAYS));
    List<String> files =
        DayFolders.list(input + "/readings", days, ctx.spark().sessionState().newHadoopConf());
    LOG.info("{} monitor file(s) for {}..{}", files.size(), days.get(0), date);
    if (files.isEmpty()) {
      return result.unchanged(TABLE).build();
    }
    Set<String> done = new HashSet<>(ctx.ledger().processedChecksums(NAME));
    ctx.step("read " + files.size() + " monitor file(s)");
    JavaRDD<Row> rows =
        DayFolders.read(
            ctx.spark().sparkContext(),
            ctx.spark().sessionState().newHadoopConf(),
            files,
            (path, bytes) -> ReadingFiles.readings(path, bytes, done).iterator());
    land(ctx, result, ctx.spark().createDataFrame(rows, ReadingFiles.SCHEMA));
    return result.build();
  }

  /**
   * Lands readings split by {@link ReadingFiles} (rows of its schema): unreadable files and records
   * to quarantine, the rest into bronze, comparing only with the day folders they came from.
   */
  static void land(JobContext ctx, JobResult.Builder result, Dataset<Row> readings) {
    org.songhong.jobs.Batches.land(ctx, result, TABLE, NAME, readings, col("source_column"));
  }

  static boolean exists(JobContext ctx, String dir) {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(dir);
    try {
      return p.getFileSystem(ctx.spark().sessionState().newHadoopConf()).exists(p);
    } catch (java.io.IOException e) {
      throw org.songhong.error.Errors.unreadableFile(dir, e.getMessage(), e);
    }
  }

  static void loadRegistry(
      JobContext ctx, JobResult.Builder result, LandingFiles landing, List<String> files) {
    EnvironmentCatalog env = EnvironmentCatalog.load(ctx.schemas());
    String zonesFile =
        files.stream().filter(f -> f.endsWith("industrial_zones.csv")).findFirst().orElse(null);
    String stationsFile =
        files.stream()
            .filter(f -> f.endsWith("stations.csv"))
            .findFirst()
            .orElseThrow(
                () ->
                    org.songhong.error.Errors.badInputFile(
                        "registry/",
                        "no stations.csv",
                        "put the station registry there (see data/sample/environment/registry/stations.csv)"));
    List<Row> zones = new ArrayList<>();
    if (zonesFile != null) {
      LandingFiles.Landed z = landing.read(zonesFile);
      zones = Registry.zones(z.uri(), z.bytes());
    }
    Set<String> zoneIds = new HashSet<>();
    zones.forEach(r -> zoneIds.add(r.getString(0)));
    LandingFiles.Landed s = landing.read(stationsFile);
    List<Row> stations = Registry.stations(s.uri(), s.bytes(), env, zoneIds);
    // Recorded as inputs, so that a later run can tell the registry did not change (see
    // preflight()).
    if (zonesFile != null) {
      LandingFiles.Landed z = landing.read(zonesFile);
      result.input(new org.songhong.ops.InputFile(z.uri(), z.checksum(), zones.size()));
    }
    result.input(new org.songhong.ops.InputFile(s.uri(), s.checksum(), stations.size()));
    ctx.step("load the station registry");
    WriteResult wz =
        ctx.writer()
            .replace(
                ZONES,
                ctx.spark().createDataFrame(zones, ctx.lake().contract(ZONES).writeSchema()));
    WriteResult ws =
        ctx.writer()
            .replace(
                STATIONS,
                ctx.spark().createDataFrame(stations, ctx.lake().contract(STATIONS).writeSchema()));
    result.table(wz.metrics(zones.size(), 0));
    result.table(ws.metrics(stations.size(), 0));
  }
}
