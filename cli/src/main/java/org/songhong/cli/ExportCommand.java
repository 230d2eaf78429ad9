package org.songhong.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.songhong.config.SonghongConfig;
import org.songhong.contract.ContractCatalog;
import org.songhong.contract.DashboardTables;
import org.songhong.contract.SchemaResources;
import org.songhong.error.Errors;
import org.songhong.lake.KernelTables;
import org.songhong.publish.Exporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code songhong export}: the scorecard and series for Excel, and the dashboard aggregates as CSV
 * and Parquet.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Write the scorecard and the target series as an .xlsx workbook (a sheet each, with units and the target",
      "wording), and each dashboard aggregate (gold.scorecard, gold.dash_*) as CSV and Parquet, into --out;",
      "with --format sdmx-csv, the figures, the indicator series and the attainment marts as SDMX-CSV 2.0 (and a",
      "source descriptor that loads the figures into another songhong lake); with --format open-sdg, the data and",
      "metadata files of an Open SDG reporting site, one pair per target."
    })
final class ExportCommand implements Callable<Integer> {
  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Folder to write into (created if missing)")
  Path out;

  @Option(
      names = "--format",
      split = ",",
      paramLabel = "FORMAT",
      defaultValue = "xlsx,csv,parquet",
      description =
          "xlsx, csv, parquet, sdmx-csv and/or open-sdg, comma-separated (default: ${DEFAULT-VALUE})")
  List<String> formats;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin LakeOptions lake;

  @Override
  public Integer call() throws Exception {
    for (String f : formats) {
      if (!List.of("xlsx", "csv", "parquet", "sdmx-csv", "open-sdg").contains(f)) {
        throw Errors.badOption("--format", f, "xlsx, csv, parquet, sdmx-csv or open-sdg");
      }
    }
    Files.createDirectories(out);
    SonghongConfig config = lake.config();
    String root = SonghongConfig.absolutise(config.get(SonghongConfig.LAKE_PATH));
    SchemaResources schemas = SchemaResources.open(config.get(SonghongConfig.SCHEMAS_DIR));
    Exporter exporter =
        new Exporter(
            new KernelTables(root, ServeCommand.hadoop(config)),
            ContractCatalog.load(schemas),
            org.songhong.contract.Presentation.load(schemas));
    PrintWriter w = spec.commandLine().getOut();
    if (formats.contains("sdmx-csv")) {
      Map<String, KernelTables.Loaded> sdmx = exporter.read(org.songhong.publish.SdmxExport.TABLES);
      String name =
          Path.of(root.replaceFirst("^file:", "")).getFileName() == null
              ? "lake"
              : Path.of(root.replaceFirst("^file:", "")).normalize().getFileName().toString();
      for (Path p : org.songhong.publish.SdmxExport.write(out.resolve("sdmx"), sdmx, name)) {
        w.printf("  %s%n", p);
      }
    }
    if (formats.contains("open-sdg")) {
      Map<String, String> names = new java.util.HashMap<>();
      org.songhong.domain.geo.Geography.load(schemas)
          .units()
          .forEach(u -> names.put(u.geoId(), u.nameVi()));
      List<Path> files =
          org.songhong.publish.OpenSdgExport.write(
              out.resolve("open-sdg"),
              exporter.read(org.songhong.publish.OpenSdgExport.TABLES),
              names);
      w.printf("  %s (%d data and metadata files)%n", out.resolve("open-sdg"), files.size());
    }
    if (formats.stream().allMatch(f -> f.equals("sdmx-csv") || f.equals("open-sdg"))) {
      w.flush();
      return 0;
    }
    Map<String, KernelTables.Loaded> data = exporter.read(DashboardTables.ALL);
    if (formats.contains("xlsx")) {
      w.printf("  %s%n", exporter.workbook(out, data, root));
    }
    if (formats.contains("csv")) {
      for (var e : data.entrySet()) {
        w.printf(
            "  %s (%d rows, version %d)%n",
            exporter.csv(out, e.getKey(), e.getValue()),
            e.getValue().rows().size(),
            e.getValue().version());
      }
    }
    if (formats.contains("parquet")) {
      w.flush();
      var rt = Sessions.open(config, "export");
      for (var e : data.entrySet()) {
        Path file = ParquetExport.write(rt, e.getKey(), e.getValue().version(), out);
        w.printf("  %s (version %d)%n", file, e.getValue().version());
      }
    }
    w.flush();
    return 0;
  }
}
