package org.songhong.airflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.songhong.error.Errors;

/**
 * A small client of the Airflow 3 REST API (v2): a bearer token from {@code /auth/token}, then
 * DAGs, runs, task instances, logs, backfills and asset events. Every error Airflow returns becomes
 * one {@link org.songhong.error.SonghongException} line naming the request, the status and
 * Airflow's own explanation.
 */
public final class AirflowClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Tries of a request that may be repeated, when Airflow does not answer. */
  static final int ATTEMPTS = 3;

  /** Answers that say the server failed, not the request: tried again like no answer at all. */
  private static final java.util.Set<Integer> SERVER_ERRORS = java.util.Set.of(500, 502, 503, 504);

  /** Run states after which nothing changes. */
  public static final List<String> FINAL_STATES = List.of("success", "failed");

  private final URI base;
  private final String username;
  private final char[] password;
  private final HttpClient http;
  private final Duration timeout;
  private final Duration backoff;
  private String token;

  public AirflowClient(URI base, String username, char[] password, Duration timeout) {
    this(base, username, password, timeout, Duration.ofSeconds(2));
  }

  /** {@code backoff}: the wait before a second try, doubled before a third. */
  AirflowClient(URI base, String username, char[] password, Duration timeout, Duration backoff) {
    this.backoff = backoff;
    String b = base.toString();
    this.base = URI.create(b.endsWith("/") ? b : b + "/");
    this.username = username;
    this.password = password.clone();
    this.timeout = timeout;
    // HTTP/1.1: the default h2c upgrade attempt on plain http is refused by Airflow's server
    // (uvicorn).
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .build();
  }

  /** One DAG as listed. */
  public record Dag(
      String dagId, boolean paused, List<String> tags, String schedule, String nextRun) {}

  /** One DAG run. */
  public record DagRun(
      String dagId,
      String runId,
      String state,
      String runType,
      String logicalDate,
      String startDate,
      String endDate,
      String triggeredBy) {}

  /** One task instance of a run. */
  public record TaskInstance(
      String taskId, String state, int tryNumber, Double durationS, String start, String end) {}

  /** Logs in (once per client) and returns the access token. */
  public String login() {
    if (token == null) {
      ObjectNode body =
          JSON.createObjectNode().put("username", username).put("password", new String(password));
      JsonNode r = send("POST", "auth/token", body, false);
      token = r.path("access_token").asText(null);
      if (token == null) {
        throw Errors.airflow("POST", "/auth/token", 200, "the response has no access_token");
      }
    }
    return token;
  }

  public List<Dag> dags(String idPattern) {
    List<Dag> dags = new ArrayList<>();
    for (int offset = 0; ; offset += 100) {
      String q =
          "api/v2/dags?limit=100&offset="
              + offset
              + "&order_by=dag_id"
              + (idPattern == null ? "" : "&dag_id_pattern=" + enc(idPattern));
      JsonNode r = send("GET", q, null, true);
      for (JsonNode d : r.path("dags")) {
        List<String> tags = new ArrayList<>();
        d.path("tags").forEach(t -> tags.add(t.path("name").asText()));
        dags.add(
            new Dag(
                d.path("dag_id").asText(),
                d.path("is_paused").asBoolean(),
                tags,
                text(d, "timetable_summary"),
                text(d, "next_dagrun_logical_date")));
      }
      if (offset + 100 >= r.path("total_entries").asInt()) {
        return dags;
      }
    }
  }

  public void setPaused(String dagId, boolean paused) {
    send(
        "PATCH",
        "api/v2/dags/" + enc(dagId) + "?update_mask=is_paused",
        JSON.createObjectNode().put("is_paused", paused),
        true);
  }

  /**
   * Triggers a run. {@code logicalDate} null means a run without a logical date (Airflow 3);
   * otherwise the run is for midnight UTC of that date, like a scheduled run of the day.
   */
  public DagRun trigger(
      String dagId, LocalDate logicalDate, Map<String, Object> conf, String runId) {
    // The run id is chosen here, not by Airflow, so that a trigger whose answer was lost can be
    // looked up before it is sent again: a retry never makes a second run.
    String id =
        runId != null
            ? runId
            : "manual__"
                + Instant.now()
                    .truncatedTo(java.time.temporal.ChronoUnit.MICROS)
                    .atOffset(ZoneOffset.UTC)
                    .format(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    ObjectNode body = JSON.createObjectNode();
    body.put("dag_run_id", id);
    if (logicalDate == null) {
      body.putNull("logical_date");
    } else {
      body.put("logical_date", midnight(logicalDate));
    }
    body.set("conf", JSON.valueToTree(conf == null ? Map.of() : conf));
    return run(
        send(
            "POST",
            "api/v2/dags/" + enc(dagId) + "/dagRuns",
            body,
            true,
            () -> existingRun(dagId, id)));
  }

  /** The run if Airflow has it, null on 404 or no answer. */
  private JsonNode existingRun(String dagId, String runId) {
    try {
      HttpResponse<String> r =
          exchange("GET", "api/v2/dags/" + enc(dagId) + "/dagRuns/" + enc(runId), null, true);
      return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
    } catch (IOException e) {
      return null;
    }
  }

  public DagRun dagRun(String dagId, String runId) {
    return run(send("GET", "api/v2/dags/" + enc(dagId) + "/dagRuns/" + enc(runId), null, true));
  }

  /** The DAG's latest runs, newest first. */
  public List<DagRun> dagRuns(String dagId, int limit) {
    JsonNode r =
        send(
            "GET",
            "api/v2/dags/" + enc(dagId) + "/dagRuns?limit=" + limit + "&order_by=-run_after",
            null,
            true);
    List<DagRun> runs = new ArrayList<>();
    r.path("dag_runs").forEach(n -> runs.add(run(n)));
    return runs;
  }

  public List<TaskInstance> taskInstances(String dagId, String runId) {
    JsonNode r =
        send(
            "GET",
            "api/v2/dags/" + enc(dagId) + "/dagRuns/" + enc(runId) + "/taskInstances?limit=100",
            null,
            true);
    List<TaskInstance> tis = new ArrayList<>();
    for (JsonNode t : r.path("task_instances")) {
      tis.add(
          new TaskInstance(
              t.path("task_id").asText(),
              text(t, "state"),
              t.path("try_number").asInt(),
              t.path("duration").isNumber() ? t.path("duration").asDouble() : null,
              text(t, "start_date"),
              text(t, "end_date")));
    }
    return tis;
  }

  /** The text of a task's log for one try (the latest try when {@code tryNumber} is 0). */
  public String taskLog(String dagId, String runId, String taskId, int tryNumber) {
    int attempt = tryNumber;
    if (attempt <= 0) {
      attempt =
          taskInstances(dagId, runId).stream()
              .filter(t -> t.taskId().equals(taskId))
              .findFirst()
              .map(TaskInstance::tryNumber)
              .orElseThrow(
                  () ->
                      Errors.airflow(
                          "GET",
                          "task " + taskId,
                          404,
                          "run " + runId + " of " + dagId + " has no task " + taskId));
      attempt = Math.max(1, attempt);
    }
    JsonNode r =
        send(
            "GET",
            "api/v2/dags/"
                + enc(dagId)
                + "/dagRuns/"
                + enc(runId)
                + "/taskInstances/"
                + enc(taskId)
                + "/logs/"
                + attempt
                + "?full_content=true",
            null,
            true);
    JsonNode content = r.path("content");
    if (content.isTextual()) {
      return content.asText();
    }
    // Airflow 3 returns structured log lines: {"event": ..., "timestamp": ..., "level": ...}
    StringBuilder text = new StringBuilder();
    for (JsonNode line : content) {
      if (line.isTextual()) {
        text.append(line.asText()).append('\n');
        continue;
      }
      String ts = line.path("timestamp").asText("");
      String level = line.path("level").asText("");
      text.append(ts.isEmpty() ? "" : ts + " ")
          .append(level.isEmpty() ? "" : level.toUpperCase() + " ")
          .append(line.path("event").asText(""))
          .append('\n');
    }
    return text.toString();
  }

  /**
   * Polls a run every {@code poll} until it ends or {@code timeout} passes; {@code progress}
   * receives a line each time the run's or a task's state changes. Returns the final run.
   */
  public DagRun await(
      String dagId, String runId, Duration timeout, Duration poll, Consumer<String> progress) {
    Instant deadline = Instant.now().plus(timeout);
    String last = null;
    while (true) {
      DagRun run = dagRun(dagId, runId);
      List<TaskInstance> tis = taskInstances(dagId, runId);
      long done =
          tis.stream()
              .filter(t -> "success".equals(t.state()) || "skipped".equals(t.state()))
              .count();
      StringBuilder line =
          new StringBuilder()
              .append(dagId)
              .append(' ')
              .append(runId)
              .append(": ")
              .append(run.state())
              .append(", ")
              .append(done)
              .append('/')
              .append(tis.size())
              .append(" tasks done");
      tis.stream()
          .filter(t -> t.state() != null && !"success".equals(t.state()))
          .forEach(t -> line.append("; ").append(t.taskId()).append(' ').append(t.state()));
      if (!line.toString().equals(last)) {
        progress.accept(line.toString());
        last = line.toString();
      }
      if (FINAL_STATES.contains(run.state())) {
        return run;
      }
      if (Instant.now().isAfter(deadline)) {
        throw Errors.airflowTimeout(dagId, runId, run.state(), timeout);
      }
      try {
        Thread.sleep(poll.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw Errors.airflowTimeout(dagId, runId, run.state(), timeout);
      }
    }
  }

  /**
   * What a backfill would do, asked of Airflow without creating it: the logical dates of the range
   * (inclusive) it would run and the ones it would leave alone because they ran already ({@code
   * skipped}: succeeded dates, and failed ones too unless {@code rerunFailed}).
   */
  public record BackfillPlan(List<String> run, List<String> skipped) {}

  public BackfillPlan backfillPlan(
      String dagId, LocalDate from, LocalDate to, Map<String, Object> conf, boolean rerunFailed) {
    List<String> run = dryRun(backfillBody(dagId, from, to, conf, rerunFailed ? "failed" : "none"));
    List<String> skipped =
        new ArrayList<>(dryRun(backfillBody(dagId, from, to, conf, "completed")));
    skipped.removeAll(run);
    return new BackfillPlan(run, skipped);
  }

  private List<String> dryRun(ObjectNode body) {
    List<String> dates = new ArrayList<>();
    send("POST", "api/v2/backfills/dry_run", body, true)
        .path("backfills")
        .forEach(b -> dates.add(b.path("logical_date").asText()));
    return dates;
  }

  /**
   * Starts a backfill of {@code from..to} (inclusive); dates that already succeeded are not rerun.
   * Returns its id.
   */
  public long backfill(
      String dagId, LocalDate from, LocalDate to, Map<String, Object> conf, boolean rerunFailed) {
    // On SQLite, Airflow can answer 503 "Database is locked" to a backfill it did create (seen with
    // Airflow 3.3 standalone while its scheduler writes): the backfill is looked up before a retry.
    return send(
            "POST",
            "api/v2/backfills",
            backfillBody(dagId, from, to, conf, rerunFailed ? "failed" : "none"),
            true,
            () -> runningBackfill(dagId, from, to))
        .path("id")
        .asLong();
  }

  /** The backfill of {@code from..to} of the DAG that has not completed, or null. */
  private JsonNode runningBackfill(String dagId, LocalDate from, LocalDate to) {
    for (JsonNode b :
        send("GET", "api/v2/backfills?dag_id=" + enc(dagId), null, true).path("backfills")) {
      if (b.path("completed_at").isNull()
          && b.path("from_date").asText().startsWith(from.toString())
          && b.path("to_date").asText().startsWith(to.toString())) {
        return b;
      }
    }
    return null;
  }

  /** Whether the backfill has created and finished all its runs. */
  public boolean backfillCompleted(long backfillId) {
    return !send("GET", "api/v2/backfills/" + backfillId, null, true).path("completed_at").isNull();
  }

  /**
   * The runs of a type (e.g. {@code backfill}) with logical dates in {@code from..to}, oldest
   * first.
   */
  public List<DagRun> dagRuns(String dagId, String runType, LocalDate from, LocalDate to) {
    JsonNode r =
        send(
            "GET",
            "api/v2/dags/"
                + enc(dagId)
                + "/dagRuns?limit=100&order_by=logical_date&run_type="
                + enc(runType)
                + "&logical_date_gte="
                + enc(midnight(from))
                + "&logical_date_lte="
                + enc(midnight(to)),
            null,
            true);
    List<DagRun> runs = new ArrayList<>();
    r.path("dag_runs").forEach(n -> runs.add(run(n)));
    return runs;
  }

  /**
   * Polls a backfill every {@code poll} until it is over, reporting each change of its runs'
   * states; returns the backfill's runs. Over: every date of {@code planned} (the logical dates the
   * backfill was created for) has a run and every run has ended, or Airflow marked the backfill
   * completed. Airflow creates a backfill's runs when it creates the backfill, and its scheduler
   * marks backfills completed every 30 s only (`_mark_backfills_complete`): waiting for that mark
   * alone added up to 30 s after the last run ended.
   */
  public List<DagRun> awaitBackfill(
      String dagId,
      long backfillId,
      LocalDate from,
      LocalDate to,
      List<String> planned,
      Duration timeout,
      Duration poll,
      Consumer<String> progress) {
    java.util.Set<String> plannedDays =
        planned.stream().map(AirflowClient::day).collect(java.util.stream.Collectors.toSet());
    Instant deadline = Instant.now().plus(timeout);
    String last = null;
    while (true) {
      boolean completed = backfillCompleted(backfillId);
      List<DagRun> runs = dagRuns(dagId, "backfill", from, to);
      StringBuilder line = new StringBuilder("backfill ").append(backfillId).append(": ");
      line.append(runs.stream().filter(r -> FINAL_STATES.contains(r.state())).count())
          .append('/')
          .append(runs.size())
          .append(" runs done");
      runs.forEach(
          r ->
              line.append("; ")
                  .append(r.logicalDate() == null ? r.runId() : r.logicalDate().substring(0, 10))
                  .append(' ')
                  .append(r.state()));
      if (!line.toString().equals(last)) {
        progress.accept(line.toString());
        last = line.toString();
      }
      boolean ended = runs.stream().allMatch(r -> FINAL_STATES.contains(r.state()));
      boolean allCreated =
          !plannedDays.isEmpty()
              && runs.stream()
                  .filter(r -> r.logicalDate() != null)
                  .map(r -> day(r.logicalDate()))
                  .collect(java.util.stream.Collectors.toSet())
                  .containsAll(plannedDays);
      if (ended && (completed || allCreated)) {
        return runs;
      }
      if (Instant.now().isAfter(deadline)) {
        throw Errors.airflowBackfillTimeout(dagId, backfillId, timeout);
      }
      try {
        Thread.sleep(poll.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw Errors.airflowBackfillTimeout(dagId, backfillId, timeout);
      }
    }
  }

  /** The day (YYYY-MM-DD) of an ISO 8601 time as Airflow writes it; a shorter text as it is. */
  private static String day(String isoTime) {
    return isoTime.length() >= 10 ? isoTime.substring(0, 10) : isoTime;
  }

  private static ObjectNode backfillBody(
      String dagId, LocalDate from, LocalDate to, Map<String, Object> conf, String reprocess) {
    ObjectNode body =
        JSON.createObjectNode()
            .put("dag_id", dagId)
            .put("from_date", midnight(from))
            .put("to_date", midnight(to))
            .put("reprocess_behavior", reprocess)
            .put("max_active_runs", 1);
    body.set("dag_run_conf", JSON.valueToTree(conf == null ? Map.of() : conf));
    return body;
  }

  private static String midnight(LocalDate d) {
    return d.atStartOfDay(ZoneOffset.UTC).toInstant().toString();
  }

  /** Emits an event on the asset with this URI, as a producing task would; returns the event. */
  public JsonNode assetEvent(String uri, Map<String, Object> extra) {
    JsonNode assets = send("GET", "api/v2/assets?limit=100&uri_pattern=" + enc(uri), null, true);
    Long id = null;
    for (JsonNode a : assets.path("assets")) {
      if (uri.equals(a.path("uri").asText())) {
        id = a.path("id").asLong();
      }
    }
    if (id == null) {
      throw Errors.airflow(
          "GET",
          "/api/v2/assets?uri_pattern=" + uri,
          404,
          "no asset has this URI (a DAG must declare it; see 'songhong airflow assets')");
    }
    ObjectNode body = JSON.createObjectNode().put("asset_id", id);
    body.set("extra", JSON.valueToTree(extra == null ? Map.of() : extra));
    return send("POST", "api/v2/assets/events", body, true);
  }

  /** The assets Airflow knows, as URI -> the DAGs they schedule. */
  public Map<String, List<String>> assets() {
    JsonNode r = send("GET", "api/v2/assets?limit=100", null, true);
    Map<String, List<String>> assets = new java.util.TreeMap<>();
    for (JsonNode a : r.path("assets")) {
      List<String> consumers = new ArrayList<>();
      a.path("scheduled_dags").forEach(d -> consumers.add(d.path("dag_id").asText()));
      assets.put(a.path("uri").asText(), consumers);
    }
    return assets;
  }

  private JsonNode send(String method, String path, JsonNode body, boolean auth) {
    return send(
        method,
        path,
        body,
        auth,
        "POST".equals(method) && !path.startsWith("auth/") ? null : () -> null);
  }

  /**
   * Sends a request; when Airflow does not answer in time (a loaded API server, a database lock
   * held by the scheduler) or the connection fails, asks {@code landed} whether the unanswered
   * attempt took effect after all (its result if so, null if not) and sends again, up to {@link
   * #ATTEMPTS} times. A null {@code landed} means the request is not safe to repeat: it is sent
   * once. Answers with an HTTP status are not repeated, but for a server error (500, 502, 503,
   * 504), which is treated as an unanswered attempt: Airflow 3.3 on SQLite answers 503 "Database is
   * locked", or 500 when the lock outlasted its wait inside a request (a trigger in CI, December
   * 2026). A lasting server error is reported with its status after the last attempt.
   */
  private JsonNode send(
      String method,
      String path,
      JsonNode body,
      boolean auth,
      java.util.function.Supplier<JsonNode> landed) {
    String shown = "/" + path.replaceFirst("\\?.*", "");
    HttpResponse<String> resp = null;
    for (int attempt = 1; resp == null; attempt++) {
      try {
        resp = exchange(method, path, body, auth);
        if (SERVER_ERRORS.contains(resp.statusCode()) && landed != null && attempt < ATTEMPTS) {
          throw new IOException(
              "Airflow answered " + resp.statusCode() + ": " + detail(resp.body()));
        }
      } catch (IOException e) {
        resp = null;
        if (landed == null || attempt >= ATTEMPTS) {
          throw Errors.airflowUnreachable(base.toString(), attempt, e);
        }
        pause(backoff.multipliedBy(1L << (attempt - 1)), e);
        JsonNode done = landed.get();
        if (done != null) {
          return done;
        }
      }
    }
    if (resp.statusCode() >= 400) {
      throw Errors.airflow(method, shown, resp.statusCode(), detail(resp.body()));
    }
    try {
      return resp.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(resp.body());
    } catch (IOException e) {
      throw Errors.airflow(
          method, shown, resp.statusCode(), "the response is not JSON: " + abbreviate(resp.body()));
    }
  }

  private HttpResponse<String> exchange(String method, String path, JsonNode body, boolean auth)
      throws IOException {
    HttpRequest.Builder req =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(timeout)
            .header("Accept", "application/json");
    if (auth) {
      req.header("Authorization", "Bearer " + login());
    }
    if (body != null) {
      req.header("Content-Type", "application/json")
          .method(
              method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
    } else {
      req.method(method, HttpRequest.BodyPublishers.noBody());
    }
    try {
      return http.send(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Errors.airflowUnreachable(base.toString(), 1, e);
    }
  }

  private void pause(Duration d, IOException after) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Errors.airflowUnreachable(base.toString(), 1, after);
    }
  }

  /**
   * Airflow's explanation: {@code detail} as text, or the validation errors of a 422 as "field:
   * message".
   */
  static String detail(String body) {
    try {
      JsonNode d = JSON.readTree(body).path("detail");
      if (d.isTextual()) {
        return d.asText();
      }
      if (d.isArray()) {
        List<String> parts = new ArrayList<>();
        for (JsonNode e : d) {
          List<String> loc = new ArrayList<>();
          e.path("loc").forEach(l -> loc.add(l.asText()));
          loc.remove("body");
          parts.add((loc.isEmpty() ? "" : String.join(".", loc) + ": ") + e.path("msg").asText());
        }
        return String.join("; ", parts);
      }
      if (d.isObject()) {
        return d.path("message").asText(d.path("reason").asText(d.toString()));
      }
    } catch (IOException e) {
      // not JSON: fall through to the raw text
    }
    return abbreviate(body);
  }

  private static String abbreviate(String s) {
    String t = s == null ? "" : s.strip().replaceAll("\\s+", " ");
    return t.length() > 200 ? t.substring(0, 200) + "..." : t;
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.path(field);
    return v.isNull() || v.isMissingNode() ? null : v.asText();
  }

  private static DagRun run(JsonNode n) {
    return new DagRun(
        n.path("dag_id").asText(),
        n.path("dag_run_id").asText(),
        text(n, "state"),
        text(n, "run_type"),
        text(n, "logical_date"),
        text(n, "start_date"),
        text(n, "end_date"),
        text(n, "triggered_by"));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
