package org.songhong.contract;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/**
 * A row built by column name, laid out in the order of a contract's columns (or of a struct nested
 * in one): swapping two columns of the same type in a contract moves their values with them instead
 * of swapping them silently. Every column must be given exactly once; a name the contract lacks, a
 * column given twice or one left out fails at once, naming it. The row carries its schema, so its
 * reader can ask for a value by name too. No Spark session needed.
 */
public final class NamedRow {
  private final StructType type;
  private final Object[] values;
  private final boolean[] given;

  private NamedRow(StructType type) {
    this.type = type;
    this.values = new Object[type.size()];
    this.given = new boolean[type.size()];
  }

  /**
   * A row of the table's columns (builds the table's schema: for many rows, keep the schema and use
   * {@link #of(StructType)}).
   */
  public static NamedRow of(TableContract table) {
    return new NamedRow(table.schema());
  }

  /** A row of a struct type (such as one returned by {@link #element}). */
  public static NamedRow of(StructType type) {
    return new NamedRow(type);
  }

  /** The struct type of the elements of an {@code array<struct<...>>} column of a table. */
  public static StructType element(TableContract table, String column) {
    DataType t = table.schema().apply(column).dataType();
    if (t instanceof ArrayType a && a.elementType() instanceof StructType s) {
      return s;
    }
    throw new IllegalArgumentException(
        table.name() + "." + column + " is " + t.simpleString() + ", not an array of structs");
  }

  /** Sets a column; a name the type lacks, or one given twice, is an error naming it. */
  public NamedRow set(String column, Object value) {
    int i;
    try {
      i = type.fieldIndex(column);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("no column " + column + " in " + type.simpleString(), e);
    }
    if (given[i]) {
      throw new IllegalArgumentException("column " + column + " given twice");
    }
    given[i] = true;
    values[i] = value;
    return this;
  }

  /** The row, once every column is given. */
  public Row row() {
    List<String> missing = new ArrayList<>();
    for (int i = 0; i < given.length; i++) {
      if (!given[i]) {
        missing.add(type.fields()[i].name());
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          "columns not given: " + missing + " of " + type.simpleString());
    }
    return new GenericRowWithSchema(values.clone(), type);
  }
}
