package org.songhong.airflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.songhong.error.SonghongException;

/**
 * The client against a stand-in for Airflow's API server that answers late, the way a loaded server
 * does while the scheduler holds its database (the real server is driven by
 * pipelines/tests/test_airflow_standalone.py). A trigger whose answer is lost must not make a
 * second run; a read is tried again; an answer with an HTTP status is never repeated.
 */
class AirflowClientRetryTest {
  private static final Duration TIMEOUT = Duration.ofMillis(400);

  private HttpServer server;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final Map<String, String> runs = new ConcurrentHashMap<>();
  private final AtomicInteger slowAnswers = new AtomicInteger();

  /** How many of the next triggers are lost before they reach the database. */
  private final AtomicInteger lostTriggers = new AtomicInteger();

  /** How many of the next triggers are answered 500 without reaching the database. */
  private final AtomicInteger failedTriggers = new AtomicInteger();

  /** The backfill's runs (logical date to state); Airflow has not marked the backfill completed. */
  private final Map<String, String> backfillRuns = new java.util.TreeMap<>();

  /** The bodies of the backfills created. */
  private final List<String> backfills = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext("/", this::handle);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void handle(HttpExchange x) throws IOException {
    String path = x.getRequestURI().getPath();
    String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    requests.add(x.getRequestMethod() + " " + path);
    if (path.equals("/auth/token")) {
      answer(x, 201, "{\"access_token\":\"t\"}");
      return;
    }
    if (x.getRequestMethod().equals("POST") && path.endsWith("/dagRuns")) {
      String id = body.replaceAll(".*\"dag_run_id\":\"([^\"]+)\".*", "$1");
      if (runs.containsKey(id)) {
        answer(x, 409, "{\"detail\":\"exists\"}");
        return;
      }
      if (failedTriggers.getAndDecrement() > 0) {
        // What Airflow 3.3 standalone answered in CI when its SQLite lock outlasted the request's
        // wait.
        answer(
            x,
            500,
            "{\"detail\":\"Serious error when handling your request. Check logs for more details\"}");
        return;
      }
      if (lostTriggers.getAndDecrement() <= 0) {
        runs.put(id, "queued");
      }
      if (slowAnswers.getAndDecrement() > 0) {
        sleep(TIMEOUT.multipliedBy(3)); // the client gives up first
      }
      answer(x, 200, run(id));
      return;
    }
    if (x.getRequestMethod().equals("GET") && path.contains("/dagRuns/")) {
      if (slowAnswers.getAndDecrement() > 0) {
        sleep(TIMEOUT.multipliedBy(3));
      }
      String id = path.substring(path.lastIndexOf('/') + 1);
      answer(
          x,
          runs.containsKey(id) ? 200 : 404,
          runs.containsKey(id) ? run(id) : "{\"detail\":\"no such run\"}");
      return;
    }
    if (x.getRequestMethod().equals("GET") && path.equals("/api/v2/backfills/7")) {
      // the scheduler marks a backfill completed every 30 s: not yet
      answer(x, 200, "{\"id\":7,\"dag_id\":\"d\",\"completed_at\":null}");
      return;
    }
    if (x.getRequestMethod().equals("GET") && path.equals("/api/v2/dags/d/dagRuns")) {
      StringBuilder list = new StringBuilder("{\"dag_runs\":[");
      synchronized (backfillRuns) {
        backfillRuns.forEach(
            (date, state) ->
                list.append(list.charAt(list.length() - 1) == '[' ? "" : ",")
                    .append("{\"dag_id\":\"d\",\"dag_run_id\":\"backfill__")
                    .append(date)
                    .append("\",\"state\":\"")
                    .append(state)
                    .append("\",\"run_type\":\"backfill\",\"logical_date\":\"")
                    .append(date)
                    .append("\"}"));
      }
      answer(x, 200, list.append("]}").toString());
      return;
    }
    if (x.getRequestMethod().equals("POST") && path.equals("/api/v2/backfills")) {
      // What Airflow 3.3 on SQLite did in CI: the backfill is created, the answer is a 503.
      backfills.add(body);
      answer(
          x,
          503,
          "{\"detail\":\"Database is locked. Backfill creation is not supported on SQLite under concurrent access.\"}");
      return;
    }
    if (x.getRequestMethod().equals("GET") && path.equals("/api/v2/backfills")) {
      StringBuilder list = new StringBuilder("{\"backfills\":[");
      for (int i = 0; i < backfills.size(); i++) {
        list.append(i == 0 ? "" : ",")
            .append("{\"id\":")
            .append(i + 7)
            .append(",\"dag_id\":\"d\",")
            .append(
                "\"from_date\":\"2025-07-01T00:00:00Z\",\"to_date\":\"2025-08-01T00:00:00Z\",\"completed_at\":null}");
      }
      answer(
          x,
          200,
          list.append("],\"total_entries\":").append(backfills.size()).append('}').toString());
      return;
    }
    answer(x, 500, "{\"detail\":\"boom\"}");
  }

  private static String run(String id) {
    return "{\"dag_id\":\"d\",\"dag_run_id\":\""
        + id
        + "\",\"state\":\"queued\",\"run_type\":\"manual\"}";
  }

  private static void answer(HttpExchange x, int status, String json) throws IOException {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().add("Content-Type", "application/json");
    try {
      x.sendResponseHeaders(status, b.length);
      x.getResponseBody().write(b);
    } catch (IOException gone) {
      // the client stopped waiting: what a late answer meets
    } finally {
      x.close();
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private AirflowClient client() {
    return new AirflowClient(
        URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
        "admin",
        "pw".toCharArray(),
        TIMEOUT,
        Duration.ofMillis(50));
  }

  private long posts() {
    return requests.stream().filter(r -> r.startsWith("POST /api/v2/dags/d/dagRuns")).count();
  }

  @Test
  void aBackfillIsOverWhenEveryPlannedDateHasARunThatEndedBeforeAirflowMarksItCompleted() {
    List<String> planned = List.of("2025-07-01T00:00:00Z", "2025-08-01T00:00:00Z");
    LocalDate from = LocalDate.of(2025, 7, 1);
    LocalDate to = LocalDate.of(2025, 8, 1);
    List<String> progress = new CopyOnWriteArrayList<>();
    synchronized (backfillRuns) {
      backfillRuns.put(planned.get(0), "success");
    }
    // one planned date has no run yet: not over, whatever the first run did
    assertThatThrownBy(
            () ->
                client()
                    .awaitBackfill(
                        "d",
                        7,
                        from,
                        to,
                        planned,
                        Duration.ofMillis(600),
                        Duration.ofMillis(100),
                        progress::add))
        .hasMessageContaining("Backfill 7 of d is still running")
        .hasMessageContaining("follow its runs with 'songhong airflow runs d'");
    synchronized (backfillRuns) {
      backfillRuns.put(planned.get(1), "failed");
    }
    // both ended (one failed): over, though completed_at is still null
    long started = System.nanoTime();
    List<AirflowClient.DagRun> runs =
        client()
            .awaitBackfill(
                "d", 7, from, to, planned, Duration.ofSeconds(20), Duration.ofMillis(100), l -> {});
    assertThat(runs).extracting(AirflowClient.DagRun::state).containsExactly("success", "failed");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    assertThat(progress).contains("backfill 7: 1/1 runs done; 2025-07-01 success");
  }

  @Test
  void aBackfillAnsweredWith503ButCreatedIsFoundAndNotCreatedTwice() {
    long id =
        client().backfill("d", LocalDate.of(2025, 7, 1), LocalDate.of(2025, 8, 1), Map.of(), false);

    assertThat(id).isEqualTo(7);
    assertThat(backfills).hasSize(1);
    assertThat(requests.stream().filter(r -> r.equals("POST /api/v2/backfills"))).hasSize(1);
  }

  @Test
  void aTriggerWhoseAnswerIsLostIsFoundByItsRunIdAndNotSentAgain() {
    slowAnswers.set(1);
    AirflowClient.DagRun run = client().trigger("d", LocalDate.of(2025, 7, 1), Map.of(), "it-1");

    assertThat(run.runId()).isEqualTo("it-1");
    assertThat(runs).containsOnlyKeys("it-1");
    assertThat(posts()).isEqualTo(1);
  }

  @Test
  void aTriggerThatDidNotLandIsSentAgainAndWithoutARunIdTheClientNamesTheRun() {
    lostTriggers.set(1);
    slowAnswers.set(1);
    AirflowClient.DagRun run = client().trigger("d", null, Map.of(), null);

    assertThat(run.runId()).startsWith("manual__");
    assertThat(runs).containsOnlyKeys(run.runId());
    assertThat(posts()).isEqualTo(2);
  }

  @Test
  void aTriggerAnsweredWithAServerErrorIsSentAgainAndALastingOneIsReportedWithItsStatus() {
    failedTriggers.set(1);
    assertThat(client().trigger("d", LocalDate.of(2025, 7, 1), Map.of(), "it-2").runId())
        .isEqualTo("it-2");
    assertThat(runs).containsOnlyKeys("it-2");
    assertThat(posts()).isEqualTo(2);

    requests.clear();
    failedTriggers.set(100);
    assertThatThrownBy(() -> client().trigger("d", LocalDate.of(2025, 7, 1), Map.of(), "it-3"))
        .isInstanceOf(SonghongException.class)
        .hasMessageContaining("500")
        .hasMessageContaining("Serious error");
    assertThat(posts()).isEqualTo(3);
    assertThat(runs).doesNotContainKey("it-3");
  }

  @Test
  void aReadIsTriedAgainAndAnAnswerWithAStatusIsNot() {
    runs.put("r", "queued");
    slowAnswers.set(2);
    assertThat(client().dagRun("d", "r").runId()).isEqualTo("r");
    assertThat(requests.stream().filter(r -> r.equals("GET /api/v2/dags/d/dagRuns/r")).count())
        .isEqualTo(3);

    requests.clear();
    assertThatThrownBy(() -> client().dagRun("d", "missing"))
        .isInstanceOf(SonghongException.class)
        .hasMessageContaining("404")
        .hasMessageContaining("no such run");
    assertThat(requests.stream().filter(r -> r.startsWith("GET /api/v2/dags/d/dagRuns/")).count())
        .isEqualTo(1);
  }

  @Test
  void aServerThatNeverAnswersIsOneClearLineAfterThreeTries() {
    slowAnswers.set(100);
    assertThatThrownBy(() -> client().dagRun("d", "r"))
        .isInstanceOf(SonghongException.class)
        .hasMessageContaining("Cannot reach Airflow")
        .hasMessageContaining("3 tries")
        .hasMessageContaining("--http-timeout");
  }
}
