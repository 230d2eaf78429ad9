package org.songhong.lake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.songhong.SparkTestSession;
import org.songhong.config.SonghongConfig;

/**
 * How a job's input size picks Spark's evaluation: interpreted below the threshold, generated code
 * above.
 */
class SparkSessionsTest {
  private final SparkSession spark = SparkTestSession.get();

  /**
   * A raw line, a line number, a time and a container are written without a Parquet dictionary
   * (unique per row: the dictionary only filled until it gave up, or held every value), any other
   * column with one.
   */
  @Test
  void rawTextIsWrittenWithoutADictionary(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    String table = dir.resolve("t").toString();
    spark
        .sql(
            "SELECT concat('line ', id) AS raw_line, concat('file ', id % 3) AS source_file, "
                + "CAST(id AS INT) AS source_line, timestamp_seconds(id) AS event_time, "
                + "concat('MSCU', 1000000 + id) AS container_id, CAST(id % 5 AS INT) AS length_ft "
                + "FROM range(100)")
        .coalesce(1)
        .write()
        .format("delta")
        .save(table);
    java.nio.file.Path file;
    try (var files = java.nio.file.Files.list(dir.resolve("t"))) {
      file = files.filter(f -> f.toString().endsWith(".parquet")).findFirst().orElseThrow();
    }
    Map<String, String> encodings = new java.util.HashMap<>();
    try (var reader =
        org.apache.parquet.hadoop.ParquetFileReader.open(
            org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(
                new org.apache.hadoop.fs.Path(file.toUri()),
                spark.sessionState().newHadoopConf()))) {
      for (var c : reader.getFooter().getBlocks().get(0).getColumns()) {
        encodings.put(c.getPath().toDotString(), c.getEncodings().toString());
      }
    }
    for (String unique : List.of("raw_line", "source_line", "event_time", "container_id")) {
      assertThat(encodings.get(unique)).as(unique).doesNotContain("DICTIONARY");
    }
    assertThat(encodings.get("source_file")).contains("DICTIONARY");
    assertThat(encodings.get("length_ft")).contains("DICTIONARY");
  }

  @Test
  void aSmallInputIsInterpretedAndALargeOneCompiled() {
    SonghongConfig config =
        SonghongConfig.of(Map.of("songhong.spark.codegen.min.bytes", "1000"), Map.of());

    assertThat(SparkSessions.chooseEvaluation(spark, config, 999)).startsWith("interpreted");
    assertThat(spark.conf().get(SparkSessions.WHOLE_STAGE)).isEqualTo("false");
    assertThat(spark.conf().get(SparkSessions.FACTORY_MODE)).isEqualTo("NO_CODEGEN");
    assertThat(spark.sql("SELECT sum(id * 2) FROM range(10)").first().getLong(0)).isEqualTo(90);

    assertThat(SparkSessions.chooseEvaluation(spark, config, 1000)).startsWith("generated code");
    assertThat(spark.conf().get(SparkSessions.WHOLE_STAGE)).isEqualTo("true");
    assertThat(spark.conf().get(SparkSessions.FACTORY_MODE)).isEqualTo("FALLBACK");
    assertThat(spark.sql("SELECT sum(id * 2) FROM range(10)").first().getLong(0)).isEqualTo(90);
  }

  @Test
  void zeroAlwaysCompilesAndAValueGivenWithConfIsLeftAlone() {
    SonghongConfig always =
        SonghongConfig.of(Map.of("songhong.spark.codegen.min.bytes", "0"), Map.of());
    assertThat(SparkSessions.chooseEvaluation(spark, always, 0)).startsWith("generated code");
    assertThat(spark.conf().get(SparkSessions.WHOLE_STAGE)).isEqualTo("true");

    SonghongConfig given =
        SonghongConfig.of(Map.of("spark.sql.codegen.wholeStage", "true"), Map.of());
    assertThat(SparkSessions.chooseEvaluation(spark, given, 10)).isEqualTo("as configured");
    assertThat(spark.conf().get(SparkSessions.FACTORY_MODE)).isEqualTo("FALLBACK");
  }

  @Test
  void aValueGivenToSparkSubmitCountsAsGiven() {
    SonghongConfig none = SonghongConfig.of(Map.of(), Map.of());
    assertThat(SparkSessions.evaluationGiven(new SparkConf(false), none)).isFalse();
    assertThat(
            SparkSessions.evaluationGiven(
                new SparkConf(false).set("spark.sql.codegen.factoryMode", "CODEGEN_ONLY"), none))
        .isTrue();
    // The shared test session's SparkConf holds songhong's starting default, marked as such: not a
    // choice.
    assertThat(SparkSessions.evaluationGiven(spark.sparkContext().getConf(), none)).isFalse();
  }

  /**
   * More distinct generated classes than Spark keeps by default (100) are all kept: the first one,
   * asked for again after 150 others, is not compiled again.
   */
  @Test
  void generatedCodeIsKeptBeyondSparksDefaultHundredClasses() {
    assertThat(spark.sparkContext().getConf().get(SparkSessions.CODEGEN_CACHE_ENTRIES))
        .isEqualTo("1000");
    com.codahale.metrics.Histogram compilations =
        org.apache.spark.metrics.source.CodegenMetrics.METRIC_COMPILATION_TIME();
    int salt = (int) (System.nanoTime() % 1_000_000); // classes no earlier test compiled
    projectionOf(1_000_000 + salt);
    for (int k = 1; k <= 150; k++) {
      projectionOf(2_000_000 + salt + k);
    }
    long before = compilations.getCount();
    assertThat(projectionOf(1_000_000 + salt)).isEqualTo(1_000_000 + salt);
    assertThat(compilations.getCount()).as("classes compiled again").isEqualTo(before);
  }

  /**
   * A generated projection of the literal {@code k} (a class of its own: the value is in its code).
   */
  private static int projectionOf(int k) {
    var p =
        org.apache.spark.sql.catalyst.expressions.codegen.GenerateUnsafeProjection$.MODULE$
            .generate(
                scala.jdk.javaapi.CollectionConverters.asScala(
                        List.<org.apache.spark.sql.catalyst.expressions.Expression>of(
                            org.apache.spark.sql.catalyst.expressions.Literal.create(
                                k, org.apache.spark.sql.types.DataTypes.IntegerType)))
                    .toSeq());
    return p.apply(org.apache.spark.sql.catalyst.InternalRow.empty()).getInt(0);
  }

  @Test
  void everySessionOfTheContextStartsInterpreted() {
    // The SQL endpoint and the runner make a session per client: each must start as the first did.
    SparkSession other = spark.newSession();
    assertThat(other.conf().get(SparkSessions.WHOLE_STAGE)).isEqualTo("false");
    assertThat(other.conf().get(SparkSessions.FACTORY_MODE)).isEqualTo("NO_CODEGEN");
  }
}
