package org.songhong.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.songhong.config.SonghongConfig;
import picocli.CommandLine.Option;

/** Options every lake command takes. */
public final class LakeOptions {
  @Option(
      names = "--lake",
      paramLabel = "PATH",
      description =
          "Lake root: a folder or a URI such as s3a://bucket/lake (default: ${SONGHONG_LAKE_PATH:-./lakehouse})")
  String lake;

  @Option(
      names = "--conf",
      paramLabel = "KEY=VALUE",
      description = "A songhong.* or spark.* setting; repeatable. See 'songhong settings'.")
  Map<String, String> conf = new LinkedHashMap<>();

  SonghongConfig config() {
    SonghongConfig c = SonghongConfig.of(conf);
    return lake == null ? c : c.with(SonghongConfig.LAKE_PATH.key(), lake);
  }
}
