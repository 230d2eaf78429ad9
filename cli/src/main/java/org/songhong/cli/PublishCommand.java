package org.songhong.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.songhong.config.SonghongConfig;
import org.songhong.contract.ContractCatalog;
import org.songhong.contract.DashboardTables;
import org.songhong.contract.SchemaResources;
import org.songhong.error.Errors;
import org.songhong.lake.KernelTables;
import org.songhong.publish.PostgresPublisher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code songhong publish postgres}: the gold aggregates into a PostgreSQL schema, for BI tools.
 */
@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    description = "Copy gold tables to the tools people already use.",
    subcommands = {PublishCommand.Postgres.class})
final class PublishCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "postgres",
      mixinStandardHelpOptions = true,
      description = {
        "Copy the dashboard aggregates (gold.scorecard, gold.dash_*) and any --table into a PostgreSQL schema,",
        "in one transaction (readers see the previous publication or this one, never half); tables whose Delta version",
        "was published before are left alone. Table and column comments come from schemas/. Run it after the marts."
      })
  static final class Postgres implements Callable<Integer> {
    @Option(
        names = "--url",
        required = true,
        paramLabel = "URL",
        description =
            "postgresql://USER[:PASSWORD]@HOST[:PORT]/DB or jdbc:postgresql://...; the password may come from $PGPASSWORD")
    String url;

    @Option(
        names = "--schema",
        defaultValue = "songhong",
        description = "PostgreSQL schema (default: ${DEFAULT-VALUE}); created if missing")
    String schema;

    @Option(
        names = "--table",
        paramLabel = "TABLE",
        description = "Another lake table to publish too, e.g. gold.target_attainment; repeatable")
    List<String> more = new ArrayList<>();

    @Option(names = "--force", description = "Publish every table again, changed or not")
    boolean force;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Mixin LakeOptions lake;

    @Override
    public Integer call() {
      if (!schema.matches("[a-z_][a-z0-9_]{0,62}")) {
        throw Errors.badOption(
            "--schema", schema, "a lower-case PostgreSQL name (letters, digits, '_')");
      }
      SonghongConfig config = lake.config();
      ContractCatalog contracts =
          ContractCatalog.load(SchemaResources.open(config.get(SonghongConfig.SCHEMAS_DIR)));
      List<String> tables = new ArrayList<>(DashboardTables.ALL);
      for (String t : more) {
        if (contracts.all().stream().noneMatch(c -> c.name().equals(t))) {
          throw Errors.unknownTable(t);
        }
        if (!tables.contains(t)) {
          tables.add(t);
        }
      }
      String root = SonghongConfig.absolutise(config.get(SonghongConfig.LAKE_PATH));
      var publisher =
          new PostgresPublisher(new KernelTables(root, ServeCommand.hadoop(config)), contracts);
      Jdbc target = jdbc(url);
      List<PostgresPublisher.Outcome> outcomes;
      Connection conn;
      try {
        conn = DriverManager.getConnection(target.url(), target.props());
      } catch (SQLException e) {
        throw Errors.postgresUnreachable(target.display(), e);
      }
      try (conn) {
        outcomes = publisher.publish(conn, schema, tables, force);
      } catch (SQLException | RuntimeException e) {
        throw Errors.publishFailed(target.display(), schema, e);
      }
      PrintWriter out = spec.commandLine().getOut();
      out.printf("Published to %s, schema %s (one transaction):%n", target.display(), schema);
      for (PostgresPublisher.Outcome o : outcomes) {
        out.printf(
            "  %-30s -> %-28s %-9s %s%n",
            o.table(),
            schema + "." + o.target(),
            o.version() == null ? "" : "v" + o.version(),
            o.action() + (o.rows() >= 0 ? " (" + o.rows() + " rows)" : ""));
      }
      out.flush();
      return 0;
    }
  }

  /** A JDBC URL and its connection properties; {@code display} has no password. */
  record Jdbc(String url, Properties props, String display) {}

  static Jdbc jdbc(String given) {
    Properties p = new Properties();
    String pw = System.getenv("PGPASSWORD");
    if (given.startsWith("jdbc:postgresql:")) {
      if (pw != null && !given.contains("password=")) {
        p.setProperty("password", pw);
      }
      return new Jdbc(given, p, given.replaceAll("password=[^&]*", "password=***"));
    }
    if (!given.startsWith("postgresql://") && !given.startsWith("postgres://")) {
      throw Errors.badOption(
          "--url",
          given,
          "postgresql://USER[:PASSWORD]@HOST[:PORT]/DB or jdbc:postgresql://HOST[:PORT]/DB");
    }
    URI u = URI.create(given);
    String info = u.getRawUserInfo();
    if (info != null) {
      int colon = info.indexOf(':');
      p.setProperty(
          "user",
          URLDecoder.decode(colon < 0 ? info : info.substring(0, colon), StandardCharsets.UTF_8));
      if (colon >= 0) {
        pw = URLDecoder.decode(info.substring(colon + 1), StandardCharsets.UTF_8);
      }
    }
    if (pw != null) {
      p.setProperty("password", pw);
    }
    String hostPort =
        u.getHost() == null
            ? "localhost"
            : (u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : ""));
    String db =
        u.getRawPath() == null || u.getRawPath().length() <= 1 ? "" : u.getRawPath().substring(1);
    String jdbc =
        "jdbc:postgresql://"
            + hostPort
            + "/"
            + db
            + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
    String shown =
        "postgresql://"
            + (p.getProperty("user") == null ? "" : p.getProperty("user") + "@")
            + hostPort
            + "/"
            + db;
    return new Jdbc(jdbc, p, shown);
  }
}
