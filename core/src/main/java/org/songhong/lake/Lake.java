package org.songhong.lake;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.songhong.contract.ContractCatalog;
import org.songhong.contract.TableContract;
import org.songhong.contract.ViewContract;
import org.songhong.error.Errors;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The lake: a root folder (or Hadoop URI) holding one Delta table per contract at {@code
 * ROOT/LAYER/TABLE}. The folders are the source of truth; each session registers them by name
 * ({@code gold.target_attainment}) in its own catalog, so any number of JVMs, on one machine or a
 * cluster, see the same tables without a shared metastore. The names are for people (the shell, the
 * SQL endpoint, notebooks); code reads by folder ({@link #read}, {@link #sql}), so a job reads this
 * lake whatever else the session opened.
 */
public final class Lake {
  private static final Logger LOG = LoggerFactory.getLogger(Lake.class);

  private final SparkSession spark;
  private final String root;
  private final ContractCatalog contracts;

  public Lake(SparkSession spark, String root, ContractCatalog contracts) {
    this.spark = spark;
    this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    this.contracts = contracts;
  }

  public SparkSession spark() {
    return spark;
  }

  public String root() {
    return root;
  }

  public ContractCatalog contracts() {
    return contracts;
  }

  public TableContract contract(String table) {
    return contracts.get(table);
  }

  public String location(TableContract c) {
    return root + "/" + c.layer() + "/" + c.table();
  }

  /**
   * A table of this lake, read from its folder. Jobs read through here (or {@link #sql}), never
   * through the session's names: a session can hold two lakes (a test, a benchmark, a notebook
   * comparing a copy), and the names point at whichever was registered last.
   */
  public Dataset<Row> read(String tableId) {
    return spark.read().format("delta").load(location(contract(tableId)));
  }

  /**
   * The result of a query whose table and view ids are read from this lake (see {@link #resolve}).
   * It reads by path, so it needs {@code spark.sql.runSQLOnFiles} (on by default; the SQL endpoint
   * turns it off, and code that runs there reads with {@link #read} and frames).
   */
  public Dataset<Row> sql(String query) {
    if (!Boolean.parseBoolean(spark.conf().get("spark.sql.runSQLOnFiles", "true"))) {
      throw new IllegalStateException(
          "Lake.sql reads tables by folder (delta.`...`), which this session refuses"
              + " (spark.sql.runSQLOnFiles=false, as in the SQL endpoint): use Lake.read and"
              + " frames");
    }
    return spark.sql(resolve(query));
  }

  /**
   * The query with each table id of the contracts ({@code silver.env_readings}) replaced by its
   * folder in this lake ({@code delta.`ROOT/silver/env_readings`}) and each view id by its query,
   * resolved the same way, in parentheses. An id is replaced where it stands as a name, not inside
   * a longer name, a quoted string or a back-quoted path: {@code 'silver.env_readings'} in a WHERE
   * clause stays a string.
   */
  public String resolve(String query) {
    java.util.regex.Matcher m = ids().matcher(query);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String id = m.group().toLowerCase(java.util.Locale.ROOT);
      ViewContract view =
          contracts.views().stream().filter(v -> v.name().equals(id)).findFirst().orElse(null);
      String replacement =
          view != null
              ? "(" + resolve(view.sql().strip()) + ")"
              : "delta.`" + location(contract(id)).replace("`", "``") + "`";
      m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  private java.util.regex.Pattern ids;

  /**
   * The contracts' table and view ids, each as a whole name (not preceded or followed by a name
   * character, a dot, a quote or a path).
   */
  private java.util.regex.Pattern ids() {
    if (ids == null) {
      List<String> names = new ArrayList<>();
      contracts.all().forEach(c -> names.add(java.util.regex.Pattern.quote(c.name())));
      contracts.views().forEach(v -> names.add(java.util.regex.Pattern.quote(v.name())));
      ids =
          java.util.regex.Pattern.compile(
              "(?<![\\w.`'\"/])(?:" + String.join("|", names) + ")(?![\\w`'\"])",
              java.util.regex.Pattern.CASE_INSENSITIVE);
    }
    return ids;
  }

  public boolean exists(TableContract c) {
    if (created.contains(c.name())) {
      return true;
    }
    try {
      Path log = new Path(location(c) + "/_delta_log");
      FileSystem fs = log.getFileSystem(spark.sessionState().newHadoopConf());
      boolean exists = fs.exists(log) && fs.listStatus(log).length > 0;
      if (exists) {
        created.add(c.name());
      }
      return exists;
    } catch (java.io.IOException e) {
      throw Errors.unreadableFile(location(c), e.getMessage(), e);
    }
  }

  /**
   * Tables known to exist on disk (a table is never deleted by songhong, so the answer does not go
   * stale).
   */
  private final Set<String> created = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** Tables whose columns were compared with their contract in this session. */
  private final Set<String> evolved = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * Creates the table from its contract if it does not exist yet; if it does, adds the nullable
   * columns its contract gained since it was created and sets the statistics columns it chose (a
   * lake made by an earlier version). Writers call this before their first write to a table.
   */
  public void ensureCreated(TableContract c) {
    if (!exists(c)) {
      create(c);
      created.add(c.name());
      evolved.add(c.name());
    } else if (evolved.add(c.name())) {
      var snapshot =
          org.apache.spark.sql.delta.DeltaLog.forTable(spark, new Path(location(c)))
              .update(false, scala.Option.empty(), scala.Option.empty());
      addMissingColumns(c, snapshot.schema());
      setStatsColumns(c, CollectionConverters.asJava(snapshot.metadata().configuration()));
    }
  }

  /** The table properties that choose the columns Delta keeps file statistics on. */
  private static final List<String> STATS_PROPERTIES =
      List.of("delta.dataSkippingStatsColumns", "delta.dataSkippingNumIndexedCols");

  /**
   * Sets the statistics properties the contract chooses ({@code stats_columns}) where the table's
   * differ, removing the other one (Delta's list of columns wins over its count); files written
   * before keep the statistics they have. A contract that chooses none leaves the table's as they
   * are.
   */
  private void setStatsColumns(TableContract c, Map<String, String> configuration) {
    if (c.statsColumnsChosen().isEmpty()) {
      return;
    }
    Map<String, String> chosen = FirstCommit.properties(c);
    Map<String, String> set = new java.util.TreeMap<>();
    List<String> unset = new ArrayList<>();
    for (String key : STATS_PROPERTIES) {
      String want = chosen.get(key);
      if (want == null && configuration.containsKey(key)) {
        unset.add(SqlLiterals.string(key));
      } else if (want != null && !want.equals(configuration.get(key))) {
        set.put(key, want);
      }
    }
    String table = "ALTER TABLE delta.`" + location(c) + "` ";
    if (!set.isEmpty()) {
      LOG.info("Setting {} on {} (its contract chooses them)", set, c.name());
      spark.sql(
          table
              + "SET TBLPROPERTIES ("
              + set.entrySet().stream()
                  .map(
                      e ->
                          SqlLiterals.string(e.getKey()) + " = " + SqlLiterals.string(e.getValue()))
                  .collect(Collectors.joining(", "))
              + ")");
    }
    if (!unset.isEmpty()) {
      LOG.info("Removing {} from {} (its contract chooses otherwise)", unset, c.name());
      spark.sql(table + "UNSET TBLPROPERTIES IF EXISTS (" + String.join(", ", unset) + ")");
    }
  }

  private void addMissingColumns(TableContract c, StructType current) {
    Set<String> have = new java.util.HashSet<>(java.util.Arrays.asList(current.fieldNames()));
    List<String> added = new ArrayList<>();
    for (StructField f : c.schema().fields()) {
      if (have.contains(f.name())) {
        continue;
      }
      if (!f.nullable()) {
        throw Errors.badContract(
            "schemas/tables/" + c.layer() + "/" + c.table() + ".yaml",
            "column "
                + f.name()
                + " is not in the existing table and is NOT NULL: a column added to a table that has rows must be nullable");
      }
      String comment = c.column(f.name()).orElseThrow().description();
      added.add(
          "`"
              + f.name()
              + "` "
              + f.dataType().sql()
              + (comment == null ? "" : " COMMENT " + SqlLiterals.string(comment)));
    }
    if (!added.isEmpty()) {
      LOG.info(
          "Adding column(s) {} to {} (its contract has them; the table was made before)",
          added,
          c.name());
      spark.sql(
          "ALTER TABLE delta.`" + location(c) + "` ADD COLUMNS (" + String.join(", ", added) + ")");
    }
  }

  private volatile KernelTables kernel;

  /**
   * The lake's tables read by Delta Kernel (no Spark job), with this session's file system
   * settings.
   */
  public KernelTables kernel() {
    if (kernel == null) {
      kernel = new KernelTables(root, spark.sessionState().newHadoopConf());
    }
    return kernel;
  }

  /**
   * Registers every table and view of the contracts by name in this session, and creates (from its
   * contract: columns, NOT NULL, partitioning, CHECK constraints, comments) every table that does
   * not exist yet. Registering reads nothing from the tables: a table's Delta log is read when a
   * query first touches it, so a command pays for the tables it uses. Views are registered with
   * their schema taken from their query when first used. The SQL functions of {@code
   * schemas/functions/} are registered on demand ({@link #registerFunctions}).
   */
  public Lake open() {
    Set<String> layers =
        contracts.all().stream()
            .map(TableContract::layer)
            .collect(Collectors.toCollection(LinkedHashSet::new));
    contracts.views().forEach(v -> layers.add(v.name().substring(0, v.name().indexOf('.'))));
    var catalog = spark.sessionState().catalog();
    for (String layer : layers) {
      if (!catalog.databaseExists(layer)) {
        spark.sql(
            "CREATE DATABASE IF NOT EXISTS " + layer + " LOCATION '" + root + "/" + layer + "'");
      }
    }
    List<TableContract> missing = new ArrayList<>();
    for (TableContract c : contracts.all()) {
      forgetIfElsewhere(c);
      if (exists(c)) {
        register(c);
      } else {
        missing.add(c);
      }
    }
    createAll(missing);
    registerViews();
    registeredFunctions.clear();
    return this;
  }

  /** Creates tables side by side (each is a first Delta commit; on a new lake there are dozens). */
  private void createAll(List<TableContract> missing) {
    if (missing.size() <= 1) {
      missing.forEach(this::ensureCreated);
      return;
    }
    var pool =
        java.util.concurrent.Executors.newFixedThreadPool(
            Math.min(4, missing.size()),
            r -> {
              Thread t = new Thread(r, "songhong-create-table");
              t.setDaemon(true);
              return t;
            });
    try {
      List<java.util.concurrent.Future<?>> done = new ArrayList<>();
      for (TableContract c : missing) {
        done.add(
            pool.submit(
                () -> {
                  SparkSessionHolder.activate(spark);
                  ensureCreated(c);
                }));
      }
      for (var f : done) {
        f.get();
      }
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re
          ? re
          : new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating the lake's tables", e);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Puts the session as the active one of a worker thread. */
  private static final class SparkSessionHolder {
    static void activate(SparkSession spark) {
      SparkSession.setActiveSession(spark);
    }
  }

  /**
   * Registers an existing table by name without reading it: an external Delta table at its folder.
   * Delta keeps a table's schema in its log, not in the catalog, so nothing else is needed here.
   */
  private void register(TableContract c) {
    var catalog = spark.sessionState().catalog();
    var id =
        new org.apache.spark.sql.catalyst.TableIdentifier(c.table(), scala.Option.apply(c.layer()));
    if (catalog.tableExists(id)) {
      return;
    }
    var storage =
        org.apache.spark.sql.catalyst.catalog.CatalogStorageFormat.empty()
            .copy(
                scala.Option.apply(new Path(location(c)).toUri()),
                scala.Option.empty(),
                scala.Option.empty(),
                scala.Option.empty(),
                false,
                scala.collection.immutable.Map$.MODULE$.<String, String>empty(),
                scala.Option.empty());
    catalog.createTable(
        CatalogEntries.table(
            id,
            org.apache.spark.sql.catalyst.catalog.CatalogTableType.EXTERNAL(),
            storage,
            new org.apache.spark.sql.types.StructType(),
            scala.Option.apply("delta"),
            null,
            scala.Option.empty(),
            null),
        true,
        false);
  }

  /**
   * A session that opened another lake before has this name registered at another location: drop
   * the registration (the table there is external, so its files stay), so the name points here.
   */
  private void forgetIfElsewhere(TableContract c) {
    var catalog = spark.sessionState().catalog();
    var id =
        new org.apache.spark.sql.catalyst.TableIdentifier(c.table(), scala.Option.apply(c.layer()));
    if (!catalog.tableExists(id)) {
      return;
    }
    org.apache.spark.sql.catalyst.catalog.CatalogTable meta;
    try {
      meta = catalog.getTableMetadata(id);
    } catch (Exception e) {
      return;
    }
    String registered = meta.location().toString();
    if (!stripSlash(registered).equals(stripSlash(new Path(location(c)).toUri().toString()))) {
      if (meta.tableType() != org.apache.spark.sql.catalyst.catalog.CatalogTableType.EXTERNAL()) {
        throw Errors.buildMissing(
            "Table "
                + c.name()
                + " is registered as a managed table at "
                + registered
                + "; songhong only registers external tables: restart the session");
      }
      catalog.dropTable(id, true, false);
    }
  }

  private static String stripSlash(String s) {
    String t = s.replaceFirst("^file:/+", "file:///");
    return t.endsWith("/") ? t.substring(0, t.length() - 1) : t;
  }

  private void create(TableContract c) {
    LOG.info("Creating table {} at {}", c.name(), location(c));
    try {
      FirstCommit.write(spark, c, location(c));
    } catch (java.io.IOException e) {
      throw Errors.unwritableLake(location(c) + "/_delta_log", e.getMessage(), e);
    }
    register(c);
  }

  /**
   * The views of {@code schemas/views/}, registered without analysing them (SCHEMA EVOLUTION: the
   * first query of a view resolves it and records its columns), so that registering costs no reads.
   */
  private void registerViews() {
    var catalog = spark.sessionState().catalog();
    scala.collection.immutable.Map<String, String> props =
        scala.jdk.javaapi.CollectionConverters.asScala(
                Map.of(
                    "view.schemaMode", "EVOLUTION",
                    "view.catalogAndNamespace.numParts", "2",
                    "view.catalogAndNamespace.part.0", "spark_catalog",
                    "view.catalogAndNamespace.part.1", "default",
                    "view.sqlConfig.spark.sql.ansi.enabled",
                        spark.conf().get("spark.sql.ansi.enabled", "true"),
                    "view.sqlConfig.spark.sql.session.timeZone",
                        spark.conf().get("spark.sql.session.timeZone"),
                    "view.referredTempViewNames", "[]",
                    "view.referredTempFunctionsNames", "[]",
                    "view.referredTempVariablesNames", "[]"))
            .toMap(scala.$less$colon$less$.MODULE$.refl());
    for (ViewContract v : contracts.views()) {
      String[] parts = v.name().split("\\.", 2);
      var id =
          new org.apache.spark.sql.catalyst.TableIdentifier(parts[1], scala.Option.apply(parts[0]));
      if (catalog.tableExists(id)) {
        catalog.dropTable(id, true, false);
      }
      String sql = v.sql().strip();
      catalog.createTable(
          CatalogEntries.table(
              id,
              org.apache.spark.sql.catalyst.catalog.CatalogTableType.VIEW(),
              org.apache.spark.sql.catalyst.catalog.CatalogStorageFormat.empty(),
              new org.apache.spark.sql.types.StructType(),
              scala.Option.empty(),
              props,
              scala.Option.apply(sql),
              v.description()),
          false,
          false);
    }
  }

  private final Set<String> registeredFunctions =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * Registers the SQL functions of {@code schemas/functions/} that {@code statement} names (all of
   * them when it is null). A function's body is analysed when it is registered, which reads the
   * tables it uses: registering on demand keeps other commands from paying for that.
   */
  public void registerFunctions(String statement) {
    String lower = statement == null ? null : statement.toLowerCase(java.util.Locale.ROOT);
    for (org.songhong.contract.FunctionContract f : contracts.functions()) {
      if (lower == null || calls(lower, f)) {
        register(f, new java.util.HashSet<>());
      }
    }
  }

  /**
   * Registers a function after the functions its body calls (a body is analysed when registered).
   */
  private void register(org.songhong.contract.FunctionContract f, Set<String> visiting) {
    if (registeredFunctions.contains(f.name()) || !visiting.add(f.name())) {
      return;
    }
    String body = f.sql().toLowerCase(java.util.Locale.ROOT);
    for (org.songhong.contract.FunctionContract g : contracts.functions()) {
      if (g != f && calls(body, g)) {
        register(g, visiting);
      }
    }
    if (registeredFunctions.add(f.name())) {
      spark.sql(f.ddl(SqlLiterals.string(f.description().strip())));
    }
  }

  /** Whether lower-cased SQL calls the function: its bare name followed by a parenthesis. */
  private static boolean calls(String lowerSql, org.songhong.contract.FunctionContract f) {
    String bare = f.name().substring(f.name().indexOf('.') + 1).toLowerCase(java.util.Locale.ROOT);
    return lowerSql.matches("(?s).*\\b" + java.util.regex.Pattern.quote(bare) + "\\s*\\(.*");
  }

  /** The latest Delta version of a table, or -1 if it has no commits. */
  public long version(TableContract c) {
    if (!exists(c)) {
      return -1;
    }
    return org.apache.spark.sql.delta.DeltaLog.forTable(spark, new Path(location(c)))
        .update(false, scala.Option.empty(), scala.Option.empty())
        .version();
  }
}
