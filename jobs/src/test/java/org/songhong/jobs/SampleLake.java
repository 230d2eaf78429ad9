package org.songhong.jobs;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.songhong.SparkTestSession;
import org.songhong.config.SonghongConfig;
import org.songhong.job.JobRegistry;
import org.songhong.job.LakeRuntime;

/** A lake in a temporary folder, fed from the bundled sample (data/sample). */
public final class SampleLake {
  public static final Path SAMPLE = Path.of("..", "data", "sample").toAbsolutePath().normalize();

  private SampleLake() {}

  public static LakeRuntime open(Path lake, Path input) {
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put("songhong.lake.path", lake.toString());
    conf.put("songhong.input.dir", input.toString());
    return new LakeRuntime(SparkTestSession.get(), SonghongConfig.of(conf, Map.of()));
  }

  /** The provincial jobs, in pipeline order (the other families have their own tests). */
  public static final java.util.List<String> PROVINCIAL =
      java.util.List.of("provincial_stats_bronze", "provincial_stats_silver", "provincial_marts");

  /** Runs the provincial pipeline. */
  public static void runAll(LakeRuntime rt) {
    for (String j : PROVINCIAL) {
      rt.run(JobRegistry.get(j), LocalDate.of(2025, 7, 1));
    }
  }

  /**
   * The shared sample lake, the demo's (SONGHONG_TEST_LAKE, which run-tests builds once), or one
   * built in {@code work} by {@code tools/sample-lake.sh}; its log goes to {@code
   * work/sample-lake.log}.
   */
  public static Path shared(Path work) throws Exception {
    String given = System.getenv("SONGHONG_TEST_LAKE");
    Path folder =
        given == null || given.isBlank()
            ? work.resolve("sample")
            : Path.of(given).toAbsolutePath().getParent();
    Path log = work.resolve("sample-lake.log");
    Process build =
        new ProcessBuilder(
                SAMPLE.getParent().getParent().resolve("tools/sample-lake.sh").toString(),
                folder.toString())
            .redirectError(log.toFile())
            .start();
    String lake =
        new String(build.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
            .strip();
    org.assertj.core.api.Assertions.assertThat(
            build.waitFor(30, java.util.concurrent.TimeUnit.MINUTES))
        .as("tools/sample-lake.sh")
        .isTrue();
    org.assertj.core.api.Assertions.assertThat(build.exitValue())
        .as("tools/sample-lake.sh, log in " + log)
        .isZero();
    return Path.of(lake);
  }
}
