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
    Path schemas = dir.resolve("schemas");
    Files.createDirectories(schemas.resolve("tables/gold"));
    Files.writeString(schemas.resolve("tables/gold/scores.yaml"), CONTRACT);
    return new Lake(
            SparkTestSession.get(),
            dir.resolve("lake").toUri().toString(),
            ContractCatalog.load(SchemaResources.open(schemas.toString())))
        .open();
  }
}
