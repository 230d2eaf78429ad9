package org.songhong.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connect.service.ExecuteHolder;
import org.apache.spark.sql.connect.service.SparkConnectService$;
import org.songhong.config.SonghongConfig;
import org.songhong.error.Errors;

/**
 * The SQL endpoint's resource limits, so that one client cannot take the server from the others:
 *
 * <ul>
 *   <li>a time limit per query ({@code songhong.sql.query.timeout.seconds}): a watchdog cancels the
 *       query's Spark jobs with a message that names the limit, and interrupts the query if it
 *       still runs a few seconds later;
 *   <li>at most {@code songhong.sql.max.queries.per.session} queries of one session and {@code
 *       songhong.sql.max.queries} in all at once: one more is refused before it runs;
 *   <li>a cap on the rows a query returns ({@code songhong.sql.max.result.rows}), counted by the
 *       {@link EndpointInterceptor} as the answer is streamed.
 * </ul>
 *
 * A query whose client went away (its stream cancelled, or no stream of it attached) is interrupted
 * 20 s later (Spark Connect alone would wait for its stream's maximum duration and then its detach
 * timeout), and every query of a released session at once. The limits are the server's: a client
 * cannot change them.
 */
public final class QueryGovernor {
  private static final Logger LOG = LogManager.getLogger(QueryGovernor.class);

  /** Seconds between the watchdog's looks, and after a cancel before the query is interrupted. */
  private static final long TICK_MS = 1_000;

  private static final long GRACE_NS = TimeUnit.SECONDS.toNanos(5);

  /** The limits in force. */
  public record Limits(int timeoutSeconds, long maxResultRows, int maxPerSession, int maxTotal) {
    static Limits of(SonghongConfig c) {
      Limits l =
          new Limits(
              c.get(SonghongConfig.SQL_QUERY_TIMEOUT_SECONDS),
              c.get(SonghongConfig.SQL_MAX_RESULT_ROWS),
              c.get(SonghongConfig.SQL_MAX_QUERIES_PER_SESSION),
              c.get(SonghongConfig.SQL_MAX_QUERIES));
      if (l.timeoutSeconds < 1
          || l.maxResultRows < 1
          || l.maxPerSession < 1
          || l.maxTotal < l.maxPerSession) {
        throw Errors.badSetting(
            SonghongConfig.SQL_QUERY_TIMEOUT_SECONDS.key() + " and the other songhong.sql.* limits",
            l.toString(),
            "each at least 1, and songhong.sql.max.queries at least songhong.sql.max.queries.per.session");
      }
      return l;
    }

    String describe() {
      return String.format(
          "queries stop after %d s, answers at %,d rows, %d queries per session and %d in all at once",
          timeoutSeconds, maxResultRows, maxPerSession, maxTotal);
    }
  }

  private static volatile Limits limits;

  /** When the watchdog cancelled an operation's jobs (System.nanoTime), by operation id. */
  private static final Map<String, Long> CANCELLED = new ConcurrentHashMap<>();

  private static ScheduledExecutorService watchdog;

  private QueryGovernor() {}

  /** Sets the limits and starts the watchdog (once the Spark Connect service runs). */
  static synchronized Limits start(SonghongConfig config, SparkContext sc) {
    limits = Limits.of(config);
    if (watchdog == null) {
      watchdog =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "songhong-sql-watchdog");
                t.setDaemon(true);
                return t;
              });
      watchdog.scheduleWithFixedDelay(
          () -> {
            try {
              enforceTimeLimit(sc);
              for (RepeatedWarnings.LeftOut l : REFUSALS.ended(System.nanoTime())) {
                LOG.warn(
                    "SQL endpoint: refused {} more queries of session {} in the minute after its"
                        + " refusal logged above",
                    l.count(),
                    l.key());
              }
            } catch (RuntimeException e) {
              LOG.warn("SQL endpoint watchdog: {}", e.toString());
            }
          },
          TICK_MS,
          TICK_MS,
          TimeUnit.MILLISECONDS);
    }
    return limits;
  }

  static Limits limits() {
    return limits;
  }

  /** The queries running now (their execution thread alive). */
  private static List<ExecuteHolder> running() {
    List<ExecuteHolder> out = new ArrayList<>();
    scala.collection.Iterator<ExecuteHolder> it =
        SparkConnectService$.MODULE$.executionManager().listExecuteHolders().iterator();
    while (it.hasNext()) {
      ExecuteHolder h = it.next();
      if (h.isExecuteThreadRunnerAlive()) {
        out.add(h);
      }
    }
    return out;
  }

  /** The queries admitted, by operation id (pruned to the running ones at each admission). */
  private static final java.util.Set<String> ADMITTED = ConcurrentHashMap.newKeySet();

  /**
   * Called when a plan of {@code session} is analyzed: refuses the query if the session, or the
   * server, already runs as many admitted queries as it may. A query is admitted once (Spark may
   * analyze its plan again as it runs) and admissions are taken one at a time: two queries analyzed
   * at once cannot each count the other and both be refused. A plan analyzed outside a query (a
   * client asking for a schema) runs nothing and is not counted.
   */
  static synchronized void admit(SparkSession session) {
    Limits l = limits;
    if (l == null) {
      return;
    }
    scala.collection.immutable.Set<String> tags = session.sparkContext().getJobTags();
    List<ExecuteHolder> now = running();
    ExecuteHolder self = null;
    java.util.Set<String> alive = new java.util.HashSet<>();
    for (ExecuteHolder h : now) {
      alive.add(h.operationId());
      if (tags.contains(h.jobTag())) {
        self = h;
      }
    }
    if (self == null || ADMITTED.contains(self.operationId())) {
      return;
    }
    ADMITTED.retainAll(alive);
    long mine =
        now.stream()
            .filter(h -> h.session() == session && ADMITTED.contains(h.operationId()))
            .count();
    if (mine >= l.maxPerSession()) {
      throw refused(
          self,
          "this session already runs " + mine + " queries",
          SonghongConfig.SQL_MAX_QUERIES_PER_SESSION.key() + " = " + l.maxPerSession(),
          "wait for one to finish, or interrupt it (spark.interruptAll()), then retry");
    }
    if (ADMITTED.size() >= l.maxTotal()) {
      throw refused(
          self,
          "the server already runs " + ADMITTED.size() + " queries",
          SonghongConfig.SQL_MAX_QUERIES.key() + " = " + l.maxTotal(),
          "retry in a moment");
    }
    ADMITTED.add(self.operationId());
  }

  /** A session's refusals logged: the first in a minute, then how many more (see the watchdog). */
  private static final RepeatedWarnings REFUSALS =
      new RepeatedWarnings(TimeUnit.SECONDS.toNanos(60));

  /**
   * The client's error for a refused query, also logged (the operator sizes the limits by it): a
   * session's first refusal in a minute, the others counted in one line when the minute ends, since
   * a client that retries in a loop is refused several times a second.
   */
  private static RuntimeException refused(
      ExecuteHolder query, String why, String setting, String fix) {
    String session = query.sessionHolder().sessionId();
    if (REFUSALS.log(session, System.nanoTime())) {
      LOG.warn(
          "SQL endpoint: refused query {} of session {}: {} ({})",
          query.operationId(),
          session,
          why,
          setting);
    }
    return Errors.endpointLimit(why, setting, fix);
  }

  private static void enforceTimeLimit(SparkContext sc) {
    Limits l = limits;
    long now = System.nanoTime();
    long limitNs = TimeUnit.SECONDS.toNanos(l.timeoutSeconds());
    java.util.Set<String> alive = new java.util.HashSet<>();
    for (ExecuteHolder h : running()) {
      String op = h.operationId();
      alive.add(op);
      if (SEEN.putIfAbsent(op, h.sessionHolder().sessionId()) == null) {
        STARTED.put(op, h.creationTimeNs());
      }
      Long detachedAt = DETACHED.get(op);
      if (detachedAt == null && h.lastAttachedRpcTimeNs().isDefined()) {
        // no stream of the client's attached (Spark's own record): a client killed between two
        // streams of a reattachable query cancels none
        detachedAt = (Long) h.lastAttachedRpcTimeNs().get();
      }
      if (detachedAt != null
          && !GONE.contains(op)
          && now - detachedAt > TimeUnit.SECONDS.toNanos(DETACHED_SECONDS)) {
        LOG.warn(
            "SQL endpoint: interrupting query {} of session {}: its client went away {} s ago",
            op,
            h.sessionHolder().sessionId(),
            TimeUnit.NANOSECONDS.toSeconds(now - detachedAt));
        DETACHED.remove(op);
        GONE.add(op);
        h.interrupt();
        continue;
      }
      if (now - h.creationTimeNs() <= limitNs) {
        continue;
      }
      Long cancelledAt = CANCELLED.get(op);
      if (cancelledAt == null) {
        CANCELLED.put(op, now);
        LOG.warn(
            "SQL endpoint: cancelling query {} of session {} after {} s (songhong.sql.query.timeout.seconds)",
            op,
            h.sessionHolder().sessionId(),
            l.timeoutSeconds());
        sc.cancelJobsWithTag(
            h.jobTag(),
            Errors.endpointLimit(
                    "it ran longer than " + l.timeoutSeconds() + " s",
                    SonghongConfig.SQL_QUERY_TIMEOUT_SECONDS.key(),
                    "filter or aggregate more, or ask the operator for a longer limit")
                .getMessage());
      } else if (now - cancelledAt > GRACE_NS) {
        LOG.warn(
            "SQL endpoint: interrupting query {} (still running {} s after its jobs were cancelled)",
            op,
            TimeUnit.NANOSECONDS.toSeconds(now - cancelledAt));
        h.interrupt();
      } else {
        // jobs started after the cancel are cancelled too
        sc.cancelJobsWithTag(
            h.jobTag(),
            "the query ran longer than "
                + l.timeoutSeconds()
                + " s (songhong.sql.query.timeout.seconds)");
      }
    }
    // Say when a long query ends (finished, cancelled, interrupted by its client's release or
    // departure).
    for (Map.Entry<String, String> e : SEEN.entrySet()) {
      if (!alive.contains(e.getKey())) {
        Long started = STARTED.remove(e.getKey());
        long seconds = started == null ? 0 : TimeUnit.NANOSECONDS.toSeconds(now - started);
        if (seconds >= 2) {
          LOG.warn(
              "SQL endpoint: query {} of session {} ended after {} s{}",
              e.getKey(),
              e.getValue(),
              seconds,
              CANCELLED.containsKey(e.getKey())
                  ? " (cancelled at its time limit)"
                  : GONE.contains(e.getKey()) ? " (its client went away)" : "");
        }
      }
    }
    SEEN.keySet().retainAll(alive);
    CANCELLED.keySet().retainAll(alive);
    GONE.retainAll(alive);
    // (a query detached after this tick listed the running ones is kept for the next tick)
    DETACHED.entrySet().removeIf(e -> !alive.contains(e.getKey()) && e.getValue() < now);
  }

  /** Queries seen running: operation id to session id, and when each started. */
  private static final Map<String, String> SEEN = new ConcurrentHashMap<>();

  private static final Map<String, Long> STARTED = new ConcurrentHashMap<>();

  /** Queries interrupted because their client went away. */
  private static final java.util.Set<String> GONE = ConcurrentHashMap.newKeySet();

  /** Seconds a query may stay without a client stream before it is interrupted. */
  static final long DETACHED_SECONDS = 20;

  /** Queries whose client stream was cancelled, and when (System.nanoTime). */
  private static final Map<String, Long> DETACHED = new ConcurrentHashMap<>();

  /** The client's stream of a query was cancelled: it has DETACHED_SECONDS to reattach. */
  static void detached(String operationId) {
    DETACHED.put(operationId, System.nanoTime());
  }

  /** The client reattached to a query. */
  static void attached(String operationId) {
    DETACHED.remove(operationId);
  }

  /**
   * Interrupts a query by its operation id (the interceptor, when an answer passes the row cap).
   */
  static void interrupt(String operationId) {
    for (ExecuteHolder h : running()) {
      if (h.operationId().equals(operationId)) {
        h.interrupt();
      }
    }
  }
}
