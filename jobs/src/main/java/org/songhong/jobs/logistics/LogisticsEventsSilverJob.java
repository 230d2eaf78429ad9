package org.songhong.jobs.logistics;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.songhong.contract.Tables;
import org.songhong.domain.geo.NameNormalizer;
import org.songhong.domain.logistics.Iso6346;
import org.songhong.domain.logistics.LogisticsCatalog;
import org.songhong.job.Job;
import org.songhong.job.JobContext;
import org.songhong.job.JobResult;
import org.songhong.lake.Lake;
import org.songhong.lake.WriteResult;
import org.songhong.ops.InputFile;

/**
 * Conforms the bronze event lines that no successful run has conformed yet into {@code
 * silver.gate_moves} and {@code silver.vessel_calls}, then rebuilds {@code
 * silver.terminal_activity_daily} for exactly the days those events fall on. Every line ends in
 * silver or in quarantine with its rule: bad JSON, a missing field, a timestamp without an offset,
 * an unknown terminal, an ISO size code that is not 20, 40 or 45 ft, a bad IMO number, negative
 * moves, or a duplicate of an event already kept (same container, direction and time).
 */
public final class LogisticsEventsSilverJob implements Job {
  public static final String NAME = "logistics_events_silver";
  public static final String GATE = Tables.SILVER_GATE_MOVES;
  public static final String CALLS = Tables.SILVER_VESSEL_CALLS;
  public static final String DAILY = Tables.SILVER_TERMINAL_ACTIVITY_DAILY;
  static final String LOCAL_TZ = "Asia/Ho_Chi_Minh";

  private static final Logger LOG = LoggerFactory.getLogger(LogisticsEventsSilverJob.class);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public java.util.List<String> reads() {
    return java.util.List.of(Tables.BRONZE_LOGISTICS_EVENTS);
  }

  @Override
  public java.util.Optional<org.songhong.job.Preflight> preflight() {
    return java.util.Optional.of(
        pc -> org.songhong.job.Preflights.upstreamPending(pc, NAME, LogisticsEventsBronzeJob.NAME));
  }

  @Override
  public String description() {
    return "Conform new event lines into "
        + GATE
        + " and "
        + CALLS
        + ", and rebuild "
        + DAILY
        + " for the days touched";
  }

  @Override
  public JobResult run(JobContext ctx) {
    JobResult.Builder result = ctx.result();
    SparkSession spark = ctx.spark();
    Set<String> done = ctx.ledger().processedChecksums(NAME);
    List<InputFile> pending =
        ctx.ledger().processedInputs(LogisticsEventsBronzeJob.NAME).stream()
            .filter(f -> !done.contains(f.checksum()))
            .toList();
    if (pending.isEmpty()) {
      for (String t : List.of(GATE, CALLS)) {
        result.unchanged(t);
      }
      return result.build();
    }
    Set<LocalDate> fileDays = new TreeSet<>();
    List<String> checksums = new ArrayList<>();
    for (InputFile f : pending) {
      EventFiles.feedAndDate(f.path()).ifPresent(fd -> fileDays.add((LocalDate) fd[1]));
      checksums.add(f.checksum());
      result.input(f);
    }
    Lookups lookups = new Lookups(LogisticsCatalog.load(ctx.schemas()));
    Dataset<Row> bronze =
        org.songhong.jobs.Batches.ofFiles(
            ctx.lake()
                .read(Tables.BRONZE_LOGISTICS_EVENTS)
                .filter(LogisticsEventsBronzeJob.dateIn("file_date", List.copyOf(fileDays))),
            checksums);
    Set<LocalDate> touched = new TreeSet<>();
    touched.addAll(conform(ctx, result, bronze.filter("feed = 'gate_moves'"), lookups, true));
    touched.addAll(conform(ctx, result, bronze.filter("feed = 'vessel_calls'"), lookups, false));
    if (!touched.isEmpty()) {
      ctx.step("rebuild " + DAILY + " for " + touched.size() + " day(s)");
      List<LocalDate> days = List.copyOf(touched);
      Dataset<Row> daily = daily(ctx.lake(), days);
      WriteResult w =
          ctx.writer()
              .replaceWhere(
                  DAILY, daily, "activity_date IN (" + LogisticsEventsBronzeJob.inList(days) + ")");
      result.table(w.metrics());
    }
    return result.build();
  }

  /**
   * The catalog's lookups as functions of columns, closing over the catalog (nothing is registered
   * on the session: the classifications below are pure, callable on any frame): the terminal a name
   * as written stands for, a size/type code's TEU and length.
   */
  record Lookups(
      UserDefinedFunction terminal, UserDefinedFunction teu, UserDefinedFunction lengthFt) {
    Lookups(LogisticsCatalog catalog) {
      this(
          terminal(catalog),
          udf(
              (UDF1<String, Double>)
                  code -> catalog.size(code).map(LogisticsCatalog.ContainerSize::teu).orElse(null),
              DataTypes.DoubleType),
          udf(
              (UDF1<String, Integer>)
                  code ->
                      catalog.size(code).map(LogisticsCatalog.ContainerSize::lengthFt).orElse(null),
              DataTypes.IntegerType));
      if (catalog.sizes().isEmpty()) {
        throw new IllegalStateException("no container sizes in schemas/reference/logistics.yaml");
      }
    }

    /**
     * The terminal id of a name as written. A feed writes a handful of names millions of times:
     * each name is normalised once per task's copy of the function (folding diacritics is a Unicode
     * decomposition and a regular expression), then looked up.
     */
    private static UserDefinedFunction terminal(LogisticsCatalog catalog) {
      Map<String, String> byKey = catalog.terminalIdsByNameKey();
      TerminalMemo memo = new TerminalMemo(byKey);
      return udf((UDF1<String, String>) memo::id, DataTypes.StringType);
    }
  }

  /** Names as written to terminal ids ("" for none), filled as names are met; serialised empty. */
  static final class TerminalMemo implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final Map<String, String> byKey;

    /** Names kept at most: a feed of garbled names is normalised each time rather than kept. */
    private static final int MAX_NAMES = 10_000;

    private transient volatile java.util.concurrent.ConcurrentHashMap<String, String> seen;

    TerminalMemo(Map<String, String> byKey) {
      this.byKey = Map.copyOf(byKey);
    }

    String id(String name) {
      if (name == null) {
        return null;
      }
      if (seen == null) {
        synchronized (this) {
          if (seen == null) {
            seen = new java.util.concurrent.ConcurrentHashMap<>();
          }
        }
      }
      String id = seen.get(name);
      if (id == null) {
        id = byKey.getOrDefault(NameNormalizer.key(name), "");
        if (seen.size() < MAX_NAMES) {
          seen.put(name, id);
        }
      }
      return id.isEmpty() ? null : id;
    }
  }

  /** A container number with only its letters, in capitals, and digits (Iso6346). */
  static final UserDefinedFunction CONTAINER_ID =
      udf((UDF1<String, String>) Iso6346::normalizedContainerId, DataTypes.StringType);

  static final UserDefinedFunction CONTAINER_ID_VALID =
      udf((UDF1<String, Boolean>) Iso6346::validContainerId, DataTypes.BooleanType);
  static final UserDefinedFunction IMO_VALID =
      udf((UDF1<String, Boolean>) Iso6346::validImo, DataTypes.BooleanType);

  /**
   * Conforms one feed's lines, writes silver and quarantine; returns the local days of the events
   * kept.
   */
  private static Set<LocalDate> conform(
      JobContext ctx, JobResult.Builder result, Dataset<Row> lines, Lookups lookups, boolean gate) {
    String table = gate ? GATE : CALLS;
    String dateCol = gate ? "event_date" : "arrival_date";
    ctx.step("conform " + (gate ? "gate moves" : "vessel calls"));
    List<String> keep = new ArrayList<>(ctx.lake().contract(table).columnNames());
    keep.remove("run_id");
    keep.addAll(List.of("file_date", "raw_line", "rule", "reason"));
    Dataset<Row> ruledLines =
        (gate ? gateMoveRules(lines, lookups) : vesselCallRules(lines, lookups))
            .select(keep.stream().distinct().map(c -> col(c)).toArray(Column[]::new));
    // The copies' count builds the cache.
    Duplicates dups =
        duplicatesInBatch(
            ruledLines.persist(StorageLevel.MEMORY_AND_DISK_SER()),
            gate,
            StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> classified = dups.rows();
    Dataset<Row> ruled = null;
    try {
      // One pass: the days the accepted events fall on (to compare with what is stored on those
      // days only).
      List<LocalDate> days =
          classified
              .filter(col("rule").isNull())
              .select(dateCol)
              .distinct()
              .collectAsList()
              .stream()
              .map(r -> r.getDate(0).toLocalDate())
              .sorted()
              .toList();
      String filter =
          days.isEmpty()
              ? "false"
              : dateCol + " IN (" + LogisticsEventsBronzeJob.inList(days) + ")";
      Dataset<Row> stored = ctx.lake().read(table).filter(filter);
      // Nothing stored on those days (a first load, a new day): no event can duplicate a stored
      // one.
      ruled =
          days.isEmpty() || stored.isEmpty()
              ? classified
              : duplicatesOfStored(stored, classified, gate)
                  .persist(StorageLevel.MEMORY_AND_DISK_SER());
      Row counts = ruled.selectExpr("count(*)", "count_if(rule IS NOT NULL)").first();
      long read = counts.getLong(0);
      long bad = counts.getLong(1);
      Dataset<Row> rejected =
          ruled
              .filter(col("rule").isNotNull())
              .select(
                  col("source_file"),
                  col("source_checksum"),
                  lit("").as("source_sheet"),
                  col("source_line"),
                  lit(0).as("source_column"),
                  col("raw_line").as("raw_record"),
                  col("rule"),
                  col("reason"));
      WriteResult q = ctx.quarantine().put(table, NAME, ctx.runId(), rejected);
      Dataset<Row> accepted =
          ruled
              .filter(col("rule").isNull())
              .withColumn("run_id", lit(ctx.runId()))
              .select(
                  ctx.lake().contract(table).columnNames().stream()
                      .map(c -> col(c))
                      .toArray(Column[]::new));
      WriteResult w = ctx.writer().insertNew(table, accepted, filter);
      LOG.info("{}: {} line(s), {} kept, {} quarantined", table, read, read - bad, bad);
      result.table(w.metrics(read, bad));
      result.table(q.metrics(bad, 0));
      return new TreeSet<>(days);
    } finally {
      if (ruled != null) {
        ruled.unpersist();
      }
      dups.copies().unpersist();
      ruledLines.unpersist();
    }
  }

  /**
   * {@code lines} with {@code is_object} and each named field of its JSON line as a string column
   * ({@code rawColumnByField}: field -> column), read in one call per line ({@link #fields}).
   */
  static Dataset<Row> withFields(Dataset<Row> lines, Map<String, String> rawColumnByField) {
    Map<String, Column> columns = new java.util.LinkedHashMap<>();
    columns.put("is_object", col("f.is_object"));
    rawColumnByField.forEach((field, column) -> columns.put(column, col("f.`" + field + "`")));
    return lines
        .withColumn("f", fields(lines, rawColumnByField.keySet().toArray(String[]::new)))
        .withColumns(columns);
  }

  /**
   * The line parsed as JSON (Spark's own parser: what is valid JSON, and a key twice, as {@code
   * try_parse_json} decides) and its named top-level fields as strings, with {@code is_object} (see
   * {@link JsonFields}).
   */
  static Column fields(Dataset<Row> lines, String... names) {
    String zone = lines.sparkSession().sessionState().conf().sessionLocalTimeZone();
    return JsonFields.of(List.of(names), zone).apply(expr("try_parse_json(raw_line)"));
  }

  private static String where() {
    return "format_string('%s line %d', source_file, source_line)";
  }

  /** The instant a time as written stands for, null unless it has an offset. */
  private static Column ts(String c) {
    return when(
        org.songhong.jobs.OffsetTimes.HAS_OFFSET.apply(col(c)),
        expr("try_cast(" + c + " AS TIMESTAMP)"));
  }

  private static String localDate(String tsCol) {
    return "to_date(from_utc_timestamp(to_utc_timestamp("
        + tsCol
        + ", current_timezone()), '"
        + LOCAL_TZ
        + "'))";
  }

  /**
   * Gate-move lines with the silver columns and rule/reason (null when accepted), copies within the
   * batch among the rejected. Pure: no I/O.
   */
  public static Dataset<Row> classifyGateMoves(Dataset<Row> lines, Lookups lookups) {
    return duplicatesInBatch(gateMoveRules(lines, lookups), true, StorageLevel.NONE()).rows();
  }

  /** Vessel-call lines with the silver columns and rule/reason. Pure: no I/O. */
  public static Dataset<Row> classifyVesselCalls(Dataset<Row> lines, Lookups lookups) {
    return duplicatesInBatch(vesselCallRules(lines, lookups), false, StorageLevel.NONE()).rows();
  }

  /** Gate-move lines with the silver columns and the rules of one line (not duplicates). */
  static Dataset<Row> gateMoveRules(Dataset<Row> lines, Lookups lookups) {
    Dataset<Row> p =
        withFields(
                lines,
                Map.of(
                    "container_id", "container_raw",
                    "iso_code", "iso_raw",
                    "full_empty", "fe_raw",
                    "direction", "dir_raw",
                    "event_time", "time_raw",
                    "terminal", "terminal_raw"))
            .withColumn(
                "missing",
                expr(
                    "concat_ws(', ', CASE WHEN container_raw IS NULL THEN 'container_id' END, "
                        + "CASE WHEN iso_raw IS NULL THEN 'iso_code' END, CASE WHEN fe_raw IS NULL THEN 'full_empty' END, "
                        + "CASE WHEN dir_raw IS NULL THEN 'direction' END, CASE WHEN time_raw IS NULL THEN 'event_time' END, "
                        + "CASE WHEN terminal_raw IS NULL THEN 'terminal' END)"))
            .withColumn("event_time", ts("time_raw"))
            .withColumn("terminal_id", lookups.terminal().apply(col("terminal_raw")))
            .withColumn("teu", lookups.teu().apply(col("iso_raw")))
            .withColumn("length_ft", lookups.lengthFt().apply(col("iso_raw")))
            .withColumn(
                "direction",
                expr(
                    "CASE upper(trim(dir_raw)) WHEN 'IN' THEN 'in' WHEN 'GATE_IN' THEN 'in' WHEN 'I' THEN 'in' "
                        + "WHEN 'OUT' THEN 'out' WHEN 'GATE_OUT' THEN 'out' WHEN 'O' THEN 'out' END"))
            .withColumn(
                "full",
                expr(
                    "CASE upper(trim(fe_raw)) WHEN 'F' THEN true WHEN 'FULL' THEN true WHEN 'E' THEN false "
                        + "WHEN 'EMPTY' THEN false END"))
            .withColumn("container_id", CONTAINER_ID.apply(col("container_raw")))
            .withColumn("iso_code", expr("upper(trim(iso_raw))"))
            .withColumn(
                "container_id_valid",
                coalesce(CONTAINER_ID_VALID.apply(col("container_id")), lit(false)))
            .withColumn("event_date", expr(localDate("event_time")));
    String w = where();
    Column rule =
        expr(
            "CASE WHEN NOT is_object THEN 'bad_json' WHEN missing <> '' THEN 'missing_field' "
                + "WHEN event_time IS NULL THEN 'bad_timestamp' WHEN terminal_id IS NULL THEN 'unknown_terminal' "
                + "WHEN teu IS NULL THEN 'unknown_size_code' WHEN direction IS NULL OR full IS NULL THEN 'bad_value' END");
    Column reason =
        expr(
            "CASE WHEN NOT is_object THEN format_string('%s: not a JSON object (a truncated or garbled line?); "
                + "the terminal must resend the file', "
                + w
                + ") "
                + "WHEN missing <> '' THEN format_string('%s: the gate move lacks %s', "
                + w
                + ", missing) "
                + "WHEN event_time IS NULL THEN format_string('%s: event_time ''%s'' is not an ISO 8601 time with an offset "
                + "(write 2025-12-01T08:15:00+07:00; without an offset the instant is unknown)', "
                + w
                + ", time_raw) "
                + "WHEN terminal_id IS NULL THEN format_string('%s: unknown terminal ''%s'' (add it or an alias in "
                + "schemas/reference/logistics.yaml)', "
                + w
                + ", terminal_raw) "
                + "WHEN teu IS NULL THEN format_string('%s: ISO 6346 size/type code ''%s'' is not a 20, 40 or 45 ft box, so its TEU "
                + "is not known (not guessed; add the size to container_sizes in schemas/reference/logistics.yaml)', "
                + w
                + ", iso_raw) "
                + "WHEN direction IS NULL OR full IS NULL THEN format_string('%s: direction ''%s'' must be IN or OUT and full_empty "
                + "''%s'' F or E', "
                + w
                + ", dir_raw, fe_raw) END");
    return p.withColumn("rule", rule).withColumn("reason", reason);
  }

  /** Vessel-call lines with the silver columns and the rules of one line (not duplicates). */
  static Dataset<Row> vesselCallRules(Dataset<Row> lines, Lookups lookups) {
    Dataset<Row> p =
        withFields(
                lines,
                Map.of(
                    "vessel_imo", "imo_raw",
                    "terminal", "terminal_raw",
                    "arrival", "arrival_raw",
                    "departure", "departure_raw",
                    "moves", "moves_raw"))
            .withColumn(
                "missing",
                expr(
                    "concat_ws(', ', CASE WHEN imo_raw IS NULL THEN 'vessel_imo' END, "
                        + "CASE WHEN terminal_raw IS NULL THEN 'terminal' END, CASE WHEN arrival_raw IS NULL THEN 'arrival' END, "
                        + "CASE WHEN moves_raw IS NULL THEN 'moves' END)"))
            .withColumn("arrival_time", ts("arrival_raw"))
            .withColumn("departure_time", ts("departure_raw"))
            .withColumn("terminal_id", lookups.terminal().apply(col("terminal_raw")))
            .withColumn(
                "vessel_imo", expr("regexp_replace(upper(trim(imo_raw)), '^IMO\\\\s*', '')"))
            .withColumn("imo_valid", IMO_VALID.apply(col("vessel_imo")))
            .withColumn("moves", expr("try_cast(moves_raw AS INT)"))
            .withColumn("arrival_date", expr(localDate("arrival_time")));
    String w = where();
    Column rule =
        expr(
            "CASE WHEN NOT is_object THEN 'bad_json' WHEN missing <> '' THEN 'missing_field' "
                + "WHEN arrival_time IS NULL OR (departure_raw IS NOT NULL AND departure_time IS NULL) THEN 'bad_timestamp' "
                + "WHEN terminal_id IS NULL THEN 'unknown_terminal' WHEN NOT imo_valid THEN 'bad_imo' "
                + "WHEN moves IS NULL OR moves < 0 THEN 'bad_moves' WHEN departure_time < arrival_time THEN 'departure_before_arrival' END");
    Column reason =
        expr(
            "CASE WHEN NOT is_object THEN format_string('%s: not a JSON object (a truncated or garbled line?); "
                + "the terminal must resend the file', "
                + w
                + ") "
                + "WHEN missing <> '' THEN format_string('%s: the vessel call lacks %s', "
                + w
                + ", missing) "
                + "WHEN arrival_time IS NULL OR (departure_raw IS NOT NULL AND departure_time IS NULL) THEN format_string("
                + "'%s: arrival ''%s'' or departure ''%s'' is not an ISO 8601 time with an offset', "
                + w
                + ", arrival_raw, departure_raw) "
                + "WHEN terminal_id IS NULL THEN format_string('%s: unknown terminal ''%s'' (add it or an alias in "
                + "schemas/reference/logistics.yaml)', "
                + w
                + ", terminal_raw) "
                + "WHEN NOT imo_valid THEN format_string('%s: ''%s'' is not a valid IMO number (7 digits with "
                + "a check digit)', "
                + w
                + ", imo_raw) "
                + "WHEN moves IS NULL OR moves < 0 THEN format_string('%s: moves ''%s'' must be a whole number >= 0', "
                + w
                + ", moves_raw) "
                + "WHEN departure_time < arrival_time THEN format_string('%s: departure %s is before arrival %s', "
                + w
                + ", departure_raw, arrival_raw) END");
    return p.withColumn("rule", rule).withColumn("reason", reason);
  }

  /** The rows with copies in the batch ruled, and the cached copies they were ruled from. */
  record Duplicates(Dataset<Row> rows, Dataset<Row> copies) {}

  /** Copies the writer's broadcast of them can hold; more are joined by a shuffle. */
  static final long MAX_BROADCAST_COPIES = 200_000;

  /**
   * Among accepted lines, the second and later copies of a key (a gate move's container, direction
   * and time; a vessel call's vessel, terminal and arrival) become duplicates of the first, in
   * order of file day, file and line; the reason names the first copy's file and line.
   *
   * <p>Copies are rare (2,068 among 2.6 M lines in a year of the generator's files), so the lines
   * are not sorted by key: their keys' 64-bit hashes are (8 bytes a line shuffled; {@link
   * #sharedHashes}), and only the lines whose hash is shared are numbered in a window over the
   * exact key (a shared hash of two different keys numbers each 1), and the copies found are joined
   * back to the lines by their file and line. At a year of gate moves the window over every line,
   * its shuffle of whole lines (187 MB) and sort cost 25 s of the job's 100 s of task CPU. {@code
   * level} caches the copies (NONE: computed again by each action, for small frames); the caller
   * unpersists them.
   */
  static Duplicates duplicatesInBatch(Dataset<Row> ruled, boolean gate, StorageLevel level) {
    return duplicatesInBatch(ruled, gate, level, MAX_BROADCAST_COPIES);
  }

  /** As above, broadcasting the copies when there are at most {@code maxBroadcast}. */
  static Duplicates duplicatesInBatch(
      Dataset<Row> ruled, boolean gate, StorageLevel level, long maxBroadcast) {
    List<String> key =
        gate
            ? List.of("container_id", "direction", "event_time")
            : List.of("vessel_imo", "terminal_id", "arrival_time");
    String what =
        gate ? "'same container, direction and time'" : "'same vessel, terminal and arrival'";
    String keys = String.join(", ", key);
    Dataset<Row> accepted =
        ruled.filter(col("rule").isNull()).withColumn("key_hash", expr("xxhash64(" + keys + ")"));
    Dataset<Row> shared = sharedHashes(accepted.select("key_hash"));
    String window =
        "OVER (PARTITION BY "
            + keys
            + " ORDER BY file_date, source_file, source_line "
            + "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)";
    Dataset<Row> copies =
        accepted
            .join(
                org.apache.spark.sql.functions.broadcast(shared),
                scala.jdk.javaapi.CollectionConverters.asScala(List.of("key_hash")).toSeq(),
                "left_semi")
            .select(
                col("source_checksum").as("copy_checksum"),
                col("source_line").as("copy_line"),
                expr("row_number() " + window).as("copy"),
                expr("first(struct(source_file, source_line)) " + window).as("first_copy"))
            .filter(col("copy").gt(1))
            .drop("copy");
    if (level != StorageLevel.NONE()) {
      copies = copies.persist(level);
    }
    long n = copies.count();
    Dataset<Row> right =
        n <= maxBroadcast ? org.apache.spark.sql.functions.broadcast(copies) : copies;
    Dataset<Row> rows =
        ruled
            .join(
                right,
                col("source_checksum")
                    .equalTo(col("copy_checksum"))
                    .and(col("source_line").equalTo(col("copy_line"))),
                "left")
            .withColumn(
                "reason",
                expr(
                    "CASE WHEN first_copy IS NOT NULL THEN format_string('%s line %d: duplicate of %s line %d (' || "
                        + what
                        + " || '); counted once', source_file, source_line, first_copy.source_file, "
                        + "first_copy.source_line) ELSE reason END"))
            .withColumn(
                "rule",
                expr("CASE WHEN first_copy IS NOT NULL THEN 'duplicate_event' ELSE rule END"))
            .drop("copy_checksum", "copy_line", "first_copy");
    return new Duplicates(rows, copies);
  }

  /**
   * The hashes that occur more than once, each once. Found by sorting the hashes within partitions
   * of equal hashes and comparing neighbours, not by a hash aggregation: nearly every hash is
   * distinct, so an aggregation's map before the shuffle merged nothing, and the stage after it
   * took 1.4-1.5 CPU s at a year of gate moves against this sort's 0.9-1.0 (bench/README.md, "5
   * December, late night").
   */
  static Dataset<Row> sharedHashes(Dataset<Row> hashes) {
    return hashes
        .repartition(col("key_hash"))
        .sortWithinPartitions("key_hash")
        .as(Encoders.LONG())
        .mapPartitions((MapPartitionsFunction<Long, Long>) RepeatedValues::new, Encoders.LONG())
        .toDF("key_hash");
  }

  /** Of a sorted sequence, each value that occurs more than once, once. */
  static final class RepeatedValues implements java.util.Iterator<Long> {
    private final java.util.Iterator<Long> sorted;
    private Long previous;
    private Long emitted;
    private Long next;

    RepeatedValues(java.util.Iterator<Long> sorted) {
      this.sorted = sorted;
    }

    @Override
    public boolean hasNext() {
      while (next == null && sorted.hasNext()) {
        Long value = sorted.next();
        if (value.equals(previous) && !value.equals(emitted)) {
          next = value;
          emitted = value;
        }
        previous = value;
      }
      return next != null;
    }

    @Override
    public Long next() {
      if (!hasNext()) {
        throw new java.util.NoSuchElementException();
      }
      Long value = next;
      next = null;
      return value;
    }
  }

  /**
   * Accepted lines whose key is already stored from another file or line become duplicates; the
   * same line stored by an earlier, interrupted run stays accepted (insertNew skips it).
   */
  private static Dataset<Row> duplicatesOfStored(
      Dataset<Row> stored, Dataset<Row> classified, boolean gate) {
    List<String> key =
        gate
            ? List.of("container_id", "direction", "event_time")
            : List.of("vessel_imo", "terminal_id", "arrival_time");
    List<Column> cols = new ArrayList<>();
    key.forEach(k -> cols.add(col(k).as("s_" + k)));
    cols.add(col("source_file").as("s_file"));
    cols.add(col("source_checksum").as("s_checksum"));
    cols.add(col("source_line").as("s_line"));
    Dataset<Row> s = stored.select(cols.toArray(Column[]::new));
    Column match =
        key.stream().map(k -> col(k).equalTo(col("s_" + k))).reduce(Column::and).orElseThrow();
    Dataset<Row> j = classified.join(s, col("rule").isNull().and(match), "left");
    return j.withColumn(
            "dup",
            expr(
                "s_file IS NOT NULL AND NOT (s_checksum = source_checksum AND s_line = source_line)"))
        .withColumn(
            "reason",
            expr(
                "CASE WHEN dup THEN format_string('%s line %d: duplicate of %s line %d, stored earlier; "
                    + "counted once', source_file, source_line, s_file, s_line) ELSE reason END"))
        .withColumn("rule", expr("CASE WHEN dup THEN 'duplicate_event' ELSE rule END"))
        .drop(s.columns())
        .drop("dup");
  }

  /** Daily totals per terminal of the stored gate moves and vessel calls on {@code days}. */
  static Dataset<Row> daily(Lake lake, List<LocalDate> days) {
    String in = LogisticsEventsBronzeJob.inList(days);
    Dataset<Row> gate =
        lake.sql(
            "SELECT event_date AS activity_date, terminal_id, count(*) AS gate_moves, sum(teu) AS gate_teu, "
                + "count_if(direction = 'in') AS gate_in, count_if(direction = 'out') AS gate_out, count_if(full) AS full_moves "
                + "FROM "
                + GATE
                + " WHERE event_date IN ("
                + in
                + ") GROUP BY 1, 2");
    Dataset<Row> calls =
        lake.sql(
            "SELECT arrival_date AS activity_date, terminal_id, count(*) AS vessel_calls, "
                + "sum(moves) AS vessel_moves FROM "
                + CALLS
                + " WHERE arrival_date IN ("
                + in
                + ") GROUP BY 1, 2");
    return gate.join(
            calls,
            scala.jdk.javaapi.CollectionConverters.asScala(List.of("activity_date", "terminal_id"))
                .toSeq(),
            "full_outer")
        .selectExpr(
            "activity_date",
            "terminal_id",
            "coalesce(gate_moves, 0L) AS gate_moves",
            "coalesce(gate_teu, 0D) AS gate_teu",
            "coalesce(gate_in, 0L) AS gate_in",
            "coalesce(gate_out, 0L) AS gate_out",
            "coalesce(full_moves, 0L) AS full_moves",
            "coalesce(vessel_calls, 0L) AS vessel_calls",
            "coalesce(CAST(vessel_moves AS BIGINT), 0L) AS vessel_moves");
  }
}
