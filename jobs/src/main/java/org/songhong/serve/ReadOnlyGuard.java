package org.songhong.serve;

import java.lang.reflect.Method;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.sql.SparkSessionExtensions;
import org.apache.spark.sql.SparkSessionExtensionsProvider;
import org.apache.spark.sql.catalyst.plans.logical.Command;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.songhong.error.Errors;
import scala.runtime.BoxedUnit;

/**
 * Keeps the SQL endpoint's clients from changing the lake: once {@link #lock() locked}, every plan
 * that holds a command other than reading, describing, explaining, setting a session option,
 * caching or a temporary view/function is refused before it runs, with a message that names the
 * statement. It is a check rule of the analyzer, so SQL and DataFrame writes alike go through it
 * ({@code DROP}, {@code INSERT}, {@code df.write...}, {@code MERGE}, {@code ALTER}, {@code OPTIMIZE}...).
 * Registered with {@code spark.sql.extensions=...,org.songhong.serve.ReadOnlyGuard}.
 */
public final class ReadOnlyGuard implements SparkSessionExtensionsProvider {
  private static final AtomicBoolean LOCKED = new AtomicBoolean(false);

  /** Commands that read or only touch the client's own session (besides every SHOW and DESCRIBE). */
  private static final Set<String> ALLOWED = Set.of(
      "SetCommand", "ResetCommand", "SetNamespaceCommand", "SetCatalogAndNamespace", "SetCatalogCommand",
      "ShowTables", "ShowTablesCommand", "ShowTablesExtended", "ShowTableExtended", "ShowNamespaces", "ShowViews",
      "ShowViewsCommand", "ShowColumns", "ShowColumnsCommand", "ShowFunctions", "ShowFunctionsCommand",
      "ShowTableProperties", "ShowTablePropertiesCommand", "ShowCreateTable", "ShowCreateTableCommand",
      "ShowPartitions", "ShowPartitionsCommand", "ShowCatalogs", "ShowCatalogsCommand", "ShowCurrentNamespace",
      "ShowCurrentNamespaceCommand", "DescribeRelation", "DescribeTableCommand", "DescribeColumn", "DescribeColumnCommand",
      "DescribeNamespace", "DescribeDatabaseCommand", "DescribeFunction", "DescribeFunctionCommand", "DescribeQueryCommand",
      "ExplainCommand", "CacheTable", "CacheTableAsSelect", "CacheTableCommand", "UncacheTable", "UncacheTableCommand",
      "ClearCacheCommand", "ClearCache", "DescribeDeltaHistory", "DescribeDeltaHistoryCommand", "DescribeDeltaDetailCommand",
      "DescribeDeltaDetail", "DropTempViewCommand");

  /** What the refused commands are called in SQL, for the message. */
  private static final Map<String, String> STATEMENTS = Map.ofEntries(
      Map.entry("DropTable", "DROP TABLE"), Map.entry("DropTableCommand", "DROP TABLE/VIEW"), Map.entry("DropView", "DROP VIEW"),
      Map.entry("DropNamespace", "DROP DATABASE"), Map.entry("DropDatabaseCommand", "DROP DATABASE"),
      Map.entry("AppendData", "INSERT INTO"), Map.entry("OverwriteByExpression", "INSERT OVERWRITE"),
      Map.entry("OverwritePartitionsDynamic", "INSERT OVERWRITE"), Map.entry("InsertIntoStatement", "INSERT"),
      Map.entry("InsertIntoHadoopFsRelationCommand", "INSERT or a file write"), Map.entry("SaveIntoDataSourceCommand", "a DataFrame write"),
      Map.entry("DeleteFromTable", "DELETE"), Map.entry("UpdateTable", "UPDATE"), Map.entry("MergeIntoTable", "MERGE"),
      Map.entry("TruncateTable", "TRUNCATE TABLE"), Map.entry("CreateTable", "CREATE TABLE"),
      Map.entry("CreateTableAsSelect", "CREATE TABLE AS SELECT"), Map.entry("ReplaceTable", "CREATE OR REPLACE TABLE"),
      Map.entry("ReplaceTableAsSelect", "CREATE OR REPLACE TABLE AS SELECT"), Map.entry("CreateView", "CREATE VIEW"),
      Map.entry("CreateViewCommand", "CREATE VIEW"), Map.entry("CreateNamespace", "CREATE DATABASE"),
      Map.entry("AddColumns", "ALTER TABLE ADD COLUMNS"), Map.entry("DropColumns", "ALTER TABLE DROP COLUMNS"),
      Map.entry("RenameColumn", "ALTER TABLE RENAME COLUMN"), Map.entry("AlterColumns", "ALTER TABLE ALTER COLUMN"),
      Map.entry("RenameTable", "ALTER TABLE RENAME"), Map.entry("SetTableProperties", "ALTER TABLE SET TBLPROPERTIES"),
      Map.entry("UnsetTableProperties", "ALTER TABLE UNSET TBLPROPERTIES"), Map.entry("SetTableLocation", "ALTER TABLE SET LOCATION"),
      Map.entry("AlterTableAddConstraint", "ALTER TABLE ADD CONSTRAINT"), Map.entry("OptimizeTableCommand", "OPTIMIZE"),
      Map.entry("VacuumTableCommand", "VACUUM"), Map.entry("RestoreTableCommand", "RESTORE"), Map.entry("RestoreTableStatement", "RESTORE"),
      Map.entry("CreateFunction", "CREATE FUNCTION"), Map.entry("CreateFunctionCommand", "CREATE FUNCTION"),
      Map.entry("CreateUserDefinedFunctionCommand", "CREATE FUNCTION"), Map.entry("DropFunction", "DROP FUNCTION"),
      Map.entry("DeleteCommand", "DELETE"), Map.entry("UpdateCommand", "UPDATE"), Map.entry("MergeIntoCommand", "MERGE"),
      Map.entry("TruncateDeltaTableCommand", "TRUNCATE TABLE"), Map.entry("CreateSQLFunctionCommand", "CREATE FUNCTION"),
      Map.entry("WriteIntoDelta", "a write"), Map.entry("CreateDeltaTableCommand", "CREATE TABLE"),
      Map.entry("AddJarsCommand", "ADD JAR"), Map.entry("AddFilesCommand", "ADD FILE"), Map.entry("AddArchivesCommand", "ADD ARCHIVE"));

  /** From now on, clients cannot change the lake (the endpoint calls this once it has registered everything). */
  public static void lock() {
    LOCKED.set(true);
  }

  public static boolean locked() {
    return LOCKED.get();
  }

  @Override
  public BoxedUnit apply(SparkSessionExtensions extensions) {
    extensions.injectCheckRule(session -> plan -> {
      check(plan);
      return BoxedUnit.UNIT;
    });
    return BoxedUnit.UNIT;
  }

  /** Throws if the plan would change a table, a database or the shared catalog. */
  public static void check(LogicalPlan plan) {
    if (!LOCKED.get()) {
      return;
    }
    plan.foreach(node -> {
      String name = node.getClass().getSimpleName();
      // A statement not yet resolved into its command (Delta's RestoreTableStatement...) counts as one.
      boolean writes = node instanceof Command || name.endsWith("Command") || name.endsWith("Statement");
      boolean reads = ALLOWED.contains(name) || name.startsWith("Show") || name.startsWith("Describe");
      if (writes && !reads && !temporary(node)) {
        String statement = STATEMENTS.getOrDefault(name, name);
        throw Errors.readOnlyEndpoint(statement, target(node));
      }
      return BoxedUnit.UNIT;
    });
  }

  /** A temporary view or function lives in the client's session only. */
  private static boolean temporary(LogicalPlan node) {
    Object viewType = call(node, "viewType");
    if (viewType != null) {
      return viewType.toString().toLowerCase(Locale.ROOT).contains("temp");
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
