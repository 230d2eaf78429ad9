package org.songhong.jobs.provincial;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.songhong.config.SonghongConfig;
import org.songhong.contract.NamedRow;
import org.songhong.contract.Tables;
import org.songhong.domain.IndicatorCatalog;
import org.songhong.io.Grid;
import org.songhong.io.LandingFiles;
import org.songhong.io.Reject;
import org.songhong.io.SourceCatalog;
import org.songhong.io.SourceDescriptor;
import org.songhong.job.Job;
import org.songhong.job.JobContext;
import org.songhong.job.JobResult;
import org.songhong.lake.WriteResult;
import org.songhong.ops.InputFile;

/**
 * Lands provincial statistics files in {@code bronze.provincial_stats_long}, as they came, with the
 * file, line, checksum, run id and the release their descriptor names. A file already ingested
 * (same checksum) is skipped; all new files go in one commit.
 */
public final class ProvincialStatsBronzeJob implements Job {
  public static final String NAME = "provincial_stats_bronze";
  public static final String TABLE = Tables.BRONZE_PROVINCIAL_STATS_LONG;
  static final String FAMILY = "provincial_stats";
  static final String LANDING = "provincial";
  private static final Logger LOG = LoggerFactory.getLogger(ProvincialStatsBronzeJob.class);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public java.util.List<String> landing(SonghongConfig config) {
    return java.util.List.of(config.inputDir() + "/" + LANDING);
  }

  @Override
  public Optional<org.songhong.job.Preflight> preflight() {
    return Optional.of(
        pc -> {
          LandingFiles landing = new LandingFiles(pc.config().inputDir(), pc.hadoop());
          return org.songhong.job.Preflights.newFiles(pc, NAME, landing, landing.list(LANDING));
        });
  }

  @Override
  public String description() {
    return "Land provincial statistics files (long CSV, yearbook .csv/.xlsx, Parquet, SDMX-CSV, PC-Axis) from <input>/provincial into "
        + TABLE;
  }

  @Override
  public JobResult run(JobContext ctx) {
    JobResult.Builder result = ctx.result();
    SourceCatalog sources = SourceCatalog.load(ctx.schemas());
    IndicatorCatalog indicators = IndicatorCatalog.load(ctx.schemas());
    String input = ctx.config().inputDir();
    LandingFiles landing = new LandingFiles(input, ctx.spark().sessionState().newHadoopConf());
    Set<String> done = ctx.ledger().processedChecksums(NAME);

    StructType bronzeType = ctx.lake().contract(TABLE).schema();
    List<Row> bronze = new ArrayList<>();
    List<Row> rejects = new ArrayList<>();
    Timestamp now = Timestamp.from(Instant.now());
    for (LandingFiles.Landed f :
        landing.newFiles(
            LANDING,
            done,
            (dup, first) -> {
              rejects.add(
                  reject(
                      dup,
                      new Reject(
                          "",
                          0,
                          0,
                          "",
                          LandingFiles.DUPLICATE_RULE,
                          LandingFiles.duplicateReason(dup.relativePath(), first))));
              result.input(new InputFile(dup.uri(), dup.checksum(), 1));
            })) {
      String rel = f.relativePath();
      Optional<SourceDescriptor> d = sources.match(FAMILY, rel);
      if (d.isEmpty()) {
        rejects.add(
            reject(
                f,
                new Reject(
                    "",
                    0,
                    0,
                    "",
                    "unknown_source",
                    String.format(
                        "Cannot ingest %s: no source descriptor in schemas/sources/ covers it (add one naming its layout and release, or move the file)",
                        rel))));
        result.input(new InputFile(f.uri(), f.checksum(), 1));
        continue;
      }
      SourceDescriptor s = d.get();
      List<RawRecord> records = new ArrayList<>();
      List<Reject> fileRejects = new ArrayList<>();
      if (s.layout().equals("parquet_long")) {
        readParquet(ctx.spark(), rel, f.uri(), records, fileRejects);
      } else {
        parse(rel, f.bytes(), s, indicators, records, fileRejects);
      }
      for (Reject r : fileRejects) {
        rejects.add(reject(f, r));
      }
      int landed = 0;
      for (RawRecord r : records) {
        // The release as the file says it (an SDMX observation's status, a PX file's last update),
        // else the descriptor's.
        java.time.LocalDate published = r.publishedOn() != null ? r.publishedOn() : s.publishedOn();
        if (published == null) {
          rejects.add(
              reject(
                  f,
                  new Reject(
                      r.sheet(),
                      r.line(),
                      r.column(),
                      r.raw(),
                      "no_release_date",
                      String.format(
                          "%s line %d: neither the file nor the descriptor %s says when the release was published (add published_on "
                              + "to the descriptor)",
                          rel, r.line(), s.sourceId()))));
          continue;
        }
        landed++;
        bronze.add(
            NamedRow.of(bronzeType)
                .set("source_id", s.sourceId())
                .set("vintage", r.vintage() != null ? r.vintage() : s.vintage())
                .set("published_on", Date.valueOf(published))
                .set(
                    "release_status",
                    r.releaseStatus() != null ? r.releaseStatus() : s.releaseStatus())
                .set("source_file", f.uri())
                .set("source_sheet", r.sheet())
                .set("source_line", r.line())
                .set("source_column", r.column())
                .set("source_checksum", f.checksum())
                .set("ingest_run_id", ctx.runId())
                .set("ingested_at", now)
                .set("raw_line", r.raw())
                .set("indicator", r.indicator())
                .set("province", r.province())
                .set("year", r.year())
                .set("value", r.value())
                .set("unit", r.unit())
                .set("number_locale", r.locale())
                .set("multiplier", r.multiplier())
                .set("unit_expected", r.unitExpected())
                .row());
      }
      long rows = records.size() + fileRejects.size();
      LOG.info("Read {}: {} record(s), {} rejected", rel, landed, rows - landed);
      result.input(new InputFile(f.uri(), f.checksum(), rows));
    }

    ctx.step("quarantine rejected lines");
    WriteResult q =
        ctx.quarantine()
            .put(TABLE, NAME, ctx.runId(), ctx.spark().createDataFrame(rejects, REJECT_SCHEMA));
    ctx.step("append to " + TABLE);
    Dataset<Row> frame =
        ctx.spark().createDataFrame(bronze, ctx.lake().contract(TABLE).writeSchema());
    WriteResult w = ctx.writer().insertNew(TABLE, frame);
    result.table(w.metrics(bronze.size() + rejects.size(), rejects.size()));
    result.table(q.metrics(rejects.size(), 0));
    return result.build();
  }

  /**
   * A Parquet drop from another system, in the long layout (columns indicator, province, year,
   * value, unit, of any type). Parquet is read by Spark; the record number is the row's position.
   */
  static void readParquet(
      org.apache.spark.sql.SparkSession spark,
      String rel,
      String uri,
      List<RawRecord> records,
      List<Reject> rejects) {
    Dataset<Row> df;
    try {
      df = spark.read().parquet(uri);
    } catch (Exception e) {
      rejects.add(
          new Reject(
              "",
              0,
              0,
              "",
              "not_parquet",
              "Cannot ingest "
                  + rel
                  + ": it is not a readable Parquet file ("
                  + org.songhong.error.Errors.firstLine(String.valueOf(e.getMessage()))
                  + "); re-export it, or rename it to what it is"));
      return;
    }
    List<String> names = List.of(df.columns());
    List<String> missing = LongCsvParser.REQUIRED.stream().filter(c -> !names.contains(c)).toList();
    if (!missing.isEmpty()) {
      rejects.add(
          new Reject(
              "",
              0,
              0,
              String.join(",", names),
              "bad_header",
              String.format(
                  "Cannot ingest %s: the Parquet file lacks column(s) %s (expected %s)",
                  rel, String.join(", ", missing), String.join(",", LongCsvParser.REQUIRED))));
      return;
    }
    List<Row> rows =
        df.selectExpr(
                LongCsvParser.REQUIRED.stream()
                    .map(c -> "CAST(`" + c + "` AS STRING) AS " + c)
                    .toArray(String[]::new))
            .collectAsList();
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      records.add(
          new RawRecord(
              "",
              i + 1,
              0,
              r.mkString(","),
              r.getString(0),
              r.getString(1),
              r.getString(2),
              r.getString(3),
              r.getString(4),
              "en",
              1.0,
              null));
    }
  }

  /** Parses one file by its descriptor's layout into raw records and rejects. Pure: no Spark. */
  static void parse(
      String rel,
      byte[] bytes,
      SourceDescriptor s,
      IndicatorCatalog indicators,
      List<RawRecord> records,
      List<Reject> rejects) {
    if (s.layout().equals("sdmx_csv")) {
      SdmxCsvParser.Parsed parsed = SdmxCsvParser.parse(rel, bytes, s, indicators);
      records.addAll(parsed.records());
      rejects.addAll(parsed.rejects());
      return;
    }
    if (s.layout().equals("px")) {
      PxParser.Parsed parsed = PxParser.parse(rel, bytes, s, indicators);
      records.addAll(parsed.records());
      rejects.addAll(parsed.rejects());
      return;
    }
    if (s.layout().equals("long_csv")) {
      LongCsvParser.Parsed parsed = LongCsvParser.parse(rel, bytes);
      parsed.records().forEach(r -> records.add(r.toRaw(s.locale())));
      rejects.addAll(parsed.rejects());
      return;
    }
    boolean xlsx = rel.toLowerCase(java.util.Locale.ROOT).endsWith(".xlsx");
    for (SourceDescriptor.SheetSpec spec : xlsx ? s.sheets() : s.sheets().subList(0, 1)) {
      String sheet = spec.sheet() == null ? "" : spec.sheet();
      var indicator = indicators.get(spec.indicator());
      if (indicator.isEmpty()) {
        rejects.add(
            new Reject(
                sheet,
                0,
                0,
                "",
                "unknown_indicator",
                String.format(
                    "Cannot ingest %s sheet '%s': the descriptor %s names unknown indicator '%s' (use a code from "
                        + "schemas/reference/indicators.yaml)",
                    rel, sheet, s.sourceId(), spec.indicator())));
        continue;
      }
      try {
        Grid g = xlsx ? Grid.xlsx(rel, bytes, sheet) : Grid.csv(rel, bytes);
        WideTableParser.Parsed p =
            WideTableParser.parse(
                rel,
                g,
                new WideTableParser.SheetSpec(
                    sheet,
                    spec.indicator(),
                    spec.unitAsPrinted(),
                    spec.multiplier() == null ? 1.0 : spec.multiplier()),
                s.locale(),
                indicator.get().unit());
        records.addAll(p.records());
        rejects.addAll(p.rejects());
      } catch (Grid.Unreadable e) {
        rejects.add(new Reject(sheet, 0, 0, "", e.rule(), e.getMessage()));
        if (!e.rule().equals("missing_sheet")) {
          return;
        }
      }
    }
  }

  public static StructType rejectSchema() {
    return REJECT_SCHEMA;
  }

  static final StructType REJECT_SCHEMA =
      new StructType()
          .add("source_file", DataTypes.StringType, false)
          .add("source_checksum", DataTypes.StringType, false)
          .add("source_sheet", DataTypes.StringType, false)
          .add("source_line", DataTypes.IntegerType, false)
          .add("source_column", DataTypes.IntegerType, false)
          .add("raw_record", DataTypes.StringType, true)
          .add("rule", DataTypes.StringType, false)
          .add("reason", DataTypes.StringType, false);

  private static Row reject(LandingFiles.Landed f, Reject r) {
    return RowFactory.create(
        f.uri(), f.checksum(), r.sheet(), r.line(), r.column(), r.raw(), r.rule(), r.reason());
  }
}
