package org.songhong.serve.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.delta.kernel.Snapshot;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.songhong.contract.DashboardTables;
import org.songhong.contract.Tables;
import org.songhong.lake.KernelTables;

/**
 * {@code songhong serve dashboard}: the dashboard aggregates over a read-only HTTP JSON API, and
 * the dashboard page. The tables are read with Delta Kernel into memory (they are small) and
 * re-read when a new version is committed, checked every few seconds; a request only filters what
 * is in memory, so no request starts a Spark job or touches storage. Every error is a short JSON
 * body with a 4xx status: requests are validated before anything is looked up.
 */
public final class DashboardServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);
  static final int MAX_QUERY = 1024;
  static final int MAX_PATH = 256;
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Pattern YEAR = Pattern.compile("(19|20)\\d\\d");
  private static final Pattern MONTH = Pattern.compile("(19|20)\\d\\d-(0[1-9]|1[0-2])");
  private static final Pattern SAFE_PATH = Pattern.compile("/[A-Za-z0-9/._-]*");

  /** The page and its assets, by URL path: nothing else is served from the class path. */
  private static final Map<String, String[]> STATIC =
      Map.of(
          "/", new String[] {"dashboard/index.html", "text/html; charset=utf-8"},
          "/index.html", new String[] {"dashboard/index.html", "text/html; charset=utf-8"},
          "/static/app.js", new String[] {"dashboard/app.js", "text/javascript; charset=utf-8"},
          "/static/app.css", new String[] {"dashboard/app.css", "text/css; charset=utf-8"},
          "/static/chart.umd.min.js",
              new String[] {"dashboard/vendor/chart.umd.min.js", "text/javascript; charset=utf-8"});

  private final KernelTables kernel;

  /**
   * The target catalog, for the scenario endpoint (the scorecard carries each target's figures).
   */
  private final List<org.songhong.domain.targets.Target> targets;

  /** Each table's rows in primary-key order (from its contract), so answers are stable. */
  private final Map<String, List<String>> sort = new HashMap<>();

  private final ObjectMapper json = new ObjectMapper();
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final Channel channel;
  private final ScheduledExecutorService refresher;
  private final Map<String, byte[]> assets = new HashMap<>();
  private volatile DashboardData data;
  private volatile String lastRefreshError;

  /**
   * Binds (port 0 picks a free one) and loads the tables once; {@link #start} begins refreshing.
   */
  public DashboardServer(
      KernelTables kernel,
      org.songhong.contract.SchemaResources schemas,
      String host,
      int port,
      int threads)
      throws IOException {
    this.kernel = kernel;
    org.songhong.contract.ContractCatalog contracts =
        org.songhong.contract.ContractCatalog.load(schemas);
    this.targets =
        org.songhong.domain.targets.TargetCatalog.load(
                schemas,
                org.songhong.domain.IndicatorCatalog.load(schemas),
                org.songhong.domain.geo.Geography.load(schemas))
            .all();
    for (String name : DashboardTables.ALL) {
      sort.put(name, contracts.get(name).primaryKey());
    }
    this.data = new DashboardData(Map.of(), Instant.now());
    refresh();
    for (String[] a : STATIC.values()) {
      try (InputStream in = DashboardServer.class.getClassLoader().getResourceAsStream(a[0])) {
        if (in == null) {
          throw new IllegalStateException("the build lost the dashboard asset " + a[0]);
        }
        assets.put(a[0], in.readAllBytes());
      }
    }
    this.refresher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "dashboard-refresh");
              t.setDaemon(true);
              return t;
            });
    this.boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    this.workers = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
    try {
      this.channel =
          new ServerBootstrap()
              .group(boss, workers)
              .channel(NioServerSocketChannel.class)
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      // Request line and headers are bounded; a request body is refused (GET and
                      // HEAD only).
                      ch.pipeline()
                          .addLast(
                              new HttpServerCodec(MAX_LINE, MAX_HEADERS, 8192),
                              new HttpObjectAggregator(MAX_BODY),
                              new Handler());
                    }
                  })
              .bind(new InetSocketAddress(host, port))
              .sync()
              .channel();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while binding " + host + ":" + port, e);
    } catch (RuntimeException e) {
      boss.shutdownGracefully();
      workers.shutdownGracefully();
      throw e;
    }
  }

  static final int MAX_LINE = 4096;
  static final int MAX_HEADERS = 16384;
  static final int MAX_BODY = 8192;

  public void start(int refreshSeconds) {
    refresher.scheduleWithFixedDelay(
        () -> {
          try {
            refresh();
            lastRefreshError = null;
          } catch (RuntimeException e) {
            lastRefreshError = e.getMessage();
            LOG.warn(
                "Dashboard refresh failed (still serving the versions loaded before): {}",
                e.getMessage());
          }
        },
        refreshSeconds,
        refreshSeconds,
        TimeUnit.SECONDS);
  }

  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  public DashboardData data() {
    return data;
  }

  /**
   * Re-reads every table whose latest version differs from the one in memory; swaps all at once.
   */
  public synchronized boolean refresh() {
    DashboardData current = data;
    Map<String, DashboardData.Table> next = new LinkedHashMap<>();
    boolean changed = false;
    for (String name : DashboardTables.ALL) {
      DashboardData.Table old = current.table(name);
      Optional<Snapshot> s = kernel.latest(name);
      if (s.isEmpty()) {
        next.put(name, DashboardData.Table.missing(name));
        changed |= old.version() != -1;
      } else if (s.get().getVersion() == old.version()) {
        next.put(name, old);
      } else {
        KernelTables.Loaded t = kernel.read(s.get());
        next.put(
            name,
            new DashboardData.Table(
                name,
                t.version(),
                kernel.committedAt(s.get()),
                DashboardData.asMaps(t, sort.get(name))));
        LOG.info("Dashboard: {} at version {} ({} rows)", name, t.version(), t.rows().size());
        changed = true;
      }
    }
    if (changed || current.tables().isEmpty()) {
      data = new DashboardData(next, Instant.now());
    }
    return changed;
  }

  @Override
  public void close() {
    refresher.shutdownNow();
    channel.close().syncUninterruptibly();
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
  }

  // ---------------------------------------------------------------------------------------------

  /** A request refused: the status and a short message for the JSON body. */
  static final class Refused extends RuntimeException {
    final int status;
    final String code;

    Refused(int status, String code, String message) {
      super(message, null, false, false);
      this.status = status;
      this.code = code;
    }
  }

  /** What the server answers: status, content type, extra headers and body. */
  record Answer(int status, String contentType, Map<String, String> headers, byte[] body) {}

  /**
   * The Netty side: a decoded request in, an {@link Answer} out; a request the decoder refused gets
   * a JSON 4xx too.
   */
  private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      Answer a;
      if (req.decoderResult().isFailure()) {
        Throwable cause = req.decoderResult().cause();
        a =
            cause instanceof TooLongFrameException
                ? refusal(
                    new Refused(
                        cause.getMessage() != null && cause.getMessage().contains("header")
                            ? 431
                            : 414,
                        "request_too_large",
                        "the request line or headers are too long (at most "
                            + MAX_LINE
                            + " characters for the line)"))
                : refusal(new Refused(400, "bad_request", "not a valid HTTP/1.1 request"));
      } else if (req.content().readableBytes() > 0) {
        a = refusal(new Refused(400, "bad_request", "a request to this API has no body"));
      } else {
        a =
            answer(
                req.method().name(), req.uri(), req.headers().get(HttpHeaderNames.IF_NONE_MATCH));
      }
      boolean head = req.method().name().equals("HEAD");
      FullHttpResponse res =
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1,
              HttpResponseStatus.valueOf(a.status()),
              head || a.body() == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(a.body()));
      if (a.contentType() != null) {
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, a.contentType());
      }
      a.headers().forEach((k, v) -> res.headers().set(k, v));
      res.headers().set("X-Content-Type-Options", "nosniff");
      res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, a.body() == null ? 0 : a.body().length);
      boolean keepAlive =
          !req.decoderResult().isFailure() && HttpUtil.isKeepAlive(req) && a.status() < 400;
      if (!keepAlive) {
        res.headers().set(HttpHeaderNames.CONNECTION, "close");
      }
      var f = ctx.writeAndFlush(res);
      if (!keepAlive) {
        f.addListener(ChannelFutureListener.CLOSE);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LOG.debug("Dashboard connection failed: {}", cause.toString());
      ctx.close();
    }
  }

  /** The answer to one request; every refusal is a short JSON body with a 4xx status. */
  Answer answer(String method, String uri, String ifNoneMatch) {
    try {
      return route(method, uri, ifNoneMatch);
    } catch (Refused r) {
      return refusal(r);
    } catch (RuntimeException e) {
      LOG.error(
          "Dashboard request {} {} failed",
          method,
          uri.length() > 200 ? uri.substring(0, 200) : uri,
          e);
      return json(
          500,
          error("internal_error", "the server failed to answer; its log has the details", 500),
          Map.of());
    }
  }

  private Answer refusal(Refused r) {
    return json(
        r.status,
        error(r.code, r.getMessage(), r.status),
        r.status == 405 ? Map.of("Allow", "GET, HEAD") : Map.of());
  }

  private Answer route(String method, String uri, String ifNoneMatch) {
    if (!method.equals("GET") && !method.equals("HEAD")) {
      throw new Refused(405, "method_not_allowed", "only GET and HEAD: this API is read-only");
    }
    int q = uri.indexOf('?');
    String path = q < 0 ? uri : uri.substring(0, q);
    String query = q < 0 ? null : uri.substring(q + 1);
    if (path.length() > MAX_PATH) {
      throw new Refused(414, "uri_too_long", "the path is longer than " + MAX_PATH + " characters");
    }
    if (query != null && query.length() > MAX_QUERY) {
      throw new Refused(
          414, "uri_too_long", "the query string is longer than " + MAX_QUERY + " characters");
    }
    if (!SAFE_PATH.matcher(path).matches() || path.contains("..") || path.contains("//")) {
      throw new Refused(
          400,
          "bad_path",
          "the path may hold only letters, digits, '/', '.', '_' and '-', and no '..'");
    }
    String[] asset = STATIC.get(path);
    if (asset != null) {
      params(query, Set.of("lang"));
      return new Answer(200, asset[1], Map.of("Cache-Control", "no-cache"), assets.get(asset[0]));
    }
    DashboardData d = data;
    String etag = d.etag();
    Endpoint e = ENDPOINT_HANDLERS.get(path);
    if (e == null) {
      throw new Refused(
          404,
          "not_found",
          "no such endpoint: " + shorten(path) + " (see /api/v1/health for the list)");
    }
    Map<String, String> p = params(query, e.params());
    Map<String, String> headers = Map.of("ETag", etag, "Cache-Control", "no-cache");
    if (etag.equals(ifNoneMatch) && !path.equals("/api/v1/health")) {
      return new Answer(304, null, headers, null);
    }
    if (!e.cacheable()) {
      return json(200, e.handler().apply(this, d, p), headers);
    }
    // The answer of a data endpoint depends only on the snapshot and the parameters: serialise it
    // once per snapshot.
    String key = path + "?" + new java.util.TreeMap<>(p);
    byte[] body = d.cached(key);
    if (body == null) {
      body = json(200, e.handler().apply(this, d, p), headers).body();
      d.cache(key, body);
    }
    return new Answer(200, "application/json; charset=utf-8", headers, body);
  }

  /**
   * An endpoint: the parameters it takes, whether its answer can be kept for the snapshot, and what
   * it answers.
   */
  private record Endpoint(Set<String> params, boolean cacheable, Handler3 handler) {}

  @FunctionalInterface
  private interface Handler3 {
    Object apply(DashboardServer s, DashboardData d, Map<String, String> p);
  }

  private static final Map<String, Endpoint> ENDPOINT_HANDLERS =
      Map.of(
          "/api/v1/health", new Endpoint(Set.of(), false, DashboardServer::health),
          "/api/v1/tables", new Endpoint(Set.of(), false, DashboardServer::health),
          "/api/v1/scorecard",
              new Endpoint(Set.of("geo", "status"), true, (s, d, p) -> s.scorecard(d, p)),
          "/api/v1/trends",
              new Endpoint(Set.of("target", "geo"), true, (s, d, p) -> s.trends(d, p)),
          "/api/v1/scenario",
              new Endpoint(Set.of("target", "geo", "growth"), true, (s, d, p) -> s.scenario(d, p)),
          "/api/v1/ports/throughput",
              new Endpoint(
                  Set.of("measure", "level", "unit", "from", "to"),
                  true,
                  (s, d, p) -> s.throughput(d, p)),
          "/api/v1/aqi/stations", new Endpoint(Set.of(), true, (s, d, p) -> s.stations(d, p)),
          "/api/v1/aqi/daily",
              new Endpoint(Set.of("station", "year"), true, (s, d, p) -> s.aqiDaily(d, p)));

  private static final List<String> ENDPOINTS =
      List.of(
          "/api/v1/health",
          "/api/v1/scorecard?geo=&status=",
          "/api/v1/scenario?target=&geo=&growth=",
          "/api/v1/trends?target=&geo=",
          "/api/v1/ports/throughput?measure=&level=&unit=&from=YYYY-MM&to=YYYY-MM",
          "/api/v1/aqi/stations",
          "/api/v1/aqi/daily?station=&year=");

  private Object health(DashboardData d, Map<String, String> p) {
    Map<String, Object> tables = new LinkedHashMap<>();
    d.tables()
        .forEach(
            (k, t) -> {
              Map<String, Object> m = new LinkedHashMap<>();
              m.put("version", t.version() < 0 ? null : t.version());
              m.put("rows", t.rows().size());
              m.put("committed_at", t.committedAt() == null ? null : t.committedAt().toString());
              if (t.version() < 0) {
                m.put("note", "not in the lake yet: run the marts job that writes it");
              }
              tables.put(k, m);
            });
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("status", lastRefreshError == null ? "ok" : "stale");
    out.put("loaded_at", d.loadedAt().toString());
    if (lastRefreshError != null) {
      out.put("refresh_error", lastRefreshError);
    }
    out.put("tables", tables);
    out.put("endpoints", ENDPOINTS);
    return out;
  }

  private Object scorecard(DashboardData d, Map<String, String> p) {
    String geo = id(p, "geo");
    String status = id(p, "status");
    return envelope(
        d,
        Tables.GOLD_SCORECARD,
        d.rows(Tables.GOLD_SCORECARD, eq("geo_id", geo).and(eq("status", status))));
  }

  private Object trends(DashboardData d, Map<String, String> p) {
    String target = required(p, "target");
    String geo = id(p, "geo");
    List<Map<String, Object>> rows =
        d.rows(Tables.GOLD_DASH_TARGET_TRENDS, eq("target_id", target).and(eq("geo_id", geo)));
    if (rows.isEmpty() && d.rows(Tables.GOLD_SCORECARD, eq("target_id", target)).isEmpty()) {
      throw new Refused(
          404, "unknown_target", "no target '" + target + "' (GET /api/v1/scorecard lists them)");
    }
    return envelope(d, Tables.GOLD_DASH_TARGET_TRENDS, rows);
  }

  /**
   * Where a target lands in its target year if its indicator grows by {@code growth} % a year from
   * the latest figure, and the status then (docs/METHODS.md section 8; as gold.scenario answers in
   * SQL): from the scorecard row's figures, by {@link org.songhong.domain.targets.Scenario}.
   */
  private Object scenario(DashboardData d, Map<String, String> p) {
    String target = required(p, "target");
    String geo = id(p, "geo");
    String g = required(p, "growth");
    double growth;
    try {
      growth = Double.parseDouble(g);
    } catch (NumberFormatException e) {
      throw new Refused(
          400,
          "bad_parameter",
          "growth must be a number of % a year, e.g. 11 or -2.5, not '" + shorten(g) + "'");
    }
    if (!(growth >= -50 && growth <= 100)) {
      throw new Refused(
          400, "bad_parameter", "growth must be between -50 and 100 (% a year), not " + shorten(g));
    }
    List<Map<String, Object>> cards =
        d.rows(Tables.GOLD_SCORECARD, eq("target_id", target).and(eq("geo_id", geo)));
    org.songhong.domain.targets.Target catalog =
        targets.stream()
            .filter(t -> t.id().equals(target))
            .findFirst()
            .orElseThrow(
                () ->
                    new Refused(
                        404,
                        "unknown_target",
                        "no target '" + target + "' (GET /api/v1/scorecard lists them)"));
    org.songhong.domain.targets.Scenario scenario =
        new org.songhong.domain.targets.Scenario(
            new org.songhong.domain.targets.AttainmentCalculator());
    List<Map<String, Object>> out = new java.util.ArrayList<>();
    for (Map<String, Object> card : cards) {
      Map<Integer, Double> series = new java.util.TreeMap<>();
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> spark = (List<Map<String, Object>>) card.get("sparkline");
      spark.forEach(
          x ->
              series.put(
                  ((Number) x.get("year")).intValue(), ((Number) x.get("value")).doubleValue()));
      int asOf = ((Number) card.get("as_of_year")).intValue();
      if ("insufficient_data".equals(card.get("status")) || !series.containsKey(asOf)) {
        continue;
      }
      org.songhong.domain.targets.Scenario.Result r =
          scenario.growth(catalog.onUnit((String) card.get("geo_id")), series, asOf, growth);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("target_id", target);
      m.put("geo_id", card.get("geo_id"));
      m.put("as_of_year", asOf);
      m.put("target_year", catalog.targetYear());
      m.put("growth_pct", growth);
      m.put("landed_value", r.landedValue());
      m.put("target_met", r.met());
      m.put("status_if", r.status());
      m.put("status_now", card.get("status"));
      m.put(
          "path",
          r.path().stream().map(x -> Map.of("year", x.year(), "value", x.value())).toList());
      out.add(m);
    }
    return envelope(d, Tables.GOLD_SCORECARD, out);
  }

  private Object throughput(DashboardData d, Map<String, String> p) {
    String measure = id(p, "measure");
    String level = id(p, "level");
    String unit = id(p, "unit");
    String from = month(p, "from");
    String to = month(p, "to");
    if (level != null && !Set.of("terminal", "port_area", "city").contains(level)) {
      throw new Refused(
          400, "bad_parameter", "level must be terminal, port_area or city, not '" + level + "'");
    }
    Predicate<Map<String, Object>> f =
        eq("measure", measure)
            .and(eq("level", level))
            .and(eq("unit_id", unit))
            .and(r -> from == null || ((String) r.get("month")).compareTo(from) >= 0)
            .and(r -> to == null || ((String) r.get("month")).substring(0, 7).compareTo(to) <= 0);
    return envelope(
        d, Tables.GOLD_DASH_PORT_THROUGHPUT, d.rows(Tables.GOLD_DASH_PORT_THROUGHPUT, f));
  }

  private Object stations(DashboardData d, Map<String, String> p) {
    Map<String, Map<String, Object>> byStation = new LinkedHashMap<>();
    for (Map<String, Object> r : d.table(Tables.GOLD_DASH_AQI_DAILY).rows()) {
      Map<String, Object> s =
          byStation.computeIfAbsent(
              (String) r.get("station_id"),
              k -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("station_id", k);
                m.put("station_name", r.get("station_name"));
                m.put("days", 0);
                return m;
              });
      s.put("days", (Integer) s.get("days") + 1);
      s.merge(
          "first_date", r.get("date"), (a, b) -> ((String) a).compareTo((String) b) <= 0 ? a : b);
      s.merge(
          "last_date", r.get("date"), (a, b) -> ((String) a).compareTo((String) b) >= 0 ? a : b);
    }
    return envelope(d, Tables.GOLD_DASH_AQI_DAILY, List.copyOf(byStation.values()));
  }

  private Object aqiDaily(DashboardData d, Map<String, String> p) {
    String station = required(p, "station");
    String year = p.get("year");
    if (year != null && !YEAR.matcher(year).matches()) {
      throw new Refused(
          400, "bad_parameter", "year must be four digits, e.g. 2025, not '" + shorten(year) + "'");
    }
    List<Map<String, Object>> rows =
        d.rows(
            Tables.GOLD_DASH_AQI_DAILY,
            eq("station_id", station)
                .and(r -> year == null || ((String) r.get("date")).startsWith(year + "-")));
    if (rows.isEmpty() && d.rows(Tables.GOLD_DASH_AQI_DAILY, eq("station_id", station)).isEmpty()) {
      throw new Refused(
          404,
          "unknown_station",
          "no AQI for station '" + station + "' (GET /api/v1/aqi/stations lists them)");
    }
    return envelope(d, Tables.GOLD_DASH_AQI_DAILY, rows);
  }

  private static Map<String, Object> envelope(
      DashboardData d, String table, List<Map<String, Object>> rows) {
    Map<String, Object> out = new LinkedHashMap<>();
    DashboardData.Table t = d.table(table);
    out.put("table", table);
    out.put("version", t.version() < 0 ? null : t.version());
    out.put("count", rows.size());
    out.put("data", rows);
    return out;
  }

  private static Predicate<Map<String, Object>> eq(String column, String value) {
    return value == null ? r -> true : r -> value.equals(r.get(column));
  }

  // ---------------------------------------------------------------------------------------------

  /** The query's parameters: each at most once, each one the endpoint takes, each decodable. */
  static Map<String, String> params(String rawQuery, Set<String> allowed) {
    Map<String, String> out = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return out;
    }
    for (String part : rawQuery.split("&", -1)) {
      if (part.isEmpty()) {
        continue;
      }
      int eq = part.indexOf('=');
      String key;
      String value;
      try {
        key = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
        value = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new Refused(400, "bad_query", "the query string is not valid percent-encoding");
      }
      if (!allowed.contains(key)) {
        throw new Refused(
            400,
            "unknown_parameter",
            "unknown parameter '"
                + shorten(key)
                + "'"
                + (allowed.isEmpty()
                    ? ": this endpoint takes none"
                    : "; this endpoint takes: "
                        + String.join(", ", new java.util.TreeSet<>(allowed))));
      }
      if (out.put(key, value) != null) {
        throw new Refused(400, "repeated_parameter", "parameter '" + key + "' given twice");
      }
    }
    return out;
  }

  private static String id(Map<String, String> p, String name) {
    String v = p.get(name);
    if (v == null || v.isEmpty()) {
      return null;
    }
    if (!ID.matcher(v).matches()) {
      throw new Refused(
          400,
          "bad_parameter",
          name
              + " must be an id (letters, digits, '.', '_', '-'; at most 64), not '"
              + shorten(v)
              + "'");
    }
    return v;
  }

  private static String required(Map<String, String> p, String name) {
    String v = id(p, name);
    if (v == null) {
      throw new Refused(400, "missing_parameter", "parameter '" + name + "' is required");
    }
    return v;
  }

  private static String month(Map<String, String> p, String name) {
    String v = p.get(name);
    if (v == null || v.isEmpty()) {
      return null;
    }
    if (!MONTH.matcher(v).matches()) {
      throw new Refused(
          400, "bad_parameter", name + " must be a month, YYYY-MM, not '" + shorten(v) + "'");
    }
    return v;
  }

  private static String shorten(String s) {
    String clean = s.replaceAll("[^\\x20-\\x7E]", "?");
    return clean.length() > 40 ? clean.substring(0, 40) + "..." : clean;
  }

  private static Map<String, Object> error(String code, String message, int status) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("error", code);
    m.put("message", message);
    m.put("status", status);
    return m;
  }

  private Answer json(int status, Object body, Map<String, String> headers) {
    try {
      return new Answer(
          status, "application/json; charset=utf-8", headers, json.writeValueAsBytes(body));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
