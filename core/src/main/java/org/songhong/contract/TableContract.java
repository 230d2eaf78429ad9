package org.songhong.contract;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A table as declared in {@code schemas/tables/}: its name ({@code layer.table}), columns, key,
 * partitioning, grain, checks and the columns Delta keeps statistics on. The code creates and
 * validates tables from this, never restating it.
 *
 * <p>{@code stats_columns}: the columns whose minimum, maximum and null count Delta records for
 * each data file, to skip files a query's filter rules out. Absent: Delta's default (the first 32
 * columns). Listed: those only ({@code delta.dataSkippingStatsColumns}); an empty list keeps only
 * the row counts ({@code delta.dataSkippingNumIndexedCols = 0}). Delta computes them for every row
 * written, copying each string value it compares: on a table of raw lines or of millions of rows a
 * day, the columns nobody filters by cost write time and buy nothing.
 */
public record TableContract(
    @JsonProperty(value = "table", required = true) String name,
    @JsonProperty("description") String description,
    @JsonProperty(value = "grain", required = true) String grain,
    @JsonProperty(value = "columns", required = true) List<ColumnSpec> columns,
    @JsonProperty("primary_key") List<String> primaryKey,
    @JsonProperty("partitioned_by") List<String> partitionedBy,
    @JsonProperty("checks") List<CheckSpec> checks,
    @JsonProperty("stats_columns") List<String> statsColumns) {

  public TableContract {
    primaryKey = primaryKey == null ? List.of() : List.copyOf(primaryKey);
    partitionedBy = partitionedBy == null ? List.of() : List.copyOf(partitionedBy);
    checks = checks == null ? List.of() : List.copyOf(checks);
    statsColumns = statsColumns == null ? null : List.copyOf(statsColumns);
    columns = List.copyOf(columns);
  }

  /** A contract as above with Delta's default statistics (the first 32 columns). */
  public TableContract(
      String name,
      String description,
      String grain,
      List<ColumnSpec> columns,
      List<String> primaryKey,
      List<String> partitionedBy,
      List<CheckSpec> checks) {
    this(name, description, grain, columns, primaryKey, partitionedBy, checks, null);
  }

  /** The columns Delta keeps file statistics on, when the contract chooses them. */
  public Optional<List<String>> statsColumnsChosen() {
    return Optional.ofNullable(statsColumns);
  }

  /** The layer (database): bronze, silver, gold or ops. */
  public String layer() {
    return name.substring(0, name.indexOf('.'));
  }

  /** The table name within its layer. */
  public String table() {
    return name.substring(name.indexOf('.') + 1);
  }

  public Optional<ColumnSpec> column(String columnName) {
    return columns.stream().filter(c -> c.name().equals(columnName)).findFirst();
  }

  public List<String> columnNames() {
    return columns.stream().map(ColumnSpec::name).toList();
  }

  /**
   * The schema to build frames with before a write: the contract's, with every column nullable, so
   * that a null where the contract forbids one reaches the contract check and its clear message.
   */
  public StructType writeSchema() {
    StructType s = new StructType();
    for (StructField f : schema().fields()) {
      s = s.add(new StructField(f.name(), f.dataType(), true, f.metadata()));
    }
    return s;
  }

  private static final java.util.Map<String, DataType> TYPES =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * A column type of a contract ({@code "array<struct<year:int>>"}) as Spark's type. Parsed once
   * per text and JVM: Spark's SQL parser costs ~1 ms a type, and a schema is asked for on every
   * write.
   *
   * @throws org.apache.spark.sql.catalyst.parser.ParseException for a text that is not a type
   */
  public static DataType type(String ddl) {
    return TYPES.computeIfAbsent(ddl, DataType::fromDDL);
  }

  /** The Spark schema, with nullability and the column descriptions as comments. */
  public StructType schema() {
    StructField[] fields =
        columns.stream()
            .map(
                c -> {
                  Metadata md =
                      c.description() == null
                          ? Metadata.empty()
                          : new MetadataBuilder().putString("comment", c.description()).build();
                  return new StructField(c.name(), type(c.type()), c.isNullable(), md);
                })
            .toArray(StructField[]::new);
    return new StructType(fields);
  }
}
