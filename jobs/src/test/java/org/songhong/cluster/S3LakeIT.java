package org.songhong.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.songhong.SparkTestSession;
import org.songhong.jobs.SampleLake;

/**
 * The lake on S3-compatible object storage: moto's S3 server (from PyPI, pinned in
 * {@code src/test/s3/moto-constraints.txt}) on a loopback port, and the pipeline run by the
 * {@code songhong} launcher with {@code --lake s3a://bucket/lake} through hadoop-aws. The tables in
 * the bucket must equal a local run's (the shared sample lake's, built by the launcher on a local
 * folder from the same sample), row for row, and be real Delta tables (their logs are objects in
 * the bucket).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3LakeIT {
  private static final String BUCKET = "songhong-it";
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  /** Provincial statistics and the logistics statistics they are checked against. */
  static final List<String> JOBS = List.of("provincial_stats_bronze", "provincial_stats_silver", "logistics_stats",
      "logistics_marts", "provincial_marts");

  private Process moto;
  private String endpoint;
  private Path work;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  void startS3(@TempDir Path dir) throws Exception {
    work = dir;
    Process setup = new ProcessBuilder(REPO.resolve("jobs/src/test/s3/setup-moto.sh").toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String venv = new String(setup.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(setup.waitFor(10, TimeUnit.MINUTES)).as("setup-moto.sh finished").isTrue();
    assertThat(setup.exitValue()).as("setup-moto.sh (see its output above)").isZero();
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    endpoint = "http://127.0.0.1:" + port;
    moto = new ProcessBuilder(venv + "/bin/moto_server", "-H", "127.0.0.1", "-p", String.valueOf(port))
        .redirectErrorStream(true).redirectOutput(dir.resolve("moto.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try (Socket ignored = new Socket("127.0.0.1", port)) {
        break;
      } catch (IOException e) {
        assertThat(moto.isAlive()).as("moto_server exited:\n" + Files.readString(dir.resolve("moto.log"))).isTrue();
        assertThat(System.nanoTime()).as("moto_server listening on " + port).isLessThan(deadline);
        Thread.sleep(250);
      }
    }
    HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(endpoint + "/" + BUCKET))
        .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as("create bucket: " + created.body()).isEqualTo(200);
  }

  @AfterAll
  void stopS3() throws Exception {
    if (moto != null) {
      moto.destroy();
      if (!moto.waitFor(20, TimeUnit.SECONDS)) {
        moto.destroyForcibly();
      }
    }
  }

  /** The settings a user passes for an S3-compatible endpoint (README, "On a cluster"). */
  private Map<String, String> s3a() {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("fs.s3a.endpoint", endpoint);
    c.put("fs.s3a.endpoint.region", "us-east-1");
    c.put("fs.s3a.path.style.access", "true");
    c.put("fs.s3a.connection.ssl.enabled", "false");
    c.put("fs.s3a.access.key", "songhong-it");
    c.put("fs.s3a.secret.key", "songhong-it-secret");
    return c;
  }

  @Test
  void thePipelineWithItsLakeOnS3EqualsALocalRun() throws Exception {
    String lake = "s3a://" + BUCKET + "/lake";
    List<String> cmd = new ArrayList<>(List.of(REPO.resolve("songhong").toString(), "run"));
    cmd.addAll(JOBS);
    cmd.addAll(List.of("--date", "2025-07-01", "--lake", lake, "--input", SampleLake.SAMPLE.toString()));
    s3a().forEach((k, v) -> cmd.addAll(List.of("--conf", "spark.hadoop." + k + "=" + v)));
    Path log = work.resolve("run.log");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("SONGHONG_SKIP_BUILD", "1"); // Maven built it before the integration tests
    pb.environment().put("SONGHONG_CDS", "0");
    Process p = pb.start();
    assertThat(p.waitFor(15, TimeUnit.MINUTES)).as("songhong run finished").isTrue();
    String out = Files.readString(log);
    assertThat(p.exitValue()).as("the pipeline on S3:\n" + tail(out)).isZero();
    for (String name : JOBS) {
      assertThat(out).contains("ok: " + name + " run ");
    }

    // Delta tables in the bucket: their first commit is an object there.
    String listing = http.send(HttpRequest.newBuilder(URI.create(endpoint + "/" + BUCKET
        + "?list-type=2&prefix=lake/gold/target_attainment/_delta_log/")).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
    assertThat(listing).contains("<Key>lake/gold/target_attainment/_delta_log/00000000000000000000.json</Key>");

    // The local run to compare with: the shared sample lake (the demo's, built by the launcher from
    // the same sample; run-tests builds it once). Its environment readings feed one target (HP30-18)
    // and make a release of their own (monitoring-...), which this run, without them, cannot have:
    // those rows are left out of the comparison (and the scorecard, whose latest release is that one).
    SparkSession spark = SparkTestSession.get();
    Path sample = sampleLake();
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    s3a().forEach(hadoop::set);
    Map<String, String> only = Map.of(
        "gold.target_attainment", "indicator_code <> 'industrial_zones_wastewater_compliant' AND vintage NOT LIKE 'monitoring-%'",
        "ops.quarantine", "target_table IN ('bronze.provincial_stats_long', 'silver.provincial_observations', "
            + "'bronze.logistics_stats_long', 'silver.logistics_stats_monthly')");
    var contracts = org.songhong.contract.ContractCatalog.load(org.songhong.contract.SchemaResources.open(REPO.resolve("schemas").toString()));
    for (String table : List.of("bronze.provincial_stats_long", "silver.provincial_observations", "silver.logistics_stats_monthly",
        "gold.logistics_throughput_yearly", "gold.target_attainment", "ops.quarantine")) {
      List<String> cols = contracts.get(table).columnNames().stream()
          .filter(c -> !c.endsWith("run_id") && !c.equals("source_file") && !c.equals("inputs") && !c.endsWith("_at")).toList();
      String filter = only.getOrDefault(table, "true");
      Dataset<Row> mine = spark.read().format("delta").load(sample.resolve(table.replace('.', '/')).toString()).filter(filter)
          .selectExpr(cols.toArray(String[]::new));
      Dataset<Row> theirs = spark.read().format("delta").load(lake + "/" + table.replace('.', '/')).filter(filter)
          .selectExpr(cols.toArray(String[]::new));
      long n = mine.count();
      assertThat(theirs.count()).as(table).isEqualTo(n);
      if (!table.equals("ops.quarantine")) {
        assertThat(n).as(table + " has rows").isPositive();
      }
      assertThat(mine.exceptAll(theirs).count()).as(table + ": local rows missing on S3").isZero();
      assertThat(theirs.exceptAll(mine).count()).as(table + ": rows on S3 missing locally").isZero();
    }
    List<Row> runs = spark.read().format("delta").load(lake + "/ops/job_run_log")
        .filter("status = 'succeeded'").select("job").collectAsList();
    assertThat(runs.stream().map(r -> r.getString(0)).toList()).containsExactlyInAnyOrderElementsOf(JOBS);
  }

  /** The shared sample lake (SONGHONG_TEST_LAKE, built once by run-tests), or one built here. */
  private Path sampleLake() throws Exception {
    String given = System.getenv("SONGHONG_TEST_LAKE");
    Path folder = given == null || given.isBlank() ? work.resolve("sample") : Path.of(given).toAbsolutePath().getParent();
    Process build = new ProcessBuilder(REPO.resolve("tools/sample-lake.sh").toString(), folder.toString())
        .redirectError(work.resolve("sample-lake.log").toFile()).start();
    String lake = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(build.waitFor(30, TimeUnit.MINUTES)).as("tools/sample-lake.sh").isTrue();
    assertThat(build.exitValue()).as("tools/sample-lake.sh, log in " + work.resolve("sample-lake.log")).isZero();
    return Path.of(lake);
  }

  private static String tail(String s) {
    return s.length() > 6000 ? s.substring(s.length() - 6000) : s;
  }
}
