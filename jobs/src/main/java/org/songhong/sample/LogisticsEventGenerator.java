package org.songhong.sample;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;
import java.util.zip.GZIPOutputStream;
import org.songhong.domain.logistics.Iso6346;

/**
 * Generates the terminals' event feeds (gate moves and vessel calls, JSON lines, one file per
 * terminal per day) at realistic scale, repeatably: the same seed gives the same bytes. Volumes
 * follow each terminal's yearly TEU with a seasonal profile; a small share of lines carry the
 * faults real feeds have (a line sent twice, a time without offset, a 48 ft box, an unknown
 * terminal code, a truncated last line).
 */
public final class LogisticsEventGenerator {
  /** Yearly TEU per container terminal, roughly the city's terminals today. */
  public static final Map<String, Double> YEARLY_TEU = Map.of(
      "HICT", 1_200_000.0, "HHIT", 600_000.0, "NDV", 900_000.0, "DVP", 500_000.0, "TANVU", 700_000.0, "CHUAVE", 400_000.0);
  /** Seasonal factors by month (Tết in Jan/Feb is slow, the year-end peak is busy); they average 1. */
  static final double[] SEASON = {0.92, 0.80, 1.00, 1.00, 1.02, 1.02, 1.03, 1.04, 1.03, 1.04, 1.05, 1.05};
  static final String[] OWNERS = {"MSC", "MAE", "CMA", "COS", "EVE", "ONE", "HLC", "YML", "ZIM", "WHL", "SIT", "GES"};
  /** Mix of sizes: 20 ft, 40 ft (general and high cube), 45 ft. */
  static final String[] ISO = {"22G1", "22G1", "22G1", "22G1", "42G1", "42G1", "45G1", "45G1", "45G1", "45R1", "L5G1"};
  static final double MEAN_TEU_PER_MOVE = (4 * 1.0 + 6 * 2.0 + 1 * 2.25) / 11.0;
  private static final DateTimeFormatter TS = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

  /** Parameters: seed, volume scale (1 = the yearly TEU above), fault rate, gzip. */
  public record Settings(long seed, double scale, double faultRate, boolean gzip) {}

  private LogisticsEventGenerator() {}

  /** Expected TEU of a terminal in a month, the figure a port report would give. */
  public static double expectedMonthlyTeu(String terminal, LocalDate month, double scale) {
    int days = month.lengthOfMonth();
    return YEARLY_TEU.get(terminal) * scale / 365.0 * days * SEASON[month.getMonthValue() - 1];
  }

  /** Writes files for every day in from..to; returns the number of lines written. */
  public static long generate(Path out, LocalDate from, LocalDate to, Settings s, LongConsumer progress) throws IOException {
    long lines = 0;
    for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
      for (String terminal : YEARLY_TEU.keySet().stream().sorted().toList()) {
        lines += day(out, d, terminal, s);
      }
      if (progress != null) {
        progress.accept(lines);
      }
    }
    return lines;
  }

  static long day(Path out, LocalDate d, String terminal, Settings s) throws IOException {
    // One stream per terminal and day: a day's files do not depend on which other days are generated.
    SplittableRandom rnd = new SplittableRandom(s.seed() * 1_000_003L + d.toEpochDay() * 31L + terminal.hashCode());
    double teu = YEARLY_TEU.get(terminal) * s.scale() / 365.0 * SEASON[d.getMonthValue() - 1];
    int moves = (int) Math.round(teu / MEAN_TEU_PER_MOVE * (1 + (rnd.nextDouble() - 0.5) * 0.04));
    List<String> lines = new ArrayList<>(moves + 8);
    ZoneOffset vn = ZoneOffset.ofHours(7);
    for (int i = 0; i < moves; i++) {
      int second = (int) (rnd.nextDouble() * 86_400);
      OffsetDateTime t = d.atStartOfDay().plusSeconds(second).atOffset(vn);
      String iso = ISO[rnd.nextInt(ISO.length)];
      String id = containerId(rnd);
      String dir = rnd.nextBoolean() ? "IN" : "OUT";
      String fe = rnd.nextDouble() < 0.8 ? "F" : "E";
      // A fifth of the terminals' systems send UTC.
      String time = rnd.nextDouble() < 0.2 ? TS.format(t.withOffsetSameInstant(ZoneOffset.UTC)) : TS.format(t);
      String term = terminal;
      double f = rnd.nextDouble();
      if (f < s.faultRate() * 0.4) {
        lines.add(move(id, iso, fe, dir, time, term)); // sent twice
      } else if (f < s.faultRate() * 0.6) {
        time = t.toLocalDateTime().toString().replace('T', ' '); // no offset
      } else if (f < s.faultRate() * 0.75) {
        iso = "M5G1"; // 48 ft: TEU not defined
      } else if (f < s.faultRate() * 0.85) {
        term = "HP-TERM-" + rnd.nextInt(9); // an unknown code
      }
      lines.add(move(id, iso, fe, dir, time, term));
    }
    if (rnd.nextDouble() < s.faultRate() * 5 && !lines.isEmpty()) {
      String last = lines.remove(lines.size() - 1);
      lines.add(last.substring(0, last.length() / 2)); // cut off in transfer
    }
    long n = write(out.resolve("gate_moves").resolve(d.toString()).resolve(terminal + (s.gzip() ? ".jsonl.gz" : ".jsonl")),
        lines, s.gzip());
    List<String> calls = new ArrayList<>();
    int nCalls = Math.max(1, (int) Math.round(moves / 900.0 + rnd.nextDouble()));
    for (int i = 0; i < nCalls; i++) {
      OffsetDateTime arrival = d.atStartOfDay().plusMinutes(rnd.nextInt(1440)).atOffset(vn);
      calls.add(String.format("{\"vessel_imo\":\"%s\",\"terminal\":\"%s\",\"arrival\":\"%s\",\"departure\":\"%s\",\"moves\":%d}",
          imo(rnd), terminal, TS.format(arrival), TS.format(arrival.plusHours(12 + rnd.nextInt(24))), 300 + rnd.nextInt(1500)));
    }
    n += write(out.resolve("vessel_calls").resolve(d.toString()).resolve(terminal + ".jsonl"), calls, false);
    return n;
  }

  static String move(String id, String iso, String fe, String dir, String time, String terminal) {
    return "{\"container_id\":\"" + id + "\",\"iso_code\":\"" + iso + "\",\"full_empty\":\"" + fe + "\",\"direction\":\"" + dir
        + "\",\"event_time\":\"" + time + "\",\"terminal\":\"" + terminal + "\"}";
  }

  static String containerId(SplittableRandom rnd) {
    String first = OWNERS[rnd.nextInt(OWNERS.length)] + "U" + String.format("%06d", rnd.nextInt(1_000_000));
    return first + Iso6346.checkDigit(first);
  }

  static String imo(SplittableRandom rnd) {
    String six = String.format("%06d", 900_000 + rnd.nextInt(99_999));
    int sum = 0;
    for (int i = 0; i < 6; i++) {
      sum += (six.charAt(i) - '0') * (7 - i);
    }
    return six + (sum % 10);
  }

  private static long write(Path file, List<String> lines, boolean gzip) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    try (OutputStream raw = Files.newOutputStream(tmp);
        OutputStream os = gzip ? new GZIPOutputStream(raw, 1 << 16) : raw;
        BufferedWriter w = new BufferedWriter(new OutputStreamWriter(os, StandardCharsets.UTF_8), 1 << 16)) {
      for (String l : lines) {
        w.write(l);
        w.write('\n');
      }
    }
    // Land atomically, as a terminal should: readers never see a half-written file.
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return lines.size();
  }
}
