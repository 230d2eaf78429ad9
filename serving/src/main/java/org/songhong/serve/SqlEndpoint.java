package org.songhong.serve;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.spark.sql.connect.service.SparkConnectService;
import org.songhong.config.SonghongConfig;
import org.songhong.error.Errors;
import org.songhong.lake.Lake;
import org.songhong.lake.TableWriter;
import org.songhong.ops.Pins;

/**
 * {@code songhong serve sql}: a Spark Connect server on the lake. Every table, view and function of
 * {@code schemas/} is registered by name, every pinned release as a database of views ({@code
 * pin_NAME.table}, the table at the pinned version), then the {@link EndpointGuard} is locked and
 * the server starts listening: clients (PySpark's Spark Connect client, the Spark Connect JVM
 * client, notebooks) only read the lake's tables ({@link EndpointGuard}, {@link
 * EndpointInterceptor}), within the {@link QueryGovernor}'s limits. Beyond loopback it needs a
 * token (Spark's {@code spark.connect.authenticate.token}: clients send it as a bearer token).
 *
 * <p>In local mode a query's scans are as wide as the machine's cores ({@code
 * spark.sql.leafNodeDefaultParallelism}, which clients cannot change) and the endpoint runs enough
 * task threads for every query allowed at once plus one more ({@code cores x
 * (songhong.sql.max.queries + 1)}), so queries that hold their threads for long leave threads for
 * the others, and the operating system shares the cores between them; jobs share the threads fairly
 * (the FAIR scheduler, one pool).
 */
public final class SqlEndpoint {
  private SqlEndpoint() {}

  public record Options(String host, int port, String token) {
    boolean loopback() {
      return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1");
    }
  }

  /** The settings the endpoint's Spark session needs on top of the user's. */
  public static SonghongConfig configure(SonghongConfig config, Options o) {
    if (!o.loopback() && (o.token() == null || o.token().isBlank())) {
      throw Errors.endpointNeedsToken(o.host());
    }
    QueryGovernor.Limits limits =
        QueryGovernor.Limits.of(config); // a bad limit fails before the session starts
    SonghongConfig c =
        EndpointInterceptor.configure(config)
            .with(
                "spark.sql.extensions",
                "io.delta.sql.DeltaSparkSessionExtension," + EndpointGuard.class.getName())
            .with("spark.connect.grpc.binding.address", o.host())
            .with("spark.connect.grpc.binding.port", String.valueOf(o.port()))
            .with("spark.connect.grpc.port.maxRetries", "0")
            // a query whose client went away is interrupted 20 s later (Spark's default: 5 minutes)
            .with("spark.connect.execute.manager.detachedTimeout", "20s")
            .with("spark.connect.execute.manager.maintenanceInterval", "5s")
            .with(
                "spark.sql.runSQLOnFiles",
                "false") // no text.`/path`: the parser refuses it with a message, this is the
            // backstop
            .with("spark.scheduler.mode", "FAIR")
            .with("spark.scheduler.allocation.file", fairPools());
    boolean local =
        config.get(SonghongConfig.SPARK_MASTER).isBlank()
            && !new org.apache.spark.SparkConf(true).contains("spark.master");
    if (local) {
      int cores = Runtime.getRuntime().availableProcessors();
      // as many task threads as the queries allowed at once can hold, and a share for one more
      c =
          c.with(
                  SonghongConfig.SPARK_MASTER.key(),
                  "local[" + cores * (limits.maxTotal() + 1) + "]")
              .with("spark.sql.leafNodeDefaultParallelism", String.valueOf(cores));
    }
    if (o.token() != null && !o.token().isBlank()) {
      c = c.with("spark.connect.authenticate.token", o.token());
    }
    return c;
  }

  /**
   * One FAIR pool whose jobs share the task threads fairly (Spark's default pool is FIFO inside).
   */
  private static String fairPools() {
    try {
      java.nio.file.Path f = java.nio.file.Files.createTempFile("songhong-sql-pools", ".xml");
      f.toFile().deleteOnExit();
      java.nio.file.Files.writeString(
          f,
          "<?xml version=\"1.0\"?>\n<allocations><pool name=\"default\"><schedulingMode>FAIR</schedulingMode>"
              + "<weight>1</weight><minShare>0</minShare></pool></allocations>\n");
      return f.toString();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Registers everything, locks the lake against clients, starts the server; returns what it
   * serves.
   */
  public static String start(Lake lake, TableWriter writer, SonghongConfig config, Options o) {
    List<Pins.Pin> pins = new Pins(lake, writer).registerViews();
    EndpointGuard.lock();
    SparkConnectService.start(lake.spark().sparkContext());
    QueryGovernor.Limits limits = QueryGovernor.start(config, lake.spark().sparkContext());
    long tables = lake.contracts().all().size();
    long views = lake.contracts().views().size();
    long functions = lake.contracts().functions().size();
    long pinNames = pins.stream().map(Pins.Pin::pin).distinct().count();
    return String.format(
        "songhong SQL endpoint listening on sc://%s:%d (read-only; %d tables, %d views, %d functions, %d pinned releases%s;"
            + " %s)",
        o.host(),
        o.port(),
        tables,
        views,
        functions,
        pinNames,
        o.token() == null ? "" : "; clients must send the token",
        limits.describe());
  }

  /** Serves until the process is stopped (Ctrl-C, SIGTERM). */
  public static void serve(
      Lake lake, TableWriter writer, SonghongConfig config, Options o, PrintWriter out)
      throws InterruptedException {
    String banner = start(lake, writer, config, o);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  SparkConnectService.stop(scala.Option.empty(), scala.Option.empty());
                  stopped.countDown();
                },
                "songhong-sql-endpoint-stop"));
    out.println(banner);
    out.println(
        "Connect: pyspark  SparkSession.builder.remote(\"sc://"
            + (o.loopback() ? "localhost" : "THIS_HOST")
            + ":"
            + o.port()
            + (o.token() == null ? "" : "/;token=TOKEN")
            + "\").getOrCreate()   Stop: Ctrl-C");
    out.flush();
    stopped.await();
  }
}
