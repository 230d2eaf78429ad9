package org.songhong.job;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.songhong.config.SonghongConfig;
import org.songhong.contract.SchemaResources;
import org.songhong.contract.Tables;
import org.songhong.lake.Lake;
import org.songhong.lake.TableWriter;
import org.songhong.ops.InputFile;
import org.songhong.ops.Quarantine;
import org.songhong.ops.RunLedger;
import org.songhong.ops.TableMetrics;

/**
 * What a job is given to run: the session, the lake, the writer, the quarantine, its config, its
 * run id and logical date. A job reports what it read and wrote through {@link #input} and {@link
 * #metrics}, and names its steps with {@link #step} (each step's seconds and rows written go in the
 * ledger with the run); the runner puts them in the ledger.
 */
public final class JobContext {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JobContext.class);
  private final SparkSession spark;
  private final Lake lake;
  private final TableWriter writer;
  private final Quarantine quarantine;
  private final RunLedger ledger;
  private final SchemaResources schemas;
  private final SonghongConfig config;
  private final String job;
  private final String runId;
  private final LocalDate logicalDate;
  private final List<InputFile> inputs = new ArrayList<>();
  private final List<TableMetrics> metrics = new ArrayList<>();
  private final List<org.songhong.ops.LedgerHistory.Step> steps = new ArrayList<>();
  private String step = "start (read the ledger, list the inputs)";
  private long stepStarted = System.nanoTime();
  private Long stepRows;

  public JobContext(
      Lake lake,
      TableWriter writer,
      RunLedger ledger,
      SchemaResources schemas,
      SonghongConfig config,
      String job,
      String runId,
      LocalDate logicalDate) {
    this.spark = lake.spark();
    this.lake = lake;
    this.writer = writer;
    this.quarantine = new Quarantine(writer);
    this.ledger = ledger;
    this.schemas = schemas;
    this.config = config;
    this.job = job;
    this.runId = runId;
    this.logicalDate = logicalDate;
  }

  public SparkSession spark() {
    return spark;
  }

  public Lake lake() {
    return lake;
  }

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

  public void input(InputFile f) {
    inputs.add(f);
  }

  public void metrics(TableMetrics m) {
    metrics.add(m);
    if (!m.table().equals(Tables.OPS_QUARANTINE) && m.rowsWritten() > 0) {
      stepRows = (stepRows == null ? 0 : stepRows) + m.rowsWritten();
    }
  }

  /** Records that this run wrote nothing to {@code table} (at its current version). */
  public void unchanged(String table) {
    unchanged(table, 0, 0);
  }

  /**
   * Records that this run read {@code read} records for {@code table}, sent {@code quarantined} of
   * them to quarantine and wrote nothing to the table (at its current version).
   */
  public void unchanged(String table, long read, long quarantined) {
    metrics(
        new TableMetrics(
            table,
            read,
            read - quarantined,
            quarantined,
            lake.version(lake.contract(table)),
            false));
  }

  /** The steps so far, with their seconds and rows written; the current one is closed first. */
  public List<org.songhong.ops.LedgerHistory.Step> steps() {
    closeStep();
    return List.copyOf(steps);
  }

  private void closeStep() {
    if (step != null) {
      steps.add(
          new org.songhong.ops.LedgerHistory.Step(
              step, (System.nanoTime() - stepStarted) / 1e9, stepRows));
      step = null;
    }
  }

  public List<InputFile> inputs() {
    return List.copyOf(inputs);
  }

  public List<TableMetrics> tableMetrics() {
    return List.copyOf(metrics);
  }

  /** Labels the Spark jobs that follow, so the UI and the logs say which step ran. */
  public void step(String description) {
    closeStep();
    step = description;
    stepStarted = System.nanoTime();
    stepRows = null;
    LOG.info("{}: {}", job, description);
    spark.sparkContext().setJobGroup(job + ":" + runId, job + ": " + description, false);
  }
}
