package org.songhong.cli;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.songhong.contract.TableContract;
import org.songhong.job.LakeRuntime;
import org.songhong.ops.Pins;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code songhong pin create|list|drop}: named snapshots that maintenance never vacuums. */
@Command(
    name = "pin",
    mixinStandardHelpOptions = true,
    description = {
      "Name the current versions of lake tables (a release economists cite), so they stay readable",
      "with VERSION AS OF and lake_maintenance never vacuums their files."
    },
    subcommands = {PinCommand.Create.class, PinCommand.ListPins.class, PinCommand.Drop.class})
final class PinCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Pin the current version of tables (default: every gold table).")
  static final class Create implements Callable<Integer> {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(
        index = "0",
        paramLabel = "NAME",
        description = "Name of the pin, e.g. scorecard-2026-11")
    String name;

    @Option(
        names = "--table",
        paramLabel = "TABLE",
        description = "A table to pin; repeatable (default: every gold table).")
    List<String> tables = new ArrayList<>();

    @Option(
        names = "--note",
        paramLabel = "TEXT",
        description = "Why: the publication that cites these figures.")
    String note;

    @Mixin LakeOptions lake;

    @Override
    public Integer call() {
      LakeRuntime rt = Sessions.open(lake.config(), "pin");
      List<String> names =
          tables.isEmpty()
              ? rt.lake().contracts().all().stream()
                  .filter(c -> c.layer().equals("gold"))
                  .map(TableContract::name)
                  .toList()
              : tables;
      List<Pins.Pin> made = new Pins(rt.lake(), rt.writer()).create(name, names, note);
      for (Pins.Pin p : made) {
        spec.commandLine()
            .getOut()
            .printf(
                "pinned %s version %d (committed %s) as '%s'%n",
                p.table(), p.version(), p.committedAt(), p.pin());
      }
      spec.commandLine()
          .getOut()
          .printf(
              "Read them with: SELECT * FROM %s VERSION AS OF %d%n",
              made.get(0).table(), made.get(0).version());
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the pins.")
  static final class ListPins implements Callable<Integer> {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--format",
        paramLabel = "FORMAT",
        defaultValue = "table",
        description = "Output: ${COMPLETION-CANDIDATES}.")
    ResultPrinter.Format format;

    @Mixin LakeOptions lake;

    @Override
    public Integer call() {
      LakeRuntime rt = Sessions.open(lake.config(), "pin list");
      List<Row> rows = new ArrayList<>();
      for (Pins.Pin p : new Pins(rt.lake(), rt.writer()).list(null)) {
        rows.add(
            RowFactory.create(
                p.pin(),
                p.table(),
                p.version(),
                Timestamp.from(p.committedAt()),
                Timestamp.from(p.pinnedAt()),
                p.note()));
      }
      StructType schema =
          new StructType()
              .add("pin", DataTypes.StringType)
              .add("table", DataTypes.StringType)
              .add("version", DataTypes.LongType)
              .add("committed_at", DataTypes.TimestampType)
              .add("pinned_at", DataTypes.TimestampType)
              .add("note", DataTypes.StringType);
      ResultPrinter.print(spec.commandLine().getOut(), schema, rows, format);
      return 0;
    }
  }

  @Command(
      name = "drop",
      mixinStandardHelpOptions = true,
      description = "Remove a pin; its versions become ordinary history.")
  static final class Drop implements Callable<Integer> {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Mixin LakeOptions lake;

    @Override
    public Integer call() {
      LakeRuntime rt = Sessions.open(lake.config(), "pin drop");
      int n = new Pins(rt.lake(), rt.writer()).drop(name);
      spec.commandLine().getOut().printf("dropped pin '%s' (%d tables)%n", name, n);
      return 0;
    }
  }
}
