package org.songhong.serve;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.connect.proto.AnalyzePlanRequest;
import org.apache.spark.connect.proto.Command;
import org.apache.spark.connect.proto.ConfigRequest;
import org.apache.spark.connect.proto.ExecutePlanRequest;
import org.apache.spark.connect.proto.ExecutePlanResponse;
import org.apache.spark.connect.proto.KeyValue;
import org.apache.spark.connect.proto.ReattachExecuteRequest;
import org.songhong.config.SonghongConfig;
import org.songhong.error.Errors;
import org.songhong.error.SonghongException;
import org.sparkproject.connect.grpc.ForwardingServerCall;
import org.sparkproject.connect.grpc.ForwardingServerCallListener;
import org.sparkproject.connect.grpc.Metadata;
import org.sparkproject.connect.grpc.ServerCall;
import org.sparkproject.connect.grpc.ServerCallHandler;
import org.sparkproject.connect.grpc.ServerInterceptor;
import org.sparkproject.connect.grpc.Status;
import org.sparkproject.connect.protobuf.Descriptors;
import org.sparkproject.connect.protobuf.Message;

/**
 * The SQL endpoint's gate in front of Spark Connect, for what must be refused before a plan is
 * built from the request (a client's function is deserialised while the plan is built, before the
 * {@link EndpointGuard} sees it):
 *
 * <ul>
 *   <li>artifacts (jars, class files, Python files, archives) are refused;
 *   <li>a request that carries a function or code of the client's (Scala, Java or Python UDFs,
 *       typed and Pandas operations, data sources) is refused;
 *   <li>only the commands that query are let through: SQL, temporary views, (refused later by the
 *       guard with its message) writes; streaming, ML, checkpoints, pipelines, external commands
 *       and function registrations are refused;
 *   <li>{@code persist} ({@code df.cache()}) is refused; {@code spark.conf.set} of a setting the
 *       server owns is refused;
 *   <li>an answer is counted as it is streamed: past {@code songhong.sql.max.result.rows} the query
 *       is interrupted and the client gets the reason;
 *   <li>a stream the client cancels (it died, or its network did) marks the query detached: the
 *       {@link QueryGovernor} interrupts it unless the client reattaches within the detach timeout.
 * </ul>
 *
 * Registered with {@code spark.connect.grpc.interceptor.classes}.
 */
public final class EndpointInterceptor implements ServerInterceptor {
  private static final Logger LOG = LogManager.getLogger(EndpointInterceptor.class);

  /**
   * Messages of the Connect protocol that carry code of the client's, or a relation the client
   * cannot name safely.
   */
  private static final Map<String, String> CODE_MESSAGES =
      Map.ofEntries(
          Map.entry(
              "spark.connect.CommonInlineUserDefinedFunction",
              "a user-defined function sent by the client"),
          Map.entry(
              "spark.connect.CommonInlineUserDefinedTableFunction",
              "a user-defined table function sent by the client"),
          Map.entry(
              "spark.connect.CommonInlineUserDefinedDataSource",
              "a data source sent by the client"),
          Map.entry("spark.connect.PythonUDF", "a Python function (client code)"),
          Map.entry("spark.connect.ScalarScalaUDF", "a Scala function (client code)"),
          Map.entry("spark.connect.JavaUDF", "a Java function (client code)"),
          Map.entry("spark.connect.PythonUDTF", "a Python table function (client code)"),
          Map.entry("spark.connect.PythonDataSource", "a Python data source (client code)"),
          Map.entry("spark.connect.MapPartitions", "mapPartitions/mapInPandas (client code)"),
          Map.entry("spark.connect.GroupMap", "a grouped map function (client code)"),
          Map.entry("spark.connect.CoGroupMap", "a co-grouped map function (client code)"),
          Map.entry("spark.connect.ApplyInPandasWithState", "applyInPandasWithState (client code)"),
          Map.entry("spark.connect.CachedRemoteRelation", "a DataFrame cached on the server"),
          Map.entry(
              "spark.connect.Read.DataSource",
              "reading files or a path directly (spark.read.format(...).load(...))"));

  /** Commands that query; everything else a client may send is refused here. */
  private static final Set<Command.CommandTypeCase> QUERY_COMMANDS =
      Set.of(
          Command.CommandTypeCase.SQL_COMMAND,
          Command.CommandTypeCase.CREATE_DATAFRAME_VIEW,
          Command.CommandTypeCase.WRITE_OPERATION,
          Command.CommandTypeCase.WRITE_OPERATION_V2,
          Command.CommandTypeCase.GET_RESOURCES_COMMAND);

  /** Rows streamed so far, by operation id (a reattached stream goes on counting). */
  private static final Map<String, AtomicLong> ROWS = new ConcurrentHashMap<>();

  /** The settings the endpoint needs for this interceptor. */
  static SonghongConfig configure(SonghongConfig c) {
    return c.with("spark.connect.grpc.interceptor.classes", EndpointInterceptor.class.getName());
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    String method = call.getMethodDescriptor().getBareMethodName();
    if ("AddArtifacts".equals(method)) {
      refuse(
          call,
          Errors.endpointRefuses(
              "adding artifacts (jars, classes, Python files, archives)",
              "the endpoint runs SQL and DataFrame queries of the lake with built-in functions only"));
      return new ServerCall.Listener<>() {};
    }
    Guarded<ReqT, RespT> guarded = new Guarded<>(call);
    ServerCall.Listener<ReqT> delegate = next.startCall(guarded, headers);
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(delegate) {
      private boolean refused;

      @Override
      public void onMessage(ReqT message) {
        if (refused) {
          return;
        }
        try {
          inspect(message);
        } catch (SonghongException e) {
          refused = true;
          LOG.info("SQL endpoint refused a {} request: {}", method, e.getMessage());
          guarded.refuse(e);
          return;
        }
        if (message instanceof ExecutePlanRequest e && e.hasOperationId()) {
          guarded.operationId = e.getOperationId();
        } else if (message instanceof ReattachExecuteRequest r) {
          guarded.operationId = r.getOperationId();
          QueryGovernor.attached(r.getOperationId());
        }
        super.onMessage(message);
      }

      @Override
      public void onHalfClose() {
        if (!refused) {
          super.onHalfClose();
        }
      }

      @Override
      public void onCancel() {
        // The client went away (or dropped the stream): the query is detached until it reattaches.
        if (guarded.operationId != null) {
          QueryGovernor.detached(guarded.operationId);
        }
        super.onCancel();
      }

      @Override
      public void onReady() {
        if (!refused) {
          super.onReady();
        }
      }
    };
  }

  /** Throws if the request must not reach Spark Connect. */
  static void inspect(Object message) {
    if (message instanceof ConfigRequest c
        && c.getOperation().getOpTypeCase() == ConfigRequest.Operation.OpTypeCase.SET) {
      for (KeyValue kv : c.getOperation().getSet().getPairsList()) {
        EndpointGuard.checkSetting(kv.getKey());
      }
    } else if (message instanceof AnalyzePlanRequest a) {
      if (a.getAnalyzeCase() == AnalyzePlanRequest.AnalyzeCase.PERSIST) {
        throw Errors.endpointRefuses(
            "persist/cache (it holds the server's memory for one client)",
            "query the tables again (they are small and the answers fast), or collect the result into your own program");
      }
      scan(a);
    } else if (message instanceof ExecutePlanRequest e) {
      if (e.getPlan().hasCommand()) {
        Command.CommandTypeCase kind = e.getPlan().getCommand().getCommandTypeCase();
        if (!QUERY_COMMANDS.contains(kind)) {
          throw Errors.endpointRefuses(
              "the command " + kind.name().toLowerCase(java.util.Locale.ROOT),
              "the endpoint answers SQL and DataFrame queries of the lake; streaming, ML, checkpoints and functions of your own are not served");
        }
        if (kind == Command.CommandTypeCase.CREATE_DATAFRAME_VIEW
            && e.getPlan().getCommand().getCreateDataframeView().getIsGlobal()) {
          throw Errors.endpointRefuses(
              "a global temporary view (every client would see it)",
              "create a temporary view of your session");
        }
      }
      scan(e);
    }
  }

  /** Walks every field of a protocol message for messages that carry client code. */
  private static void scan(Message m) {
    String what = CODE_MESSAGES.get(m.getDescriptorForType().getFullName());
    if (what != null && what.startsWith("reading")) {
      throw Errors.endpointRefuses(
          what, EndpointGuard.INSTEAD_TABLES + ", or spark.read.table(NAME)");
    }
    if (what != null) {
      throw Errors.endpointRefuses(
          what,
          "the endpoint runs SQL and DataFrame queries with built-in functions and the lake's functions "
              + "(SHOW USER FUNCTIONS IN gold); compute with your own code on the rows it returns");
    }
    for (Map.Entry<Descriptors.FieldDescriptor, Object> f : m.getAllFields().entrySet()) {
      if (f.getKey().getJavaType() != Descriptors.FieldDescriptor.JavaType.MESSAGE) {
        continue;
      }
      if (f.getValue() instanceof List<?> list) {
        for (Object o : list) {
          scan((Message) o);
        }
      } else {
        scan((Message) f.getValue());
      }
    }
  }

  private static <ReqT, RespT> void refuse(ServerCall<ReqT, RespT> call, SonghongException e) {
    call.close(Status.PERMISSION_DENIED.withDescription(e.getMessage()), new Metadata());
  }

  /**
   * The call as the service sees it: answers are counted against the row cap; after a refusal
   * nothing more is sent.
   */
  private static final class Guarded<ReqT, RespT>
      extends ForwardingServerCall.SimpleForwardingServerCall<ReqT, RespT> {
    private volatile boolean closed;

    /** The query this stream answers (from the request, or the first answer). */
    volatile String operationId;

    Guarded(ServerCall<ReqT, RespT> call) {
      super(call);
    }

    synchronized void refuse(SonghongException e) {
      if (!closed) {
        closed = true;
        super.close(Status.PERMISSION_DENIED.withDescription(e.getMessage()), new Metadata());
      }
    }

    @Override
    public synchronized void sendMessage(RespT message) {
      if (closed) {
        return;
      }
      if (message instanceof ExecutePlanResponse r) {
        if (operationId == null) {
          operationId = r.getOperationId();
        }
        QueryGovernor.Limits limits = QueryGovernor.limits();
        if (r.hasArrowBatch() && limits != null) {
          long rows =
              ROWS.computeIfAbsent(r.getOperationId(), k -> new AtomicLong())
                  .addAndGet(r.getArrowBatch().getRowCount());
          if (rows > limits.maxResultRows()) {
            ROWS.remove(r.getOperationId());
            closed = true;
            LOG.warn(
                "SQL endpoint: query {} stopped at {} rows (songhong.sql.max.result.rows)",
                r.getOperationId(),
                limits.maxResultRows());
            QueryGovernor.interrupt(r.getOperationId());
            super.close(
                Status.FAILED_PRECONDITION.withDescription(
                    Errors.endpointLimit(
                            String.format(
                                "its answer has more than %,d rows", limits.maxResultRows()),
                            SonghongConfig.SQL_MAX_RESULT_ROWS.key(),
                            "aggregate or filter it, or add a LIMIT")
                        .getMessage()),
                new Metadata());
            return;
          }
        }
        if (r.hasResultComplete()) {
          ROWS.remove(r.getOperationId());
        }
      }
      super.sendMessage(message);
    }

    @Override
    public synchronized void close(Status status, Metadata trailers) {
      if (!closed) {
        closed = true;
        super.close(status, trailers);
      }
    }
  }
}
