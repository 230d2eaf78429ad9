package org.songhong.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A few rules of the house, read from the sources (code only, comments ignored) and run by {@code
 * mvn verify} like any test. Each names the file and line that breaks it.
 */
class HouseRulesTest {
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern PRINTS = Pattern.compile("\\bSystem\\.(out|err)\\b");

  /**
   * The environment, or a songhong.* system property read by its name (a JVM-level hand-off such as
   * the launcher's CDS marker is not a setting).
   */
  private static final Pattern ENVIRONMENT =
      Pattern.compile("\\bSystem\\.(getenv\\s*\\(|getProperty\\(\\s*\"songhong\\.)");

  private static final Pattern TABLE_ID =
      Pattern.compile("\"((?:bronze|silver|gold|ops)\\.[a-z_0-9]+)\"");
  private static final Pattern SETTING_FROM_SPARK =
      Pattern.compile("conf\\(\\)\\s*\\.get\\(\\s*\"songhong\\.");

  /**
   * A query or a table read on the session itself (by the session's names) rather than through the
   * lake; a statement that registers a name for people (CREATE DATABASE, CREATE VIEW: the pins'
   * views) is not a read.
   */
  private static final Pattern READ_BY_NAME =
      Pattern.compile(
          "\\bspark(\\(\\))?\\s*\\.\\s*(sql\\((?!\\s*\"CREATE )|table\\()|\\.read\\(\\)\\s*\\.table\\(");

  private static final Pattern SESSION_STATE =
      Pattern.compile("\\budf\\(\\)\\s*\\.register\\(|\\.create(OrReplace)?(Global)?TempView\\(");

  /**
   * Jobs, the core and serving log (Log4j2, JSON lines) or write to the stream they are given,
   * never to the console.
   */
  @Test
  void onlyTheCommandLinePrints() {
    assertThat(matches(PRINTS, "core", "jobs", "serving")).isEmpty();
  }

  /**
   * Settings come from SonghongConfig (defaults, environment, --conf in one place), not from the
   * process.
   */
  @Test
  void onlyTheSettingsClassReadsTheEnvironment() {
    assertThat(
            matches(ENVIRONMENT, "core", "jobs").stream()
                .filter(v -> !v.startsWith("core/src/main/java/org/songhong/config/"))
                .toList())
        .isEmpty();
  }

  /** A songhong.* setting read from Spark's conf skips the settings class's defaults and checks. */
  @Test
  void noSettingIsReadFromSparksConf() {
    assertThat(matches(SETTING_FROM_SPARK, "core", "jobs", "serving", "cli")).isEmpty();
  }

  /**
   * A job's transformations leave nothing on the Spark session (issue #20): its functions are
   * column functions closing over the catalogs they use, its lookup tables are frames or inline
   * tables, so a frame can be built on any session, twice, or with two catalogs, and a second lake
   * or job in the same session sees none of it.
   */
  @Test
  void jobsRegisterNothingOnTheSession() {
    assertThat(matches(SESSION_STATE, "core", "jobs")).isEmpty();
  }

  /**
   * Jobs and the core read tables through the lake ({@code lake.read(Tables.X)}, {@code
   * lake.sql("... FROM silver.x")}), which resolves ids to this lake's folders: the session's names
   * point at whichever lake registered them last (issue #20). The lake itself is the one place that
   * runs SQL on the session.
   */
  @Test
  void jobsReadTablesThroughTheLake() {
    assertThat(
            matches(READ_BY_NAME, "core", "jobs").stream()
                .filter(v -> !v.startsWith("core/src/main/java/org/songhong/lake/Lake.java:"))
                .toList())
        .as("read with lake.read(id) or lake.sql(query)")
        .isEmpty();
  }

  /**
   * A table id written in code ("gold.scorecard") names a contract, a view or a function of
   * schemas/: a typo fails here, not at run time.
   */
  @Test
  void everyTableIdTheCodeNamesIsInTheContracts() {
    org.songhong.contract.ContractCatalog c =
        org.songhong.contract.ContractCatalog.load(
            org.songhong.contract.SchemaResources.open(REPO.resolve("schemas").toString()));
    java.util.Set<String> known = new java.util.HashSet<>();
    c.all().forEach(t -> known.add(t.name()));
    c.views().forEach(v -> known.add(v.name()));
    c.functions().forEach(f -> known.add(f.name()));
    List<String> unknown = new ArrayList<>();
    for (String m : List.of("core", "jobs", "serving", "cli")) {
      for (Path f : DependencyDirectionTest.sources(m)) {
        java.util.regex.Matcher id = TABLE_ID.matcher(DependencyDirectionTest.read(f));
        while (id.find()) {
          if (!known.contains(id.group(1))) {
            unknown.add(REPO.relativize(f) + ": " + id.group(1));
          }
        }
      }
    }
    assertThat(unknown).isEmpty();
  }

  /**
   * A table or view is named in code through {@code contract.Tables}, whose constants TablesTest
   * holds to the contracts: the id written as a string ("gold.scorecard") appears there and nowhere
   * else, so no reader learns a table's name from the job that writes it. (Table names inside SQL
   * text are not string literals of their own.)
   */
  @Test
  void tableIdsAreWrittenOnlyInTables() {
    org.songhong.contract.ContractCatalog c =
        org.songhong.contract.ContractCatalog.load(
            org.songhong.contract.SchemaResources.open(REPO.resolve("schemas").toString()));
    java.util.Set<String> relations = new java.util.HashSet<>();
    c.all().forEach(t -> relations.add(t.name()));
    c.views().forEach(v -> relations.add(v.name()));
    List<String> elsewhere = new ArrayList<>();
    for (String m : List.of("core", "jobs", "serving", "cli")) {
      for (Path f : DependencyDirectionTest.sources(m)) {
        if (f.endsWith(Path.of("org", "songhong", "contract", "Tables.java"))) {
          continue;
        }
        String[] lines =
            DependencyDirectionTest.blankComments(DependencyDirectionTest.read(f)).split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
          java.util.regex.Matcher id = TABLE_ID.matcher(lines[i]);
          while (id.find()) {
            if (relations.contains(id.group(1))) {
              elsewhere.add(REPO.relativize(f) + ":" + (i + 1) + ": " + id.group(1));
            }
          }
        }
      }
    }
    assertThat(elsewhere).as("write org.songhong.contract.Tables.<LAYER_TABLE> instead").isEmpty();
  }

  @Test
  void theRulesSeeCodeAndNotComments() {
    String code =
        DependencyDirectionTest.blankComments("// System.out.println(x)\nSystem.out.println(y);\n");
    assertThat(PRINTS.matcher(code.split("\n")[0]).find()).isFalse();
    assertThat(PRINTS.matcher(code.split("\n")[1]).find()).isTrue();
    assertThat(SETTING_FROM_SPARK.matcher("spark.conf().get(\"songhong.lake.path\")").find())
        .isTrue();
    assertThat(SESSION_STATE.matcher("spark.udf().register(\"f\", g, t);").find()).isTrue();
    assertThat(SESSION_STATE.matcher("df.createOrReplaceTempView(\"v\");").find()).isTrue();
    assertThat(SESSION_STATE.matcher("udf((UDF1<String, String>) f, t)").find()).isFalse();
    assertThat(READ_BY_NAME.matcher("ctx.spark().sql(\"SELECT 1\")").find()).isTrue();
    assertThat(READ_BY_NAME.matcher("spark.table(Tables.SILVER_ENV_READINGS)").find()).isTrue();
    assertThat(READ_BY_NAME.matcher("spark.read().table(t)").find()).isTrue();
    assertThat(READ_BY_NAME.matcher("ctx.spark()\n        .sql(\"SELECT 1\")").find())
        .as("a call the formatter wrapped")
        .isTrue();
    assertThat(READ_BY_NAME.matcher("ctx.lake().sql(\"SELECT 1\")").find()).isFalse();
    assertThat(
            READ_BY_NAME
                .matcher("lake.spark().sql(\"CREATE OR REPLACE VIEW pin_x.t AS SELECT 1\")")
                .find())
        .isFalse();
    assertThat(ENVIRONMENT.matcher("String d = System.getenv(\"SONGHONG_LAKE\");").find()).isTrue();
    assertThat(ENVIRONMENT.matcher("System.getProperty(\"songhong.lake.path\")").find()).isTrue();
    assertThat(ENVIRONMENT.matcher("System.getProperty(SPARK_STARTED_MARKER)").find()).isFalse();
  }

  /**
   * "module/path:line" of every match in the modules' main code, matched over the whole file so
   * that a call the formatter wrapped ({@code spark()} on one line, {@code .sql(} on the next) is
   * seen.
   */
  private static List<String> matches(Pattern p, String... modules) {
    List<String> out = new ArrayList<>();
    for (String m : modules) {
      for (Path f : DependencyDirectionTest.sources(m)) {
        String code = DependencyDirectionTest.blankComments(DependencyDirectionTest.read(f));
        java.util.regex.Matcher hit = p.matcher(code);
        while (hit.find()) {
          long line = code.substring(0, hit.start()).chars().filter(c -> c == '\n').count() + 1;
          String at = REPO.relativize(f) + ":" + line;
          if (!out.contains(at)) {
            out.add(at);
          }
        }
      }
    }
    return out;
  }
}
