package org.songhong.jobs.logistics;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.songhong.config.SonghongConfig;
import org.songhong.contract.NamedRow;
import org.songhong.contract.Tables;
import org.songhong.domain.logistics.LogisticsCatalog;
import org.songhong.io.LandingFiles;
import org.songhong.io.Reject;
import org.songhong.job.Job;
import org.songhong.job.JobContext;
import org.songhong.job.JobResult;
import org.songhong.lake.WriteResult;
import org.songhong.ops.InputFile;
import org.songhong.ops.TableMetrics;

/**
 * Monthly port-authority and airport reports from {@code <input>/logistics/reports/}: lands each
 * new file's figures in {@code bronze.logistics_stats_long} as written, then conforms them into
 * {@code silver.logistics_stats_monthly}. A report is a release: a later report that repeats a
 * month restates it, and both are kept. The reports are small, so parsing and conforming run on the
 * driver; each table is one commit.
 */
public final class LogisticsStatsJob implements Job {
  public static final String NAME = "logistics_stats";
  public static final String BRONZE = Tables.BRONZE_LOGISTICS_STATS_LONG;
  public static final String SILVER = Tables.SILVER_LOGISTICS_STATS_MONTHLY;
  public static final String LANDING = "logistics/reports";
  private static final Logger LOG = LoggerFactory.getLogger(LogisticsStatsJob.class);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public java.util.List<String> landing(SonghongConfig config) {
    return java.util.List.of(config.inputDir() + "/" + LANDING);
  }

  @Override
  public java.util.Optional<org.songhong.job.Preflight> preflight() {
    return java.util.Optional.of(
        pc -> {
          LandingFiles landing = new LandingFiles(pc.config().inputDir(), pc.hadoop());
          return org.songhong.job.Preflights.newFiles(pc, NAME, landing, landing.list(LANDING));
        });
  }

  @Override
  public String description() {
    return "Land monthly port and airport reports from <input>/"
        + LANDING
        + " into "
        + BRONZE
        + " and conform them into "
        + SILVER;
  }

  @Override
  public JobResult run(JobContext ctx) {
    JobResult.Builder result = ctx.result();
    LogisticsCatalog catalog = LogisticsCatalog.load(ctx.schemas());
    String input = ctx.config().inputDir();
    LandingFiles landing = new LandingFiles(input, ctx.spark().sessionState().newHadoopConf());
    Set<String> done = ctx.ledger().processedChecksums(NAME);
    Timestamp now = Timestamp.from(Instant.now());
    StructType bronzeType = ctx.lake().contract(BRONZE).schema();
    StructType silverType = ctx.lake().contract(SILVER).schema();
    List<Row> bronze = new ArrayList<>();
    List<Row> bronzeRejects = new ArrayList<>();
    List<StatsConformer.In> figures = new ArrayList<>();
    for (LandingFiles.Landed f :
        landing.newFiles(
            LANDING,
            done,
            (dup, first) -> {
              bronzeRejects.add(
                  RowFactory.create(
                      dup.uri(),
                      dup.checksum(),
                      "",
                      0,
                      0,
                      "",
                      LandingFiles.DUPLICATE_RULE,
                      LandingFiles.duplicateReason(dup.relativePath(), first)));
              result.input(new InputFile(dup.uri(), dup.checksum(), 1));
            })) {
      String rel = f.relativePath();
      MonthlyReportParser.Report r =
          rel.toLowerCase(java.util.Locale.ROOT).endsWith(".xlsx")
              ? MonthlyReportParser.parseXlsx(rel, f.bytes())
              : MonthlyReportParser.parse(rel, f.bytes());
      for (Reject rej : r.rejects()) {
        bronzeRejects.add(
            RowFactory.create(
                f.uri(),
                f.checksum(),
                "",
                rej.line(),
                rej.column(),
                rej.raw(),
                rej.rule(),
                rej.reason()));
      }
      for (MonthlyReportParser.Figure g : r.figures()) {
        bronze.add(
            NamedRow.of(bronzeType)
                .set("report_kind", r.kind())
                .set("published_on", Date.valueOf(r.publishedOn()))
                .set("vintage", r.vintage())
                .set("source_file", f.uri())
                .set("source_line", g.line())
                .set("source_column", g.column())
                .set("source_checksum", f.checksum())
                .set("ingest_run_id", ctx.runId())
                .set("ingested_at", now)
                .set("raw_line", g.raw())
                .set("month", g.month())
                .set("port_area", g.portArea())
                .set("unit_name", g.unitName())
                .set("cargo_type", g.cargoType())
                .set("measure", g.measure())
                .set("flow", g.flow())
                .set("column_header", g.header())
                .set("value", g.value())
                .row());
        figures.add(
            new StatsConformer.In(
                f.uri(),
                f.checksum(),
                g.line(),
                g.column(),
                g.raw(),
                r.vintage(),
                r.publishedOn(),
                g.month(),
                g.portArea(),
                g.unitName(),
                g.cargoType(),
                g.measure(),
                g.flow(),
                g.header(),
                g.value()));
      }
      LOG.info(
          "Read {}: report of {} ({}), {} figure(s), {} rejected",
          rel,
          r.publishedOn(),
          r.kind(),
          r.figures().size(),
          r.rejects().size());
      result.input(new InputFile(f.uri(), f.checksum(), r.figures().size() + r.rejects().size()));
    }
    ctx.step("land " + BRONZE);
    WriteResult qb =
        ctx.quarantine()
            .put(
                BRONZE,
                NAME,
                ctx.runId(),
                ctx.spark()
                    .createDataFrame(
                        bronzeRejects,
                        org.songhong.jobs.provincial.ProvincialStatsBronzeJob.rejectSchema()));
    WriteResult wb =
        ctx.writer()
            .insertNew(
                BRONZE,
                ctx.spark().createDataFrame(bronze, ctx.lake().contract(BRONZE).writeSchema()));
    result.table(wb.metrics(bronze.size() + bronzeRejects.size(), bronzeRejects.size()));

    ctx.step("conform into " + SILVER);
    List<StatsConformer.Out> outs = StatsConformer.conform(figures, catalog);
    List<Row> silver = new ArrayList<>();
    List<Row> rejects = new ArrayList<>();
    for (StatsConformer.Out o : outs) {
      String[] file = {o.in().file(), o.in().checksum()};
      if (o.accepted()) {
        silver.add(
            NamedRow.of(silverType)
                .set("unit_id", o.unitId())
                .set("port_area_id", o.portAreaId())
                .set("month", Date.valueOf(o.month()))
                .set("measure", o.in().measure())
                .set("cargo_type", o.cargoType())
                .set("flow", o.in().flow())
                .set("value", o.value())
                .set("unit_of_measure", o.unitOfMeasure())
                .set("vintage", o.in().vintage())
                .set("published_on", Date.valueOf(o.in().publishedOn()))
                .set("name_as_published", o.in().unitName())
                .set("source_file", file[0])
                .set("source_line", o.in().line())
                .set("source_column", o.in().column())
                .set("source_checksum", file[1])
                .set("run_id", ctx.runId())
                .row());
      } else {
        rejects.add(
            RowFactory.create(
                file[0],
                file[1],
                "",
                o.in().line(),
                o.in().column(),
                o.in().raw(),
                o.rule(),
                o.reason()));
      }
    }
    WriteResult qs =
        ctx.quarantine()
            .put(
                SILVER,
                NAME,
                ctx.runId(),
                ctx.spark()
                    .createDataFrame(
                        rejects,
                        org.songhong.jobs.provincial.ProvincialStatsBronzeJob.rejectSchema()));
    WriteResult ws =
        ctx.writer()
            .upsert(
                SILVER,
                ctx.spark().createDataFrame(silver, ctx.lake().contract(SILVER).writeSchema()),
                List.of("run_id"));
    result.table(ws.metrics(silver.size() + rejects.size(), rejects.size()));
    long q = bronzeRejects.size() + rejects.size();
    result.table(
        new TableMetrics(
            Tables.OPS_QUARANTINE,
            q,
            q,
            0,
            Math.max(qb.version(), qs.version()),
            qb.committed() || qs.committed()));
    return result.build();
  }
}
