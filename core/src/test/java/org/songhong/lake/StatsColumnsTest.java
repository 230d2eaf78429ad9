package org.songhong.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A contract's {@code stats_columns}: Delta records file statistics on those columns only, on a new
 * table and on one an earlier version made with Delta's default; a column that is not there is
 * refused when the contracts load.
 */
class StatsColumnsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private static String contract(String stats) {
    return """
        table: bronze.lines
        grain: One row per line.
        primary_key: [file, line]
        columns:
          - {name: file, type: string, nullable: false}
          - {name: line, type: int, nullable: false}
          - {name: text, type: string, nullable: false}
        """
        + stats;
  }

  private Lake lake(String name, String contract) throws Exception {
    return TestLakes.open(
        dir.resolve(name + "-schemas"), dir.resolve("lake"), "bronze/lines", contract);
  }

  private static void append(Lake lake, int from) {
    List<Row> rows = new ArrayList<>();
    for (int i = from; i < from + 3; i++) {
      rows.add(RowFactory.create("a.jsonl", i, "{\"n\": " + i + "}"));
    }
    new TableWriter(lake, 0)
        .append(
            "bronze.lines",
            lake.spark().createDataFrame(rows, lake.contract("bronze.lines").writeSchema()));
  }

  /**
   * Per commit that added files: the columns with a minimum in its files' statistics, after the
   * number of rows they count.
   */
  private List<List<String>> statsColumnsByCommit() throws Exception {
    List<List<String>> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir.resolve("lake/bronze/lines/_delta_log"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        long rows = 0;
        java.util.Set<String> cols = new java.util.TreeSet<>();
        for (String line : Files.readAllLines(f)) {
          JsonNode add = JSON.readTree(line).path("add");
          if (!add.isMissingNode()) {
            JsonNode stats = JSON.readTree(add.path("stats").asText());
            rows += stats.path("numRecords").asLong();
            stats.path("minValues").fieldNames().forEachRemaining(cols::add);
          }
        }
        if (rows > 0) {
          List<String> commit = new ArrayList<>(List.of(rows + " rows"));
          commit.addAll(cols);
          out.add(commit);
        }
      }
    }
    return out;
  }

  @Test
  void deltaKeepsStatisticsOnTheChosenColumnsFromTheNextWriteOn() throws Exception {
    append(lake("before", contract("")), 1);
    append(lake("after", contract("stats_columns: [line]\n")), 4);
    append(lake("none", contract("stats_columns: []\n")), 7);
    assertThat(statsColumnsByCommit())
        .containsExactly(
            List.of("3 rows", "file", "line", "text"),
            List.of("3 rows", "line"),
            List.of("3 rows"));
    assertThat(
            lake("again", contract("stats_columns: []\n"))
                .spark()
                .sql(
                    "SELECT count(*) FROM delta.`" + dir.resolve("lake/bronze/lines").toUri() + "`")
                .first()
                .getLong(0))
        .isEqualTo(9);
  }

  @Test
  void aStatsColumnThatIsNotAColumnOrOfATypeDeltaCannotSkipIsRefused() {
    assertThatThrownBy(() -> lake("bad", contract("stats_columns: [txt]\n")))
        .hasMessageContaining("lines.yaml")
        .hasMessageContaining("stats column txt is not a column");
    String flagged =
        contract("stats_columns: [ok]\n")
            .replace(
                "  - {name: text, type: string, nullable: false}",
                "  - {name: text, type: string, nullable: false}\n  - {name: ok, type: boolean}");
    assertThatThrownBy(() -> lake("boolean", flagged))
        .hasMessageContaining("lines.yaml")
        .hasMessageContaining("stats column ok is boolean");
  }
}
