package org.songhong.lake;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.songhong.contract.CheckSpec;
import org.songhong.contract.ColumnSpec;
import org.songhong.contract.TableContract;
import org.songhong.error.Errors;

/**
 * Refuses a frame that would break its table's contract, before anything is written: wrong or
 * missing columns, nulls in NOT NULL columns, failed checks, duplicate primary keys. The message
 * names the table, the column or rule, how many rows, and one offending row.
 *
 * <p>Delta enforces NOT NULL and CHECK itself at commit; checking first gives a message a person
 * can act on and covers the primary key, which Delta does not enforce.
 */
public final class ContractEnforcer {
  private ContractEnforcer() {}

  /** Returns {@code frame} with the contract's column order; throws if it breaks the contract. */
  public static Dataset<Row> conform(TableContract contract, Dataset<Row> frame) {
    StructType expected = contract.schema();
    Map<String, StructField> actual = new TreeMap<>();
    for (StructField f : frame.schema().fields()) {
      actual.put(f.name(), f);
    }
    List<String> missing = new ArrayList<>();
    for (StructField f : expected.fields()) {
      StructField a = actual.remove(f.name());
      if (a == null) {
        missing.add(f.name());
      } else if (!a.dataType().sameType(f.dataType())) {
        throw Errors.schemaMismatch(contract.name(), String.format(
            "column %s is %s, the contract says %s", f.name(), a.dataType().sql(), f.dataType().sql()));
      }
    }
    if (!missing.isEmpty()) {
      throw Errors.schemaMismatch(contract.name(), "missing column(s) " + String.join(", ", missing));
    }
    if (!actual.isEmpty()) {
      throw Errors.schemaMismatch(contract.name(), "unexpected column(s) " + String.join(", ", actual.keySet()));
    }
    Dataset<Row> ordered = frame.select(contract.columnNames().stream().map(c -> col("`" + c + "`")).toArray(Column[]::new));
    checkRows(contract, ordered);
    return ordered;
  }

  private static void checkRows(TableContract contract, Dataset<Row> frame) {
    List<String> rules = new ArrayList<>();
    List<String> ruleColumns = new ArrayList<>();
    List<Column> violated = new ArrayList<>();
    for (ColumnSpec c : contract.columns()) {
      if (!c.isNullable()) {
        rules.add("NOT NULL");
        ruleColumns.add(c.name());
        violated.add(col("`" + c.name() + "`").isNull());
      }
    }
    for (CheckSpec check : contract.checks()) {
      rules.add("check " + check.name() + " (" + check.expression() + ")");
      ruleColumns.add(columnsOf(contract, check.expression()));
      // A check holds unless it is false; SQL's NULL counts as passing, as in Delta.
      violated.add(expr("NOT (" + check.expression() + ")").equalTo(lit(true)));
    }
    if (violated.isEmpty()) {
      checkKey(contract, frame);
      return;
    }
    Column[] sums = violated.stream().map(v -> sum(when(v, 1L).otherwise(0L))).toArray(Column[]::new);
    Row counts = frame.agg(sums[0], java.util.Arrays.copyOfRange(sums, 1, sums.length)).first();
    for (int i = 0; i < violated.size(); i++) {
      long n = counts.isNullAt(i) ? 0 : counts.getLong(i);
      if (n > 0) {
        Row sample = frame.filter(violated.get(i)).first();
        throw Errors.contractViolation(contract.name(), ruleColumns.get(i), rules.get(i), n, describe(sample));
      }
    }
    checkKey(contract, frame);
  }

  private static void checkKey(TableContract contract, Dataset<Row> frame) {
    if (contract.primaryKey().isEmpty()) {
      return;
    }
    Column[] key = contract.primaryKey().stream().map(k -> col("`" + k + "`")).toArray(Column[]::new);
    Dataset<Row> dups = frame.groupBy(key).agg(count(lit(1)).as("n")).filter(col("n").gt(1));
    List<Row> first = dups.limit(1).collectAsList();
    if (!first.isEmpty()) {
      long n = dups.count();
      throw Errors.contractViolation(contract.name(), String.join(", ", contract.primaryKey()),
          "primary key uniqueness", n, describe(first.get(0)));
    }
  }

  private static String columnsOf(TableContract contract, String expression) {
    List<String> used = contract.columnNames().stream().filter(c -> expression.matches("(?s).*\\b" + c + "\\b.*")).toList();
    return used.isEmpty() ? "(row)" : String.join(", ", used);
  }

  static String describe(Row row) {
    StringBuilder sb = new StringBuilder("{");
    String[] names = row.schema().fieldNames();
    for (int i = 0; i < names.length && i < 12; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(names[i]).append('=').append(row.isNullAt(i) ? "null" : String.valueOf(row.get(i)));
    }
    return sb.append(names.length > 12 ? ", ...}" : "}").toString();
  }
}
