package org.songhong.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The direction of dependency between the packages of {@code jobs/src/main}, read from the
 * sources (code only, comments ignored): the core knows nothing of the runner, the jobs, serving or
 * the command line; serving (the SQL endpoint, the dashboard, publishing) knows nothing of the jobs,
 * the command line, the benchmarks or the sample generators. A violation names the file, the line
 * and the package it reaches.
 */
class DependencyDirectionTest {
  private static final Path MAIN = Path.of("src/main/java/org/songhong");
  private static final Set<String> CORE = Set.of("config", "error", "contract", "domain", "io", "lake", "ops", "logging");
  private static final Set<String> SERVING = Set.of("serve", "publish");
  private static final Pattern REFERENCE = Pattern.compile("\\borg\\.songhong\\.([a-z]+)\\b");

  @Test
  void theCoreDependsOnNothingAboveIt() {
    assertThat(violations(CORE, Set.of("job", "jobs", "serve", "publish", "cli", "bench", "sample", "airflow"))).isEmpty();
  }

  @Test
  void servingDependsOnTheCoreAndTheRuntimeNotOnTheJobs() {
    assertThat(violations(SERVING, Set.of("jobs", "cli", "bench", "sample", "airflow"))).isEmpty();
  }

  @Test
  void theCheckFindsAReferenceInCodeAndIgnoresOneInAComment() {
    String code = "package org.songhong.serve;\n/** See {@link org.songhong.jobs.X}. */\n// org.songhong.cli\n"
        + "import org.songhong.jobs.dashboard.DashboardAggregates;\n";
    assertThat(references(code)).containsExactly("1: serve", "4: jobs");
  }

  private static List<String> violations(Set<String> packages, Set<String> forbidden) {
    List<String> out = new ArrayList<>();
    for (String p : packages) {
      try (Stream<Path> files = Files.walk(MAIN.resolve(p))) {
        for (Path f : files.filter(x -> x.toString().endsWith(".java")).toList()) {
          for (String r : references(Files.readString(f))) {
            if (forbidden.contains(r.substring(r.indexOf(' ') + 1))) {
              out.add(f + ":" + r);
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
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
  private static String blankComments(String s) {
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
