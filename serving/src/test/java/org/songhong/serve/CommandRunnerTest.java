package org.songhong.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The runner's protocol over a real loopback server, with a command of our own in place of
 * songhong's (the real one runs every Airflow task in {@code pipelines/tests}): the token, the
 * commands it takes, the streamed answer, a client that goes, and the end of an idle runner.
 */
class CommandRunnerTest {
  private static final String TOKEN = "t0ken";
  private final HttpClient http = HttpClient.newHttpClient();
  private CommandRunner runner;

  @AfterEach
  void close() {
    if (runner != null) {
      runner.close();
    }
  }

  private static byte[] body(String... args) {
    StringBuilder b = new StringBuilder("/tmp\0" + args.length + "\0");
    for (String a : args) {
      b.append(a).append('\0');
    }
    b.append("SONGHONG_LAKE_PATH=/lake\0OTHER=x\0");
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  private HttpRequest request(String token, String... args) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runner.port() + "/v1/command"))
        .header("Authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body(args)))
        .build();
  }

  private HttpResponse<String> post(String token, String... args) throws Exception {
    return http.send(request(token, args), HttpResponse.BodyHandlers.ofString());
  }

  private java.util.concurrent.CompletableFuture<HttpResponse<String>> postAsync(String... args) {
    return http.sendAsync(request(TOKEN, args), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aCommandStreamsItsOutputThenItsExitCodeAndOnlyWithTheToken() throws Exception {
    AtomicReference<String> lake = new AtomicReference<>();
    runner =
        new CommandRunner(
                "127.0.0.1",
                0,
                TOKEN,
                (args, env, dir, out, err) -> {
                  lake.set(env.get("SONGHONG_LAKE_PATH") + " " + env.containsKey("OTHER"));
                  out.println("rows: " + String.join(",", args));
                  err.println("a warning");
                  return 3;
                },
                (args, env) ->
                    List.of(args).contains("--conf") ? "it asks for settings of its own" : null)
            .start();
    HttpResponse<String> ok = post(TOKEN, "run", "job_a");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(lines(ok)).containsExactly("1rows: run,job_a", "2a warning", "0exit=3");
    assertThat(lake.get()).isEqualTo("/lake false"); // the client's SONGHONG_* only
    assertThat(post("wrong", "run", "job_a").statusCode()).isEqualTo(401);
    assertThat(post(TOKEN, "serve", "sql").statusCode()).isEqualTo(403);
    HttpResponse<String> refused = post(TOKEN, "run", "job_a", "--conf", "spark.x=1");
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(refused.body()).isEqualTo("it asks for settings of its own\n");
  }

  /**
   * A client that goes while its command runs (a scheduler killed the task) gets the command
   * cancelled on the thread that runs it, noticed by the heartbeat; the next command runs.
   */
  @Test
  void aCommandWhoseClientGoesIsCancelledAndTheNextRuns() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    AtomicReference<Thread> cancelledOn = new AtomicReference<>();
    AtomicReference<Thread> ranOn = new AtomicReference<>();
    runner =
        new CommandRunner(
                "127.0.0.1",
                0,
                TOKEN,
                (args, env, dir, out, err) -> {
                  if (args[1].equals("quick")) {
                    return 0;
                  }
                  ranOn.set(Thread.currentThread());
                  started.countDown();
                  try {
                    Thread.sleep(60_000);
                    return 0;
                  } catch (InterruptedException e) {
                    interrupted.countDown();
                    return 130;
                  }
                },
                (args, env) -> null,
                thread -> {
                  cancelledOn.set(thread);
                  thread.interrupt();
                })
            .start();
    byte[] request = body("run", "slow");
    try (Socket s = new Socket("127.0.0.1", runner.port())) {
      OutputStream o = s.getOutputStream();
      o.write(
          ("POST /v1/command HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                  + TOKEN
                  + "\r\nContent-Length: "
                  + request.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      o.write(request);
      o.flush();
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      InputStream in = s.getInputStream();
      assertThat(readUntil(in, "\n3\n")).contains("200"); // the headers, then a heartbeat
    }
    long heartbeats = CommandRunner.HEARTBEAT.toSeconds();
    assertThat(interrupted.await(5 * heartbeats, TimeUnit.SECONDS))
        .as("the command was interrupted after its client went")
        .isTrue();
    assertThat(cancelledOn.get()).isSameAs(ranOn.get());
    assertThat(lines(post(TOKEN, "run", "quick"))).containsExactly("0exit=0");
  }

  /**
   * An idle runner closes, one with a command in flight does not; a closed runner takes nothing
   * (the launcher then runs the command itself).
   */
  @Test
  void anIdleRunnerReleasesMemoryOnceASpellAndClosesButNotWhileACommandRuns() throws Exception {
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    runner =
        new CommandRunner(
                "127.0.0.1",
                0,
                TOKEN,
                (args, env, dir, out, err) -> {
                  inside.countDown();
                  try {
                    release.await();
                  } catch (InterruptedException e) {
                    return 1;
                  }
                  return 0;
                },
                (args, env) -> null)
            .start();
    var answer = postAsync("runs");
    java.util.concurrent.atomic.AtomicInteger releases =
        new java.util.concurrent.atomic.AtomicInteger();
    Runnable count = releases::incrementAndGet;
    assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
    var queued = postAsync("jobs");
    assertThat(runner.closeIfIdleFor(Duration.ZERO)).as("a command runs").isFalse();
    assertThat(runner.releaseIfIdleFor(Duration.ZERO, count)).as("a command runs").isFalse();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!runner.hasQueued()) { // the second command waits behind the first
      assertThat(System.nanoTime()).as("a second command queued").isLessThan(deadline);
      Thread.sleep(10);
    }
    release.countDown();
    assertThat(lines(answer.get(10, TimeUnit.SECONDS))).containsExactly("0exit=0");
    assertThat(lines(queued.get(10, TimeUnit.SECONDS)))
        .as("a queued command says what it waits for")
        .hasSize(2)
        .last()
        .isEqualTo("0exit=0");
    assertThat(lines(queued.get()).get(0))
        .startsWith("2songhong: waiting for the runner's command before this one (songhong runs")
        .endsWith(" UTC)");
    assertThat(runner.releaseIfIdleFor(Duration.ofHours(1), count)).as("it just ran one").isFalse();
    assertThat(runner.releaseIfIdleFor(Duration.ZERO, count)).isTrue();
    assertThat(runner.releaseIfIdleFor(Duration.ZERO, count)).as("once an idle spell").isFalse();
    assertThat(post(TOKEN, "runs").body()).contains("0exit=0");
    assertThat(runner.releaseIfIdleFor(Duration.ZERO, count)).as("a new idle spell").isTrue();
    assertThat(releases).hasValue(2);
    assertThat(runner.closeIfIdleFor(Duration.ofHours(1))).as("it just ran one").isFalse();
    assertThat(runner.closeIfIdleFor(Duration.ZERO)).isTrue();
    assertThat(runner.releaseIfIdleFor(Duration.ZERO, count)).as("closed").isFalse();
    assertThatThrownBy(() -> post(TOKEN, "runs")).isInstanceOf(IOException.class);
  }

  private static String readUntil(InputStream in, String end) throws IOException {
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    while (!seen.toString(StandardCharsets.UTF_8).replace("\r\n", "\n").contains(end)) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      seen.write(b);
    }
    return seen.toString(StandardCharsets.UTF_8);
  }

  /** An answer's lines without the heartbeats a slow machine may add. */
  private static List<String> lines(HttpResponse<String> answer) {
    return answer.body().lines().filter(l -> !l.equals("3")).toList();
  }
}
