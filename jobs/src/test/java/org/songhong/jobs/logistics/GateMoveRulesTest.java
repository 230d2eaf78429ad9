package org.songhong.jobs.logistics;

import static org.apache.spark.sql.functions.expr;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.sql.Date;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.songhong.SparkTestSession;
import org.songhong.contract.SchemaResources;
import org.songhong.domain.logistics.LogisticsCatalog;

/** The gate-move rules on small frames: what the cheaper expressions must still answer. */
class GateMoveRulesTest {
  private static final StructType LINES =
      new StructType()
          .add("file_date", DataTypes.DateType)
          .add("source_file", DataTypes.StringType)
          .add("source_checksum", DataTypes.StringType)
          .add("source_line", DataTypes.IntegerType)
          .add("raw_line", DataTypes.StringType);

  private final SparkSession spark = SparkTestSession.get();

  private Dataset<Row> lines(String file, String... raw) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < raw.length; i++) {
      rows.add(RowFactory.create(Date.valueOf("2025-12-01"), file, "c" + file, i + 1, raw[i]));
    }
    return spark.createDataFrame(rows, LINES);
  }

  /**
   * The fields read in one call answer as Spark's try_variant_get(v, '$.name', 'string') and
   * schema_of_variant do, for objects with every kind of value, other JSON and lines that are not
   * JSON.
   */
  @Test
  void fieldsReadInOneCallAnswerAsVariantGetDoes() {
    List<String> names = List.of("a", "b", "ü");
    List<Row> r =
        lines(
                "f.jsonl",
                "{\"a\": \"x\", \"b\": \"Đình Vũ \\u00e9\\n\"}",
                "  \t{\"a\": {\"z\": [1, 2.50], \"y\": null}, \"b\": [true, \"s\"]}",
                "{\"a\": 42, \"b\": -7.50, \"ü\": 1e3}",
                "{\"a\": 123456789012345678901234567890, \"b\": 1.5E-400, \"ü\": 9e999}",
                "{\"a\": true, \"b\": false, \"ü\": null}",
                "{\"A\": \"case\", \"c\": 1}",
                "{\"a\": 1, \"a\": 2}",
                "{}",
                "[{\"a\": 1}]",
                "5",
                "\"{not an object}\"",
                "null",
                "{\"a\": ",
                "",
                "garbage {\"a\": 1}",
                "{\"a\": \"x\"} trailing")
            .withColumn("v", expr("try_parse_json(raw_line)"))
            .withColumn("f", LogisticsEventsSilverJob.fields(lines("x", "{}"), "a", "b", "ü"))
            .select(
                expr("raw_line"),
                expr("f.is_object"),
                expr("v IS NOT NULL AND schema_of_variant(v) LIKE 'OBJECT%'"),
                expr("f.a"),
                expr("try_variant_get(v, '$.a', 'string')"),
                expr("f.b"),
                expr("try_variant_get(v, '$.b', 'string')"),
                expr("f.`ü`"),
                expr("try_variant_get(v, '$.ü', 'string')"))
            .collectAsList();
    assertThat(r).hasSize(16);
    // Spark's parser refuses a key given twice and ignores what follows the first value.
    assertThat(r.stream().filter(x -> x.getBoolean(1)).map(x -> x.getString(0)).toList())
        .hasSize(8)
        .doesNotContain("{\"a\": 1, \"a\": 2}", "[{\"a\": 1}]", "garbage {\"a\": 1}")
        .contains("{\"a\": \"x\"} trailing");
    for (Row x : r) {
      assertThat(x.getBoolean(1)).as("is_object of " + x.getString(0)).isEqualTo(x.getBoolean(2));
      for (int i = 0; i < names.size(); i++) {
        assertThat(x.getString(3 + 2 * i))
            .as(names.get(i) + " of " + x.getString(0))
            .isEqualTo(x.getString(4 + 2 * i));
      }
    }
    assertThat(r.get(0).getString(5)).isEqualTo("Đình Vũ é\n");
    assertThat(r.get(2).getString(5)).isEqualTo("-7.5"); // a variant decimal keeps no trailing 0
    assertThat(r.get(1).getString(3)).isEqualTo("{\"y\":null,\"z\":[1,2.5]}");
    assertThat(r.get(3).getString(7)).isEqualTo("Infinity");
  }

  /**
   * A second copy in one batch names the first copy's file and line, and only copies are rejected.
   */
  @Test
  void aCopyInTheBatchNamesTheFirstCopysFileAndLine() {
    LogisticsEventsSilverJob.Lookups lookups = new LogisticsEventsSilverJob.Lookups(catalog());
    String box = "MSCU 123456-5";
    List<Row> r =
        LogisticsEventsSilverJob.classifyGateMoves(
                lines("a.jsonl", move(box, "IN", "Nam Đình Vũ"), move(box, "IN", "NAM DINH VU"))
                    .unionByName(lines("b.jsonl", move(box, "IN", "nam dinh vu"))),
                lookups)
            .orderBy("source_file", "source_line")
            .select("source_file", "source_line", "terminal_id", "rule", "reason")
            .collectAsList();
    assertThat(r.get(0).getString(2)).isEqualTo("NDV");
    assertThat(r.get(0).isNullAt(3)).isTrue();
    assertThat(r.get(1).getString(3)).isEqualTo("duplicate_event");
    assertThat(r.get(1).getString(4))
        .isEqualTo(
            "a.jsonl line 2: duplicate of a.jsonl line 1 (same container, direction and time);"
                + " counted once");
    assertThat(r.get(2).getString(4)).startsWith("b.jsonl line 1: duplicate of a.jsonl line 1 (");
  }

  /**
   * Copies are found from the keys' hashes and joined back; more copies than a broadcast holds are
   * joined by a shuffle instead, with the same answer. A line with the same container and time but
   * the other direction is not a copy.
   */
  @Test
  void copiesJoinedByShuffleAnswerAsBroadcastOnes() {
    LogisticsEventsSilverJob.Lookups lookups = new LogisticsEventsSilverJob.Lookups(catalog());
    String box = "MSCU1234565";
    Dataset<Row> ruled =
        LogisticsEventsSilverJob.gateMoveRules(
            lines(
                    "a.jsonl",
                    move(box, "IN", "HICT"),
                    move(box, "OUT", "HICT"),
                    move(box, "IN", "HICT"))
                .unionByName(lines("b.jsonl", move(box, "IN", "HICT"))),
            lookups);
    List<List<Object>> answers = new ArrayList<>();
    for (long max : new long[] {0, LogisticsEventsSilverJob.MAX_BROADCAST_COPIES}) {
      LogisticsEventsSilverJob.Duplicates d =
          LogisticsEventsSilverJob.duplicatesInBatch(
              ruled, true, org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK(), max);
      try {
        org.apache.spark.sql.catalyst.plans.logical.LogicalPlan plan =
            d.rows().queryExecution().analyzed();
        while (!(plan instanceof org.apache.spark.sql.catalyst.plans.logical.Join)) {
          plan = plan.children().head(); // the projections over the join of lines and copies
        }
        assertThat(
                ((org.apache.spark.sql.catalyst.plans.logical.Join) plan).right()
                    instanceof org.apache.spark.sql.catalyst.plans.logical.ResolvedHint)
            .as("the copies broadcast at max " + max)
            .isEqualTo(max > 0);
        answers.add(
            d
                .rows()
                .orderBy("source_file", "source_line")
                .select("source_file", "source_line", "rule", "reason")
                .collectAsList()
                .stream()
                .map(r -> (Object) r.mkString("|"))
                .toList());
      } finally {
        d.copies().unpersist();
      }
    }
    assertThat(answers.get(0))
        .containsExactly(
            "a.jsonl|1|null|null",
            "a.jsonl|2|null|null",
            "a.jsonl|3|duplicate_event|a.jsonl line 3: duplicate of a.jsonl line 1 (same container,"
                + " direction and time); counted once",
            "b.jsonl|1|duplicate_event|b.jsonl line 1: duplicate of a.jsonl line 1 (same container,"
                + " direction and time); counted once");
    assertThat(answers.get(1)).isEqualTo(answers.get(0));
  }

  /** The memo answers as the catalog does, before and after it travels to an executor. */
  @Test
  void theTerminalMemoAnswersAsTheCatalogDoes() throws Exception {
    LogisticsCatalog catalog = catalog();
    LogisticsEventsSilverJob.TerminalMemo memo =
        new LogisticsEventsSilverJob.TerminalMemo(catalog.terminalIdsByNameKey());
    for (String name : List.of("Nam Đình Vũ", "NAM DINH VU", "hict", "Cảng Ma", "")) {
      String expected = catalog.match(name).map(LogisticsCatalog.Terminal::id).orElse(null);
      assertThat(memo.id(name)).as(name).isEqualTo(expected);
      assertThat(memo.id(name)).as(name + ", asked again").isEqualTo(expected);
    }
    assertThat(memo.id(null)).isNull();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(memo);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      LogisticsEventsSilverJob.TerminalMemo copy =
          (LogisticsEventsSilverJob.TerminalMemo) in.readObject();
      assertThat(copy.id("nam dinh vu")).isEqualTo("NDV");
      assertThat(copy.id("Cảng Ma")).isNull();
    }
    assertThat(memo.id("hict")).isEqualTo("HICT");
  }

  /** A full 20 ft box's gate move at 08:15 on 1 December 2025, local time. */
  private static String move(String container, String direction, String terminal) {
    return String.format(
        "{\"container_id\": \"%s\", \"iso_code\": \"22G1\", \"full_empty\": \"F\", "
            + "\"direction\": \"%s\", \"event_time\": \"2025-12-01T08:15:00+07:00\", \"terminal\": \"%s\"}",
        container, direction, terminal);
  }

  private static LogisticsCatalog catalog() {
    return LogisticsCatalog.load(
        SchemaResources.open(java.nio.file.Path.of("..", "schemas").toAbsolutePath().toString()));
  }
}
