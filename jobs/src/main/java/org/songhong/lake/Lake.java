package org.songhong.lake;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.songhong.contract.CheckSpec;
import org.songhong.contract.ContractCatalog;
import org.songhong.contract.TableContract;
import org.songhong.contract.ViewContract;
import org.songhong.error.Errors;

/**
 * The lake: a root folder (or Hadoop URI) holding one Delta table per contract at
 * {@code ROOT/LAYER/TABLE}. The folders are the source of truth; each session registers them by
 * name ({@code gold.target_attainment}) in its own catalog, so any number of JVMs, on one machine
 * or a cluster, see the same tables without a shared metastore.
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

  public boolean exists(TableContract c) {
    try {
      Path log = new Path(location(c) + "/_delta_log");
      FileSystem fs = log.getFileSystem(spark.sessionState().newHadoopConf());
      return fs.exists(log) && fs.listStatus(log).length > 0;
    } catch (java.io.IOException e) {
      throw Errors.unreadableFile(location(c), e.getMessage(), e);
    }
  }

  /**
   * Creates every table that does not exist yet, from its contract (columns, NOT NULL,
   * partitioning, CHECK constraints, comments), and registers every table by name.
   */
  public Lake open() {
    Set<String> layers = contracts.all().stream().map(TableContract::layer).collect(Collectors.toCollection(LinkedHashSet::new));
    for (String layer : layers) {
      spark.sql("CREATE DATABASE IF NOT EXISTS " + layer + " LOCATION '" + root + "/" + layer + "'");
    }
    for (TableContract c : contracts.all()) {
      forgetIfElsewhere(c);
      if (!exists(c)) {
        create(c);
      } else {
        spark.sql("CREATE TABLE IF NOT EXISTS " + c.name() + " USING delta LOCATION '" + location(c) + "'");
      }
    }
    registerViews();
    spark.conf().set(REGISTERED, root);
    return this;
  }

  /** Session setting naming the lake whose tables the session's names point at (the last one opened). */
  static final String REGISTERED = "songhong.session.registered.lake";

  /**
   * Registers the tables again when another lake was opened in this session since, so names read
   * this lake: two runtimes on two lakes can share a session (tests, benchmarks) without one job
   * reading the other lake's tables by name.
   */
  public Lake ensureRegistered() {
    if (!root.equals(spark.conf().get(REGISTERED, null))) {
      LOG.info("Names in this session pointed at another lake: registering {} again", root);
      open();
    }
    return this;
  }

  /**
   * A session that opened another lake before has this name registered at another location: drop
   * the registration (the table there is external, so its files stay), so the name points here.
   */
  private void forgetIfElsewhere(TableContract c) {
    var catalog = spark.sessionState().catalog();
    var id = new org.apache.spark.sql.catalyst.TableIdentifier(c.table(), scala.Option.apply(c.layer()));
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
        throw Errors.buildMissing("Table " + c.name() + " is registered as a managed table at " + registered
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
    List<String> cols = new ArrayList<>();
    for (StructField f : c.schema().fields()) {
      String comment = c.column(f.name()).orElseThrow().description();
      cols.add("`" + f.name() + "` " + f.dataType().sql() + (f.nullable() ? "" : " NOT NULL")
          + (comment == null ? "" : " COMMENT " + quote(comment)));
    }
    StringBuilder ddl = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(c.name())
        .append(" (").append(String.join(", ", cols)).append(") USING delta");
    if (!c.partitionedBy().isEmpty()) {
      ddl.append(" PARTITIONED BY (").append(String.join(", ", c.partitionedBy())).append(")");
    }
    ddl.append(" LOCATION '").append(location(c)).append("'");
    String comment = c.grain() + (c.description() == null ? "" : " " + c.description());
    ddl.append(" COMMENT ").append(quote(comment.strip()));
    ddl.append(" TBLPROPERTIES ('songhong.grain' = ").append(quote(c.grain()));
    if (!c.primaryKey().isEmpty()) {
      ddl.append(", 'songhong.primary_key' = '").append(String.join(",", c.primaryKey())).append("'");
    }
    // CHECK constraints go in with the table (one commit, not one per constraint); Delta enforces
    // them exactly as if added by ALTER TABLE ... ADD CONSTRAINT.
    for (CheckSpec check : c.checks()) {
      ddl.append(", 'delta.constraints.").append(check.name().toLowerCase(java.util.Locale.ROOT)).append("' = ")
          .append(quote(check.expression()));
    }
    ddl.append(")");
    spark.sql(ddl.toString());
  }

  /** The views of {@code schemas/views/} and the functions of {@code schemas/functions/}; they live in the session's catalog, not in the lake. */
  private void registerViews() {
    for (ViewContract v : contracts.views()) {
      spark.sql("CREATE OR REPLACE VIEW " + v.name() + " COMMENT " + quote(v.description()) + " AS " + v.sql());
    }
    for (org.songhong.contract.FunctionContract f : contracts.functions()) {
      spark.sql(f.ddl(quote(f.description().strip())));
    }
  }

  /** The latest Delta version of a table, or -1 if it has no commits. */
  public long version(TableContract c) {
    List<Row> rows = spark.sql("DESCRIBE HISTORY " + c.name() + " LIMIT 1").collectAsList();
    return rows.isEmpty() ? -1 : rows.get(0).getLong(0);
  }

  static String quote(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
