package org.songhong.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A warm JVM for short commands: {@code songhong serve runner} keeps one Spark session and runs the
 * commands the launcher forwards to it (when {@code SONGHONG_RUNNER} names it), one at a time, so
 * that a scheduler task that runs one job pays for the job, not for a JVM and a Spark session.
 *
 * <p>Loopback only, with a token. A request is {@code POST /v1/command}, its body the client's
 * working directory, the number of arguments, the arguments, then its {@code SONGHONG_*}
 * environment ({@code KEY=VALUE}), each ended by a NUL byte. The answer streams the command's
 * output as lines that start with {@code 1} (standard output) or {@code 2} (standard error), then a
 * last line {@code 0exit=N}. Only the commands in {@link #ALLOWED} are run; the client runs
 * anything else itself, and what {@link Refusal} leaves to it. Relative paths are resolved against
 * the client's working directory; the settings read its {@code SONGHONG_*} environment.
 *
 * <p>While a command waits or runs, the answer carries a line {@code 3} every {@link #HEARTBEAT}
 * (the launcher ignores it): when writing it fails the client has gone (a scheduler killed the
 * task, a user pressed Ctrl-C), and the command is cancelled ({@code onClientGone}: Spark's jobs
 * cancelled, the command's thread interrupted) or, still waiting, never started, as if it had run
 * in the client's own JVM and been killed. {@link #closeIfIdleFor} ends a runner nobody uses; a
 * command that arrives as it closes is answered 503, and the launcher runs it itself.
 */
public final class CommandRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CommandRunner.class);

  /** The commands a runner runs: the short ones a scheduler or a test calls many times. */
  public static final Set<String> ALLOWED =
      Set.of("run", "runs", "sql", "tables", "jobs", "explain", "generate", "settings");

  /**
   * Runs a command line with the client's environment and working directory, and two writers;
   * returns its exit code.
   */
  public interface Executor {
    int execute(
        String[] args,
        Map<String, String> environment,
        Path directory,
        PrintWriter out,
        PrintWriter err);
  }

  private final HttpServer server;
  private final byte[] token;
  private final Executor executor;
  private final java.util.concurrent.locks.ReentrantLock oneAtATime =
      new java.util.concurrent.locks.ReentrantLock();
  private final Refusal refusal;
  private final java.util.function.Consumer<Thread> onClientGone;
  private final java.util.concurrent.ScheduledExecutorService heartbeats =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "songhong-runner-heartbeat");
            t.setDaemon(true);
            return t;
          });
  private final Object lifecycle = new Object();
  private int inFlight;
  private long lastActiveNanos = System.nanoTime();
  private boolean closing;
  private long releasedAtNanos = -1;

  /** The command running now and when it started, for the commands that wait for it; or null. */
  private volatile String current;

  /** How often a command's answer carries a heartbeat line, by which a gone client is noticed. */
  public static final java.time.Duration HEARTBEAT = java.time.Duration.ofSeconds(2);

  /**
   * Why the runner would not run a command line as the client's own JVM would (it reads standard
   * input, which a runner does not have; it asks for Spark settings only a new Spark context
   * takes), or null when it runs it. A refused command is answered 409 with the reason, and the
   * launcher runs it itself.
   */
  @FunctionalInterface
  public interface Refusal {
    String reason(String[] args, Map<String, String> environment);
  }

  /** {@code refusal} names the command lines the runner leaves to the client. */
  public CommandRunner(String host, int port, String token, Executor executor, Refusal refusal)
      throws IOException {
    this(host, port, token, executor, refusal, Thread::interrupt);
  }

  /**
   * {@code onClientGone} stops the command running on the given thread when its client has gone
   * (the runner's: cancel the Spark jobs, interrupt the thread).
   */
  public CommandRunner(
      String host,
      int port,
      String token,
      Executor executor,
      Refusal refusal,
      java.util.function.Consumer<Thread> onClientGone)
      throws IOException {
    this.token = token.getBytes(StandardCharsets.UTF_8);
    this.executor = executor;
    this.refusal = refusal;
    this.onClientGone = onClientGone;
    this.server = HttpServer.create(new InetSocketAddress(host, port), 16);
    server.setExecutor(
        Executors.newFixedThreadPool(
            4,
            r -> {
              Thread t = new Thread(r, "songhong-runner");
              t.setDaemon(true);
              return t;
            }));
    server.createContext("/v1/health", x -> answer(x, 200, "ok\n"));
    server.createContext("/v1/command", this::command);
  }

  public CommandRunner start() {
    server.start();
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * Closes the runner if no command has waited or run for {@code idle}; true if it did. A command
   * arriving after that is answered 503 (the launcher then runs it itself).
   */
  public boolean closeIfIdleFor(java.time.Duration idle) {
    return closeIfIdleFor(idle, "No command for " + idle);
  }

  /** As {@link #closeIfIdleFor(java.time.Duration)}, logging {@code why} as the reason. */
  public boolean closeIfIdleFor(java.time.Duration idle, String why) {
    synchronized (lifecycle) {
      if (closing) {
        return true;
      }
      if (inFlight > 0 || System.nanoTime() - lastActiveNanos < idle.toNanos()) {
        return false;
      }
      closing = true;
    }
    LOG.info("{}: the runner closes", why);
    close();
    return true;
  }

  /**
   * Runs {@code release} (the runner's: {@link HeapRelease#now}) once the runner has had no command
   * for {@code idle}, once per such idle spell; true if it ran. Not while a command waits or runs.
   */
  public boolean releaseIfIdleFor(java.time.Duration idle, Runnable release) {
    synchronized (lifecycle) {
      if (closing
          || inFlight > 0
          || releasedAtNanos == lastActiveNanos
          || System.nanoTime() - lastActiveNanos < idle.toNanos()) {
        return false;
      }
      releasedAtNanos = lastActiveNanos;
    }
    release.run();
    return true;
  }

  private void command(HttpExchange x) throws IOException {
    try (x) {
      if (!x.getRequestMethod().equals("POST")) {
        answer(x, 405, "POST a command\n");
        return;
      }
      String auth = x.getRequestHeaders().getFirst("Authorization");
      byte[] given =
          auth == null || !auth.startsWith("Bearer ")
              ? new byte[0]
              : auth.substring("Bearer ".length()).strip().getBytes(StandardCharsets.UTF_8);
      if (!MessageDigest.isEqual(given, token)) {
        answer(x, 401, "a token is needed: SONGHONG_RUNNER_TOKEN_FILE names the file holding it\n");
        return;
      }
      List<String> parts = split(x.getRequestBody());
      if (parts.size() < 2) {
        answer(
            x,
            400,
            "the body is: working directory, argument count, arguments, environment, each ended by NUL\n");
        return;
      }
      String cwd = parts.get(0);
      int n = Integer.parseInt(parts.get(1));
      List<String> args = parts.subList(2, 2 + n);
      Map<String, String> env = new LinkedHashMap<>(System.getenv());
      for (String kv : parts.subList(2 + n, parts.size())) {
        int eq = kv.indexOf('=');
        if (eq > 0 && kv.startsWith("SONGHONG_")) {
          env.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
      }
      if (args.isEmpty() || !ALLOWED.contains(args.get(0))) {
        answer(
            x,
            403,
            "this runner runs only " + String.join(", ", new java.util.TreeSet<>(ALLOWED)) + "\n");
        return;
      }
      String refused = refusal.reason(args.toArray(String[]::new), env);
      if (refused != null) {
        LOG.info("Leaving songhong {} to its client: {}", String.join(" ", args), refused);
        answer(x, 409, refused + "\n");
        return;
      }
      if (!Path.of(cwd).isAbsolute()) {
        answer(x, 400, "the working directory must be absolute\n");
        return;
      }
      synchronized (lifecycle) {
        if (closing) {
          answer(x, 503, "the runner is closing: run the command yourself\n");
          return;
        }
        inFlight++;
      }
      try {
        run(x, args, env, cwd);
      } finally {
        synchronized (lifecycle) {
          inFlight--;
          lastActiveNanos = System.nanoTime();
        }
      }
    }
  }

  /** Streams one command's output, with a heartbeat that notices a client gone. */
  private void run(HttpExchange x, List<String> args, Map<String, String> env, String cwd)
      throws IOException {
    x.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    x.sendResponseHeaders(200, 0);
    OutputStream body = x.getResponseBody();
    Thread worker = Thread.currentThread();
    var gone = new java.util.concurrent.atomic.AtomicBoolean();
    var running = new java.util.concurrent.atomic.AtomicBoolean();
    Object cancelling = new Object(); // the cancel and the command's end never cross
    var beat =
        heartbeats.scheduleWithFixedDelay(
            () -> {
              try {
                synchronized (body) {
                  body.write(HEARTBEAT_LINE);
                  body.flush();
                }
              } catch (IOException e) {
                if (gone.compareAndSet(false, true)) {
                  LOG.warn("The client of songhong {} has gone: {}", String.join(" ", args), e);
                  synchronized (cancelling) {
                    if (running.get()) {
                      onClientGone.accept(worker);
                    }
                  }
                }
              }
            },
            HEARTBEAT.toMillis(),
            HEARTBEAT.toMillis(),
            java.util.concurrent.TimeUnit.MILLISECONDS);
    int code;
    try {
      if (!oneAtATime.tryLock()) { // said once, so that a task's log tells why it has not started
        String before = current;
        synchronized (body) {
          body.write(
              ("2songhong: waiting for the runner's command before this one ("
                      + (before == null ? "it is ending" : before)
                      + ")\n")
                  .getBytes(StandardCharsets.UTF_8));
          body.flush();
        }
        oneAtATime.lock();
      }
      try {
        synchronized (cancelling) { // a client that goes from here on finds the command running
          if (gone.get()) {
            LOG.warn("Not running songhong {}: its client has gone", String.join(" ", args));
            return;
          }
          running.set(true);
        }
        LOG.info("Running songhong {}", String.join(" ", args));
        current =
            "songhong "
                + String.join(" ", args)
                + ", running since "
                + java.time.LocalTime.now(java.time.ZoneOffset.UTC).withNano(0)
                + " UTC";
        PrintWriter out = new PrintWriter(new Channel(body, '1'), true);
        PrintWriter err = new PrintWriter(new Channel(body, '2'), true);
        try {
          code = executor.execute(args.toArray(String[]::new), env, Path.of(cwd), out, err);
        } catch (RuntimeException e) {
          err.println("songhong: the runner could not run the command: " + e);
          code = 1;
        } finally {
          current = null;
          synchronized (cancelling) {
            running.set(false);
          }
          Thread.interrupted(); // an interrupt meant for the command ends with it
        }
        out.flush();
        err.flush();
      } finally {
        oneAtATime.unlock();
      }
    } finally {
      beat.cancel(false);
    }
    if (gone.get()) {
      LOG.warn("songhong {} ended with {}; its client had gone", String.join(" ", args), code);
      return;
    }
    synchronized (body) {
      body.write(("0exit=" + code + "\n").getBytes(StandardCharsets.UTF_8));
      body.flush();
    }
  }

  /** Whether a command waits for the one running (for tests). */
  boolean hasQueued() {
    return oneAtATime.hasQueuedThreads();
  }

  private static final byte[] HEARTBEAT_LINE = "3\n".getBytes(StandardCharsets.UTF_8);

  private static List<String> split(InputStream in) throws IOException {
    byte[] all = in.readAllBytes();
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < all.length; i++) {
      if (all[i] == 0) {
        out.add(new String(all, start, i - start, StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    return out;
  }

  private static void answer(HttpExchange x, int status, String text) throws IOException {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    x.sendResponseHeaders(status, b.length);
    x.getResponseBody().write(b);
  }

  /** Writes whole lines to the response, each prefixed with its channel ('1' out, '2' err). */
  private static final class Channel extends Writer {
    private final OutputStream body;
    private final char prefix;
    private final StringBuilder line = new StringBuilder();

    Channel(OutputStream body, char prefix) {
      this.body = body;
      this.prefix = prefix;
    }

    @Override
    public void write(char[] buf, int off, int len) throws IOException {
      for (int i = off; i < off + len; i++) {
        char c = buf[i];
        if (c == '\n') {
          emit();
        } else if (c != '\r') {
          line.append(c);
        }
      }
    }

    private void emit() throws IOException {
      byte[] b = (prefix + line.toString() + "\n").getBytes(StandardCharsets.UTF_8);
      line.setLength(0);
      synchronized (body) {
        body.write(b);
        body.flush();
      }
    }

    @Override
    public void flush() throws IOException {
      if (line.length() > 0) {
        emit();
      }
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }

  @Override
  public void close() {
    synchronized (lifecycle) {
      closing = true;
    }
    server.stop(0);
    heartbeats.shutdownNow();
  }
}
