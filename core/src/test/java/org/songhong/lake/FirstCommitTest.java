package org.songhong.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.songhong.SparkTestSession;
import org.songhong.contract.ContractCatalog;
import org.songhong.contract.SchemaResources;
import org.songhong.contract.TableContract;

/**
 * A table created by writing its first commit is the table {@code CREATE TABLE ... USING delta
 * LOCATION} makes: for every contract of {@code schemas/}, the same protocol, the same metadata
 * (columns, nullability, comments, partitioning, properties, CHECK constraints) and the same state
 * in the checksum, apart from the ids and times each creation draws. Then Delta Lake and Delta
 * Kernel read it, history shows its creation and its constraints hold.
 */
class FirstCommitTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void everyContractsFirstCommitIsTheOneCreateTableWrites() throws Exception {
    SparkSession spark = SparkTestSession.get();
    ContractCatalog contracts = ContractCatalog.load(SchemaResources.open("../schemas"));
    assertThat(contracts.all()).hasSizeGreaterThan(20);
    for (TableContract c : contracts.all()) {
      String mine = dir.resolve("first-commit/" + c.layer() + "/" + c.table()).toUri().toString();
      String theirs = dir.resolve("create-table/" + c.layer() + "/" + c.table()).toUri().toString();
      assertThat(FirstCommit.write(spark, c, mine)).isTrue();
      spark.sql(createTable(c, theirs));

      Map<String, JsonNode> a = actions(mine);
      Map<String, JsonNode> b = actions(theirs);
      assertThat(a.keySet()).as(c.name()).containsExactlyInAnyOrderElementsOf(b.keySet());
      assertThat(a.get("protocol")).as(c.name() + " protocol").isEqualTo(b.get("protocol"));
      assertThat(comparable(a.get("metaData")))
          .as(c.name() + " metadata")
          .isEqualTo(comparable(b.get("metaData")));
      assertThat(a.get("commitInfo").path("operation"))
          .isEqualTo(b.get("commitInfo").path("operation"));
      assertThat(parameters(a.get("commitInfo")))
          .as(c.name() + " operation parameters")
          .isEqualTo(parameters(b.get("commitInfo")));

      JsonNode crcA =
          JSON.readTree(
              Files.readString(
                  Path.of(java.net.URI.create(mine + "/_delta_log/00000000000000000000.crc"))));
      JsonNode crcB =
          JSON.readTree(
              Files.readString(
                  Path.of(java.net.URI.create(theirs + "/_delta_log/00000000000000000000.crc"))));
      for (String field :
          List.of(
              "tableSizeBytes",
              "numFiles",
              "numMetadata",
              "numProtocol",
              "setTransactions",
              "domainMetadata",
              "protocol",
              "allFiles")) {
        assertThat(crcA.path(field))
            .as(c.name() + " checksum " + field)
            .isEqualTo(crcB.path(field));
      }
      assertThat(comparable(crcA.path("metadata")))
          .as(c.name() + " checksum metadata")
          .isEqualTo(comparable(crcB.path("metadata")));
      assertThat(crcA.path("txnId")).isEqualTo(a.get("commitInfo").path("txnId"));
    }
  }

  @Test
  void deltaAndKernelReadItItsHistoryShowsTheCreationAndItsConstraintsHold() throws Exception {
    Lake lake = TestLakes.open(dir); // a new lake: gold.scores is made by its first commit
    SparkSession spark = lake.spark();
    assertThat(
            spark
                .sql("DESCRIBE HISTORY gold.scores")
                .selectExpr("version", "operation")
                .collectAsList()
                .toString())
        .isEqualTo("[[0,CREATE TABLE]]");
    assertThat(lake.kernel().latest("gold.scores").orElseThrow().getVersion()).isZero();
    spark.sql("INSERT INTO gold.scores VALUES ('VN-31', 2024, 0.5, map('a', 'b'))");
    assertThatThrownBy(() -> spark.sql("INSERT INTO gold.scores VALUES ('VN-31', 2025, 7.0, NULL)"))
        .hasMessageContaining("score_is_share");
    assertThatThrownBy(() -> spark.sql("INSERT INTO gold.scores VALUES (NULL, 2025, 0.1, NULL)"))
        .hasMessageContaining("geo_id");
    assertThat(spark.table("gold.scores").count()).isEqualTo(1);
    assertThat(lake.kernel().rowCount(lake.kernel().latest("gold.scores").orElseThrow()))
        .contains(1L);
  }

  @Test
  void aTableAlreadyCreatedIsLeftAsItIs() throws Exception {
    SparkSession spark = SparkTestSession.get();
    TableContract c =
        ContractCatalog.load(SchemaResources.open("../schemas")).get("ops.job_run_log");
    String location = dir.resolve("ops/job_run_log").toUri().toString();
    assertThat(FirstCommit.write(spark, c, location)).isTrue();
    String first =
        Files.readString(
            Path.of(java.net.URI.create(location + "/_delta_log/00000000000000000000.json")));
    assertThat(FirstCommit.write(spark, c, location))
        .as("a second creation finds the commit there")
        .isFalse();
    assertThat(
            Files.readString(
                Path.of(java.net.URI.create(location + "/_delta_log/00000000000000000000.json"))))
        .isEqualTo(first);
  }

  /** The DDL the lake ran before it wrote first commits itself. */
  private static String createTable(TableContract c, String location) {
    List<String> cols = new ArrayList<>();
    for (StructField f : c.schema().fields()) {
      String comment = c.column(f.name()).orElseThrow().description();
      cols.add(
          "`"
              + f.name()
              + "` "
              + f.dataType().sql()
              + (f.nullable() ? "" : " NOT NULL")
              + (comment == null ? "" : " COMMENT " + SqlLiterals.string(comment)));
    }
    StringBuilder ddl =
        new StringBuilder("CREATE TABLE delta.`")
            .append(location)
            .append("` (")
            .append(String.join(", ", cols))
            .append(") USING delta");
    if (!c.partitionedBy().isEmpty()) {
      ddl.append(" PARTITIONED BY (").append(String.join(", ", c.partitionedBy())).append(")");
    }
    ddl.append(" COMMENT ")
        .append(
            SqlLiterals.string(
                (c.grain() + (c.description() == null ? "" : " " + c.description())).strip()));
    ddl.append(" TBLPROPERTIES ('songhong.grain' = ").append(SqlLiterals.string(c.grain()));
    if (!c.primaryKey().isEmpty()) {
      ddl.append(", 'songhong.primary_key' = '")
          .append(String.join(",", c.primaryKey()))
          .append("'");
    }
    c.statsColumnsChosen()
        .ifPresent(
            stats ->
                ddl.append(
                    stats.isEmpty()
                        ? ", 'delta.dataSkippingNumIndexedCols' = '0'"
                        : ", 'delta.dataSkippingStatsColumns' = '"
                            + String.join(",", stats)
                            + "'"));
    for (var check : c.checks()) {
      ddl.append(", 'delta.constraints.")
          .append(check.name().toLowerCase(java.util.Locale.ROOT))
          .append("' = ")
          .append(SqlLiterals.string(check.expression()));
    }
    ddl.append(")");
    return ddl.toString();
  }

  private static Map<String, JsonNode> actions(String location) throws Exception {
    Map<String, JsonNode> actions = new HashMap<>();
    for (String line :
        Files.readAllLines(
            Path.of(java.net.URI.create(location + "/_delta_log/00000000000000000000.json")))) {
      JsonNode n = JSON.readTree(line);
      actions.put(n.fieldNames().next(), n.elements().next());
    }
    return actions;
  }

  private static JsonNode comparable(JsonNode metadata) throws Exception {
    ObjectNode m = metadata.deepCopy();
    m.remove("id");
    m.remove("createdTime");
    m.set("schemaString", JSON.readTree(m.path("schemaString").asText()));
    return m;
  }

  private static Map<String, Object> parameters(JsonNode commitInfo) throws Exception {
    Map<String, Object> p = new HashMap<>();
    commitInfo
        .path("operationParameters")
        .fields()
        .forEachRemaining(e -> p.put(e.getKey(), e.getValue().asText()));
    p.put("properties", JSON.readValue((String) p.get("properties"), Map.class));
    return p;
  }
}
