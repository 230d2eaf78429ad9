package org.songhong.serve.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.songhong.config.SonghongConfig;
import org.songhong.contract.DashboardTables;
import org.songhong.job.LakeRuntime;
import org.songhong.lake.KernelTables;
import org.songhong.testing.DashboardTestLake;

/**
 * The dashboard server on real Delta tables written by Spark and read by Delta Kernel: what each
 * endpoint answers, that a new table version is picked up by the refresher, and that malformed or
 * hostile requests get a short JSON 4xx (never a stack trace).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private LakeRuntime rt;
  private DashboardServer server;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    rt = DashboardTestLake.create(dir.resolve("lake"));
    String root = SonghongConfig.absolutise(dir.resolve("lake").toString());
    server =
        new DashboardServer(
            new KernelTables(root, new Configuration()),
            org.songhong.contract.SchemaResources.open(
                Path.of("..", "schemas").toAbsolutePath().toString()),
            "127.0.0.1",
            0,
            4);
    server.start(1);
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private JsonNode ok(String path) throws Exception {
    HttpResponse<String> r = get(path);
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
    return JSON.readTree(r.body());
  }

  @Test
  void eachEndpointAnswersFromTheTablesInMemory() throws Exception {
    JsonNode health = ok("/api/v1/health");
    assertThat(health.get("status").asText()).isEqualTo("ok");
    assertThat(health.get("tables").get("gold.dash_aqi_daily").get("rows").asInt()).isEqualTo(3);
    assertThat(health.get("tables").get("gold.dash_aqi_daily").get("version").asLong())
        .isPositive();

    JsonNode sc = ok("/api/v1/scorecard?geo=VN-31");
    assertThat(sc.get("count").asInt())
        .as(sc.toString() + " / " + health)
        .isGreaterThanOrEqualTo(2);
    JsonNode first = sc.get("data").get(0);
    assertThat(first.get("target_id").asText()).isEqualTo("HP30-01");
    assertThat(first.get("sparkline").get(1).get("value").asDouble()).isEqualTo(1.5);
    assertThat(first.get("wording_vi").asText()).isEqualTo("Tăng trưởng");
    assertThat(ok("/api/v1/scorecard?geo=VN-99").get("count").asInt()).isZero();

    JsonNode trend = ok("/api/v1/trends?target=HP30-01&geo=VN-31");
    assertThat(trend.get("data"))
        .extracting(n -> n.get("year").asInt())
        .containsExactly(2020, 2021, 2022);
    assertThat(trend.get("data").get(2).get("target_level").asDouble()).isEqualTo(12.8);

    JsonNode tp = ok("/api/v1/ports/throughput?measure=container_teu&from=2025-11&to=2025-11");
    assertThat(tp.get("data"))
        .extracting(n -> n.get("unit_id").asText() + " " + n.get("month").asText())
        .containsExactly("T1 2025-11-01", "T2 2025-11-01");
    assertThat(ok("/api/v1/ports/throughput?unit=T2").get("count").asInt()).isEqualTo(2);

    JsonNode stations = ok("/api/v1/aqi/stations");
    assertThat(stations.get("data"))
        .extracting(
            n ->
                n.get("station_id").asText()
                    + " "
                    + n.get("days").asInt()
                    + " "
                    + n.get("first_date").asText()
                    + ".."
                    + n.get("last_date").asText())
        .containsExactly("HP-AQ-01 2 2024-12-31..2025-01-01", "HP-AQ-02 1 2025-01-02..2025-01-02");
    JsonNode aqi = ok("/api/v1/aqi/daily?station=HP-AQ-01&year=2025");
    assertThat(aqi.get("data"))
        .extracting(n -> n.get("date").asText())
        .containsExactly("2025-01-01");
    assertThat(aqi.get("data").get(0).get("station_name").asText()).isEqualTo("Trạm HP-AQ-01");

    HttpResponse<String> page = get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body())
        .contains("/static/chart.umd.min.js")
        .doesNotContain("http://", "https://");
    assertThat(get("/static/chart.umd.min.js").body()).contains("Chart.js v4.6.1");
  }

  @Test
  void aNewVersionIsPickedUpByTheRefresherAndChangesTheEtag() throws Exception {
    HttpResponse<String> before = get("/api/v1/scorecard");
    String etag = before.headers().firstValue("ETag").orElseThrow();
    HttpResponse<String> same =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/api/v1/scorecard"))
                .header("If-None-Match", etag)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(same.statusCode()).isEqualTo(304);
    DashboardData.Table aqiBefore = server.data().table(DashboardTables.AQI_DAILY);

    DashboardTestLake.scorecard(rt, 3);
    long deadline = System.nanoTime() + 30_000_000_000L;
    JsonNode now = JSON.readTree(before.body());
    while (now.get("count").asInt() != 3 && System.nanoTime() < deadline) {
      Thread.sleep(200);
      now = ok("/api/v1/scorecard");
    }
    assertThat(now.get("count").asInt()).as("the refresher read the new version").isEqualTo(3);
    assertThat(get("/api/v1/scorecard").headers().firstValue("ETag"))
        .isPresent()
        .get()
        .isNotEqualTo(etag);
    assertThat(server.data().table(DashboardTables.AQI_DAILY))
        .as("an unchanged table is not re-read")
        .isSameAs(aqiBefore);
  }

  /** Each hostile request, as sent on the wire, and the status it must get. */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "GET /api/v1/nope HTTP/1.1|404",
        "GET /etc/passwd HTTP/1.1|404",
        "GET /../../etc/passwd HTTP/1.1|400",
        "GET /static/../../../../etc/passwd HTTP/1.1|400",
        "GET /static/%2e%2e/%2e%2e/etc/passwd HTTP/1.1|400",
        "GET /static/..%2f..%2fetc%2fpasswd HTTP/1.1|400",
        "GET /static/app.js.bak HTTP/1.1|404",
        "GET //api/v1/health HTTP/1.1|400",
        "POST /api/v1/scorecard HTTP/1.1|405",
        "DELETE /api/v1/scorecard HTTP/1.1|405",
        "PUT /api/v1/scorecard HTTP/1.1|405",
        "GET /api/v1/scorecard?drop=table HTTP/1.1|400",
        "GET /api/v1/scorecard?geo=VN-31&geo=VN-01 HTTP/1.1|400",
        "GET /api/v1/scorecard?geo=%27%20OR%201=1-- HTTP/1.1|400",
        "GET /api/v1/scorecard?geo=%zz HTTP/1.1|400",
        "GET /api/v1/scorecard?geo=%00 HTTP/1.1|400",
        "GET /api/v1/trends HTTP/1.1|400",
        "GET /api/v1/trends?target=HP30-99 HTTP/1.1|404",
        "GET /api/v1/trends?target=<script> HTTP/1.1|400",
        "GET /api/v1/scenario?target=HP30-01 HTTP/1.1|400",
        "GET /api/v1/scenario?target=HP30-01&growth=fast HTTP/1.1|400",
        "GET /api/v1/scenario?target=HP30-01&growth=1e9 HTTP/1.1|400",
        "GET /api/v1/scenario?target=HP30-01&growth=NaN HTTP/1.1|400",
        "GET /api/v1/scenario?target=HP30-99&growth=5 HTTP/1.1|404",
        "GET /api/v1/aqi/daily?station=HP-AQ-01&year=20x5 HTTP/1.1|400",
        "GET /api/v1/aqi/daily?station=NOPE HTTP/1.1|404",
        "GET /api/v1/ports/throughput?from=2025-13 HTTP/1.1|400",
        "GET /api/v1/ports/throughput?level=galaxy HTTP/1.1|400",
        "GET /api/v1/health?verbose=1 HTTP/1.1|400",
        "HUGE_QUERY|414",
        "HUGE_PATH|414",
      })
  void hostileRequestsGetAShortJsonError(String line, int status) throws Exception {
    String request =
        switch (line) {
          case "HUGE_QUERY" -> "GET /api/v1/scorecard?geo=" + "A".repeat(20_000) + " HTTP/1.1";
          case "HUGE_PATH" -> "GET /" + "a/".repeat(2_000) + " HTTP/1.1";
          default -> line;
        };
    String response = raw(request + "\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    assertThat(response)
        .as(request.length() > 200 ? request.substring(0, 200) : request)
        .startsWith("HTTP/1.1 " + status + " ");
    String body = response.substring(response.indexOf("\r\n\r\n") + 4);
    assertThat(response).containsIgnoringCase("content-type: application/json");
    JsonNode error = JSON.readTree(body);
    assertThat(error.get("status").asInt()).isEqualTo(status);
    assertThat(error.get("error").asText()).matches("[a-z_]+");
    assertThat(error.get("message").asText()).isNotBlank().hasSizeLessThan(300);
    assertThat(body).doesNotContain("Exception", "\tat ", "org.songhong", "<html");
  }

  private String raw(String request) throws Exception {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      in.transferTo(buf);
      return buf.toString(StandardCharsets.UTF_8);
    }
  }

  @Test
  void theParameterParserRefusesWhatItDoesNotKnow() {
    assertThat(DashboardServer.params("geo=VN-31&status=", java.util.Set.of("geo", "status")))
        .containsEntry("geo", "VN-31")
        .containsEntry("status", "");
    assertThat(List.of("a=1", "geo=1&geo=2", "geo=%G1"))
        .allSatisfy(
            q ->
                org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> DashboardServer.params(q, java.util.Set.of("geo")))
                    .isInstanceOf(DashboardServer.Refused.class));
  }
}
