package org.songhong.domain.environment;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * VN_AQI (Decision 1459/QĐ-TCMT, docs/METHODS.md section 2): sub-indices by linear interpolation
 * between breakpoints, NowCast for particles, the hourly and daily index, and its band. Pure
 * arithmetic on the breakpoints of {@code schemas/reference/environment.yaml}.
 */
public final class Aqi implements Serializable {
  /** An index with the pollutant that set it and each sub-index (null where not computed). */
  public record Result(Integer aqi, String dominant, Map<String, Double> subIndices)
      implements Serializable {}

  private final EnvironmentCatalog.AqiSpec spec;

  public Aqi(EnvironmentCatalog.AqiSpec spec) {
    this.spec = spec;
  }

  public EnvironmentCatalog.AqiSpec spec() {
    return spec;
  }

  /**
   * The sub-index of concentration {@code c} (µg/m³) on a breakpoint column. Segments are
   * contiguous: {@code BP_i <= c < BP_i+1}. At or above the last breakpoint the index is 500 when
   * the column reaches 500; a column that stops earlier (O3 8 h) has no index there (null).
   */
  public Double subIndex(String column, Double c) {
    if (c == null || c.isNaN() || c < 0) {
      return null;
    }
    List<Double> bp = spec.breakpoints().get(column);
    List<Integer> idx = spec.index();
    for (int i = 0; i + 1 < bp.size(); i++) {
      if (c >= bp.get(i) && c < bp.get(i + 1)) {
        return (double) (idx.get(i + 1) - idx.get(i))
                / (bp.get(i + 1) - bp.get(i))
                * (c - bp.get(i))
            + idx.get(i);
      }
    }
    return bp.size() == idx.size() ? (double) idx.get(idx.size() - 1) : null;
  }

  /** Half-up rounding to an integer, on the decimal value (so 50.5 is 51 and 100.49999 is 100). */
  public static int roundHalfUp(double x) {
    return new BigDecimal(Double.toString(x)).setScale(0, RoundingMode.HALF_UP).intValueExact();
  }

  /**
   * NowCast of hourly concentrations, {@code c[0]} the current hour, {@code c[1]} the hour before,
   * ... up to {@code nowcast_hours}; null marks a missing hour. Needs {@code nowcast_min_recent} of
   * the three latest hours; otherwise null.
   */
  public Double nowcast(Double[] c) {
    int recent = 0;
    for (int i = 0; i < Math.min(3, c.length); i++) {
      if (c[i] != null) {
        recent++;
      }
    }
    if (recent < spec.nowcastMinRecent()) {
      return null;
    }
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    int n = Math.min(c.length, spec.nowcastHours());
    for (int i = 0; i < n; i++) {
      if (c[i] != null) {
        min = Math.min(min, c[i]);
        max = Math.max(max, c[i]);
      }
    }
    double w = max <= 0 ? 1.0 : Math.max(min / max, 0.5);
    double num = 0;
    double den = 0;
    for (int i = 0; i < n; i++) {
      if (c[i] != null) {
        double f = Math.pow(w, i);
        num += f * c[i];
        den += f;
      }
    }
    return num / den;
  }

  /**
   * The hourly index from the hour's 1-hour means of SO2, CO, NO2, O3 and the NowCasts of PM10 and
   * PM2.5 (any may be null). Null when neither PM sub-index is available.
   */
  public Result hourly(
      Double so2, Double co, Double no2, Double o3, Double pm10NowCast, Double pm25NowCast) {
    Map<String, Double> s = new LinkedHashMap<>();
    s.put("pm25", subIndex("pm25", pm25NowCast));
    s.put("pm10", subIndex("pm10", pm10NowCast));
    s.put("o3", subIndex("o3_1h", o3));
    s.put("no2", subIndex("no2", no2));
    s.put("so2", subIndex("so2", so2));
    s.put("co", subIndex("co", co));
    return combine(s);
  }

  /**
   * The daily index: PM from the 24-hour means, SO2, NO2 and CO from the day's highest 1-hour
   * means, O3 from the larger of the sub-indices of the highest 1-hour and the highest 8-hour mean
   * (only the 1-hour one when the 8-hour maximum is beyond the 8-hour breakpoints, i.e. above 400).
   */
  public Result daily(
      Double so2Max1h,
      Double coMax1h,
      Double no2Max1h,
      Double o3Max1h,
      Double o3Max8h,
      Double pm10Mean24h,
      Double pm25Mean24h) {
    Map<String, Double> s = new LinkedHashMap<>();
    s.put("pm25", subIndex("pm25", pm25Mean24h));
    s.put("pm10", subIndex("pm10", pm10Mean24h));
    s.put("o3", larger(subIndex("o3_1h", o3Max1h), subIndex("o3_8h", o3Max8h)));
    s.put("no2", subIndex("no2", no2Max1h));
    s.put("so2", subIndex("so2", so2Max1h));
    s.put("co", subIndex("co", coMax1h));
    return combine(s);
  }

  /**
   * The larger of two sub-indices, either of which may be absent (an analyser that sent nothing).
   * Written out because {@code a == null ? b : Math.max(a, b)} unboxes {@code b} when both are
   * null.
   */
  static Double larger(Double a, Double b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return Math.max(a, b);
  }

  private static Result combine(Map<String, Double> s) {
    if (s.get("pm25") == null && s.get("pm10") == null) {
      return new Result(null, null, s);
    }
    String dominant = null;
    double max = -1;
    for (Map.Entry<String, Double> e : s.entrySet()) {
      if (e.getValue() != null && e.getValue() > max) {
        max = e.getValue();
        dominant = e.getKey();
      }
    }
    return new Result(roundHalfUp(max), dominant, s);
  }

  /** The band of an index value. */
  public EnvironmentCatalog.Band band(int aqi) {
    for (EnvironmentCatalog.Band b : spec.bands()) {
      if (aqi <= b.max()) {
        return b;
      }
    }
    return spec.bands().get(spec.bands().size() - 1);
  }
}
