package org.songhong.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;


import org.songhong.jobs.SampleLake;

/**
 * The application jar on a real Spark standalone cluster: a master and a worker on loopback, started
 * from a Spark "distribution" made of the build's jars minus what the application jar carries
 * (Delta, picocli, ...), and every job submitted with spark-submit. The tables must equal a local
 * run's (the shared sample lake's), row for row.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StandaloneClusterIT {
  /** What the shade plugin puts in the application jar; a Spark distribution does not have these. */
  private static final List<String> SHADED = List.of("delta-", "unitycatalog-", "jackson-datatype-jdk8-", "picocli-",
      "jline-", "fastexcel-", "aalto-xml-", "stax2-api-");

  private final List<Process> daemons = new ArrayList<>();
  private Path sparkHome;
  private String flags;
  private String master;
  private Path work;

  @BeforeAll
  void startCluster(@TempDir Path dir) throws Exception {
    work = dir;
    sparkHome = dir.resolve("spark");
    Files.createDirectories(sparkHome.resolve("jars"));
    try (Stream<Path> jars = Files.list(Path.of("target/lib"))) {
      for (Path j : jars.toList()) {
        String name = j.getFileName().toString();
        if (SHADED.stream().noneMatch(name::startsWith)) {
          Files.createSymbolicLink(sparkHome.resolve("jars").resolve(name), j.toAbsolutePath());
        }
      }
    }
    flags = Files.readString(Path.of("target/classes/songhong-jvm.flags")).strip();
    int port = freePort();
    master = "spark://127.0.0.1:" + port;
    daemons.add(start(dir.resolve("master.log"), "org.apache.spark.deploy.master.Master",
        "--host", "127.0.0.1", "--port", String.valueOf(port), "--webui-port", String.valueOf(freePort())));
    waitForPort(port, dir.resolve("master.log"));
    daemons.add(start(dir.resolve("worker.log"), "org.apache.spark.deploy.worker.Worker",
        "--host", "127.0.0.1", "--cores", "2", "--memory", "2g", "--webui-port", String.valueOf(freePort()), master));
  }

  @AfterAll
  void stopCluster() throws Exception {
    for (Process p : daemons) {
      p.destroy();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  /** Provincial statistics and logistics (whose event files are split on the executors). */
  static final List<String> JOBS = List.of("provincial_stats_bronze", "provincial_stats_silver", "logistics_stats",
      "logistics_events_bronze", "logistics_events_silver", "logistics_marts", "provincial_marts");

  @Test
  void thePipelineSubmittedToTheClusterEqualsALocalRun() throws Exception {
    // The local run to compare with is the shared sample lake (the demo's, run-tests builds it once):
    // the cluster loads the same sample and the first two days of the demo's December event files.
    Path sample = sampleLake();
    Path clusterLake = work.resolve("cluster-lake");
    Path events = sample.resolve("_landing/logistics/events");
    // One application runs the whole pipeline (as 'songhong run A B C' does on a cluster), so the
    // test pays the submission once.
    Path log = work.resolve("submit.log");
    List<String> cmd = new ArrayList<>(java("org.apache.spark.deploy.SparkSubmit",
        "--master", master, "--deploy-mode", "client", "--class", "org.songhong.cli.Main",
        "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
        "--conf", "spark.cores.max=2", "--conf", "spark.executor.memory=1g",
        // Small data: as a user would size them for a small table (the defaults suit big ones).
        "--conf", "spark.sql.shuffle.partitions=4", "--conf", "spark.databricks.delta.snapshotPartitions=2",
        "--conf", "spark.executor.extraJavaOptions=" + flags,
        "--driver-java-options", flags,
        Path.of("target/songhong-jobs-spark.jar").toAbsolutePath().toString(), "run"));
    cmd.addAll(JOBS);
    cmd.addAll(List.of("--date", "2025-12-02", "--lake", clusterLake.toString(),
        "--input", SampleLake.SAMPLE.toString(), "--conf", "songhong.logistics.events.dir=" + events,
        "--conf", "songhong.logistics.lookback.days=1"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertThat(p.waitFor(15, TimeUnit.MINUTES)).as("spark-submit finished").isTrue();
    String out = Files.readString(log);
    assertThat(p.exitValue()).as("the pipeline on the cluster:\n" + tail(out)).isZero();
    for (String name : JOBS) {
      assertThat(out).contains("ok: " + name + " run ");
    }
    assertThat(out).doesNotContain("local[");

    // What the sample lake has and this run cannot: the other 29 days of events (so the month's TEU
    // reconciliation differs), and the environment readings, which feed one target (HP30-18) and make
    // a release of their own (monitoring-...). Those rows are left out of the comparison.
    String days = "BETWEEN DATE'2025-12-01' AND DATE'2025-12-02'";
    Map<String, String> only = Map.of(
        "silver.gate_moves", "event_date " + days,
        "silver.terminal_activity_daily", "activity_date " + days,
        "gold.target_attainment", "indicator_code <> 'industrial_zones_wastewater_compliant' AND vintage NOT LIKE 'monitoring-%'");
    SparkSession spark = org.songhong.SparkTestSession.get();
    var contracts = org.songhong.contract.ContractCatalog.load(
        org.songhong.contract.SchemaResources.open(Path.of("..", "schemas").toAbsolutePath().toString()));
    for (String table : List.of("silver.provincial_observations", "gold.target_attainment", "silver.gate_moves",
        "silver.terminal_activity_daily", "gold.logistics_throughput_monthly")) {
      List<String> cols = contracts.get(table).columnNames().stream()
          .filter(c -> !c.endsWith("run_id") && !c.equals("source_file") && !c.equals("inputs")).toList();
      String filter = only.getOrDefault(table, "true");
      Dataset<Row> mine = spark.read().format("delta").load(sample.resolve(table.replace('.', '/')).toString()).filter(filter)
          .selectExpr(cols.toArray(String[]::new));
      Dataset<Row> theirs = spark.read().format("delta").load(clusterLake.resolve(table.replace('.', '/')).toString())
          .filter(filter).selectExpr(cols.toArray(String[]::new));
      assertThat(theirs.count()).as(table).isEqualTo(mine.count()).isPositive();
      assertThat(mine.exceptAll(theirs).count()).as(table + ": local rows missing on the cluster").isZero();
      assertThat(theirs.exceptAll(mine).count()).as(table + ": cluster rows missing locally").isZero();
    }
    List<Row> runs = spark.read().format("delta").load(clusterLake.resolve("ops/job_run_log").toString())
        .filter("status = 'succeeded'").select("spark_app_id").collectAsList();
    assertThat(runs).hasSize(JOBS.size()).allSatisfy(r -> assertThat(r.getString(0)).startsWith("app-"));
  }

  private Process start(Path log, String mainClass, String... args) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(java(mainClass, args)).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("SPARK_HOME", sparkHome.toString());
    pb.environment().put("SPARK_SCALA_VERSION", "2.13");
    pb.environment().put("SPARK_WORKER_DIR", work.resolve("worker").toString());
    return pb.start();
  }

  private List<String> java(String mainClass, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(List.of(flags.split("\\s+")));
    cmd.addAll(List.of("-Xmx1g", "-cp", sparkHome.resolve("jars") + File.separator + "*", mainClass));
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** The shared sample lake (SONGHONG_TEST_LAKE, built once by run-tests), or one built here. */
  private Path sampleLake() throws Exception {
    String given = System.getenv("SONGHONG_TEST_LAKE");
    Path folder = given == null || given.isBlank() ? work.resolve("sample") : Path.of(given).toAbsolutePath().getParent();
    Process build = new ProcessBuilder(Path.of("..").toAbsolutePath().normalize().resolve("tools/sample-lake.sh").toString(),
        folder.toString()).redirectError(work.resolve("sample-lake.log").toFile()).start();
    String lake = new String(build.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
    assertThat(build.waitFor(30, TimeUnit.MINUTES)).as("tools/sample-lake.sh").isTrue();
    assertThat(build.exitValue()).as("tools/sample-lake.sh, log in " + work.resolve("sample-lake.log")).isZero();
    return Path.of(lake);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void waitForPort(int port, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      try (Socket ignored = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException e) {
        Thread.sleep(250);
      }
    }
    throw new AssertionError("the master did not listen on " + port + ":\n" + tail(Files.readString(log)));
  }

  private static String tail(String s) {
    return s.length() > 6000 ? s.substring(s.length() - 6000) : s;
  }

}
