package org.songhong.sample;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;
import java.util.zip.GZIPOutputStream;

/**
 * Generates a station registry and hourly readings, repeatably (same seed, same bytes): ambient-air
 * stations in the wide CSV one vendor sends (local time, NO2/SO2/O3 in ppb, CO in mg/m³) and
 * industrial-zone discharge points in the JSON lines another sends (UTC with an offset, mg/L).
 * Seasons and the daily cycle follow Hai Phong's pattern (dusty dry winters, clean wet summers).
 * Faults: gaps, stuck sensors, spikes, negative values, duplicate lines and late files.
 */
public final class EnvironmentGenerator {
  /** Parameters: stations of each kind, seed, fault rate, gzip. */
  public record Settings(int airStations, int wastewaterPoints, long seed, double faultRate, boolean gzip) {}

  static final String[] ZONES = {"IZ-DINHVU", "IZ-NOMURA", "IZ-TRANGDUE", "IZ-DEEPC", "IZ-VSIP", "IZ-NAMCAUKIEN"};
  private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

  private EnvironmentGenerator() {}

  public static String airId(int i) {
    return String.format("HP-AQ-%03d", i + 1);
  }

  public static String pointId(int i) {
    return String.format("HP-WW-%03d", i + 1);
  }

  /** Writes registry/stations.csv and registry/industrial_zones.csv under {@code env}. */
  public static void registry(Path env, Settings s) throws IOException {
    List<String> st = new ArrayList<>();
    st.add("station_id,kind,name,latitude,longitude,parameters,industrial_zone_id,standard,standard_column,kq,kf");
    SplittableRandom r = new SplittableRandom(s.seed());
    for (int i = 0; i < s.airStations(); i++) {
      st.add(String.format(Locale.ROOT, "%s,ambient_air,\"Trạm quan trắc không khí %d\",%.4f,%.4f,pm25;pm10;no2;so2;co;o3,,,,,",
          airId(i), i + 1, 20.80 + r.nextDouble() * 0.12, 106.60 + r.nextDouble() * 0.20));
    }
    int zones = Math.min(ZONES.length, Math.max(1, s.wastewaterPoints()));
    for (int i = 0; i < s.wastewaterPoints(); i++) {
      String zone = ZONES[i % zones];
      st.add(String.format(Locale.ROOT, "%s,wastewater,\"Điểm xả %s số %d\",%.4f,%.4f,ph;bod5;cod;tss;nh4_n,%s,QCVN 40:2011,B,0.9,1.0",
          pointId(i), zone, i / zones + 1, 20.82 + r.nextDouble() * 0.1, 106.65 + r.nextDouble() * 0.15, zone));
    }
    List<String> z = new ArrayList<>();
    z.add("zone_id,name,operating_since,central_plant_since");
    for (int i = 0; i < ZONES.length; i++) {
      // The last zone operates without a central plant, so it cannot comply whatever it measures.
      z.add(ZONES[i] + ",\"Khu công nghiệp " + ZONES[i].substring(3) + "\",20" + (10 + i) + "-01-01,"
          + (i == ZONES.length - 1 ? "" : "20" + (10 + i) + "-06-30"));
    }
    write(env.resolve("registry/stations.csv"), st, false);
    write(env.resolve("registry/industrial_zones.csv"), z, false);
  }

  /** Writes readings for every day in from..to; returns the number of readings written. */
  public static long readings(Path env, LocalDate from, LocalDate to, Settings s, LongConsumer progress) throws IOException {
    long n = 0;
    for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
      n += day(env, d, s);
      if (progress != null) {
        progress.accept(n);
      }
    }
    return n;
  }

  static double season(LocalDate d) {
    // 1.6 in January, 0.55 in July.
    return 1.075 + 0.525 * Math.cos(2 * Math.PI * (d.getDayOfYear() - 15) / 365.0);
  }

  static long day(Path env, LocalDate d, Settings s) throws IOException {
    SplittableRandom rnd = new SplittableRandom(s.seed() * 7_919L + d.toEpochDay());
    long n = 0;
    // Air: one wide CSV for all stations, local time.
    List<String> air = new ArrayList<>();
    air.add("station_id,timestamp,PM2.5 (µg/m³),PM10 (µg/m³),NO2 (ppb),SO2 (ppb),CO (mg/m³),O3 (ppb)");
    double f = s.faultRate();
    for (int i = 0; i < s.airStations(); i++) {
      double base = 0.7 + 0.6 * new SplittableRandom(s.seed() + i).nextDouble();
      double dayFactor = 0.6 + 0.8 * rnd.nextDouble(); // weather
      boolean stuck = rnd.nextDouble() < f * 5;
      int stuckFrom = rnd.nextInt(16);
      for (int h = 0; h < 24; h++) {
        if (rnd.nextDouble() < f * 3) {
          continue; // gap
        }
        double traffic = 1 + 0.35 * (Math.exp(-Math.pow(h - 8, 2) / 4) + Math.exp(-Math.pow(h - 18, 2) / 4));
        double pm25 = 34 * base * season(d) * dayFactor * traffic * (0.85 + 0.3 * rnd.nextDouble());
        double sun = Math.max(0, Math.sin(Math.PI * (h - 6) / 12.0));
        double[] v = {pm25, pm25 * (1.5 + 0.3 * rnd.nextDouble()), 18 * base * traffic * (0.8 + 0.4 * rnd.nextDouble()),
            4 * base * (0.7 + 0.6 * rnd.nextDouble()), 0.9 * base * traffic * (0.8 + 0.4 * rnd.nextDouble()),
            12 + 45 * sun * (0.7 + 0.6 * rnd.nextDouble()) / Math.sqrt(season(d))};
        if (stuck && h >= stuckFrom && h < stuckFrom + 8) {
          v[0] = 42.0;
        }
        if (rnd.nextDouble() < f) {
          v[0] *= 9; // spike
        }
        if (rnd.nextDouble() < f * 0.5) {
          v[3] = -1.0; // a broken SO2 cell
        }
        String ts = LOCAL.format(d.atTime(h, 0));
        String line = String.format(Locale.ROOT, "%s,%s,%.1f,%.1f,%.1f,%.1f,%.2f,%.1f", airId(i), ts, v[0], v[1], v[2], v[3], v[4], v[5]);
        air.add(line);
        n += 6;
        if (rnd.nextDouble() < f) {
          air.add(line); // sent twice
          n += 6;
        }
      }
    }
    String airName = "air_vendor_a.csv" + (s.gzip() ? ".gz" : "");
    write(env.resolve("readings").resolve(d.toString()).resolve(airName), air, s.gzip());
    // Wastewater: JSON lines, UTC.
    List<String> ww = new ArrayList<>();
    int zones = Math.min(ZONES.length, Math.max(1, s.wastewaterPoints()));
    for (int i = 0; i < s.wastewaterPoints(); i++) {
      boolean dirty = i % zones == 1; // one zone's plant is overloaded: COD near its limit, above it on bad days
      double load = dirty ? 0.8 + 0.5 * rnd.nextDouble() : 0.9 + 0.2 * rnd.nextDouble();
      for (int h = 0; h < 24; h++) {
        if (rnd.nextDouble() < f * 3) {
          continue;
        }
        LocalDateTime local = d.atTime(h, 0);
        String ts = local.minusHours(7).atOffset(ZoneOffset.UTC).toString().replace("Z", "+00:00");
        double[] v = {6.8 + 0.8 * rnd.nextDouble(), (dirty ? 40 : 22) * (0.7 + 0.6 * rnd.nextDouble()),
            (dirty ? 120 : 70) * load * (0.75 + 0.5 * rnd.nextDouble()), 45 * (0.6 + 0.8 * rnd.nextDouble()), 4 * (0.5 + rnd.nextDouble())};
        String[] p = {"pH", "BOD5", "COD", "TSS", "NH4-N"};
        String[] u = {"pH", "mg/L", "mg/L", "mg/L", "mg/L"};
        for (int k = 0; k < p.length; k++) {
          ww.add(String.format(Locale.ROOT, "{\"station_id\":\"%s\",\"parameter\":\"%s\",\"value\":%.2f,\"unit\":\"%s\",\"timestamp\":\"%s\"}",
              pointId(i), p[k], v[k], u[k], ts));
          n++;
        }
      }
    }
    if (!ww.isEmpty()) {
      // Now and then a day's file is delivered three days late, into a later day's folder.
      LocalDate folder = rnd.nextDouble() < f * 10 ? d.plusDays(3) : d;
      String name = (folder.equals(d) ? "" : "late_" + d + "_") + "wastewater_vendor_b.jsonl" + (s.gzip() ? ".gz" : "");
      write(env.resolve("readings").resolve(folder.toString()).resolve(name), ww, s.gzip());
    }
    return n;
  }

  private static void write(Path file, List<String> lines, boolean gzip) throws IOException {
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
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
