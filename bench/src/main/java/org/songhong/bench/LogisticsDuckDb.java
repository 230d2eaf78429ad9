package org.songhong.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.songhong.bench.DuckDbPipeline.Compared;
import org.songhong.contract.SchemaResources;
import org.songhong.domain.logistics.LogisticsCatalog;

/**
 * The gate-move path in DuckDB ({@code logistics.duckdb.sql}): the event files under the landing
 * folder ({@code FEED/YYYY-MM-DD/TERMINAL.jsonl.gz}), the terminals and container sizes of {@code
 * schemas/reference/logistics.yaml} as VALUES rows, and five tables compared with Spark's.
 */
final class LogisticsDuckDb implements DuckDbPipeline.Pipeline {
  private static final List<Compared> TABLES =
      List.of(
          new Compared(
              "bronze_rows",
              "bronze.logistics_events",
              List.of(
                  "feed", "file_date", "source_file", "source_checksum", "source_line", "raw_line"),
              null),
          new Compared(
              "quarantined",
              "ops.quarantine",
              List.of("target_table", "source_file", "source_checksum", "source_line", "rule"),
              "target_table IN ('bronze.logistics_events', 'silver.gate_moves', 'silver.vessel_calls')"),
          new Compared(
              "gate_moves",
              "silver.gate_moves",
              List.of(
                  "event_date",
                  "event_time",
                  "terminal_id",
                  "container_id",
                  "container_id_valid",
                  "iso_code",
                  "length_ft",
                  "teu",
                  "full",
                  "direction",
                  "source_file",
                  "source_checksum",
                  "source_line"),
              null),
          new Compared(
              "vessel_calls",
              "silver.vessel_calls",
              List.of(
                  "arrival_date",
                  "arrival_time",
                  "departure_time",
                  "terminal_id",
                  "vessel_imo",
                  "moves",
                  "source_file",
                  "source_checksum",
                  "source_line"),
              null),
          new Compared(
              "terminal_activity_daily",
              "silver.terminal_activity_daily",
              List.of(
                  "activity_date",
                  "terminal_id",
                  "gate_moves",
                  "gate_teu",
                  "gate_in",
                  "gate_out",
                  "full_moves",
                  "vessel_calls",
                  "vessel_moves"),
              null));

  @Override
  public String resource() {
    return "logistics.duckdb.sql";
  }

  @Override
  public List<Compared> tables() {
    return TABLES;
  }

  /**
   * The file list; terminal names as the silver job matches them (a name's key to its terminal);
   * container sizes.
   */
  @Override
  public Map<String, String> values(SchemaResources schemas, Path landing) throws IOException {
    LogisticsCatalog catalog = LogisticsCatalog.load(schemas);
    Map<String, String> byKey = catalog.terminalIdsByNameKey();
    Map<String, String> v = new LinkedHashMap<>();
    v.put(
        "files",
        DuckDbPipeline.files(landing).stream()
            .map(DuckDbPipeline::lit)
            .collect(Collectors.joining(", ")));
    v.put(
        "terminal_names",
        byKey.entrySet().stream()
            .map(
                e ->
                    "("
                        + DuckDbPipeline.lit(e.getKey())
                        + ", "
                        + DuckDbPipeline.lit(e.getValue())
                        + ")")
            .collect(Collectors.joining(", ")));
    v.put(
        "sizes",
        catalog.sizes().entrySet().stream()
            .map(
                e ->
                    String.format(
                        Locale.ROOT,
                        "(%s, %d, %s)",
                        DuckDbPipeline.lit(e.getKey()),
                        e.getValue().lengthFt(),
                        e.getValue().teu()))
            .collect(Collectors.joining(", ")));
    return v;
  }
}
