package org.songhong.serve;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.spark.sql.connect.service.SparkConnectService;
import org.songhong.config.SonghongConfig;
import org.songhong.error.Errors;
import org.songhong.job.LakeRuntime;
import org.songhong.ops.Pins;

/**
 * {@code songhong serve sql}: a Spark Connect server on the lake. Every table, view and function of
 * {@code schemas/} is registered by name, every pinned release as a database of views
 * ({@code pin_NAME.table}, the table at the pinned version), then the {@link ReadOnlyGuard} is locked
 * and the server starts listening: clients (PySpark's Spark Connect client, the Spark Connect JVM
 * client, notebooks) only read. Beyond loopback it needs a token (Spark's
 * {@code spark.connect.authenticate.token}: clients send it as a bearer token).
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
    SonghongConfig c = config
        .with("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension," + ReadOnlyGuard.class.getName())
        .with("spark.connect.grpc.binding.address", o.host())
        .with("spark.connect.grpc.binding.port", String.valueOf(o.port()))
        .with("spark.connect.grpc.port.maxRetries", "0");
    if (o.token() != null && !o.token().isBlank()) {
      c = c.with("spark.connect.authenticate.token", o.token());
    }
    return c;
  }

  /** Registers everything, locks the lake against clients, starts the server; returns what it serves. */
  public static String start(LakeRuntime rt, Options o) {
    List<Pins.Pin> pins = new Pins(rt.lake(), rt.writer()).registerViews();
    ReadOnlyGuard.lock();
    SparkConnectService.start(rt.spark().sparkContext());
    long tables = rt.lake().contracts().all().size();
    long views = rt.lake().contracts().views().size();
    long functions = rt.lake().contracts().functions().size();
    long pinNames = pins.stream().map(Pins.Pin::pin).distinct().count();
    return String.format("songhong SQL endpoint listening on sc://%s:%d (read-only; %d tables, %d views, %d functions, %d pinned releases%s)",
        o.host(), o.port(), tables, views, functions, pinNames, o.token() == null ? "" : "; clients must send the token");
  }

  /** Serves until the process is stopped (Ctrl-C, SIGTERM). */
  public static void serve(LakeRuntime rt, Options o, PrintWriter out) throws InterruptedException {
    String banner = start(rt, o);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      SparkConnectService.stop(scala.Option.empty(), scala.Option.empty());
      stopped.countDown();
    }, "songhong-sql-endpoint-stop"));
    out.println(banner);
    out.println("Connect: pyspark  SparkSession.builder.remote(\"sc://" + (o.loopback() ? "localhost" : "THIS_HOST") + ":" + o.port()
        + (o.token() == null ? "" : "/;token=TOKEN") + "\").getOrCreate()   Stop: Ctrl-C");
    out.flush();
    stopped.await();
  }
}
