package org.songhong.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.songhong.airflow.AirflowClient;
import org.songhong.error.Errors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code songhong airflow ...}: operate the DAGs through Airflow's REST API (v2). */
@Command(
    name = "airflow",
    mixinStandardHelpOptions = true,
    description = {
      "Operate the songhong DAGs through Airflow 3's REST API: list, unpause, trigger, wait, backfill,",
      "task states and logs, asset events. The password comes from SONGHONG_AIRFLOW_PASSWORD, --password-file, or a prompt."
    },
    subcommands = {
      AirflowCommand.Dags.class,
      AirflowCommand.Unpause.class,
      AirflowCommand.Pause.class,
      AirflowCommand.Trigger.class,
      AirflowCommand.Wait.class,
      AirflowCommand.Runs.class,
      AirflowCommand.Tasks.class,
      AirflowCommand.Log.class,
      AirflowCommand.Backfill.class,
      AirflowCommand.Assets.class,
      AirflowCommand.AssetEvent.class
    })
final class AirflowCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Where Airflow is and who logs in; flags beat environment variables. */
  static final class Connection {
    @Option(
        names = "--url",
        paramLabel = "URL",
        description =
            "Airflow's API server (default: $SONGHONG_AIRFLOW_URL or http://127.0.0.1:8080)")
    String url;

    @Option(
        names = "--user",
        paramLabel = "NAME",
        description = "User (default: $SONGHONG_AIRFLOW_USER or admin)")
    String user;

    @Option(
        names = "--password-file",
        paramLabel = "FILE",
        description =
            "File holding the password (default: $SONGHONG_AIRFLOW_PASSWORD, else a prompt)")
    Path passwordFile;

    @Option(
        names = "--http-timeout",
        paramLabel = "SECONDS",
        defaultValue = "${env:SONGHONG_AIRFLOW_HTTP_TIMEOUT:-30}",
        description =
            "Timeout of one request; a request that may be repeated is tried 3 times "
                + "(default: $SONGHONG_AIRFLOW_HTTP_TIMEOUT or 30)")
    int httpTimeout;

    AirflowClient client() {
      return client(System.getenv());
    }

    AirflowClient client(Map<String, String> env) {
      String u =
          url != null ? url : env.getOrDefault("SONGHONG_AIRFLOW_URL", "http://127.0.0.1:8080");
      String name = user != null ? user : env.getOrDefault("SONGHONG_AIRFLOW_USER", "admin");
      return new AirflowClient(URI.create(u), name, password(env), Duration.ofSeconds(httpTimeout));
    }

    private char[] password(Map<String, String> env) {
      if (passwordFile != null) {
        try {
          return Files.readString(passwordFile).strip().toCharArray();
        } catch (IOException e) {
          throw Errors.unreadableFile(passwordFile.toString(), e.getMessage(), e);
        }
      }
      String p = env.get("SONGHONG_AIRFLOW_PASSWORD");
      if (p != null) {
        return p.toCharArray();
      }
      if (System.console() != null) {
        char[] typed =
            System.console()
                .readPassword("Airflow password for %s: ", user == null ? "admin" : user);
        if (typed != null) {
          return typed;
        }
      }
      throw Errors.badOption(
          "--password-file",
          "(none)",
          "a password: set SONGHONG_AIRFLOW_PASSWORD, pass --password-file FILE, or run in a terminal to be asked");
    }
  }

  /** Base of the subcommands: the connection options and the output. */
  abstract static class Base implements Callable<Integer> {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Mixin Connection connection;

    PrintWriter out() {
      return spec.commandLine().getOut();
    }
  }

  @Command(
      name = "dags",
      mixinStandardHelpOptions = true,
      description = "List the DAGs (id, paused, schedule, next run, tags).")
  static final class Dags extends Base {
    @Option(
        names = "--pattern",
        paramLabel = "TEXT",
        description = "Only DAG ids containing this (SQL LIKE pattern)")
    String pattern;

    @Override
    public Integer call() {
      List<AirflowClient.Dag> dags = connection.client().dags(pattern);
      int w = dags.stream().mapToInt(d -> d.dagId().length()).max().orElse(6);
      out()
          .printf(
              "%-" + w + "s  %-6s  %-22s  %-25s  %s%n",
              "dag_id",
              "paused",
              "schedule",
              "next logical date",
              "tags");
      for (AirflowClient.Dag d : dags) {
        out()
            .printf(
                "%-" + w + "s  %-6s  %-22s  %-25s  %s%n",
                d.dagId(),
                d.paused() ? "yes" : "no",
                d.schedule() == null ? "-" : d.schedule(),
                d.nextRun() == null ? "-" : d.nextRun(),
                String.join(",", d.tags()));
      }
      return 0;
    }
  }

  @Command(
      name = "unpause",
      mixinStandardHelpOptions = true,
      description = "Unpause DAGs so the scheduler runs them.")
  static final class Unpause extends PauseBase {
    Unpause() {
      super(false);
    }
  }

  @Command(name = "pause", mixinStandardHelpOptions = true, description = "Pause DAGs.")
  static final class Pause extends PauseBase {
    Pause() {
      super(true);
    }
  }

  /** Pause or unpause each DAG named. */
  abstract static class PauseBase extends Base {
    private final boolean paused;

    @Parameters(arity = "1..*", paramLabel = "DAG_ID")
    List<String> dagIds;

    PauseBase(boolean paused) {
      this.paused = paused;
    }

    @Override
    public Integer call() {
      AirflowClient c = connection.client();
      for (String d : dagIds) {
        c.setPaused(d, paused);
        out().printf("%s: %s%n", d, paused ? "paused" : "unpaused");
      }
      return 0;
    }
  }

  /** {@code --conf key=value} pairs or one {@code --conf-json} object. */
  static final class RunConf {
    @Option(
        names = "--conf",
        paramLabel = "KEY=VALUE",
        description = "A key of the run's conf; repeatable")
    Map<String, String> pairs;

    @Option(
        names = "--conf-json",
        paramLabel = "JSON",
        description = "The run's conf as a JSON object")
    String json;

    static Map<String, Object> of(RunConf c) {
      if (c == null) {
        return Map.of();
      }
      if (c.json != null) {
        try {
          @SuppressWarnings("unchecked")
          Map<String, Object> m = new ObjectMapper().readValue(c.json, LinkedHashMap.class);
          return m;
        } catch (IOException e) {
          throw Errors.badOption(
              "--conf-json", c.json, "a JSON object such as {\"key\": \"value\"}");
        }
      }
      return new LinkedHashMap<>(c.pairs);
    }
  }

  @Command(
      name = "trigger",
      mixinStandardHelpOptions = true,
      description = "Trigger a run of a DAG; with --wait, follow it to the end.")
  static final class Trigger extends Base {
    @Parameters(index = "0", paramLabel = "DAG_ID")
    String dagId;

    @Option(
        names = "--date",
        paramLabel = "YYYY-MM-DD",
        description = "Logical date (default: none, a manual run of now)")
    String date;

    @Option(names = "--run-id", paramLabel = "ID", description = "Run id (default: Airflow's)")
    String runId;

    @ArgGroup(exclusive = true)
    RunConf conf;

    @Option(
        names = "--wait",
        description = "Wait for the run to end, printing progress; exit 1 if it failed")
    boolean await;

    @Option(
        names = "--timeout",
        paramLabel = "SECONDS",
        defaultValue = "3600",
        description = "How long --wait waits (default: ${DEFAULT-VALUE})")
    long timeout;

    @Override
    public Integer call() {
      LocalDate d = date == null ? null : parseDate("--date", date);
      AirflowClient c = connection.client();
      AirflowClient.DagRun run = c.trigger(dagId, d, RunConf.of(conf), runId);
      out()
          .printf(
              "triggered %s run %s (logical date %s): %s%n",
              dagId,
              run.runId(),
              run.logicalDate() == null ? "none" : run.logicalDate(),
              run.state());
      return await ? Wait.follow(c, out(), dagId, run.runId(), timeout) : 0;
    }
  }

  @Command(
      name = "wait",
      mixinStandardHelpOptions = true,
      description = "Wait for a run to end, printing progress; exit 1 if it failed.")
  static final class Wait extends Base {
    @Parameters(index = "0", paramLabel = "DAG_ID")
    String dagId;

    @Parameters(index = "1", paramLabel = "RUN_ID")
    String runId;

    @Option(
        names = "--timeout",
        paramLabel = "SECONDS",
        defaultValue = "3600",
        description = "How long to wait (default: ${DEFAULT-VALUE})")
    long timeout;

    @Override
    public Integer call() {
      return follow(connection.client(), out(), dagId, runId, timeout);
    }

    static int follow(AirflowClient c, PrintWriter out, String dagId, String runId, long timeoutS) {
      AirflowClient.DagRun run =
          c.await(
              dagId,
              runId,
              Duration.ofSeconds(timeoutS),
              Duration.ofSeconds(2),
              line -> {
                out.println(line);
                out.flush();
              });
      if ("success".equals(run.state())) {
        return 0;
      }
      String failed =
          c.taskInstances(dagId, runId).stream()
              .filter(t -> "failed".equals(t.state()) || "upstream_failed".equals(t.state()))
              .map(AirflowClient.TaskInstance::taskId)
              .reduce((a, b) -> a + ", " + b)
              .orElse("?");
      throw Errors.airflowRunFailed(dagId, runId, run.state(), failed);
    }
  }

  @Command(
      name = "runs",
      mixinStandardHelpOptions = true,
      description = "The DAG's latest runs, newest first.")
  static final class Runs extends Base {
    @Parameters(index = "0", paramLabel = "DAG_ID")
    String dagId;

    @Option(
        names = "--limit",
        defaultValue = "10",
        description = "How many (default: ${DEFAULT-VALUE})")
    int limit;

    @Override
    public Integer call() {
      out()
          .printf(
              "%-45s  %-8s  %-15s  %-25s  %s%n",
              "run_id", "state", "type", "logical date", "started");
      for (AirflowClient.DagRun r : connection.client().dagRuns(dagId, limit)) {
        out()
            .printf(
                "%-45s  %-8s  %-15s  %-25s  %s%n",
                r.runId(),
                r.state(),
                r.runType(),
                r.logicalDate() == null ? "-" : r.logicalDate(),
                r.startDate() == null ? "-" : r.startDate());
      }
      return 0;
    }
  }

  @Command(
      name = "tasks",
      mixinStandardHelpOptions = true,
      description = "The task instances of a run with state, try and duration.")
  static final class Tasks extends Base {
    @Parameters(index = "0", paramLabel = "DAG_ID")
    String dagId;

    @Parameters(index = "1", paramLabel = "RUN_ID")
    String runId;

    @Override
    public Integer call() {
      out().printf("%-28s  %-16s  %-3s  %s%n", "task_id", "state", "try", "duration_s");
      for (AirflowClient.TaskInstance t : connection.client().taskInstances(dagId, runId)) {
        out()
            .printf(
                "%-28s  %-16s  %-3d  %s%n",
                t.taskId(),
                t.state() == null ? "-" : t.state(),
                t.tryNumber(),
                t.durationS() == null ? "-" : String.format("%.1f", t.durationS()));
      }
      return 0;
    }
  }

  @Command(name = "log", mixinStandardHelpOptions = true, description = "Print a task's log.")
  static final class Log extends Base {
    @Parameters(index = "0", paramLabel = "DAG_ID")
    String dagId;

    @Parameters(index = "1", paramLabel = "RUN_ID")
    String runId;

    @Parameters(index = "2", paramLabel = "TASK_ID")
    String taskId;

    @Option(
        names = "--try",
        paramLabel = "N",
        defaultValue = "0",
        description = "Try number (default: the latest)")
    int tryNumber;

    @Override
    public Integer call() {
      out().print(connection.client().taskLog(dagId, runId, taskId, tryNumber));
      out().flush();
      return 0;
    }
  }

  @Command(
      name = "backfill",
      mixinStandardHelpOptions = true,
      description =
          "Run a DAG for every date of a range (inclusive); dates that already succeeded are not rerun.")
  static final class Backfill extends Base {
    @Parameters(index = "0", paramLabel = "DAG_ID")
    String dagId;

    @Option(names = "--from", required = true, paramLabel = "YYYY-MM-DD")
    String from;

    @Option(names = "--to", required = true, paramLabel = "YYYY-MM-DD")
    String to;

    @Option(names = "--rerun-failed", description = "Also rerun dates whose run failed")
    boolean rerunFailed;

    @Option(
        names = "--dry-run",
        description = "Only print which dates would run and which are skipped")
    boolean dryRun;

    @Option(
        names = "--wait",
        description = "Wait for the backfill to end, printing progress; exit 1 if a run failed")
    boolean await;

    @Option(
        names = "--timeout",
        paramLabel = "SECONDS",
        defaultValue = "3600",
        description = "How long --wait waits (default: ${DEFAULT-VALUE})")
    long timeout;

    @ArgGroup(exclusive = true)
    RunConf conf;

    @Override
    public Integer call() {
      LocalDate f = parseDate("--from", from);
      LocalDate t = parseDate("--to", to);
      if (t.isBefore(f)) {
        throw Errors.badOption("--to", to, "a date on or after --from " + from);
      }
      AirflowClient c = connection.client();
      AirflowClient.BackfillPlan plan = c.backfillPlan(dagId, f, t, RunConf.of(conf), rerunFailed);
      out()
          .printf(
              "%s from %s to %s: %d date(s) to run%s%n",
              dagId, f, t, plan.run().size(), dates(plan.run()));
      if (!plan.skipped().isEmpty()) {
        out()
            .printf(
                "skipped, already ran%s: %s%n",
                rerunFailed ? " and succeeded" : "", dates(plan.skipped()).substring(2));
      }
      out().flush();
      if (dryRun || plan.run().isEmpty()) {
        return 0;
      }
      long id = c.backfill(dagId, f, t, RunConf.of(conf), rerunFailed);
      out()
          .printf(
              "backfill %d of %s created; follow it with 'songhong airflow runs %s'%n",
              id, dagId, dagId);
      out().flush();
      if (!await) {
        return 0;
      }
      List<AirflowClient.DagRun> runs =
          c.awaitBackfill(
              dagId,
              id,
              f,
              t,
              plan.run(),
              Duration.ofSeconds(timeout),
              Duration.ofSeconds(3),
              line -> {
                out().println(line);
                out().flush();
              });
      List<String> failed =
          runs.stream()
              .filter(r -> !"success".equals(r.state()))
              .map(AirflowClient.DagRun::runId)
              .toList();
      if (!failed.isEmpty()) {
        throw Errors.airflowBackfillFailed(dagId, id, String.join(", ", failed));
      }
      out().printf("backfill %d: all %d run(s) succeeded%n", id, runs.size());
      return 0;
    }

    private static String dates(List<String> isoDates) {
      return isoDates.isEmpty()
          ? ""
          : ": "
              + isoDates.stream()
                  .map(d -> d.length() >= 10 ? d.substring(0, 10) : d)
                  .reduce((a, b) -> a + ", " + b)
                  .orElse("");
    }
  }

  @Command(
      name = "assets",
      mixinStandardHelpOptions = true,
      description = "The assets Airflow knows and the DAGs they schedule.")
  static final class Assets extends Base {
    @Override
    public Integer call() {
      connection
          .client()
          .assets()
          .forEach(
              (uri, dags) ->
                  out()
                      .printf("%s  ->  %s%n", uri, dags.isEmpty() ? "-" : String.join(", ", dags)));
      return 0;
    }
  }

  @Command(
      name = "asset-event",
      mixinStandardHelpOptions = true,
      description =
          "Record an event on an asset (e.g. after fixing a table by hand), which schedules the DAGs that consume it.")
  static final class AssetEvent extends Base {
    @Parameters(
        index = "0",
        paramLabel = "URI",
        description = "The asset's URI, e.g. songhong://silver/provincial_observations")
    String uri;

    @Option(
        names = "--extra",
        paramLabel = "KEY=VALUE",
        description = "Extra information on the event; repeatable")
    Map<String, String> extra = new LinkedHashMap<>();

    @Override
    public Integer call() {
      var e = connection.client().assetEvent(uri, new LinkedHashMap<>(extra));
      out()
          .printf(
              "asset event %s on %s at %s%n",
              e.path("id").asText("?"), uri, e.path("timestamp").asText("?"));
      return 0;
    }
  }

  static LocalDate parseDate(String option, String value) {
    try {
      return LocalDate.parse(value);
    } catch (java.time.format.DateTimeParseException e) {
      throw Errors.badOption(option, value, "a date such as 2025-01-31");
    }
  }
}
