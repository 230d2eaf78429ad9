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
  public static final java.util.List<String> PROVINCIAL = java.util.List.of(
      "provincial_stats_bronze", "provincial_stats_silver", "provincial_marts");

  /** Runs the provincial pipeline. */
  public static void runAll(LakeRuntime rt) {
    for (String j : PROVINCIAL) {
      rt.run(JobRegistry.get(j), LocalDate.of(2025, 7, 1));
    }
  }
}
