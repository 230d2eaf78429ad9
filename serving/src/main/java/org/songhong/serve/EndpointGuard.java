package org.songhong.serve;

import java.lang.reflect.Method;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.sql.SparkSessionExtensions;
import org.apache.spark.sql.SparkSessionExtensionsProvider;
import org.apache.spark.sql.catalyst.catalog.CatalogTable;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.plans.logical.Command;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.delta.DeltaLogFileIndex;
import org.apache.spark.sql.delta.catalog.DeltaTableV2;
import org.apache.spark.sql.execution.datasources.HadoopFsRelation;
import org.apache.spark.sql.execution.datasources.LogicalRelation;
import org.apache.spark.sql.execution.datasources.v2.DataSourceV2Relation;
import org.songhong.error.Errors;
import scala.Option;
import scala.runtime.BoxedUnit;

/**
 * What the SQL endpoint's clients may do: read the lake's tables, views, functions and pinned
 * releases, and nothing else. Once {@link #lock() locked}, every analyzed plan (with its
 * subqueries, CTEs and the bodies of the views it reads, temporary ones included) is walked before
 * it runs, and refused with one line that says what is allowed instead when it
 *
 * <ul>
 *   <li>changes the lake or the shared catalog: any command but reading, describing, explaining,
 *       setting a session option and temporary views ({@code DROP}, {@code INSERT}, {@code MERGE},
 *       {@code df.write}, {@code OPTIMIZE}, {@code ADD JAR/FILE/ARCHIVE}...);
 *   <li>reads anything but a lake table: a file or a path ({@code text.`/etc/passwd`}, {@code
 *       csv.`...`}, {@code binaryFile.`...`}, {@code delta.`/path`}, {@code spark.read.load}),
 *       another catalog, a stream (the {@link GuardedParser} refuses {@code format.`path`} before
 *       the analyzer would read the file to infer its schema, and SQL on files is off);
 *   <li>runs code on the server: {@code reflect}, {@code java_method}, {@code try_reflect}, {@code
 *       TRANSFORM ... USING}, {@code CREATE FUNCTION ... AS 'class'}, Python functions;
 *   <li>holds the server's memory for the client ({@code CACHE TABLE});
 *   <li>changes a setting the server owns (its limits, parallelism, catalogs, Hadoop settings);
 *   <li>would exceed the number of queries that may run at once ({@link QueryGovernor}).
 * </ul>
 *
 * It is a check rule of the analyzer, so SQL and DataFrame requests alike go through it. The {@link
 * EndpointInterceptor} refuses, before any plan is built, what never reaches the analyzer
 * (artifacts, client functions in the request, streaming and ML commands, {@code persist}).
 * Registered with {@code spark.sql.extensions=...,org.songhong.serve.EndpointGuard}.
 */
public final class EndpointGuard implements SparkSessionExtensionsProvider {
  private static final AtomicBoolean LOCKED = new AtomicBoolean(false);

  /** The lake's databases: a relation read from a catalog table in one of these is a lake table. */
  private static final Set<String> LAKE_DATABASES = Set.of("bronze", "silver", "gold", "ops");

  static final String INSTEAD_TABLES =
      "query the lake's tables by name (SHOW TABLES IN gold; a pinned release is pin_NAME.table)";

  /**
   * Commands that read or only touch the client's own session (besides every SHOW and DESCRIBE).
   */
  private static final Set<String> ALLOWED =
      Set.of(
          "SetCommand",
          "ResetCommand",
          "SetNamespaceCommand",
          "SetCatalogAndNamespace",
          "SetCatalogCommand",
          "ShowTables",
          "ShowTablesCommand",
          "ShowTablesExtended",
          "ShowTableExtended",
          "ShowNamespaces",
          "ShowViews",
          "ShowViewsCommand",
          "ShowColumns",
          "ShowColumnsCommand",
          "ShowFunctions",
          "ShowFunctionsCommand",
          "ShowTableProperties",
          "ShowTablePropertiesCommand",
          "ShowCreateTable",
          "ShowCreateTableCommand",
          "ShowPartitions",
          "ShowPartitionsCommand",
          "ShowCatalogs",
          "ShowCatalogsCommand",
          "ShowCurrentNamespace",
          "ShowCurrentNamespaceCommand",
          "DescribeRelation",
          "DescribeTableCommand",
          "DescribeColumn",
          "DescribeColumnCommand",
          "DescribeNamespace",
          "DescribeDatabaseCommand",
          "DescribeFunction",
          "DescribeFunctionCommand",
          "DescribeQueryCommand",
          "ExplainCommand",
          "UncacheTable",
          "UncacheTableCommand",
          "ClearCacheCommand",
          "ClearCache",
          "DescribeDeltaHistory",
          "DescribeDeltaHistoryCommand",
          "DescribeDeltaDetailCommand",
          "DescribeDeltaDetail",
          "DropTempViewCommand");

  /** What the refused commands are called in SQL, for the message. */
  private static final Map<String, String> STATEMENTS =
      Map.ofEntries(
          Map.entry("DropTable", "DROP TABLE"),
          Map.entry("DropTableCommand", "DROP TABLE/VIEW"),
          Map.entry("DropView", "DROP VIEW"),
          Map.entry("DropNamespace", "DROP DATABASE"),
          Map.entry("DropDatabaseCommand", "DROP DATABASE"),
          Map.entry("AppendData", "INSERT INTO"),
          Map.entry("OverwriteByExpression", "INSERT OVERWRITE"),
          Map.entry("OverwritePartitionsDynamic", "INSERT OVERWRITE"),
          Map.entry("InsertIntoStatement", "INSERT"),
          Map.entry("InsertIntoHadoopFsRelationCommand", "INSERT or a file write"),
          Map.entry("SaveIntoDataSourceCommand", "a DataFrame write"),
          Map.entry("DeleteFromTable", "DELETE"),
          Map.entry("UpdateTable", "UPDATE"),
          Map.entry("MergeIntoTable", "MERGE"),
          Map.entry("TruncateTable", "TRUNCATE TABLE"),
          Map.entry("CreateTable", "CREATE TABLE"),
          Map.entry("CreateTableAsSelect", "CREATE TABLE AS SELECT"),
          Map.entry("ReplaceTable", "CREATE OR REPLACE TABLE"),
          Map.entry("ReplaceTableAsSelect", "CREATE OR REPLACE TABLE AS SELECT"),
          Map.entry("CreateView", "CREATE VIEW"),
          Map.entry("CreateViewCommand", "CREATE VIEW"),
          Map.entry("CreateNamespace", "CREATE DATABASE"),
          Map.entry("AddColumns", "ALTER TABLE ADD COLUMNS"),
          Map.entry("DropColumns", "ALTER TABLE DROP COLUMNS"),
          Map.entry("RenameColumn", "ALTER TABLE RENAME COLUMN"),
          Map.entry("AlterColumns", "ALTER TABLE ALTER COLUMN"),
          Map.entry("RenameTable", "ALTER TABLE RENAME"),
          Map.entry("SetTableProperties", "ALTER TABLE SET TBLPROPERTIES"),
          Map.entry("UnsetTableProperties", "ALTER TABLE UNSET TBLPROPERTIES"),
          Map.entry("SetTableLocation", "ALTER TABLE SET LOCATION"),
          Map.entry("AlterTableAddConstraint", "ALTER TABLE ADD CONSTRAINT"),
          Map.entry("OptimizeTableCommand", "OPTIMIZE"),
          Map.entry("VacuumTableCommand", "VACUUM"),
          Map.entry("RestoreTableCommand", "RESTORE"),
          Map.entry("RestoreTableStatement", "RESTORE"),
          Map.entry("CreateFunction", "CREATE FUNCTION"),
          Map.entry("CreateFunctionCommand", "CREATE FUNCTION"),
          Map.entry("CreateUserDefinedFunctionCommand", "CREATE FUNCTION"),
          Map.entry("DropFunction", "DROP FUNCTION"),
          Map.entry("DeleteCommand", "DELETE"),
          Map.entry("UpdateCommand", "UPDATE"),
          Map.entry("MergeIntoCommand", "MERGE"),
          Map.entry("TruncateDeltaTableCommand", "TRUNCATE TABLE"),
          Map.entry("CreateSQLFunctionCommand", "CREATE FUNCTION"),
          Map.entry("WriteIntoDelta", "a write"),
          Map.entry("CreateDeltaTableCommand", "CREATE TABLE"),
          Map.entry("AddJarsCommand", "ADD JAR"));

  /** Commands that are not writes but are refused all the same, with their own message. */
  private static final Map<String, String> REFUSED_COMMANDS =
      Map.ofEntries(
          Map.entry(
              "AddFilesCommand",
              "ADD FILE (it puts a file of the client's choosing on the server)"),
          Map.entry(
              "AddArchivesCommand",
              "ADD ARCHIVE (it unpacks an archive of the client's choosing on the server)"),
          Map.entry("ListFilesCommand", "LIST FILE"),
          Map.entry("ListJarsCommand", "LIST JAR"),
          Map.entry("ListArchivesCommand", "LIST ARCHIVE"),
          Map.entry("CacheTable", "CACHE TABLE (it holds the server's memory for one client)"),
          Map.entry(
              "CacheTableAsSelect", "CACHE TABLE (it holds the server's memory for one client)"),
          Map.entry(
              "CacheTableCommand", "CACHE TABLE (it holds the server's memory for one client)"));

  /**
   * Plan nodes that run code chosen by the client. Typed operations and Scala UDFs are not here:
   * Delta's own reads of its log use them, and a client cannot send them (the {@link
   * EndpointInterceptor} refuses every request that carries a function of the client's).
   */
  private static final Map<String, String> CODE_NODES =
      Map.ofEntries(
          Map.entry(
              "ScriptTransformation",
              "TRANSFORM ... USING (it runs a shell command on the server)"),
          Map.entry("MapInPandas", "a Python function (client code)"),
          Map.entry("MapInArrow", "a Python function (client code)"),
          Map.entry("FlatMapGroupsInPandas", "a Python function (client code)"),
          Map.entry("FlatMapGroupsInArrow", "a Python function (client code)"),
          Map.entry("FlatMapCoGroupsInPandas", "a Python function (client code)"),
          Map.entry("FlatMapCoGroupsInArrow", "a Python function (client code)"),
          Map.entry("FlatMapGroupsInPandasWithState", "a Python function (client code)"),
          Map.entry("PythonMapInArrow", "a Python function (client code)"),
          Map.entry(
              "CreateFunctionCommand",
              "CREATE FUNCTION ... AS 'class' (it loads a class on the server)"));

  /** Expressions that run code chosen by the client. */
  private static final Map<String, String> CODE_EXPRESSIONS =
      Map.ofEntries(
          Map.entry(
              "CallMethodViaReflection",
              "reflect/java_method (it calls any Java method on the server)"),
          Map.entry("TryReflect", "try_reflect (it calls any Java method on the server)"),
          Map.entry("PythonUDF", "a Python function (client code)"),
          Map.entry("PythonUDAF", "a Python function (client code)"),
          Map.entry("PythonUDTF", "a Python table function (client code)"),
          Map.entry("UnresolvedPolymorphicPythonUDTF", "a Python table function (client code)"));

  /** File formats a query can name as {@code format.`path`} (what the parser refuses). */
  static final Set<String> FILE_SOURCES =
      Set.of(
          "text",
          "csv",
          "json",
          "parquet",
          "orc",
          "avro",
          "binaryfile",
          "delta",
          "xml",
          "jdbc",
          "libsvm",
          "image",
          "hive",
          "noop",
          "console",
          "rate",
          "socket",
          "kafka");

  /**
   * Settings a client may not change (SET or spark.conf.set): the server's limits and the way it
   * runs and reads.
   */
  private static final java.util.List<String> PROTECTED_SETTINGS =
      java.util.List.of(
          "songhong.",
          "spark.songhong.",
          "spark.sql.catalog.",
          "spark.sql.extensions",
          "spark.hadoop.",
          "spark.connect.",
          "spark.sql.connect.",
          "spark.scheduler.",
          "spark.sql.leafNodeDefaultParallelism",
          "spark.sql.sources.",
          "spark.sql.warehouse.",
          "spark.sql.defaultCatalog",
          "spark.databricks.delta.",
          "spark.sql.runSQLOnFiles");

  /**
   * From now on, clients cannot change the lake (the endpoint calls this once it has registered
   * everything).
   */
  public static void lock() {
    LOCKED.set(true);
  }

  public static boolean locked() {
    return LOCKED.get();
  }

  @Override
  public BoxedUnit apply(SparkSessionExtensions extensions) {
    extensions.injectParser((session, parser) -> new GuardedParser(parser));
    extensions.injectCheckRule(
        session ->
            plan -> {
              check(plan);
              if (LOCKED.get()) {
                QueryGovernor.admit(session);
              }
              return BoxedUnit.UNIT;
            });
    return BoxedUnit.UNIT;
  }

  /** Throws, with what to do instead, if the plan would do more than read the lake. */
  public static void check(LogicalPlan plan) {
    if (!LOCKED.get()) {
      return;
    }
    walk(plan, EndpointGuard::checkNode);
  }

  /**
   * Visits every node of a plan: its children, its inner plans (the definitions of a WITH clause, a
   * command's query) and the plans of its subquery expressions, at any depth.
   */
  static void walk(LogicalPlan plan, java.util.function.Consumer<LogicalPlan> visit) {
    java.util.ArrayDeque<LogicalPlan> pending = new java.util.ArrayDeque<>();
    java.util.Set<LogicalPlan> seen =
        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    pending.push(plan);
    while (!pending.isEmpty()) {
      LogicalPlan node = pending.pop();
      if (!seen.add(node)) {
        continue;
      }
      visit.accept(node);
      scala.collection.Iterator<LogicalPlan> children = node.children().iterator();
      while (children.hasNext()) {
        pending.push(children.next());
      }
      scala.collection.Iterator<?> inner = node.innerChildren().iterator();
      while (inner.hasNext()) {
        if (inner.next() instanceof LogicalPlan p) {
          pending.push(p);
        }
      }
      scala.collection.Iterator<LogicalPlan> subqueries = node.subqueries().iterator();
      while (subqueries.hasNext()) {
        pending.push(subqueries.next());
      }
    }
  }

  /** Whether a client may change this setting (the interceptor asks for spark.conf.set). */
  public static void checkSetting(String key) {
    String k = key == null ? "" : key.strip();
    for (String p : PROTECTED_SETTINGS) {
      if (k.equals(p) || k.startsWith(p)) {
        throw Errors.endpointRefuses(
            "changing the server's setting " + k,
            "session settings such as spark.sql.session.timeZone or spark.sql.ansi.enabled may be set; the server's limits, "
                + "catalogs and parallelism are its operator's (songhong serve sql --conf ...)");
      }
    }
  }

  private static void checkNode(LogicalPlan node) {
    String name = node.getClass().getSimpleName();
    String code = CODE_NODES.get(name);
    if (code != null) {
      throw Errors.endpointRefuses(
          code,
          "the endpoint runs SQL and DataFrame queries of the lake only: use built-in functions"
              + " and the lake's functions (SHOW USER FUNCTIONS IN gold)");
    }
    String refused = REFUSED_COMMANDS.get(name);
    if (refused != null) {
      throw Errors.endpointRefuses(
          refused,
          "query the tables as they are, or keep your own results in a temporary view or a DataFrame");
    }
    if (name.equals("SetCommand")) {
      Object kv = call(node, "kv");
      if (kv instanceof Option<?> o
          && o.isDefined()
          && o.get() instanceof scala.Tuple2<?, ?> pair
          && pair._2() instanceof Option<?> value
          && value.isDefined()) {
        checkSetting(String.valueOf(pair._1()));
      }
    }
    boolean writes =
        node instanceof Command || name.endsWith("Command") || name.endsWith("Statement");
    boolean reads =
        ALLOWED.contains(name) || name.startsWith("Show") || name.startsWith("Describe");
    if (writes && !reads && !temporary(node)) {
      String statement = STATEMENTS.getOrDefault(name, name);
      throw Errors.readOnlyEndpoint(statement, target(node));
    }
    if (node.children().isEmpty() && !writes) {
      checkSource(node, name);
    }
    scala.collection.Iterator<Expression> it = node.expressions().iterator();
    while (it.hasNext()) {
      it.next()
          .foreach(
              e -> {
                String what = CODE_EXPRESSIONS.get(e.getClass().getSimpleName());
                if (what != null) {
                  throw Errors.endpointRefuses(
                      what,
                      "use built-in functions and the lake's functions (SHOW USER FUNCTIONS IN gold)");
                }
                return BoxedUnit.UNIT;
              });
    }
  }

  /** A leaf of a query: a lake table, rows the client sent, or a generated range; nothing else. */
  private static void checkSource(LogicalPlan leaf, String name) {
    switch (name) {
      // Rows the client sent, generated rows, and what only the server builds (Delta's state of a
      // table).
      case "LocalRelation",
          "OneRowRelation",
          "Range",
          "CTERelationRef",
          "EmptyRelation",
          "LogicalRDD",
          "ExternalRDD",
          "InMemoryRelation" -> {
        return;
      }
      default -> {}
    }
    if (name.startsWith("Resolved")) {
      return; // the catalog objects a DESCRIBE or SHOW names, already checked as commands
    }
    if (leaf instanceof LogicalRelation r) {
      if (r.catalogTable().isDefined() && inLake(r.catalogTable().get())) {
        return;
      }
      if (r.relation() instanceof HadoopFsRelation h && h.location() instanceof DeltaLogFileIndex) {
        return; // Delta reading a lake table's log, while it reads the table
      }
      throw Errors.endpointRefuses(
          "reading files or a path directly (" + describe(r) + ")", INSTEAD_TABLES);
    }
    if (leaf instanceof DataSourceV2Relation r) {
      if (r.table() instanceof DeltaTableV2 t
          && t.catalogTable().isDefined()
          && inLake(t.catalogTable().get())) {
        return;
      }
      throw Errors.endpointRefuses(
          "reading "
              + (r.table() instanceof DeltaTableV2
                  ? "a Delta table by its path"
                  : "another catalog's table")
              + " ("
              + r.table().name()
              + ")",
          INSTEAD_TABLES);
    }
    throw Errors.endpointRefuses("reading from " + name, INSTEAD_TABLES);
  }

  private static boolean inLake(CatalogTable t) {
    Option<String> db = t.identifier().database();
    return db.isDefined() && LAKE_DATABASES.contains(db.get().toLowerCase(Locale.ROOT));
  }

  private static String describe(LogicalRelation r) {
    String s = r.relation().toString();
    return s.length() > 160 ? s.substring(0, 160) + "..." : s;
  }

  /** A temporary view or function lives in the client's session only. */
  private static boolean temporary(LogicalPlan node) {
    Object viewType = call(node, "viewType");
    if (viewType != null) {
      String v = viewType.toString().toLowerCase(Locale.ROOT);
      return v.contains("temp")
          && !v.contains("global"); // a global temporary view is seen by every client
    }
    Object isTemp = call(node, "isTemp");
    if (isTemp == null) {
      isTemp = call(node, "temporary");
    }
    return Boolean.TRUE.equals(isTemp);
  }

  private static final java.util.regex.Pattern TABLE_NAME =
      java.util.regex.Pattern.compile("\\b((?:bronze|silver|gold|ops)\\.[A-Za-z0-9_]+)\\b");

  /** The lake table a command names, when it names one (for the message). */
  private static String target(LogicalPlan node) {
    java.util.regex.Matcher m = TABLE_NAME.matcher(node.simpleString(8) + " " + node.toString());
    return m.find() ? m.group(1) : null;
  }

  private static Object call(Object o, String method) {
    try {
      Method m = o.getClass().getMethod(method);
      return m.getParameterCount() == 0 ? m.invoke(o) : null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
