package org.songhong.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The direction of dependency between the Maven modules, read from their sources (code only,
 * comments ignored), as a second guard beside the module poms (which already fail the compile): the
 * core ({@code core/}) knows nothing of the pipeline, serving, the command line or the benchmarks;
 * the pipeline ({@code jobs/}) nothing of serving, the command line or the benchmarks; serving
 * ({@code serving/}: the SQL endpoint, the dashboard, publishing) nothing of the pipeline, the
 * command line or the benchmarks; each package lives in the module that owns it. A violation names
 * the file, the line and the package it reaches. This catches what a pom cannot: a class named in a
 * string ({@code Class.forName}) or a package moved into the wrong module.
 */
class DependencyDirectionTest {
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern REFERENCE = Pattern.compile("\\borg\\.songhong\\.([a-z]+)\\b");

  /** Each module's top-level packages under org.songhong. */
  private static final Map<String, Set<String>> PACKAGES =
      Map.of(
          "core", Set.of("config", "error", "contract", "domain", "io", "lake", "ops", "logging"),
          "jobs", Set.of("job", "jobs", "sample"),
          "serving", Set.of("serve", "publish"),
          "cli", Set.of("cli", "airflow"),
          "bench", Set.of("bench"));

  @Test
  void eachModuleHoldsItsOwnPackagesOnly() throws IOException {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, Set<String>> m : PACKAGES.entrySet()) {
      Path src = REPO.resolve(m.getKey()).resolve("src/main/java/org/songhong");
      try (Stream<Path> dirs = Files.list(src)) {
        dirs.map(d -> d.getFileName().toString())
            .filter(d -> !m.getValue().contains(d))
            .forEach(d -> out.add(m.getKey() + ": " + d));
      }
    }
    assertThat(out).as("packages in a module that does not own them").isEmpty();
  }

  @Test
  void theCoreDependsOnNothingAboveIt() {
    assertThat(violations("core", except("core"))).isEmpty();
  }

  @Test
  void thePipelineDependsOnTheCoreOnly() {
    assertThat(violations("jobs", except("core", "jobs"))).isEmpty();
  }

  @Test
  void servingDependsOnTheCoreOnlyNotOnThePipeline() {
    assertThat(violations("serving", except("core", "serving"))).isEmpty();
  }

  @Test
  void theCheckFindsAReferenceInCodeAndIgnoresOneInAComment() {
    String code =
        "package org.songhong.serve;\n/** See {@link org.songhong.jobs.X}. */\n// org.songhong.cli\n"
            + "import org.songhong.jobs.dashboard.DashboardAggregates;\n";
    assertThat(references(code)).containsExactly("1: serve", "4: jobs");
  }

  @Test
  void theCheckFlagsServingCodeThatReachesThePipeline() {
    Set<String> forbidden = except("core", "serving");
    List<String> refs =
        references("package org.songhong.serve;\nimport org.songhong.job.LakeRuntime;\n");
    assertThat(refs.stream().filter(r -> forbidden.contains(r.substring(r.indexOf(' ') + 1))))
        .containsExactly("2: job");
  }

  /** The packages of every module but the ones named. */
  private static Set<String> except(String... allowed) {
    Set<String> out = new TreeSet<>();
    PACKAGES.forEach(
        (module, packages) -> {
          if (!List.of(allowed).contains(module)) {
            out.addAll(packages);
          }
        });
    return out;
  }

  private static List<String> violations(String module, Set<String> forbidden) {
    List<String> out = new ArrayList<>();
    for (Path f : sources(module)) {
      for (String r : references(read(f))) {
        if (forbidden.contains(r.substring(r.indexOf(' ') + 1))) {
          out.add(REPO.relativize(f) + ":" + r);
        }
      }
    }
    return out;
  }

  /** The .java files of a module's main code, in path order (HouseRulesTest reads the same). */
  static List<Path> sources(String module) {
    try (Stream<Path> files = Files.walk(REPO.resolve(module).resolve("src/main/java"))) {
      return files.filter(x -> x.toString().endsWith(".java")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** "line: package" for every org.songhong package the code (not its comments) names. */
  static List<String> references(String source) {
    String code = blankComments(source);
    List<String> out = new ArrayList<>();
    String[] lines = code.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      Matcher m = REFERENCE.matcher(lines[i]);
      while (m.find()) {
        out.add((i + 1) + ": " + m.group(1));
      }
    }
    return out;
  }

  /** The source with comments replaced by spaces (new lines kept, so line numbers hold). */
  static String blankComments(String s) {
    StringBuilder b = new StringBuilder(s);
    int i = 0;
    while (i < b.length() - 1) {
      char c = b.charAt(i);
      if (c == '"') {
        i = b.indexOf("\"", i + 1) + 1;
        if (i == 0) {
          break;
        }
      } else if (c == '/' && b.charAt(i + 1) == '/') {
        while (i < b.length() && b.charAt(i) != '\n') {
          b.setCharAt(i++, ' ');
        }
      } else if (c == '/' && b.charAt(i + 1) == '*') {
        while (i < b.length() - 1 && !(b.charAt(i) == '*' && b.charAt(i + 1) == '/')) {
          if (b.charAt(i) != '\n') {
            b.setCharAt(i, ' ');
          }
          i++;
        }
        if (i < b.length() - 1) {
          b.setCharAt(i, ' ');
          b.setCharAt(i + 1, ' ');
        }
        i += 2;
      } else {
        i++;
      }
    }
    return b.toString();
  }
}
