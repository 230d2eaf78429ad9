package org.songhong.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQL endpoint seen from a JVM program that has only the Spark Connect JVM client: the sample
 * lake of tools/sample-lake.sh (the one the notebook tests read; one pinned release), then {@code
 * songhong serve sql --listen-all --token-file F}; queries by name, the helper functions, time
 * travel, the pin; every write refused; no token or a wrong one refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JvmClientIT {
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private static final String TOKEN = "songhong-jvm-client-it-token";

  private Path work;
  private Process server;
  private int port;
  private SparkSession spark;

  @BeforeAll
  void buildLakeAndServe(@TempDir Path dir) throws Exception {
    work = dir;
    // The sample lake the notebook tests share (tools/sample-lake.sh): run-tests builds it once and
    // names it in SONGHONG_TEST_LAKE; alone, this test builds it here.
    String given = System.getenv("SONGHONG_TEST_LAKE");
    Path lakeDir =
        given == null || given.isBlank()
            ? dir.resolve("sample")
            : Path.of(given).toAbsolutePath().getParent();
    Process build =
        new ProcessBuilder(REPO.resolve("tools/sample-lake.sh").toString(), lakeDir.toString())
            .redirectErrorStream(false)
            .redirectError(dir.resolve("build.log").toFile())
            .start();
    String lake = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(build.waitFor(20, TimeUnit.MINUTES)).as("tools/sample-lake.sh").isTrue();
    assertThat(build.exitValue())
        .as("tools/sample-lake.sh:\n" + tail(dir.resolve("build.log")))
        .isZero();
    Path token = dir.resolve("token");
    Files.writeString(token, TOKEN + "\n");
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    server =
        process(
                "serve.log",
                "serve",
                "sql",
                "--lake",
                lake,
                "--port",
                String.valueOf(port),
                "--listen-all",
                "--token-file",
                token.toString())
            .start();
    Path log = dir.resolve("serve.log");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
    while (!Files.readString(log).contains("listening on")) {
      assertThat(server.isAlive())
          .as("songhong serve sql exited:\n" + Files.readString(log))
          .isTrue();
      assertThat(System.nanoTime())
          .as("the endpoint listening:\n" + Files.readString(log))
          .isLessThan(deadline);
      Thread.sleep(500);
    }
    assertThat(Files.readString(log))
        .contains("read-only", "1 pinned releases", "clients must send the token");
    spark =
        SparkSession.builder().remote("sc://localhost:" + port + "/;token=" + TOKEN).getOrCreate();
  }

  @AfterAll
  void stop() throws Exception {
    if (spark != null) {
      spark.close();
    }
    if (server != null) {
      server.destroy();
      if (!server.waitFor(30, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
  }

  @Test
  void queriesTablesViewsAndTheHelperFunctionsByName() {
    assertThat(
            spark
                .sql("SELECT count(*) FROM gold.target_attainment_latest WHERE geo_id = 'VN-31'")
                .first()
                .getLong(0))
        .isEqualTo(28);
    List<Row> series =
        spark
            .sql("SELECT year, value, yoy_change_pct FROM gold.series('grdp_current', 'VN-31')")
            .collectAsList();
    assertThat(series).hasSizeGreaterThan(5);
    Row y2024 = series.stream().filter(r -> r.getInt(0) == 2024).findFirst().orElseThrow();
    Row y2023 = series.stream().filter(r -> r.getInt(0) == 2023).findFirst().orElseThrow();
    assertThat(y2024.getDouble(2))
        .isCloseTo(
            100 * (y2024.getDouble(1) - y2023.getDouble(1)) / y2023.getDouble(1),
            org.assertj.core.data.Offset.offset(1e-9));
    Row both =
        spark
            .sql(
                "SELECT * FROM gold.series_on_boundaries('grdp_current', 'VN-31', 'VN-31-2025') WHERE year = 2024")
            .first();
    assertThat(both.<Double>getAs("new_boundary_value"))
        .isGreaterThan(both.<Double>getAs("old_boundary_value"));
    // what was known before the 2025 yearbook: fewer figures than now, none from that release
    long before =
        spark
            .sql("SELECT count(*) FROM silver.observations_as_published(DATE'2025-03-01')")
            .first()
            .getLong(0);
    long now =
        spark.sql("SELECT count(*) FROM silver.provincial_observations_latest").first().getLong(0);
    assertThat(before).isPositive().isLessThan(now);
    assertThat(
            spark
                .sql(
                    "SELECT count(*) FROM silver.observations_as_published(DATE'2025-03-01') WHERE vintage = 'yearbook-2025'")
                .first()
                .getLong(0))
        .isZero();
  }

  @Test
  void timeTravelAndThePinnedRelease() {
    long current = spark.sql("SELECT count(*) FROM gold.target_attainment").first().getLong(0);
    assertThat(current).isPositive();
    assertThat(
            spark
                .sql("SELECT count(*) FROM gold.target_attainment VERSION AS OF 0")
                .first()
                .getLong(0))
        .isZero();
    assertThat(
            spark
                .sql("SELECT count(*) FROM pin_yearbook_2025.target_attainment")
                .first()
                .getLong(0))
        .isEqualTo(current);
    String history =
        spark.sql("DESCRIBE HISTORY gold.target_attainment").collectAsList().toString();
    assertThat(history).contains("CREATE TABLE", "WRITE");
  }

  @Test
  void everyWriteIsRefusedWithTheReason() {
    for (String sql :
        List.of(
            "DROP TABLE gold.target_attainment",
            "INSERT INTO gold.scorecard SELECT * FROM gold.scorecard",
            "DELETE FROM gold.scorecard",
            "UPDATE gold.scorecard SET status = 'achieved'",
            "ALTER TABLE gold.scorecard ADD COLUMNS (x INT)",
            "TRUNCATE TABLE gold.scorecard",
            "OPTIMIZE gold.scorecard",
            "CREATE TABLE gold.mine (a INT) USING delta",
            "DROP DATABASE gold CASCADE")) {
      assertThatThrownBy(() -> spark.sql(sql).collect())
          .as(sql)
          .hasMessageContaining("The songhong SQL endpoint is read-only");
    }
    assertThatThrownBy(
            () ->
                spark
                    .table("gold.scorecard")
                    .write()
                    .mode("overwrite")
                    .format("delta")
                    .saveAsTable("gold.scorecard"))
        .hasMessageContaining("read-only");
    assertThat(spark.sql("SELECT count(*) FROM gold.target_attainment_latest").first().getLong(0))
        .isPositive();
    // a temporary view is the client's own
    spark.sql("CREATE OR REPLACE TEMPORARY VIEW mine AS SELECT target_id FROM gold.scorecard");
    assertThat(spark.table("mine").count()).isPositive();
  }

  @Test
  void withoutTheTokenAClientIsRefused() {
    for (String url :
        List.of("sc://localhost:" + port, "sc://localhost:" + port + "/;token=wrong")) {
      assertThatThrownBy(
              () -> {
                try (SparkSession other = SparkSession.builder().remote(url).create()) {
                  other.sql("SELECT 1").collect();
                }
              })
          .as(url)
          .hasMessageContaining("UNAUTHENTICATED");
    }
  }

  private ProcessBuilder process(String log, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(REPO.resolve("songhong").toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(work.resolve(log).toFile());
    pb.environment().put("SONGHONG_SKIP_BUILD", "1"); // the jobs module was built before this one
    return pb;
  }

  private static String tail(Path log) throws IOException {
    String s = Files.readString(log, StandardCharsets.UTF_8);
    return s.length() > 6000 ? s.substring(s.length() - 6000) : s;
  }
}
