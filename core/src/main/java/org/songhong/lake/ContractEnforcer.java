package org.songhong.lake;

import static org.apache.spark.sql.functions.bit_or;
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
  /** Rules a row may break, as bits of one long (the sign bit unused). */
  private static final int RULES_PER_WORD = 63;

  private ContractEnforcer() {}

  /** Returns {@code frame} with the contract's column order; throws if it breaks the contract. */
  public static Dataset<Row> conform(TableContract contract, Dataset<Row> frame) {
    Dataset<Row> ordered = ordered(contract, frame);
    checkRows(contract, ordered);
    return ordered;
  }

  /**
   * {@code frame}'s columns checked by name and type against the contract, in the contract's order
   * (no Spark job).
   */
  public static Dataset<Row> ordered(TableContract contract, Dataset<Row> frame) {
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
        throw Errors.schemaMismatch(
            contract.name(),
            String.format(
                "column %s is %s, the contract says %s",
                f.name(), a.dataType().sql(), f.dataType().sql()));
      }
    }
    if (!missing.isEmpty()) {
      throw Errors.schemaMismatch(
          contract.name(), "missing column(s) " + String.join(", ", missing));
    }
    if (!actual.isEmpty()) {
      throw Errors.schemaMismatch(
          contract.name(), "unexpected column(s) " + String.join(", ", actual.keySet()));
    }
    return frame.select(
        contract.columnNames().stream().map(c -> col("`" + c + "`")).toArray(Column[]::new));
  }

  /**
   * Checks every row of {@code ordered} (a frame from {@link #ordered}) against the contract's NOT
   * NULL columns, checks and primary key, and counts its rows: one Spark job for all of it. Throws
   * on the first broken rule; returns the number of rows.
   */
  public static long checkRows(TableContract contract, Dataset<Row> ordered) {
    return check(contract, ordered, false).rows();
  }

  /**
   * What {@link #check} found: the row count, and (when asked for) the frame's content fingerprint
   * as {@link #fingerprint} computes it.
   */
  public record Checked(long rows, List<Object> fingerprint) {}

  /**
   * The content of {@code frame} (columns of {@code contract}) as a multiset fingerprint: the row
   * count and the exact sums of two 64-bit row hashes with different seeds, one Spark job. Equal
   * content gives equal fingerprints whatever the row order; a different content the same one with
   * a chance of about 2^-128.
   */
  public static List<Object> fingerprint(TableContract contract, Dataset<Row> frame) {
    Row r =
        withRowHashes(contract, frame)
            .agg(count(lit(1)), sliceSums().toArray(Column[]::new))
            .first();
    return java.util.Arrays.asList(r.get(0), exactSum(r, 1), exactSum(r, 1 + SLICES.length));
  }

  /** The two row hashes of {@link #fingerprint}, as columns. */
  private static final String[] ROW_HASHES = {"_songhong_row_hash_1", "_songhong_row_hash_2"};

  /**
   * Bits of a row hash summed apart (from bit, how many; the last slice keeps the sign): each sum
   * is then an exact BIGINT up to 2^41 rows, and the slices' sums give the hashes' exact sum on the
   * driver. A sum of the hashes cast to DECIMAL(38,0), as before, kept a decimal per group and per
   * row in the aggregation's buffers: two decimal objects built and written back per row.
   */
  private static final int[][] SLICES = {{0, 22}, {22, 21}, {43, 21}};

  /** {@code frame} with its two row hashes over the contract's columns. */
  private static Dataset<Row> withRowHashes(TableContract contract, Dataset<Row> frame) {
    String cols =
        contract.columnNames().stream()
            .map(c -> comparable(contract, c))
            .collect(java.util.stream.Collectors.joining(", "));
    return frame
        .withColumn(ROW_HASHES[0], expr("xxhash64(" + cols + ")"))
        .withColumn(ROW_HASHES[1], expr("xxhash64('songhong', " + cols + ")"));
  }

  /** The sums of each row hash's slices, hash by hash: {@code SLICES.length} columns a hash. */
  private static List<Column> sliceSums() {
    List<Column> sums = new ArrayList<>();
    for (String h : ROW_HASHES) {
      for (int[] slice : SLICES) {
        Column bits = org.apache.spark.sql.functions.shiftright(col(h), slice[0]);
        if (slice[0] + slice[1] < 64) {
          bits = bits.bitwiseAND(lit((1L << slice[1]) - 1));
        }
        sums.add(sum(bits));
      }
    }
    return sums;
  }

  /** One hash's exact sum from its slices' sums in {@code r} from column {@code from}. */
  private static java.math.BigInteger exactSum(Row r, int from) {
    java.math.BigInteger total = java.math.BigInteger.ZERO;
    for (int i = 0; i < SLICES.length; i++) {
      long part = r.isNullAt(from + i) ? 0 : r.getLong(from + i);
      total = total.add(java.math.BigInteger.valueOf(part).shiftLeft(SLICES[i][0]));
    }
    return total;
  }

  /**
   * A column as hashing and {@code <=>} can take: maps have no equality in Spark, so their JSON.
   */
  static String comparable(TableContract contract, String alias, String column) {
    String ref = (alias == null ? "" : alias + ".") + "`" + column + "`";
    return contract.column(column).orElseThrow().type().toLowerCase().contains("map<")
        ? "to_json(" + ref + ")"
        : ref;
  }

  private static String comparable(TableContract contract, String column) {
    return comparable(contract, null, column);
  }

  /**
   * As {@link #checkRows}, and with {@code fingerprint} the frame's {@link #fingerprint} computed
   * in the same Spark job (a replace compares it with the stored rows' without a second pass).
   */
  public static Checked check(TableContract contract, Dataset<Row> ordered, boolean fingerprint) {
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
    // The rules a row breaks as bits, 63 to a long: a group of the key's hash below then carries
    // its count and one or two longs, not a count per rule (a buffer of 17 longs per key for the
    // gate moves' 16 rules made the hash map the largest cost of the check). How many rows break
    // a rule is counted only when one does, for its message.
    int words = (violated.size() + RULES_PER_WORD - 1) / RULES_PER_WORD;
    List<Column> perRow = new ArrayList<>();
    for (int w = 0; w < words; w++) {
      Column mask = lit(0L);
      for (int i = w * RULES_PER_WORD;
          i < Math.min(violated.size(), (w + 1) * RULES_PER_WORD);
          i++) {
        mask = mask.bitwiseOR(when(violated.get(i), lit(1L << (i % RULES_PER_WORD))).otherwise(0L));
      }
      perRow.add(bit_or(mask).as("v" + w));
    }
    Row counts;
    boolean keyed = !contract.primaryKey().isEmpty();
    if (keyed) {
      // Group by the key's 64-bit hash: the group sizes give the row count and any duplicate key in
      // the same pass, shuffling 8 bytes a row instead of the key's values. A group of two is a
      // duplicate key or two keys of one hash (among a million keys, a chance of about 3 in 10^8):
      // told apart below, by the keys themselves.
      Column[] key = {
        org.apache.spark.sql.functions.xxhash64(
            contract.primaryKey().stream().map(k -> col("`" + k + "`")).toArray(Column[]::new))
      };
      List<Column> groupAggs = new ArrayList<>(perRow);
      groupAggs.add(0, count(lit(1)).as("n"));
      List<Column> totals = new ArrayList<>();
      totals.add(sum("n"));
      totals.add(sum(when(col("n").gt(1), 1L).otherwise(0L)));
      for (int w = 0; w < words; w++) {
        totals.add(bit_or(col("v" + w)));
      }
      if (fingerprint) {
        // Sums of sums: the same exact totals as over the rows.
        List<Column> slices = sliceSums();
        for (int i = 0; i < slices.size(); i++) {
          groupAggs.add(slices.get(i).as("h" + i));
          totals.add(sum("h" + i));
        }
      }
      Dataset<Row> groups =
          (fingerprint ? withRowHashes(contract, ordered) : ordered)
              .groupBy(key)
              .agg(groupAggs.get(0), groupAggs.subList(1, groupAggs.size()).toArray(Column[]::new));
      counts =
          groups
              .agg(totals.get(0), totals.subList(1, totals.size()).toArray(Column[]::new))
              .first();
    } else {
      List<Column> totals = new ArrayList<>(perRow);
      totals.add(0, count(lit(1)));
      totals.add(1, lit(0L));
      if (fingerprint) {
        totals.addAll(sliceSums());
      }
      counts =
          (fingerprint ? withRowHashes(contract, ordered) : ordered)
              .agg(totals.get(0), totals.subList(1, totals.size()).toArray(Column[]::new))
              .first();
    }
    long rows = counts.isNullAt(0) ? 0 : ((Number) counts.get(0)).longValue();
    for (int i = 0; i < violated.size(); i++) {
      int word = 2 + i / RULES_PER_WORD;
      long bits = counts.isNullAt(word) ? 0 : ((Number) counts.get(word)).longValue();
      if ((bits & (1L << (i % RULES_PER_WORD))) != 0) {
        Dataset<Row> breaking = ordered.filter(violated.get(i));
        throw Errors.contractViolation(
            contract.name(),
            ruleColumns.get(i),
            rules.get(i),
            breaking.count(),
            describe(breaking.first()));
      }
    }
    long sharedHash = counts.isNullAt(1) ? 0 : ((Number) counts.get(1)).longValue();
    if (sharedHash > 0) {
      Column[] key =
          contract.primaryKey().stream().map(k -> col("`" + k + "`")).toArray(Column[]::new);
      Dataset<Row> repeated =
          ordered.groupBy(key).agg(count(lit(1)).as("n")).filter(col("n").gt(1));
      List<Row> first = repeated.limit(1).collectAsList();
      if (!first.isEmpty()) {
        throw Errors.contractViolation(
            contract.name(),
            String.join(", ", contract.primaryKey()),
            "primary key uniqueness",
            repeated.count(),
            describe(first.get(0)));
      }
    }
    if (!fingerprint) {
      return new Checked(rows, null);
    }
    int h = 2 + words;
    return new Checked(
        rows,
        java.util.Arrays.asList(
            counts.isNullAt(0) ? 0L : rows,
            exactSum(counts, h),
            exactSum(counts, h + SLICES.length)));
  }

  private static String columnsOf(TableContract contract, String expression) {
    List<String> used =
        contract.columnNames().stream()
            .filter(c -> expression.matches("(?s).*\\b" + c + "\\b.*"))
            .toList();
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
