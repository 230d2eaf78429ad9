package org.songhong.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.songhong.config.SonghongConfig;
import org.songhong.error.Errors;
import org.songhong.job.LakeRuntime;
import org.songhong.jobs.environment.EnvironmentStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code songhong stream environment}: readings from the landing folder as they arrive. */
@Command(
    name = "stream",
    mixinStandardHelpOptions = true,
    description =
        "Stream new files from a landing folder into bronze and silver, exactly once across restarts "
            + "(Spark Structured Streaming with a checkpoint). Kinds: environment.")
final class StreamCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "KIND", description = "environment")
  String kind;

  @Option(
      names = "--checkpoint",
      paramLabel = "DIR",
      description = "Checkpoint folder (default <lake>/_checkpoints/KIND).")
  String checkpoint;

  @Option(
      names = "--available-now",
      description = "Process the files there now, then stop (for backfills and tests).")
  boolean availableNow;

  @Option(
      names = "--max-files-per-trigger",
      defaultValue = "100",
      description = "Files per micro-batch (default ${DEFAULT-VALUE}).")
  int maxFiles;

  @Option(
      names = "--trigger-seconds",
      defaultValue = "60",
      description = "Seconds between micro-batches (default ${DEFAULT-VALUE}).")
  long triggerSeconds;

  @Mixin LakeOptions lake;

  @Override
  public Integer call() throws Exception {
    if (!kind.equals("environment")) {
      throw Errors.badOption("KIND", kind, "environment");
    }
    PrintWriter out = spec.commandLine().getOut();
    SonghongConfig config = lake.config();
    LakeRuntime rt = Sessions.open(config, "stream-" + kind);
    String cp = checkpoint != null ? checkpoint : rt.lake().root() + "/_checkpoints/" + kind;
    out.printf(
        "Streaming %s/readings into %s (checkpoint %s)%s%n",
        config.environmentDir(),
        rt.lake().root(),
        cp,
        availableNow
            ? ", until the files there now are done"
            : "; Ctrl-C to stop (a restart continues where it stopped)");
    out.flush();
    StreamingQuery q = EnvironmentStream.start(rt, cp, availableNow, maxFiles, triggerSeconds);
    q.awaitTermination();
    out.printf(
        "Stopped after %d micro-batch(es)%n",
        q.lastProgress() == null ? 0 : q.lastProgress().batchId() + 1);
    return 0;
  }
}
