package org.songhong.cli;

import java.util.concurrent.Callable;
import org.songhong.config.Setting;
import org.songhong.config.SonghongConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code songhong settings}. */
@Command(
    name = "settings",
    mixinStandardHelpOptions = true,
    description =
        "List the songhong.* settings with their values, defaults and environment variables.")
final class SettingsCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin LakeOptions lake;

  @Override
  public Integer call() {
    SonghongConfig c = lake.config();
    for (Setting<?> s : SonghongConfig.ALL) {
      spec.commandLine()
          .getOut()
          .printf(
              "%s = %s%n    %s%n    default: '%s'; environment: %s%n",
              s.key(),
              c.raw(s),
              s.description(),
              s.defaultValue(),
              SonghongConfig.envName(s.key()));
    }
    return 0;
  }
}
