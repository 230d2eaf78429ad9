package org.songhong.publish;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server for tests: Debian's binaries ({@code apt-get install postgresql};
 * run-tests installs them), a fresh cluster in a temporary folder, on a free loopback port, trust
 * authentication. As root (CI), the server runs as the {@code postgres} user, since PostgreSQL
 * refuses to run as root.
 */
public final class LocalPostgres implements AutoCloseable {
  public static final String USER = "songhong";
  private final Path bin;
  private final Path dir;
  private final int port;
  private final boolean asPostgres;

  public LocalPostgres() throws Exception {
    bin = findBin();
    dir = Files.createTempDirectory("songhong-pg-");
    asPostgres = "root".equals(System.getProperty("user.name"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    if (asPostgres) {
      exec(List.of("chown", "postgres:postgres", dir.toString()), false);
    }
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    exec(
        List.of(
            bin.resolve("initdb").toString(),
            "-D",
            dir.resolve("data").toString(),
            "-A",
            "trust",
            "-U",
            USER,
            "-E",
            "UTF8",
            "--locale=C"),
        asPostgres);
    exec(
        List.of(
            bin.resolve("pg_ctl").toString(),
            "-D",
            dir.resolve("data").toString(),
            "-l",
            dir.resolve("log").toString(),
            "-w",
            "-t",
            "60",
            "-o",
            "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off",
            "start"),
        asPostgres);
  }

  public int port() {
    return port;
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  public Connection connect() throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", USER);
    return DriverManager.getConnection(jdbcUrl(), p);
  }

  @Override
  public void close() throws Exception {
    try {
      exec(
          List.of(
              bin.resolve("pg_ctl").toString(),
              "-D",
              dir.resolve("data").toString(),
              "-m",
              "immediate",
              "stop"),
          asPostgres);
    } finally {
      try (Stream<Path> walk = Files.walk(dir)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static Path findBin() throws IOException {
    String given = System.getenv("SONGHONG_PG_BIN");
    if (given != null) {
      return Path.of(given);
    }
    Path root = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(root)) {
      try (Stream<Path> versions = Files.list(root)) {
        var bin =
            versions
                .map(v -> v.resolve("bin"))
                .filter(b -> Files.isExecutable(b.resolve("initdb")))
                .max(
                    Comparator.comparing(
                        b ->
                            Integer.parseInt(
                                b.getParent().getFileName().toString().replaceAll("\\D", "0"))));
        if (bin.isPresent()) {
          return bin.get();
        }
      }
    }
    throw new IllegalStateException(
        "No PostgreSQL server binaries (initdb) under /usr/lib/postgresql: install them with "
            + "'apt-get install postgresql' (run-tests does), or set SONGHONG_PG_BIN to their folder");
  }

  private void exec(List<String> cmd, boolean asPostgresUser) throws Exception {
    List<String> full = new ArrayList<>();
    if (asPostgresUser) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(cmd);
    Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      String log = Files.exists(dir.resolve("log")) ? Files.readString(dir.resolve("log")) : "";
      throw new IllegalStateException(String.join(" ", full) + " failed:\n" + out + "\n" + log);
    }
  }
}
