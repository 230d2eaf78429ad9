package org.songhong.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Broken input, made from a valid file by a seeded generator: the same seed gives the same bytes,
 * so a failure can be replayed. Each {@link Fault} is one way real feeds break; {@link #write}
 * writes one broken copy of a file per fault. Text faults work on CSV and JSON lines alike: they
 * cut, re-encode, repeat, drop or add fields, and replace numbers and dates with impossible ones.
 */
public final class BrokenInput {
  /** One way a file goes wrong. */
  public enum Fault {
    /** The last line is cut halfway (a copy still being written). */
    TRUNCATED_LINE,
    /** The file is cut at a random byte, possibly inside a multi-byte character. */
    TRUNCATED_FILE,
    /** Re-encoded in windows-1258 (Vietnamese Windows), so UTF-8 readers see invalid bytes. */
    WRONG_ENCODING,
    /** UTF-16 with a byte-order mark. */
    UTF16,
    /** Random bytes, the whole file. */
    RANDOM_BYTES,
    /** A line of random bytes in the middle of valid lines. */
    RANDOM_LINE,
    /** Numbers on some lines replaced by huge or negative ones. */
    OUT_OF_RANGE,
    /** Years on some lines moved to 2099. */
    FUTURE_DATE,
    /** Some lines repeated as they are. */
    DUPLICATE_LINES,
    /** Some lines repeated with one number changed: the same key with two values. */
    CONFLICTING_DUPLICATE,
    /** A column (CSV) or a field (JSON) missing from every line. */
    MISSING_COLUMN,
    /** A column (CSV) or a field (JSON) more on every line. */
    EXTRA_COLUMN,
    /** Zero bytes. */
    EMPTY
  }

  private static final Pattern NUMBER =
      Pattern.compile("(?<![\\w.\\-])\\d+(?:[.,]\\d+)*(?![\\w\\-/:])");
  private static final Pattern YEAR = Pattern.compile("\\b(19|20)\\d\\d\\b");
  private static final Pattern JSON_FIELD =
      Pattern.compile(",\\s*\"([^\"]+)\"\\s*:\\s*(\"[^\"]*\"|[^,}\\]]+)");

  private BrokenInput() {}

  /**
   * Writes one broken copy of {@code valid} per fault into {@code dir}, named {@code
   * <prefix><fault><suffix>} (a {@code .gz} file is read unzipped and written as plain text).
   * Returns the files by fault.
   */
  public static Map<Fault, Path> write(
      Path valid, Path dir, String prefix, String suffix, long seed, Fault... faults)
      throws IOException {
    byte[] bytes = read(valid);
    Files.createDirectories(dir);
    Map<Fault, Path> out = new LinkedHashMap<>();
    for (Fault f : faults) {
      Random random = new Random(seed * 31 + f.ordinal());
      Path target = dir.resolve(prefix + f.name().toLowerCase(java.util.Locale.ROOT) + suffix);
      Files.write(target, apply(f, bytes, random));
      out.put(f, target);
    }
    return out;
  }

  /** {@code bytes} with {@code fault}; {@code random} decides where. */
  public static byte[] apply(Fault fault, byte[] bytes, Random random) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
    if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    int first = firstDataLine(lines);
    switch (fault) {
      case TRUNCATED_LINE:
        {
          String last = lines.get(lines.size() - 1);
          lines.set(lines.size() - 1, last.substring(0, Math.max(1, last.length() / 2)));
          return (String.join("\n", lines)).getBytes(StandardCharsets.UTF_8);
        }
      case TRUNCATED_FILE:
        return java.util.Arrays.copyOf(bytes, 1 + random.nextInt(Math.max(1, bytes.length - 1)));
      case WRONG_ENCODING:
        return text.getBytes(Charset.forName("windows-1258"));
      case UTF16:
        return text.getBytes(StandardCharsets.UTF_16);
      case RANDOM_BYTES:
        {
          byte[] b = new byte[64 + random.nextInt(512)];
          random.nextBytes(b);
          return b;
        }
      case RANDOM_LINE:
        {
          byte[] junk = new byte[20 + random.nextInt(60)];
          random.nextBytes(junk);
          for (int i = 0; i < junk.length; i++) {
            if (junk[i] == '\n' || junk[i] == '\r') {
              junk[i] = '?';
            }
          }
          int at = first + random.nextInt(Math.max(1, lines.size() - first));
          ByteArrayOutputStream o = new ByteArrayOutputStream();
          for (int i = 0; i < lines.size(); i++) {
            if (i == at) {
              o.writeBytes(junk);
              o.write('\n');
            }
            o.writeBytes((lines.get(i) + "\n").getBytes(StandardCharsets.UTF_8));
          }
          return o.toByteArray();
        }
      case OUT_OF_RANGE:
        return join(
            mapSome(
                lines,
                first,
                random,
                l ->
                    replaceOne(NUMBER, l, random.nextBoolean() ? "-987654321" : "98765432109876")));
      case FUTURE_DATE:
        return join(mapSome(lines, first, random, l -> YEAR.matcher(l).replaceAll("2099")));
      case DUPLICATE_LINES:
        {
          List<String> out = new ArrayList<>(lines);
          for (int k = 0; k < 3 && lines.size() > first; k++) {
            out.add(lines.get(first + random.nextInt(lines.size() - first)));
          }
          return join(out);
        }
      case CONFLICTING_DUPLICATE:
        {
          List<String> out = new ArrayList<>(lines);
          for (int k = 0; k < 3 && lines.size() > first; k++) {
            String l = lines.get(first + random.nextInt(lines.size() - first));
            out.add(replaceOne(NUMBER, l, String.valueOf(1 + random.nextInt(900))));
          }
          return join(out);
        }
      case MISSING_COLUMN:
        return join(
            lines.stream()
                .map(l -> l.trim().startsWith("{") ? dropJsonField(l) : dropCsvColumn(l))
                .toList());
      case EXTRA_COLUMN:
        return join(
            lines.stream()
                .map(
                    l ->
                        l.trim().startsWith("{")
                            ? l.replaceFirst("}\\s*$", ",\"unexpected\":\"x\"}")
                            : (l.isBlank() ? l : l + ",x"))
                .toList());
      case EMPTY:
        return new byte[0];
      default:
        throw new IllegalArgumentException(fault.name());
    }
  }

  /** The first line that looks like data: JSON, or a CSV line after its header. */
  private static int firstDataLine(List<String> lines) {
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i).trim();
      if (l.startsWith("{")) {
        return i;
      }
      if (l.contains(",") && NUMBER.matcher(l).find() && i > 0) {
        return i;
      }
    }
    return Math.min(1, lines.size());
  }

  private static List<String> mapSome(
      List<String> lines, int first, Random random, java.util.function.UnaryOperator<String> f) {
    List<String> out = new ArrayList<>(lines);
    for (int k = 0; k < 3 && lines.size() > first; k++) {
      int i = first + random.nextInt(lines.size() - first);
      out.set(i, f.apply(out.get(i)));
    }
    return out;
  }

  private static String replaceOne(Pattern p, String line, String with) {
    Matcher m = p.matcher(line);
    int last = -1;
    int end = -1;
    while (m.find()) {
      last = m.start();
      end = m.end();
    }
    return last < 0 ? line : line.substring(0, last) + with + line.substring(end);
  }

  private static String dropJsonField(String line) {
    Matcher m = JSON_FIELD.matcher(line);
    return m.find() ? line.substring(0, m.start()) + line.substring(m.end()) : line;
  }

  private static String dropCsvColumn(String line) {
    int i = line.lastIndexOf(',');
    return i < 0 ? line : line.substring(0, i);
  }

  private static byte[] join(List<String> lines) {
    return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] read(Path p) throws IOException {
    if (p.toString().endsWith(".gz")) {
      try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
        return in.readAllBytes();
      }
    }
    return Files.readAllBytes(p);
  }
}
