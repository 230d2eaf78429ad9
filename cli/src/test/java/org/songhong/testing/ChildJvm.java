package org.songhong.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The command line of a child JVM running songhong's {@code Main} (for the tests that kill one): as
 * the launcher runs it when the build is current, on the packaged jar and {@code lib/} with the
 * class-data archive the launcher made for that jar, which starts a Spark session about 7 s sooner
 * (bench/startup); otherwise (a {@code mvn test} after an edit, before {@code package}) on this
 * test's class path, without the archive, so that a child never runs older code than the test.
 */
public final class ChildJvm {
  /** The launcher's distribution: this module's (cli) target. */
  private static final Path TARGET = Path.of("target").toAbsolutePath();

  /** The compiled classes the packaged jars are made of: every shipped module's. */
  private static final List<Path> CLASSES =
      Stream.of("core", "jobs", "serving", "cli")
          .map(m -> TARGET.getParent().getParent().resolve(m).resolve("target/classes"))
          .toList();

  private ChildJvm() {}

  /**
   * {@code java <Spark's flags> -XX:+UseParallelGC -Xmx<heap> ... org.songhong.cli.Main args...}.
   */
  public static List<String> command(String heap, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(
        List.of(
            Files.readString(TARGET.resolve("classes/songhong-jvm.flags")).strip().split("\\s+")));
    // The launcher's collector (see songhong), also the one its class archive was made with.
    cmd.addAll(
        List.of(
            "-XX:+UseParallelGC", "-Xmx" + heap, "-Dfile.encoding=UTF-8", "-Duser.timezone=UTC"));
    Path jar = TARGET.resolve("songhong.jar");
    Path archive = TARGET.resolve("songhong.jsa");
    if (current(jar)) {
      if (Files.isRegularFile(archive)
          && !Files.getLastModifiedTime(jar)
              .toInstant()
              .isAfter(Files.getLastModifiedTime(archive).toInstant())) {
        cmd.addAll(List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds*=off"));
      }
      cmd.addAll(List.of("-cp", jar + ":" + TARGET.resolve("lib") + "/*"));
    } else {
      cmd.addAll(List.of("-cp", System.getProperty("java.class.path")));
    }
    cmd.add("org.songhong.cli.Main");
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** The jar exists with its lib/ and is not older than any compiled main class of any module. */
  private static boolean current(Path jar) throws IOException {
    if (!Files.isRegularFile(jar) || !Files.isDirectory(TARGET.resolve("lib"))) {
      return false;
    }
    FileTime built = Files.getLastModifiedTime(jar);
    try (Stream<Path> classes =
        CLASSES.stream().filter(Files::isDirectory).flatMap(ChildJvm::walk)) {
      return classes
          .filter(Files::isRegularFile)
          .noneMatch(
              f -> {
                try {
                  return Files.getLastModifiedTime(f).compareTo(built) > 0;
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
    }
  }

  private static Stream<Path> walk(Path dir) {
    try {
      return Files.walk(dir);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
