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
    List<Column> masks = new ArrayList<>();
    for (int w = 0; w < words; w++) {
      Column mask = lit(0L);
      for (int i = w * RULES_PER_WORD;
          i < Math.min(violated.size(), (w + 1) * RULES_PER_WORD);
          i++) {
        mask = mask.bitwiseOR(when(violated.get(i), lit(1L << (i % RULES_PER_WORD))).otherwise(0L));
      }
      masks.add(mask);
    }
    Tally tally;
    boolean keyed = !contract.primaryKey().isEmpty();
    Dataset<Row> source = fingerprint ? withRowHashes(contract, ordered) : ordered;
    Column keyHash =
        org.apache.spark.sql.functions.xxhash64(
            contract.primaryKey().stream().map(k -> col("`" + k + "`")).toArray(Column[]::new));
    List<String> clustered = keyed ? clusteredBy(ordered) : List.of();
    if (!clustered.isEmpty() && contract.primaryKey().containsAll(clustered)) {
      // The rows of one key share a partition (cached, spread by part of the key, as
      // environment_silver's readings by series): each partition is tallied where it is, its keys'
      // hashes sorted in an array (8 bytes a row of the partition), with no shuffle and no hash
      // table. Grouping the 11.3 M readings of a year x 200 stations by hash cost about 20 CPU s
      // (bench/README.md, "5 December, afternoon").
      List<Column> perRow = new ArrayList<>();
      perRow.add(keyHash);
      for (int w = 0; w < words; w++) {
        perRow.add(masks.get(w));
      }
      if (fingerprint) {
        for (String h : ROW_HASHES) {
          perRow.add(col(h));
        }
      }
      tally = tallyInPlace(source.select(perRow.toArray(Column[]::new)), words, fingerprint, false);
    } else if (keyed) {
      // Spread by the key's 64-bit hash (8 bytes a row shuffled instead of the key's values) and
      // sorted by it within each partition (Spark's sort, which spills when it must), then tallied
      // in one pass: a repeated hash is a run of neighbours. Not a hash aggregation by the hash:
      // nearly every key is distinct, so its map merged nothing before the shuffle, and without it
      // logistics_events_silver at a year took 63.4-66.9 CPU s against 68.4-71.2 and
      // environment_bronze 64.5 / 68.1 user CPU s against 68.6-73.4 (bench/README.md, "5 December,
      // before midnight"). A hash shared by two rows is a duplicate key or two keys of one hash
      // (among a million keys, a chance of about 3 in 10^8): told apart below, by the keys
      // themselves.
      List<Column> perRow = new ArrayList<>();
      perRow.add(keyHash.as("key_hash"));
      for (int w = 0; w < words; w++) {
        perRow.add(masks.get(w));
      }
      if (fingerprint) {
        for (String h : ROW_HASHES) {
          perRow.add(col(h));
        }
      }
      tally =
          tallyInPlace(
              source
                  .select(perRow.toArray(Column[]::new))
                  .repartition(col("key_hash"))
                  .sortWithinPartitions("key_hash"),
              words,
              fingerprint,
              true);
    } else {
      List<Column> totals = new ArrayList<>(perRowBits(masks));
      totals.add(0, count(lit(1)));
      totals.add(1, lit(0L));
      if (fingerprint) {
        totals.addAll(sliceSums());
      }
      tally = Tally.of(totalOf(source, totals), words, fingerprint);
    }
    long rows = tally.rows();
    for (int i = 0; i < violated.size(); i++) {
      if ((tally.words()[i / RULES_PER_WORD] & (1L << (i % RULES_PER_WORD))) != 0) {
        Dataset<Row> breaking = ordered.filter(violated.get(i));
        throw Errors.contractViolation(
            contract.name(),
            ruleColumns.get(i),
            rules.get(i),
            breaking.count(),
            describe(breaking.first()));
      }
    }
    if (tally.sharedHashes() > 0) {
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
    return new Checked(rows, java.util.Arrays.asList(rows, tally.sums()[0], tally.sums()[1]));
  }

  /** The one row of {@code frame}'s aggregates {@code aggs} (one Spark job). */
  private static Row totalOf(Dataset<Row> frame, List<Column> aggs) {
    return frame.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new)).first();
  }

  /** Per-row rule bits OR-ed over rows, as columns {@code v0, v1, ...}. */
  private static List<Column> perRowBits(List<Column> masks) {
    List<Column> bits = new ArrayList<>();
    for (int w = 0; w < masks.size(); w++) {
      bits.add(bit_or(masks.get(w)).as("v" + w));
    }
    return bits;
  }

  /**
   * What one pass over the rows found: how many, how many key hashes more than one row shares, the
   * rules broken (bits, {@link #RULES_PER_WORD} a word), and the two row hashes' exact sums (when a
   * fingerprint was asked for).
   */
  record Tally(long rows, long sharedHashes, long[] words, java.math.BigInteger[] sums)
      implements java.io.Serializable {
    /** From an aggregate's row: count, shared hashes, the words, then each hash's slice sums. */
    static Tally of(Row r, int words, boolean fingerprint) {
      long[] bits = new long[words];
      for (int w = 0; w < words; w++) {
        bits[w] = r.isNullAt(2 + w) ? 0 : ((Number) r.get(2 + w)).longValue();
      }
      int h = 2 + words;
      return new Tally(
          r.isNullAt(0) ? 0 : ((Number) r.get(0)).longValue(),
          r.isNullAt(1) ? 0 : ((Number) r.get(1)).longValue(),
          bits,
          fingerprint
              ? new java.math.BigInteger[] {exactSum(r, h), exactSum(r, h + SLICES.length)}
              : null);
    }
  }

  /**
   * The tally of rows whose equal keys share a partition ({@code perRow}: the key's hash, the rule
   * words, then the two row hashes when {@code fingerprint}), one Spark job: each partition counts
   * its repeated key hashes (sorting them in an array, or, when {@code sorted}, comparing each with
   * the one before), and sums the row hashes exactly in 128 bits; the driver adds the partitions'
   * tallies.
   */
  static Tally tallyInPlace(Dataset<Row> perRow, int words, boolean fingerprint, boolean sorted) {
    List<Tally> parts =
        perRow
            .queryExecution()
            .toRdd()
            .toJavaRDD()
            .mapPartitions(
                (org.apache.spark.api.java.function.FlatMapFunction<
                        java.util.Iterator<org.apache.spark.sql.catalyst.InternalRow>, Tally>)
                    it -> List.of(tallyPartition(it, words, fingerprint, sorted)).iterator())
            .collect();
    long rows = 0;
    long shared = 0;
    long[] bits = new long[words];
    java.math.BigInteger[] sums = {java.math.BigInteger.ZERO, java.math.BigInteger.ZERO};
    for (Tally t : parts) {
      rows += t.rows();
      shared += t.sharedHashes();
      for (int w = 0; w < words; w++) {
        bits[w] |= t.words()[w];
      }
      if (fingerprint) {
        sums[0] = sums[0].add(t.sums()[0]);
        sums[1] = sums[1].add(t.sums()[1]);
      }
    }
    return new Tally(rows, shared, bits, fingerprint ? sums : null);
  }

  /** One partition's {@link Tally} (see {@link #tallyInPlace}). */
  static Tally tallyPartition(
      java.util.Iterator<org.apache.spark.sql.catalyst.InternalRow> it,
      int words,
      boolean fingerprint,
      boolean sorted) {
    long[] keys = new long[sorted ? 0 : 1024];
    long rows = 0;
    long shared = 0;
    long previous = 0;
    boolean counted = false;
    int n = 0;
    long[] bits = new long[words];
    long[] high = new long[2];
    long[] low = new long[2];
    while (it.hasNext()) {
      org.apache.spark.sql.catalyst.InternalRow r = it.next();
      long key = r.getLong(0);
      if (sorted) {
        // a hash equal to the one before is shared; counted once however many rows share it
        boolean repeated = rows > 0 && key == previous;
        if (repeated && !counted) {
          shared++;
        }
        counted = repeated;
        previous = key;
      } else {
        if (n == keys.length) {
          keys = java.util.Arrays.copyOf(keys, Math.addExact(n, n));
        }
        keys[n++] = key;
      }
      rows++;
      for (int w = 0; w < words; w++) {
        bits[w] |= r.getLong(1 + w);
      }
      if (fingerprint) {
        for (int j = 0; j < 2; j++) {
          long h = r.getLong(1 + words + j);
          long sum = low[j] + h;
          // 128-bit addition of h sign-extended: the carry out of the low word, then h's sign.
          high[j] += (h >> 63) + (Long.compareUnsigned(sum, low[j]) < 0 ? 1 : 0);
          low[j] = sum;
        }
      }
    }
    java.util.Arrays.sort(keys, 0, n);
    for (int i = 1; i < n; i++) {
      if (keys[i] == keys[i - 1] && (i == 1 || keys[i - 2] != keys[i])) {
        shared++;
      }
    }
    java.math.BigInteger[] sums = null;
    if (fingerprint) {
      sums = new java.math.BigInteger[2];
      for (int j = 0; j < 2; j++) {
        sums[j] =
            java.math.BigInteger.valueOf(high[j])
                .shiftLeft(64)
                .add(new java.math.BigInteger(Long.toUnsignedString(low[j])));
      }
    }
    return new Tally(rows, shared, bits, sums);
  }

  /**
   * The columns by which {@code rows} are hash-partitioned when they are cached rows (the writer's
   * own cache, or a projection or filter of a job's) whose plan spreads them by columns: rows equal
   * in those columns then share a partition (adaptive execution may merge partitions, not split
   * these). Empty when unknown. Planning only, no Spark job.
   */
  static List<String> clusteredBy(Dataset<Row> rows) {
    // Planned anew (a projection of every column): a frame's own plan was fixed when first asked
    // for, maybe before the frame was cached.
    org.apache.spark.sql.catalyst.plans.logical.LogicalPlan plan =
        rows.select(
                java.util.Arrays.stream(rows.columns())
                    .map(c -> col("`" + c + "`"))
                    .toArray(Column[]::new))
            .queryExecution()
            .withCachedData();
    java.util.Map<Object, String> names = new java.util.HashMap<>();
    scala.jdk.javaapi.CollectionConverters.asJava(plan.output())
        .forEach(a -> names.put(a.exprId(), a.name()));
    while (plan instanceof org.apache.spark.sql.catalyst.plans.logical.Filter
        || (plan instanceof org.apache.spark.sql.catalyst.plans.logical.Project p
            && scala.jdk.javaapi.CollectionConverters.asJava(p.projectList()).stream()
                .allMatch(e -> e instanceof org.apache.spark.sql.catalyst.expressions.Attribute))) {
      plan = plan.children().head();
    }
    if (!(plan instanceof org.apache.spark.sql.execution.columnar.InMemoryRelation relation)) {
      return List.of();
    }
    org.apache.spark.sql.execution.SparkPlan cached = relation.cachedPlan();
    if (cached instanceof org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec a) {
      cached = a.inputPlan();
    }
    if (!(cached.outputPartitioning()
        instanceof org.apache.spark.sql.catalyst.plans.physical.HashPartitioning h)) {
      return List.of();
    }
    // The cached plan's attributes are the relation's output, place by place.
    java.util.Map<Object, Object> relationId = new java.util.HashMap<>();
    List<org.apache.spark.sql.catalyst.expressions.Attribute> cachedOut =
        scala.jdk.javaapi.CollectionConverters.asJava(cached.output());
    List<org.apache.spark.sql.catalyst.expressions.Attribute> relationOut =
        scala.jdk.javaapi.CollectionConverters.asJava(relation.output());
    for (int i = 0; i < cachedOut.size() && i < relationOut.size(); i++) {
      relationId.put(cachedOut.get(i).exprId(), relationOut.get(i).exprId());
    }
    List<String> columns = new ArrayList<>();
    for (org.apache.spark.sql.catalyst.expressions.Expression e :
        scala.jdk.javaapi.CollectionConverters.asJava(h.expressions())) {
      String name =
          e instanceof org.apache.spark.sql.catalyst.expressions.AttributeReference a
              ? names.get(relationId.get(a.exprId()))
              : null;
      if (name == null) {
        return List.of();
      }
      columns.add(name);
    }
    return columns;
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
