package org.songhong.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.songhong.contract.ContractCatalog;
import org.songhong.contract.SchemaResources;
import org.songhong.contract.TableContract;

class ContractCatalogTest {
  @Test
  void everyBundledContractLoadsWithAGrainAndAKey() {
    ContractCatalog c = ContractCatalog.load(SchemaResources.open(""));
    assertThat(c.all())
        .extracting(TableContract::name)
        .contains(
            "bronze.provincial_stats_long",
            "silver.provincial_observations",
            "gold.target_attainment",
            "ops.job_run_log",
            "ops.quarantine");
    assertThat(c.all())
        .allSatisfy(
            t -> {
              assertThat(t.grain()).startsWith("One row per");
              assertThat(t.primaryKey()).isNotEmpty();
            });
    assertThat(c.views())
        .extracting(v -> v.name())
        .contains("ops.job_runs", "gold.target_attainment_latest");
    assertThat(c.all())
        .extracting(TableContract::name)
        .containsAll(org.songhong.contract.DashboardTables.ALL);
  }

  @Test
  void theCommittedCatalogueOfMartsIsCurrent() throws Exception {
    ContractCatalog c = ContractCatalog.load(SchemaResources.open(""));
    String rendered = org.songhong.contract.CatalogMarkdown.render(c);
    assertThat(rendered)
        .contains(
            "## gold.target_attainment",
            "| `cagr_needed_from_now_pct` | double |",
            "`gold.attainment_as_published(as_of DATE)` | TABLE");
    assertThat(Files.readString(Path.of("..", "schemas", "CATALOG.md")))
        .as(
            "schemas/CATALOG.md is stale: regenerate it with ./songhong tables --catalog > schemas/CATALOG.md")
        .isEqualTo(rendered);
    assertThat(c.functions())
        .extracting(f -> f.name())
        .contains("gold.series", "silver.observations_as_published");
  }

  @Test
  void aContractWithAKeyThatIsNotAColumnIsRefused(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("tables/gold"));
    Files.writeString(
        dir.resolve("tables/gold/t.yaml"),
        """
        table: gold.t
        grain: One row per thing.
        primary_key: [id]
        columns:
          - {name: name, type: string, nullable: false}
        """);
    assertThatThrownBy(() -> ContractCatalog.load(SchemaResources.open(dir.toString())))
        .hasMessage(
            "Invalid contract schemas/tables/gold/t.yaml: primary key column id is not a column (fix the file in schemas/)");
  }

  @Test
  void aContractWithAnUnknownTypeIsRefused(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("tables/gold"));
    Files.writeString(
        dir.resolve("tables/gold/t.yaml"),
        """
        table: gold.t
        grain: One row per thing.
        columns:
          - {name: amount, type: money}
        """);
    assertThatThrownBy(() -> ContractCatalog.load(SchemaResources.open(dir.toString())))
        .hasMessage(
            "Invalid contract schemas/tables/gold/t.yaml: column amount has unknown type 'money' (fix the file in schemas/)");
  }
}
