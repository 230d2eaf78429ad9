package org.songhong.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.songhong.error.Errors;
import org.songhong.job.LakeRuntime;
import org.songhong.serve.BuildWatch;
import org.songhong.serve.HeapRelease;
import org.songhong.serve.SqlEndpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code songhong serve sql}: the lake for economists' own tools; {@code songhong serve dashboard}:
 * the dashboard API and page.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Serve the lake to other tools.",
    subcommands = {ServeCommand.Sql.class, ServeCommand.Dashboard.class, ServeCommand.Runner.class})
final class ServeCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "sql",
      mixinStandardHelpOptions = true,
      description = {
        "A read-only Spark Connect SQL endpoint on the lake (PySpark's Spark Connect client, the Spark Connect",
        "JVM client, notebooks): every table, view and function of schemas/ by name, time travel, pinned releases as",
        "pin_NAME.table. Listens on loopback unless --listen-all, which needs a token."
      })
  static final class Sql implements Callable<Integer> {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--port",
        defaultValue = "15002",
        description = "Port (default: ${DEFAULT-VALUE}, Spark Connect's)")
    int port;

    @Option(
        names = "--host",
        defaultValue = "127.0.0.1",
        paramLabel = "ADDRESS",
        description =
            "Address to listen on (default: ${DEFAULT-VALUE}); anything but loopback needs --listen-all and a token")
    String host;

    @Option(
        names = "--listen-all",
        description = "Listen on every interface (0.0.0.0) unless --host says which; needs a token")
    boolean listenAll;

    @Option(
        names = "--token-file",
        paramLabel = "FILE",
        description =
            "File holding the access token clients must send (default: $SONGHONG_SQL_TOKEN)")
    Path tokenFile;

    @Mixin LakeOptions lake;

    @Override
    public Integer call() throws Exception {
      String token = token();
      boolean loopback = host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1");
      if (!loopback && !listenAll) {
        throw Errors.badOption(
            "--host",
            host,
            "a loopback address, or add --listen-all (with a token) to listen beyond this machine");
      }
      String address = listenAll && loopback ? "0.0.0.0" : host;
      SqlEndpoint.Options o = new SqlEndpoint.Options(address, port, token);
      LakeRuntime rt = Sessions.open(SqlEndpoint.configure(lake.config(), o), "sql endpoint");
      rt.lake().registerFunctions(null); // a server: every function, once, before the first client
      SqlEndpoint.serve(rt.lake(), rt.writer(), rt.config(), o, spec.commandLine().getOut());
      return 0;
    }

    private String token() {
      if (tokenFile != null) {
        try {
          String t = Files.readString(tokenFile).strip();
          if (t.isEmpty()) {
            throw Errors.badOption(
                "--token-file", tokenFile.toString(), "a file holding a token (it is empty)");
          }
          return t;
        } catch (IOException e) {
          throw Errors.unreadableFile(tokenFile.toString(), e.getMessage(), e);
        }
      }
      String t = System.getenv("SONGHONG_SQL_TOKEN");
      return t == null || t.isBlank() ? null : t.strip();
    }
  }

  @Command(
      name = "dashboard",
      mixinStandardHelpOptions = true,
      description = {
        "The dashboard aggregates (gold.scorecard, gold.dash_*) over a read-only HTTP JSON API, and the dashboard",
        "page at /. Reads the tables with Delta Kernel (no Spark job per request) and reloads a table when it gets a new",
        "version. Listens on loopback unless --host says otherwise."
      })
  static final class Dashboard implements Callable<Integer> {
    @Option(
        names = "--port",
        defaultValue = "8080",
        description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one)")
    int port;

    @Option(
        names = "--host",
        defaultValue = "127.0.0.1",
        paramLabel = "ADDRESS",
        description =
            "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface: the API is read-only and public)")
    String host;

    @Option(
        names = "--refresh-seconds",
        defaultValue = "5",
        description = "How often to look for new table versions (default: ${DEFAULT-VALUE})")
    int refreshSeconds;

    @Option(
        names = "--threads",
        defaultValue = "8",
        description = "Request threads (default: ${DEFAULT-VALUE})")
    int threads;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Mixin LakeOptions lake;

    @Override
    public Integer call() throws Exception {
      if (refreshSeconds < 1 || threads < 1) {
        throw Errors.badOption(
            refreshSeconds < 1 ? "--refresh-seconds" : "--threads",
            String.valueOf(refreshSeconds < 1 ? refreshSeconds : threads),
            "a whole number of at least 1");
      }
      org.songhong.config.SonghongConfig config = lake.config();
      String root =
          org.songhong.config.SonghongConfig.absolutise(
              config.get(org.songhong.config.SonghongConfig.LAKE_PATH));
      var kernel = new org.songhong.lake.KernelTables(root, hadoop(config));
      var server =
          new org.songhong.serve.dashboard.DashboardServer(
              kernel,
              org.songhong.contract.SchemaResources.open(
                  config.get(org.songhong.config.SonghongConfig.SCHEMAS_DIR)),
              host,
              port,
              threads);
      server.start(refreshSeconds);
      java.io.PrintWriter out = spec.commandLine().getOut();
      out.printf(
          "Dashboard on http://%s:%d/ (API: /api/v1/health), lake %s; new table versions are picked up within %d s.%n",
          host.contains(":") ? "[" + host + "]" : host, server.port(), root, refreshSeconds);
      server
          .data()
          .tables()
          .forEach(
              (k, t) ->
                  out.printf(
                      "  %-28s %s%n",
                      k,
                      t.version() < 0
                          ? "not in the lake yet"
                          : "version " + t.version() + ", " + t.rows().size() + " rows"));
      out.println("Ctrl-C stops it.");
      out.flush();
      Runtime.getRuntime().addShutdownHook(new Thread(server::close));
      Thread.currentThread().join();
      return 0;
    }
  }

  /**
   * Hadoop settings for Delta Kernel: the {@code spark.hadoop.*} ones given (s3a endpoint,
   * credentials, ...).
   */
  static org.apache.hadoop.conf.Configuration hadoop(org.songhong.config.SonghongConfig config) {
    return org.songhong.lake.HadoopConfs.from(config);
  }

  @Command(
      name = "runner",
      mixinStandardHelpOptions = true,
      description = {
        "A warm JVM for short commands on one machine: it keeps a Spark session and runs",
        "the commands the launcher forwards to it (run, runs, sql, tables, jobs, explain,",
        "generate, settings), one at a time, so that each scheduler task pays for its job",
        "only. The launcher forwards them when SONGHONG_RUNNER=http://127.0.0.1:PORT and",
        "SONGHONG_RUNNER_TOKEN_FILE=FILE are set; with SONGHONG_RUNNER=auto (the DAGs'",
        "default) it starts one per user and build itself (--url-file, --idle-minutes).",
        "Loopback only; the token file is written here (0600). The commands log to this",
        "process's log folder. A command whose client goes (a killed task) is cancelled."
      })
  static final class Runner implements Callable<Integer> {
    @Option(
        names = "--port",
        defaultValue = "0",
        description = "Port (default: a free one, printed)")
    int port;

    @Option(
        names = "--token-file",
        paramLabel = "FILE",
        required = true,
        description = "Where to write the token clients send (readable by this user only)")
    Path tokenFile;

    @Option(
        names = "--url-file",
        paramLabel = "FILE",
        description =
            "Where to write the runner's URL and process id, a line each, once it takes commands (for the launcher)")
    Path urlFile;

    @Option(
        names = "--idle-minutes",
        paramLabel = "N",
        defaultValue = "0",
        description =
            "End after this many minutes without a command (default 0: never); its memory goes back to the machine")
    long idleMinutes;

    @Option(
        names = "--release-memory-minutes",
        paramLabel = "N",
        defaultValue = "5",
        description =
            "After this many minutes without a command (default 5; 0: never), give the heap memory the jobs no longer use back to the machine, once per idle spell")
    double releaseMinutes;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      byte[] random = new byte[24];
      new java.security.SecureRandom().nextBytes(random);
      String token = java.util.HexFormat.of().formatHex(random);
      Files.deleteIfExists(tokenFile);
      Files.createFile(
          tokenFile,
          java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
              java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
      Files.writeString(tokenFile, token);
      // A Spark session now, so the first command finds it warm.
      var context =
          org.songhong.lake.SparkSessions.create(
                  org.songhong.config.SonghongConfig.of(java.util.Map.of()), "songhong runner")
              .sparkContext();
      var runner =
          new org.songhong.serve.CommandRunner(
                  "127.0.0.1",
                  port,
                  token,
                  (args, env, dir, out, err) ->
                      org.songhong.config.SonghongConfig.withClient(
                          env, dir, () -> Main.execute(args, out, err)),
                  (args, env) ->
                      Main.runnerRefusal(args, env, key -> context.getConf().get(key, null)),
                  worker -> { // a command whose client has gone
                    context.cancelAllJobs();
                    worker.interrupt();
                  })
              .start();
      java.io.PrintWriter out = spec.commandLine().getOut();
      out.printf(
          "Runner on http://127.0.0.1:%d/ (token in %s): export SONGHONG_RUNNER=http://127.0.0.1:%d "
              + "SONGHONG_RUNNER_TOKEN_FILE=%s%n",
          runner.port(), tokenFile, runner.port(), tokenFile);
      out.flush();
      if (urlFile != null) { // written whole, then moved: a reader never sees half a URL
        Path partial = urlFile.resolveSibling(urlFile.getFileName() + ".partial");
        Files.writeString(
            partial,
            "http://127.0.0.1:" + runner.port() + "\n" + ProcessHandle.current().pid() + "\n");
        Files.move(partial, urlFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(runner::close));
      java.time.Duration idle = java.time.Duration.ofMinutes(idleMinutes);
      java.time.Duration release = java.time.Duration.ofMillis((long) (releaseMinutes * 60_000));
      long tick = 15_000;
      for (java.time.Duration d : List.of(idle, release)) {
        tick = d.isZero() || d.isNegative() ? tick : Math.max(100, Math.min(tick, d.toMillis()));
      }
      BuildWatch build = BuildWatch.of(ServeCommand.class);
      String ending;
      while (true) {
        if (idleMinutes > 0 && runner.closeIfIdleFor(idle)) {
          ending = "No command for " + idleMinutes + " minute(s): the runner ends";
          break;
        }
        if (build.changed()
            && runner.closeIfIdleFor(java.time.Duration.ZERO, "The build changed")) {
          ending =
              "The build it runs changed ("
                  + build.path()
                  + "): the runner ends; the next command starts one for the new build";
          break;
        }
        if (releaseMinutes > 0) {
          runner.releaseIfIdleFor(
              release,
              () -> {
                HeapRelease.Result r = HeapRelease.now();
                out.printf(
                    "No command for %s minute(s): memory given back: %s%n",
                    String.valueOf(releaseMinutes).replaceAll("\\.0$", ""), r);
                out.flush();
              });
        }
        Thread.sleep(tick);
      }
      if (urlFile != null) {
        Files.deleteIfExists(urlFile);
      }
      out.println(ending);
      out.flush();
      return 0;
    }
  }
}
