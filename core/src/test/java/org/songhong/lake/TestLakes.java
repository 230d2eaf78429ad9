package org.songhong.lake;

import java.nio.file.Files;
import java.nio.file.Path;
import org.songhong.SparkTestSession;
import org.songhong.contract.ContractCatalog;
import org.songhong.contract.SchemaResources;

/** A lake in a temporary folder with one small contract, for the writer and enforcer tests. */
final class TestLakes {
  static final String CONTRACT =
      """
      table: gold.scores
      grain: One row per province and year.
      primary_key: [geo_id, year]
      columns:
        - {name: geo_id, type: string, nullable: false}
        - {name: year, type: int, nullable: false}
        - {name: score, type: double}
        - {name: tags, type: "map<string,string>"}
      checks:
        - {name: score_is_share, expression: "score BETWEEN 0 AND 1"}
      """;

  private TestLakes() {}

  static Lake open(Path dir) throws Exception {
    return open(dir.resolve("schemas"), dir.resolve("lake"), "gold/scores", CONTRACT);
  }

  /**
   * The lake at {@code lake} opened with one contract, written to {@code
   * schemas/tables/<table>.yaml} ({@code table}: {@code layer/name}).
   */
  static Lake open(Path schemas, Path lake, String table, String contract) throws Exception {
    Path file = schemas.resolve("tables/" + table + ".yaml");
    Files.createDirectories(file.getParent());
    Files.writeString(file, contract);
    return new Lake(
            SparkTestSession.get(),
            lake.toUri().toString(),
            ContractCatalog.load(SchemaResources.open(schemas.toString())))
        .open();
  }
}
