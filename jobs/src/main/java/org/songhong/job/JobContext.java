package org.songhong.job;

import java.time.LocalDate;
import org.apache.spark.sql.SparkSession;
import org.songhong.config.SonghongConfig;
import org.songhong.contract.SchemaResources;
import org.songhong.lake.Lake;
import org.songhong.lake.TableWriter;
import org.songhong.ops.Quarantine;
import org.songhong.ops.RunLedger;

/**
 * What a job is given to run: the session, the lake, a writer and quarantine of its own run, the
 * ledger (to read what earlier runs processed), its config, its run id and logical date. Nothing in
 * it collects what the job did: the job returns a {@link JobResult}, and the runner, which owns the
 * run's {@link RunRecorder}, learns from the writer what was committed and from {@link #step} where
 * the time went.
 */
public final class JobContext {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JobContext.class);
  private final Lake lake;
  private final TableWriter writer;
  private final Quarantine quarantine;
  private final RunLedger ledger;
  private final SchemaResources schemas;
  private final SonghongConfig config;
  private final String job;
  private final String runId;
  private final LocalDate logicalDate;
  private final RunRecorder recorder;

  JobContext(
      Lake lake,
      TableWriter writer,
      RunLedger ledger,
      SchemaResources schemas,
      SonghongConfig config,
      String job,
      String runId,
      LocalDate logicalDate,
      RunRecorder recorder) {
    this.lake = lake;
    this.writer = writer.observedBy(recorder::wrote);
    this.quarantine = new Quarantine(this.writer);
    this.ledger = ledger;
    this.schemas = schemas;
    this.config = config;
    this.job = job;
    this.runId = runId;
    this.logicalDate = logicalDate;
    this.recorder = recorder;
  }

  public SparkSession spark() {
    return lake.spark();
  }

  public Lake lake() {
    return lake;
  }

  /** The run's writer: every write it makes is known to the runner (see {@link RunRecorder}). */
  public TableWriter writer() {
    return writer;
  }

  public Quarantine quarantine() {
    return quarantine;
  }

  public RunLedger ledger() {
    return ledger;
  }

  public SchemaResources schemas() {
    return schemas;
  }

  public SonghongConfig config() {
    return config;
  }

  public String job() {
    return job;
  }

  public String runId() {
    return runId;
  }

  public LocalDate logicalDate() {
    return logicalDate;
  }

  /** A new result for this run, to fill as the job goes and return from {@link Job#run}. */
  public JobResult.Builder result() {
    return JobResult.builder(lake);
  }

  /**
   * Starts a named step: the ledger records each step's seconds and the rows written in it, and the
   * Spark jobs that follow carry its name in the UI and the logs.
   */
  public void step(String description) {
    recorder.step(description);
    LOG.info("{}: {}", job, description);
    lake.spark().sparkContext().setJobGroup(job + ":" + runId, job + ": " + description, false);
  }
}
