package org.songhong.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.songhong.cli.Main;
import org.songhong.config.SonghongConfig;
import org.songhong.contract.ContractCatalog;
import org.songhong.contract.DashboardTables;
import org.songhong.job.LakeRuntime;
import org.songhong.lake.KernelTables;
import org.songhong.testing.DashboardTestLake;

/**
 * songhong publish postgres against a real PostgreSQL server started by the test (Debian's
 * binaries): the tables and their comments, nothing republished when nothing changed, readers see
 * the old or the new publication while it is swapped, and a failed publication changes nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresPublisherTest {
  private LocalPostgres pg;
  private LakeRuntime rt;
  private PostgresPublisher publisher;
  private String lake;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    pg = new LocalPostgres();
    rt = DashboardTestLake.create(dir.resolve("lake"));
    lake = dir.resolve("lake").toString();
    publisher =
        new PostgresPublisher(
            new KernelTables(SonghongConfig.absolutise(lake), new Configuration()),
            ContractCatalog.load(rt.schemas()));
  }

  @AfterAll
  void stop() throws Exception {
    if (pg != null) {
      pg.close();
    }
  }

  private static long scalar(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String text(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Test
  @Order(1)
  void theCommandPublishesTheAggregatesWithTheirComments() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.execute(
            new String[] {
              "publish",
              "postgres",
              "--lake",
              lake,
              "--url",
              "postgresql://" + LocalPostgres.USER + "@127.0.0.1:" + pg.port() + "/postgres"
            },
            new PrintWriter(out, true),
            new PrintWriter(err, true));
    assertThat(code).as(out + "\n" + err).isZero();
    assertThat(out.toString())
        .contains(
            "gold.scorecard", "songhong.scorecard", "published (2 rows)", "published (3 rows)");
    try (Connection c = pg.connect()) {
      assertThat(scalar(c, "SELECT count(*) FROM songhong.scorecard")).isEqualTo(2);
      assertThat(scalar(c, "SELECT count(*) FROM songhong.dash_target_trends")).isEqualTo(3);
      assertThat(
              scalar(
                  c,
                  "SELECT count(*) FROM songhong.dash_port_throughput WHERE month = DATE '2025-11-01'"))
          .isEqualTo(2);
      assertThat(
              text(
                  c,
                  "SELECT station_name FROM songhong.dash_aqi_daily WHERE station_id = 'HP-AQ-02'"))
          .isEqualTo("Trạm HP-AQ-02");
      assertThat(
              text(
                  c,
                  "SELECT sparkline->1->>'value' FROM songhong.scorecard WHERE target_id = 'HP30-01'"))
          .isEqualTo("1.5");
      assertThat(text(c, "SELECT obj_description('songhong.scorecard'::regclass)"))
          .startsWith("gold.scorecard (Delta version 1): ")
          .contains("Grain: One row per target");
      assertThat(text(c, "SELECT col_description('songhong.dash_aqi_daily'::regclass, 7)"))
          .isEqualTo("Band colour as R,G,B (0-255), the official VN_AQI colour");
      assertThat(
              text(
                  c,
                  "SELECT data_type FROM information_schema.columns WHERE table_schema = 'songhong' "
                      + "AND table_name = 'dash_port_throughput' AND column_name = 'month'"))
          .isEqualTo("date");
      assertThat(
              scalar(
                  c,
                  "SELECT count(*) FROM information_schema.table_constraints WHERE table_schema = 'songhong' "
                      + "AND constraint_type = 'PRIMARY KEY' AND table_name <> '_songhong_published'"))
          .isEqualTo(4);
      assertThat(scalar(c, "SELECT count(*) FROM songhong._songhong_published")).isEqualTo(4);
    }
  }

  @Test
  @Order(2)
  void nothingChangedNothingRepublished() throws Exception {
    try (Connection c = pg.connect()) {
      String before =
          text(
              c,
              "SELECT string_agg(published_at::text, ',' ORDER BY table_name) FROM songhong._songhong_published");
      List<PostgresPublisher.Outcome> outcomes =
          publisher.publish(c, "songhong", DashboardTables.ALL, false);
      assertThat(outcomes).extracting(PostgresPublisher.Outcome::action).containsOnly("unchanged");
      assertThat(
              text(
                  c,
                  "SELECT string_agg(published_at::text, ',' ORDER BY table_name) FROM songhong._songhong_published"))
          .isEqualTo(before);
      DashboardTestLake.scorecard(rt, 3);
      outcomes = publisher.publish(c, "songhong", DashboardTables.ALL, false);
      assertThat(outcomes)
          .extracting(o -> o.target() + " " + o.action())
          .containsExactly(
              "scorecard published",
              "dash_target_trends unchanged",
              "dash_port_throughput unchanged",
              "dash_aqi_daily unchanged");
      assertThat(scalar(c, "SELECT count(*) FROM songhong.scorecard")).isEqualTo(3);
      assertThat(
              scalar(
                  c,
                  "SELECT delta_version FROM songhong._songhong_published WHERE table_name = 'scorecard'"))
          .isEqualTo(2);
    }
  }

  @Test
  @Order(3)
  void readersSeeTheOldOrTheNewPublicationNeverHalf() throws Exception {
    Set<Long> seen = ConcurrentHashMap.newKeySet();
    List<String> errors = new CopyOnWriteArrayList<>();
    AtomicBoolean done = new AtomicBoolean();
    Thread reader =
        new Thread(
            () -> {
              try (Connection c = pg.connect()) {
                while (!done.get()) {
                  // Both tables in one statement: a publication is one transaction, so they always
                  // agree.
                  try (Statement st = c.createStatement();
                      ResultSet rs =
                          st.executeQuery(
                              "SELECT (SELECT count(*) FROM songhong.scorecard), (SELECT max(delta_version) FROM songhong._songhong_published "
                                  + "WHERE table_name = 'scorecard')")) {
                    rs.next();
                    seen.add(rs.getLong(1) * 1000 + rs.getLong(2));
                  } catch (SQLException e) {
                    errors.add(e.getMessage());
                  }
                }
              } catch (SQLException e) {
                errors.add(e.getMessage());
              }
            });
    reader.start();
    Thread.sleep(300);
    try (Connection c = pg.connect()) {
      for (int targets : new int[] {5, 7, 4}) {
        DashboardTestLake.scorecard(rt, targets);
        publisher.publish(c, "songhong", DashboardTables.ALL, false);
        Thread.sleep(200);
      }
    } finally {
      done.set(true);
      reader.join(30_000);
    }
    assertThat(errors).as("a reader failed while a publication was swapped in").isEmpty();
    // rows * 1000 + version: each count only ever with its own Delta version
    assertThat(seen).isSubsetOf(Set.of(3002L, 5003L, 7004L, 4005L)).contains(3002L, 4005L);
  }

  @Test
  @Order(4)
  void aFailedPublicationIsRolledBackWhole() throws Exception {
    DashboardTestLake.scorecard(rt, 6);
    try (Connection c = pg.connect()) {
      try (Statement st = c.createStatement()) {
        // Something in the way of the second table's swap: a view where its staging table goes.
        st.execute("CREATE VIEW songhong.dash_target_trends__songhong_new AS SELECT 1 AS x");
      }
      c.setAutoCommit(true);
      assertThatThrownBy(() -> publisher.publish(c, "songhong", DashboardTables.ALL, true))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("dash_target_trends__songhong_new");
      assertThat(scalar(c, "SELECT count(*) FROM songhong.scorecard"))
          .as("the scorecard swap was rolled back too")
          .isEqualTo(4);
      assertThat(
              scalar(
                  c,
                  "SELECT delta_version FROM songhong._songhong_published WHERE table_name = 'scorecard'"))
          .isEqualTo(5);
      try (Statement st = c.createStatement()) {
        st.execute("DROP VIEW songhong.dash_target_trends__songhong_new");
      }
      c.commit();
      publisher.publish(c, "songhong", DashboardTables.ALL, false);
      assertThat(scalar(c, "SELECT count(*) FROM songhong.scorecard")).isEqualTo(6);
    }
  }

  @Test
  void aWrongUrlIsOneClearLine() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.execute(
            new String[] {"publish", "postgres", "--lake", lake, "--url", "mysql://x@localhost/db"},
            new PrintWriter(out, true),
            new PrintWriter(err, true));
    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains("Invalid value 'mysql://x@localhost/db' for --url: expected postgresql://");
    code =
        Main.execute(
            new String[] {
              "publish", "postgres", "--lake", lake, "--url", "postgresql://nobody@127.0.0.1:1/none"
            },
            new PrintWriter(out, true),
            new PrintWriter(err, true));
    assertThat(code).isEqualTo(1);
    assertThat(err.toString())
        .contains("Cannot connect to PostgreSQL at postgresql://nobody@127.0.0.1:1/none");
  }
}
