package org.songhong.jobs.environment;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.songhong.error.Errors;
import org.songhong.io.LandingFiles;
import org.songhong.job.Job;
import org.songhong.job.JobContext;
import org.songhong.job.JobResult;
import org.songhong.job.LakeRuntime;

/**
 * {@code songhong stream environment}: Spark Structured Streaming from the readings landing folder.
 * Each micro-batch of new files is landed in {@code bronze.env_readings} by a run of {@code
 * environment_bronze} (recorded in the ledger like a scheduled run) and then conformed by the same
 * {@code environment_silver} job the schedule runs. The checkpoint remembers which files were
 * taken; a batch replayed after a crash lands nothing twice (bronze, quarantine and silver writes
 * are keyed), so a killed stream, restarted, ends with exactly the rows of a clean run.
 */
public final class EnvironmentStream {
  private static final Logger LOG = LoggerFactory.getLogger(EnvironmentStream.class);

  private EnvironmentStream() {}

  /** Starts the stream; {@code availableNow} processes the files there now and stops. */
  public static StreamingQuery start(
      LakeRuntime rt,
      String checkpoint,
      boolean availableNow,
      int maxFilesPerTrigger,
      long triggerSeconds) {
    String readings = rt.config().environmentDir() + "/readings/*/*";
    Dataset<Row> files =
        rt.spark()
            .readStream()
            .format("binaryFile")
            .schema("path STRING, modificationTime TIMESTAMP, length BIGINT, content BINARY")
            .option("maxFilesPerTrigger", maxFilesPerTrigger)
            .load(readings);
    try {
      return files
          .writeStream()
          .queryName("songhong-environment")
          .option("checkpointLocation", checkpoint)
          .trigger(
              availableNow ? Trigger.AvailableNow() : Trigger.ProcessingTime(triggerSeconds * 1000))
          .foreachBatch((VoidFunction2<Dataset<Row>, Long>) (batch, id) -> batch(rt, batch, id))
          .start();
    } catch (TimeoutException e) {
      throw Errors.jobFailed("stream environment", "-", e);
    }
  }

  static void batch(LakeRuntime rt, Dataset<Row> batch, long id) {
    List<String> paths =
        batch.select("path").collectAsList().stream().map(r -> r.getString(0)).toList();
    if (paths.isEmpty()) {
      return;
    }
    LOG.info("Micro-batch {}: {} file(s)", id, paths.size());
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    rt.run(new BatchBronze(batch), today);
    rt.run(new EnvironmentSilverJob(), today);
  }

  /** The bronze step for one micro-batch: the registry, then the batch's files. */
  static final class BatchBronze implements Job {
    private final Dataset<Row> batch;

    BatchBronze(Dataset<Row> batch) {
      this.batch = batch;
    }

    @Override
    public String name() {
      return EnvironmentBronzeJob.NAME;
    }

    @Override
    public String description() {
      return "Land one micro-batch of monitor files";
    }

    @Override
    public JobResult run(JobContext ctx) {
      JobResult.Builder result = ctx.result();
      String input = ctx.config().environmentDir();
      LandingFiles landing = new LandingFiles(input, ctx.spark().sessionState().newHadoopConf());
      EnvironmentBronzeJob.loadRegistry(ctx, result, landing, landing.list("registry"));
      Set<String> done = new HashSet<>(ctx.ledger().processedChecksums(EnvironmentBronzeJob.NAME));
      Dataset<Row> rows =
          ctx.spark()
              .createDataFrame(
                  batch
                      .select("path", "content")
                      .javaRDD()
                      .flatMap(
                          r ->
                              ReadingFiles.readings(r.getString(0), (byte[]) r.get(1), done)
                                  .iterator()),
                  ReadingFiles.SCHEMA);
      EnvironmentBronzeJob.land(ctx, result, rows);
      return result.build();
    }
  }
}
