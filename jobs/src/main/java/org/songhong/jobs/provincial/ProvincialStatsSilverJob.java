package org.songhong.jobs.provincial;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.songhong.config.SonghongConfig;
import org.songhong.contract.Tables;
import org.songhong.domain.IndicatorCatalog;
import org.songhong.domain.geo.Geography;
import org.songhong.domain.geo.NameNormalizer;
import org.songhong.io.StatNumbers;
import org.songhong.job.Job;
import org.songhong.job.JobContext;
import org.songhong.job.JobResult;
import org.songhong.lake.WriteResult;
import org.songhong.ops.InputFile;

/**
 * Conforms bronze statistics into {@code silver.provincial_observations}: indicator codes checked
 * against the catalog, province names matched to stable geography ids valid in the observation's
 * year, numbers parsed, units checked, duplicates resolved. Every bronze record ends in silver or
 * in quarantine with its rule and a reason. Processes only bronze files that no successful run has
 * processed yet.
 */
public final class ProvincialStatsSilverJob implements Job {
  public static final String NAME = "provincial_stats_silver";
  public static final String TABLE = Tables.SILVER_PROVINCIAL_OBSERVATIONS;
  // Parsing functions as functions of columns (nothing registered on the session: classify is
  // pure).
  static final UserDefinedFunction NAME_KEY =
      udf((UDF1<String, String>) NameNormalizer::key, DataTypes.StringType);
  static final UserDefinedFunction NUMBER =
      udf((UDF2<String, String, Double>) StatNumbers::parse, DataTypes.DoubleType);
  static final UserDefinedFunction YEAR =
      udf((UDF1<String, Integer>) StatNumbers::year, DataTypes.IntegerType);
  static final UserDefinedFunction IS_PRELIMINARY =
      udf((UDF1<String, Boolean>) StatNumbers::isPreliminary, DataTypes.BooleanType);
  static final UserDefinedFunction IS_NO_VALUE =
      udf((UDF1<String, Boolean>) StatNumbers::isNoValue, DataTypes.BooleanType);
  static final UserDefinedFunction COLUMN_LETTER =
      udf((UDF1<Integer, String>) c -> WideTableParser.column(c - 1), DataTypes.StringType);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public java.util.List<String> reads() {
    return java.util.List.of(Tables.BRONZE_PROVINCIAL_STATS_LONG);
  }

  @Override
  public java.util.Optional<org.songhong.job.Preflight> preflight() {
    return java.util.Optional.of(
        pc -> org.songhong.job.Preflights.upstreamPending(pc, NAME, ProvincialStatsBronzeJob.NAME));
  }

  @Override
  public String description() {
    return "Conform "
        + Tables.BRONZE_PROVINCIAL_STATS_LONG
        + " into "
        + TABLE
        + " (names to geo ids, units, duplicates)";
  }

  @Override
  public JobResult run(JobContext ctx) {
    JobResult.Builder result = ctx.result();
    SparkSession spark = ctx.spark();
    // The files the bronze job landed that this job has not conformed yet (a file whose every
    // record
    // was rejected in bronze is among them, with no rows here: it is recorded as done all the
    // same).
    var history = ctx.ledger().history();
    Set<String> done = history.processedChecksums(NAME);
    List<InputFile> pending =
        history.processedInputs(ProvincialStatsBronzeJob.NAME).stream()
            .filter(f -> !done.contains(f.checksum()))
            .toList();
    if (pending.isEmpty()) {
      return result.unchanged(TABLE).build();
    }
    List<String> checksums = pending.stream().map(InputFile::checksum).distinct().toList();
    Dataset<Row> batch =
        org.songhong.jobs.Batches.ofFiles(
            ctx.lake().read(Tables.BRONZE_PROVINCIAL_STATS_LONG), checksums);
    IndicatorCatalog indicators = IndicatorCatalog.load(ctx.schemas());
    Geography geography = Geography.load(ctx.schemas());
    Dataset<Row> classified =
        classify(
                spark,
                batch,
                indicators,
                geography,
                ctx.config().get(SonghongConfig.YEAR_MIN),
                ctx.config().get(SonghongConfig.YEAR_MAX),
                ctx.runId())
            .cache();
    try {
      ctx.step("quarantine rejected observations");
      Dataset<Row> rejected =
          classified
              .filter(col("rule").isNotNull())
              .select(
                  col("source_file"),
                  col("source_checksum"),
                  col("source_sheet"),
                  col("source_line"),
                  col("source_column"),
                  col("raw_line").as("raw_record"),
                  col("rule"),
                  col("reason"));
      WriteResult q = ctx.quarantine().put(TABLE, NAME, ctx.runId(), rejected);
      ctx.step("upsert " + TABLE);
      Dataset<Row> accepted =
          withProvenance(
                  spark,
                  classified.filter(col("rule").isNull()),
                  org.songhong.io.SourceCatalog.load(ctx.schemas())
                      .family(ProvincialStatsBronzeJob.FAMILY))
              .select(
                  ctx.lake().contract(TABLE).columnNames().stream()
                      .map(c -> col(c))
                      .toArray(Column[]::new));
      WriteResult w = ctx.writer().upsert(TABLE, accepted, List.of("run_id", "ingest_run_id"));
      // The records read and rejected per file, in one pass over the cached records (the bronze
      // table is not scanned again for them).
      java.util.Map<String, Long> rowsPerFile = new java.util.HashMap<>();
      long read = 0;
      long nRejected = 0;
      for (Row r :
          classified
              .groupBy("source_checksum")
              .agg(count(lit(1)), expr("count_if(rule IS NOT NULL)"))
              .collectAsList()) {
        rowsPerFile.put(r.getString(0), r.getLong(1));
        read += r.getLong(1);
        nRejected += r.getLong(2);
      }
      java.util.Set<String> recorded = new java.util.HashSet<>();
      for (InputFile f : pending) {
        if (recorded.add(f.checksum())) {
          result.input(
              new InputFile(f.path(), f.checksum(), rowsPerFile.getOrDefault(f.checksum(), 0L)));
        }
      }
      result.table(w.metrics(read, nRejected));
      result.table(q.metrics(nRejected, 0));
    } finally {
      classified.unpersist();
    }
    return result.build();
  }

  /**
   * Adds {@code provenance} and {@code provenance_source}: a source whose figures are published
   * gives its citation; an illustrative one marks its figures illustrative, except those its
   * descriptor lists as published with the same value (a listed figure whose file says otherwise
   * stays illustrative; ProvincialPipelineTest checks every listed figure is found). Pure: no I/O.
   */
  public static Dataset<Row> withProvenance(
      SparkSession spark, Dataset<Row> accepted, List<org.songhong.io.SourceDescriptor> sources) {
    List<Row> releases = new ArrayList<>();
    List<Row> listed = new ArrayList<>();
    for (org.songhong.io.SourceDescriptor d : sources) {
      releases.add(RowFactory.create(d.sourceId(), d.figures(), d.citation()));
      for (org.songhong.io.SourceDescriptor.PublishedFigure f : d.published()) {
        listed.add(
            RowFactory.create(
                d.sourceId(), f.indicator(), f.geoId(), f.year(), f.value(), f.source()));
      }
    }
    Dataset<Row> r =
        spark.createDataFrame(
            releases,
            new StructType()
                .add("p_source_id", DataTypes.StringType)
                .add("p_figures", DataTypes.StringType)
                .add("p_citation", DataTypes.StringType));
    Dataset<Row> l =
        spark.createDataFrame(
            listed,
            new StructType()
                .add("l_source_id", DataTypes.StringType)
                .add("l_indicator", DataTypes.StringType)
                .add("l_geo", DataTypes.StringType)
                .add("l_year", DataTypes.IntegerType)
                .add("l_value", DataTypes.DoubleType)
                .add("l_source", DataTypes.StringType));
    return accepted
        .join(
            org.apache.spark.sql.functions.broadcast(r),
            col("source_id").equalTo(col("p_source_id")),
            "left")
        .join(
            org.apache.spark.sql.functions.broadcast(l),
            col("source_id")
                .equalTo(col("l_source_id"))
                .and(col("indicator_code").equalTo(col("l_indicator")))
                .and(col("geo_id").equalTo(col("l_geo")))
                .and(col("year").equalTo(col("l_year")))
                .and(expr("abs(value - l_value) <= 1e-9 * greatest(1.0, abs(l_value))")),
            "left")
        .withColumn(
            "provenance",
            expr(
                "CASE WHEN p_figures = 'published' OR l_source IS NOT NULL THEN 'published' "
                    + "WHEN p_figures = 'illustrative' THEN 'illustrative' END"))
        .withColumn(
            "provenance_source",
            expr(
                "CASE WHEN l_source IS NOT NULL THEN l_source WHEN p_figures = 'published' "
                    + "THEN p_citation END"));
  }

  /**
   * Every bronze record with the silver columns, plus {@code rule} and {@code reason}: null when
   * the record is accepted, else the first rule it breaks. Pure: no I/O.
   */
  public static Dataset<Row> classify(
      SparkSession spark,
      Dataset<Row> bronze,
      IndicatorCatalog indicators,
      Geography geography,
      int yearMin,
      int yearMax,
      String runId) {
    Dataset<Row> ind =
        spark.createDataFrame(
            indicators.all().stream().map(i -> RowFactory.create(i.code(), i.unit())).toList(),
            new StructType()
                .add("ind_code", DataTypes.StringType)
                .add("ind_unit", DataTypes.StringType));
    List<Row> keys = new ArrayList<>();
    for (Geography.NameKey k : geography.nameKeys()) {
      keys.add(
          RowFactory.create(
              k.key(),
              k.geoId(),
              Date.valueOf(k.validFrom()),
              Date.valueOf(k.validTo() == null ? LocalDate.of(9999, 12, 31) : k.validTo())));
    }
    Dataset<Row> names =
        spark.createDataFrame(
            keys,
            new StructType()
                .add("key", DataTypes.StringType)
                .add("geo_id_match", DataTypes.StringType)
                .add("valid_from", DataTypes.DateType)
                .add("valid_to", DataTypes.DateType));
    // A name that matches a unit at some date, for the message when it does not match in that year.
    Dataset<Row> anyName =
        names
            .groupBy(col("key").as("any_key"))
            .agg(
                expr("concat_ws(', ', collect_set(concat(geo_id_match, ' ', valid_from, '..', valid_to)))")
                    .as("known_as"));

    Dataset<Row> staged =
        bronze
            .withColumn("indicator_code", expr("lower(trim(indicator))"))
            .withColumn("name_key", NAME_KEY.apply(col("province")))
            .withColumn("year_int", YEAR.apply(col("year")))
            .withColumn(
                "release_status",
                when(IS_PRELIMINARY.apply(col("year")), lit("preliminary"))
                    .otherwise(col("release_status")))
            .withColumn("is_no_value", IS_NO_VALUE.apply(col("value")))
            .withColumn(
                "value_num",
                NUMBER.apply(col("value"), col("number_locale")).multiply(col("multiplier")))
            .withColumn("column_letter", COLUMN_LETTER.apply(col("source_column")))
            .withColumn("year_end", expr("make_date(year_int, 12, 31)"));
    Dataset<Row> joined =
        staged
            .join(ind, col("indicator_code").equalTo(col("ind_code")), "left")
            .join(
                names,
                col("name_key")
                    .equalTo(col("key"))
                    .and(col("year_end").between(col("valid_from"), col("valid_to"))),
                "left")
            .join(anyName, col("name_key").equalTo(col("any_key")), "left");

    Column where =
        expr(
            "CASE WHEN source_column = 0 THEN format_string('%s line %d', source_file, source_line) "
                + "WHEN source_sheet = '' AND lower(source_file) LIKE '%.px' THEN format_string('%s line %d value %d', source_file, "
                + "source_line, source_column) "
                + "ELSE format_string('%s sheet ''%s'' row %d column %s', source_file, source_sheet, source_line, "
                + "column_letter) END");
    Column rule =
        when(col("year_int").isNull(), lit("bad_year"))
            .when(
                col("year_int").lt(yearMin).or(col("year_int").gt(yearMax)),
                lit("year_out_of_range"))
            .when(col("ind_code").isNull(), lit("unknown_indicator"))
            .when(col("is_no_value"), lit("no_value"))
            .when(col("value_num").isNull(), lit("not_a_number"))
            .when(expr("coalesce(unit_expected, unit) <> ind_unit"), lit("unit_mismatch"))
            .when(
                col("geo_id_match").isNull().and(col("known_as").isNotNull()),
                lit("unit_not_valid_in_year"))
            .when(col("geo_id_match").isNull(), lit("unknown_province"));
    Column reason =
        when(
                col("year_int").isNull(),
                format_string(
                    "%s: year '%s' is not a whole number (write the year as 2024; mark preliminary figures in the descriptor, not the year)",
                    where, col("year")))
            .when(
                col("year_int").lt(yearMin).or(col("year_int").gt(yearMax)),
                format_string(
                    "%s: year %d is outside %d..%d (check the year; the range is songhong.stats.year.min/max)",
                    where, col("year_int"), lit(yearMin), lit(yearMax)))
            .when(
                col("ind_code").isNull(),
                format_string(
                    "%s: unknown indicator '%s' (use a code from schemas/reference/indicators.yaml, or add the indicator there)",
                    where, col("indicator")))
            .when(
                col("is_no_value"),
                format_string(
                    "%s: the cell is '%s', the yearbook's mark for no figure (nothing to load; kept here so every cell is accounted for)",
                    where, col("value")))
            .when(
                col("value_num").isNull(),
                format_string(
                    "%s: value '%s' is not a number as this source writes them (locale %s: vi writes 445.995 and 12,8, en writes "
                        + "445,995 and 12.8; fix the cell or the descriptor's locale)",
                    where, col("value"), col("number_locale")))
            .when(
                expr("coalesce(unit_expected, unit) <> ind_unit"),
                format_string(
                    "%s: unit '%s'%s does not match %s's unit '%s' (convert the value, or fix the unit)",
                    where,
                    col("unit"),
                    expr(
                        "CASE WHEN unit_expected IS NOT NULL AND unit_expected <> coalesce(unit, '') "
                            + "THEN concat(' (read as ''', unit_expected, ''')') ELSE '' END"),
                    col("indicator_code"),
                    col("ind_unit")))
            .when(
                col("geo_id_match").isNull().and(col("known_as").isNotNull()),
                format_string(
                    "%s: '%s' did not exist as a unit in %d (known as %s); report figures for the unit that existed then (see schemas/reference/geography.yaml)",
                    where, col("province"), col("year_int"), col("known_as")))
            .when(
                col("geo_id_match").isNull(),
                format_string(
                    "%s: unknown province '%s' (fix the spelling, or add it as an alias in schemas/reference/geography.yaml)",
                    where, col("province")));
    Dataset<Row> ruled =
        joined
            .withColumn("rule", rule)
            .withColumn("reason", reason)
            .withColumn("geo_id", col("geo_id_match"))
            .withColumn("value", col("value_num"))
            .withColumn("year", col("year_int"));

    // Duplicates among the accepted records of the batch: the same key twice with the same value
    // keeps one; with different values none is kept, since nothing says which is right.
    WindowSpec byKey = Window.partitionBy("indicator_code", "geo_id", "year", "vintage");
    WindowSpec ordered =
        byKey.orderBy(
            col("source_checksum"), col("source_sheet"), col("source_line"), col("source_column"));
    Dataset<Row> ok =
        ruled
            .filter(col("rule").isNull())
            .withColumn(
                "n_values",
                expr(
                    "size(collect_set(value) OVER (PARTITION BY indicator_code, geo_id, year, vintage))"))
            .withColumn("rank", row_number().over(ordered))
            .withColumn(
                "first_line",
                expr(
                    "first(CASE WHEN source_column = 0 THEN concat('line ', source_line) "
                        + "ELSE concat('row ', source_line, ' column ', column_letter) END) OVER (PARTITION BY "
                        + "indicator_code, geo_id, year, vintage ORDER BY source_checksum, source_sheet, source_line, source_column)"))
            .withColumn(
                "rule",
                when(col("n_values").gt(1), lit("conflicting_duplicate"))
                    .when(col("rank").gt(1), lit("duplicate")))
            .withColumn(
                "reason",
                when(
                        col("n_values").gt(1),
                        format_string(
                            "%s: %s for %s in %d appears %d times with different values in release %s (keep one line, or split the releases)",
                            where,
                            col("indicator_code"),
                            col("province"),
                            col("year"),
                            count(lit(1)).over(byKey),
                            col("vintage")))
                    .when(
                        col("rank").gt(1),
                        format_string(
                            "%s: duplicate of %s (same indicator, province, year, release and value); the first is kept",
                            where, col("first_line"))))
            .drop("n_values", "rank", "first_line");
    Dataset<Row> all = ruled.filter(col("rule").isNotNull()).unionByName(ok);
    return all.select(
        col("indicator_code"),
        col("geo_id"),
        col("year"),
        col("vintage"),
        col("published_on"),
        col("release_status"),
        col("value"),
        col("ind_unit").as("unit"),
        col("province").as("name_as_published"),
        col("source_id"),
        col("source_file"),
        col("source_sheet"),
        col("source_line"),
        col("source_column"),
        col("source_checksum"),
        col("ingest_run_id"),
        lit(runId).as("run_id"),
        col("raw_line"),
        col("rule"),
        col("reason"));
  }
}
