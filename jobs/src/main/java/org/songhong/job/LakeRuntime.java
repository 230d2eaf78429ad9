package org.songhong.job;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.songhong.config.SonghongConfig;
import org.songhong.contract.ContractCatalog;
import org.songhong.contract.SchemaResources;
import org.songhong.error.Errors;
import org.songhong.error.SonghongException;
import org.songhong.lake.Lake;
import org.songhong.lake.SparkSessions;
import org.songhong.lake.TableWriter;
import org.songhong.logging.RunIdContext;
import org.songhong.ops.RunLedger;

/**
 * One session's view of the lake: the contracts, the tables registered by name, and the way jobs
 * are run. Every job run goes through {@link #run}, which gives it a run id, records it in {@code
 * ops.job_runs} before and after, and turns a failure into one clear error.
 */
public final class LakeRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(LakeRuntime.class);
  private static final DateTimeFormatter RUN_TS =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);

  private final SparkSession spark;
  private final SonghongConfig config;
  private final SchemaResources schemas;
  private final Lake lake;
  private final TableWriter writer;
  private final RunLedger ledger;

  public LakeRuntime(SparkSession spark, SonghongConfig config) {
    this.spark = spark;
    this.config = config;
    this.schemas = SchemaResources.open(config.get(SonghongConfig.SCHEMAS_DIR));
    String root = SonghongConfig.absolutise(config.get(SonghongConfig.LAKE_PATH));
    this.lake = new Lake(spark, root, ContractCatalog.load(schemas)).open();
    this.writer = new TableWriter(lake, config.get(SonghongConfig.WRITE_RETRIES));
    this.ledger = new RunLedger(lake, writer);
  }

  public SparkSession spark() {
    return spark;
  }

  public Lake lake() {
    return lake;
  }

  public SchemaResources schemas() {
    return schemas;
  }

  public TableWriter writer() {
    return writer;
  }

  public SonghongConfig config() {
    return config;
  }

  public RunLedger ledger() {
    return ledger;
  }

  /** Runs one job and records it; returns its run id. */
  public String run(Job job, LocalDate logicalDate) {
    Instant started = Instant.now();
    String runId =
        job.name()
            + "-"
            + RUN_TS.format(started)
            + "-"
            + UUID.randomUUID().toString().substring(0, 8);
    RunIdContext.set(runId);
    Map<String, String> params = parameters(config, schemas, logicalDate);
    RunLedger.Run run =
        new RunLedger.Run(
            runId,
            job.name(),
            logicalDate,
            params,
            started,
            spark.sparkContext().applicationId(),
            version());
    RunRecorder recorder = new RunRecorder();
    JobContext ctx =
        new JobContext(
            lake, writer, ledger, schemas, config, job.name(), runId, logicalDate, recorder);
    LOG.info("Starting {} (run {}, lake {})", job.name(), runId, lake.root());
    Map<String, Long> readVersions = new LinkedHashMap<>();
    for (String t : job.reads()) {
      readVersions.put(t, lake.kernel().version(t));
    }
    LOG.info(
        "{} evaluates its queries with {}",
        job.name(),
        SparkSessions.chooseEvaluation(spark, config, inputBytes(job)));
    ledger.start(run);
    JobResult result;
    try {
      result = job.run(ctx);
    } catch (Exception e) {
      LOG.error("Job {} failed", job.name(), e);
      String message =
          e instanceof SonghongException
              ? e.getMessage()
              : Errors.firstLine(String.valueOf(e.getMessage()));
      // No result to record: the tables the run's writer committed before the failure, and its
      // steps, say how far it got (its input files are not recorded: a failed run processed none).
      ledger.finish(
          run,
          new RunLedger.Outcome(
              "failed", List.of(), recorder.committed(), message, readVersions, recorder.steps()));
      RunIdContext.set(null);
      if (Errors.isDiskFull(e)) {
        throw Errors.diskFull(job.name(), runId, writtenFolders(), e);
      }
      throw e instanceof SonghongException se && se.exitCode() != SonghongException.ExitCode.FAILED
          ? se
          : Errors.jobFailed(job.name(), runId, e);
    } finally {
      spark.sparkContext().clearJobGroup();
    }
    ledger.finish(
        run,
        new RunLedger.Outcome(
            "succeeded", result.inputs(), result.tables(), null, readVersions, recorder.steps()));
    LOG.info(
        "Finished {} in {} s",
        job.name(),
        String.format("%.1f", (Instant.now().toEpochMilli() - started.toEpochMilli()) / 1000.0));
    RunIdContext.set(null);
    return runId;
  }

  /**
   * The bytes the job reads: the files of the tables it declares (every version still on disk, and
   * the log) and of its landing folders. An estimate, one listing per folder, good enough to tell a
   * yearbook's kilobytes from a monitoring network's megabytes.
   */
  long inputBytes(Job job) {
    org.apache.hadoop.conf.Configuration hadoop = spark.sessionState().newHadoopConf();
    long bytes = 0;
    List<String> folders = new ArrayList<>();
    job.reads().forEach(t -> folders.add(lake.kernel().location(t)));
    folders.addAll(job.landing(config));
    for (String folder : folders) {
      try {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(folder);
        org.apache.hadoop.fs.FileSystem fs = p.getFileSystem(hadoop);
        if (fs.exists(p)) {
          bytes += fs.getContentSummary(p).getLength();
        }
      } catch (java.io.IOException e) {
        throw Errors.unreadableFile(folder, "cannot measure the input of " + job.name(), e);
      }
    }
    return bytes;
  }

  /**
   * Why {@code job} has work for {@code logicalDate}, or empty when it has none (its preflight,
   * answered from the ledger, the landing folders and the tables' versions).
   */
  public java.util.Optional<String> work(Job job, LocalDate logicalDate) {
    PreflightContext pc =
        new PreflightContext(
            config,
            logicalDate,
            ledger.history(),
            lake.kernel(),
            spark.sessionState().newHadoopConf(),
            parameters(config, schemas, logicalDate));
    return Preflights.check(job, pc);
  }

  /** The parameters a run records (see {@link Preflights#parameters}). */
  public static Map<String, String> parameters(
      SonghongConfig config, SchemaResources schemas, LocalDate logicalDate) {
    return Preflights.parameters(config, schemas, logicalDate);
  }

  /**
   * Where a job writes, each with its disk's free space where this process can see it: Spark's
   * local folders (shuffles, spills; {@code spark.local.dir}, on a cluster the executors' own) and
   * the lake.
   */
  private List<String> writtenFolders() {
    String local =
        spark.sparkContext().getConf().get("spark.local.dir", System.getProperty("java.io.tmpdir"));
    List<String> folders = new ArrayList<>();
    for (String dir : local.split(",")) {
      folders.add("Spark's local folder " + dir.strip() + space(dir.strip()));
    }
    String root = lake.root();
    String path = root.startsWith("file:") ? java.net.URI.create(root).getPath() : root;
    folders.add("the lake " + root + space(path));
    return folders;
  }

  /** " (N MiB free of M MiB)" for a folder on this machine, else "". */
  private static String space(String path) {
    try {
      java.nio.file.FileStore store = java.nio.file.Files.getFileStore(java.nio.file.Path.of(path));
      return String.format(
          " (%,d MiB free of %,d MiB)", store.getUsableSpace() >> 20, store.getTotalSpace() >> 20);
    } catch (java.io.IOException | RuntimeException e) {
      return "";
    }
  }

  public static String version() {
    String v = LakeRuntime.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
