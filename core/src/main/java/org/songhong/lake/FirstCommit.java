package org.songhong.lake;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.actions.Format;
import org.apache.spark.sql.delta.actions.Metadata;
import org.apache.spark.sql.delta.actions.Protocol;
import org.apache.spark.sql.delta.actions.Protocol$;
import org.apache.spark.sql.delta.util.FileNames;
import org.songhong.contract.CheckSpec;
import org.songhong.contract.TableContract;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Creates a table from its contract by writing its first Delta commit: the protocol and metadata
 * Delta Lake itself chooses for those columns, partitioning, comments and CHECK constraints ({@link
 * Protocol#forNewTable}), through the table's own log store, so the put-if-absent is the one every
 * Delta commit relies on (on S3 too). It is what {@code CREATE TABLE ... USING delta LOCATION}
 * commits ({@code FirstCommitTest} compares the two action by action), without the SQL statement's
 * parsing, analysis, post-commit snapshot and checksum jobs: about 0.1 s a table against a few
 * milliseconds, and a new lake has 32 tables. A checksum file is written beside it, as Delta does,
 * so the first read of the table's protocol and metadata needs no log replay.
 */
final class FirstCommit {
  /** The table property prefix under which Delta keeps a CHECK constraint's expression. */
  static final String CONSTRAINT_PROPERTY = "delta.constraints.";

  private static final ObjectMapper JSON = new ObjectMapper();

  private FirstCommit() {}

  /**
   * The table's properties: its grain, primary key, CHECK constraints and the columns Delta keeps
   * statistics on (when the contract chooses them).
   */
  static Map<String, String> properties(TableContract c) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("songhong.grain", c.grain());
    if (!c.primaryKey().isEmpty()) {
      p.put("songhong.primary_key", String.join(",", c.primaryKey()));
    }
    c.statsColumnsChosen()
        .ifPresent(
            cols -> {
              if (cols.isEmpty()) {
                p.put("delta.dataSkippingNumIndexedCols", "0");
              } else {
                p.put("delta.dataSkippingStatsColumns", String.join(",", cols));
              }
            });
    for (CheckSpec check : c.checks()) {
      p.put(CONSTRAINT_PROPERTY + check.name().toLowerCase(Locale.ROOT), check.expression());
    }
    return p;
  }

  /** The table's comment: its grain, then its description. */
  static String comment(TableContract c) {
    return (c.grain() + (c.description() == null ? "" : " " + c.description())).strip();
  }

  /**
   * Writes version 0 of the table at {@code location}. Returns false when the table already has a
   * first commit (made meanwhile by another process: that one stands).
   */
  static boolean write(SparkSession spark, TableContract c, String location) throws IOException {
    Path table = new Path(location);
    DeltaLog log = DeltaLog.forTable(spark, table);
    long now = System.currentTimeMillis();
    Map<String, String> properties = properties(c);
    Metadata metadata =
        new Metadata(
            UUID.randomUUID().toString(),
            null,
            comment(c),
            new Format("parquet", scala.collection.immutable.Map$.MODULE$.empty()),
            c.schema().json(),
            CollectionConverters.asScala(c.partitionedBy()).toList(),
            scala.collection.immutable.Map$.MODULE$.from(CollectionConverters.asScala(properties)),
            scala.Option.apply((Object) now));
    Protocol protocol = Protocol$.MODULE$.forNewTable(spark, scala.Option.apply(metadata));
    String txnId = UUID.randomUUID().toString();

    ObjectNode info = JSON.createObjectNode();
    ObjectNode commitInfo =
        info.putObject("commitInfo").put("timestamp", now).put("operation", "CREATE TABLE");
    commitInfo
        .putObject("operationParameters")
        .put("partitionBy", JSON.writeValueAsString(c.partitionedBy()))
        .put("clusterBy", "[]")
        .put("description", comment(c))
        .put("isManaged", "false")
        .put("properties", JSON.writeValueAsString(properties));
    commitInfo
        .put("isolationLevel", "Serializable")
        .put("isBlindAppend", true)
        .putObject("operationMetrics");
    commitInfo
        .put(
            "engineInfo",
            "songhong Apache-Spark/"
                + spark.version()
                + " Delta-Lake/"
                + io.delta.package$.MODULE$.VERSION())
        .put("txnId", txnId);

    log.createLogDirectoriesIfNotExists();
    if (!writeIfAbsent(
        log,
        FileNames.unsafeDeltaFile(log.logPath(), 0L),
        info.toString(),
        protocol.json(),
        metadata.json())) {
      return false;
    }
    ObjectNode crc =
        JSON.createObjectNode()
            .put("txnId", txnId)
            .put("tableSizeBytes", 0L)
            .put("numFiles", 0L)
            .put("numMetadata", 1L)
            .put("numProtocol", 1L);
    crc.putArray("setTransactions");
    crc.putArray("domainMetadata");
    crc.set("metadata", JSON.readTree(metadata.json()).path("metaData"));
    crc.set("protocol", JSON.readTree(protocol.json()).path("protocol"));
    crc.putArray("allFiles");
    // a checksum is an optional cache of the commit's state: one already there is as good
    writeIfAbsent(log, FileNames.checksumFile(log.logPath(), 0L), crc.toString());
    // The session's cached log of this table was listed before the commit existed.
    DeltaLog.invalidateCache(spark, table);
    return true;
  }

  /** Writes a file of the log through its log store; false when the file is there already. */
  private static boolean writeIfAbsent(DeltaLog log, Path file, String... lines)
      throws IOException {
    try {
      log.store()
          .write(
              file,
              CollectionConverters.asScala(List.of(lines).iterator()),
              false,
              log.newDeltaHadoopConf());
      return true;
    } catch (
        Exception e) { // Scala declares no checked exceptions: the log store's come through here
      if (e instanceof FileAlreadyExistsException) {
        return false;
      }
      if (e instanceof RuntimeException re) {
        throw re;
      }
      throw e instanceof IOException io ? io : new IOException(e);
    }
  }
}
