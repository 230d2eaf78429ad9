package org.songhong.jobs.logistics;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.songhong.domain.geo.NameNormalizer;
import org.songhong.domain.logistics.LogisticsCatalog;
import org.songhong.io.StatNumbers;

/**
 * Conforms figures of monthly reports: month parsed, terminal matched, cargo type named, number
 * read as Vietnamese reports write them, never negative; the same figure twice in a release keeps
 * one (or none, if the two differ). Every figure comes out accepted or with a rule and a reason.
 * Pure Java: the reports are small.
 */
public final class StatsConformer {
  /** A bronze figure with where it came from. */
  public record In(
      String file,
      String checksum,
      int line,
      int column,
      String raw,
      String vintage,
      LocalDate publishedOn,
      String month,
      String portArea,
      String unitName,
      String cargoType,
      String measure,
      String flow,
      String header,
      String value) {}

  /** The outcome for one figure: accepted (rule null) with the conformed fields, or rejected. */
  public record Out(
      In in,
      String unitId,
      String portAreaId,
      LocalDate month,
      String cargoType,
      double value,
      String unitOfMeasure,
      String rule,
      String reason) {
    public boolean accepted() {
      return rule == null;
    }

    String key() {
      return unitId
          + "|"
          + month
          + "|"
          + in.measure()
          + "|"
          + cargoType
          + "|"
          + in.flow()
          + "|"
          + in.vintage();
    }
  }

  static final Map<String, String> CARGO_TYPES =
      Map.of(
          "container",
          "container",
          "hang container",
          "container",
          "hang roi kho",
          "dry_bulk",
          "hang kho",
          "dry_bulk",
          "hang roi",
          "dry_bulk",
          "hang long",
          "liquid_bulk",
          "hang tong hop",
          "general",
          "bach hoa",
          "general",
          "hang bach hoa",
          "general");

  static final Map<String, String> UNITS =
      Map.of(
          "cargo_tonnes",
          "tonnes",
          "container_teu",
          "TEU",
          "vessel_calls",
          "calls",
          "passengers",
          "passengers",
          "air_cargo_tonnes",
          "tonnes",
          "aircraft_movements",
          "movements");

  private static final Pattern MONTH_VN =
      Pattern.compile("(?iu)^(?:th[aá]ng\\s*|t)?(\\d{1,2})\\s*[/.-]\\s*(\\d{4})$");
  private static final Pattern MONTH_ISO = Pattern.compile("^(\\d{4})-(\\d{2})$");

  private StatsConformer() {}

  /**
   * The first day of the month written as "03/2025", "3/2025", "Tháng 3/2025", "T3/2025" or
   * "2025-03".
   */
  public static Optional<LocalDate> month(String raw) {
    if (raw == null) {
      return Optional.empty();
    }
    String s = raw.strip();
    Matcher m = MONTH_VN.matcher(s);
    int y;
    int mo;
    if (m.matches()) {
      mo = Integer.parseInt(m.group(1));
      y = Integer.parseInt(m.group(2));
    } else if ((m = MONTH_ISO.matcher(s)).matches()) {
      y = Integer.parseInt(m.group(1));
      mo = Integer.parseInt(m.group(2));
    } else {
      return Optional.empty();
    }
    return mo >= 1 && mo <= 12 ? Optional.of(LocalDate.of(y, mo, 1)) : Optional.empty();
  }

  public static List<Out> conform(List<In> figures, LogisticsCatalog catalog) {
    List<Out> out = new ArrayList<>();
    for (In f : figures) {
      out.add(one(f, catalog));
    }
    // Duplicates within a release: equal values keep the first, different values keep none.
    Map<String, List<Integer>> byKey = new LinkedHashMap<>();
    for (int i = 0; i < out.size(); i++) {
      if (out.get(i).accepted()) {
        byKey.computeIfAbsent(out.get(i).key(), k -> new ArrayList<>()).add(i);
      }
    }
    for (List<Integer> idx : byKey.values()) {
      if (idx.size() < 2) {
        continue;
      }
      Map<Double, Integer> values = new HashMap<>();
      idx.forEach(i -> values.merge(out.get(i).value(), 1, Integer::sum));
      Out first = out.get(idx.get(0));
      for (int k = 0; k < idx.size(); k++) {
        Out o = out.get(idx.get(k));
        if (values.size() > 1) {
          out.set(
              idx.get(k),
              reject(
                  o.in(),
                  "conflicting_duplicate",
                  String.format(
                      "%s line %d: %s of %s for %s (%s, %s) appears %d times with different values in the report of %s "
                          + "(keep one line; a correction belongs in a later report)",
                      o.in().file(),
                      o.in().line(),
                      o.in().measure(),
                      o.unitId(),
                      o.month(),
                      o.cargoType(),
                      o.in().flow(),
                      idx.size(),
                      o.in().publishedOn())));
        } else if (k > 0) {
          out.set(
              idx.get(k),
              reject(
                  o.in(),
                  "duplicate",
                  String.format(
                      "%s line %d: duplicate of line %d (same terminal, month, measure and value); the first is kept",
                      o.in().file(), o.in().line(), first.in().line())));
        }
      }
    }
    return out;
  }

  static Out one(In f, LogisticsCatalog catalog) {
    String where =
        String.format("%s line %d column %d (%s)", f.file(), f.line(), f.column(), f.header());
    Optional<LocalDate> month = month(f.month());
    if (month.isEmpty()) {
      return reject(
          f,
          "bad_month",
          String.format("%s: month '%s' is not a month (write 03/2025)", where, f.month()));
    }
    Optional<LogisticsCatalog.Terminal> t = catalog.match(f.unitName());
    if (t.isEmpty()) {
      return reject(
          f,
          "unknown_terminal",
          String.format(
              "%s: unknown terminal '%s' (fix the name, or add the terminal or an alias in schemas/reference/logistics.yaml)",
              where, f.unitName()));
    }
    LogisticsCatalog.PortArea area = catalog.portArea(t.get().portArea());
    if (f.portArea() != null && !f.portArea().isBlank()) {
      String k = NameNormalizer.key(f.portArea());
      if (!k.equals(NameNormalizer.key(area.nameVi()))
          && !k.equals(NameNormalizer.key(area.nameEn()))
          && !k.equals(NameNormalizer.key(area.id()))) {
        return reject(
            f,
            "port_area_mismatch",
            String.format(
                "%s: terminal %s is in port area %s, not '%s' (fix the row, or the terminal's port_area in schemas/reference/logistics.yaml)",
                where, t.get().id(), area.nameVi(), f.portArea()));
      }
    }
    String cargo = "all";
    if (f.measure().equals("cargo_tonnes") || f.measure().equals("vessel_calls")) {
      if (f.cargoType() == null || f.cargoType().isBlank()) {
        cargo = "all";
      } else {
        cargo = CARGO_TYPES.get(NameNormalizer.key(f.cargoType()));
        if (cargo == null) {
          return reject(
              f,
              "unknown_cargo_type",
              String.format(
                  "%s: cargo type '%s' is not one of Container, Hàng rời khô, Hàng lỏng, Hàng tổng hợp",
                  where, f.cargoType()));
        }
      }
    } else if (f.measure().equals("container_teu")) {
      cargo = "container";
    }
    if (StatNumbers.isNoValue(f.value())) {
      return reject(
          f,
          "no_value",
          String.format(
              "%s: the cell is '%s', the report's mark for no figure (kept here so every cell is accounted for)",
              where, f.value()));
    }
    Double v = StatNumbers.parse(f.value(), "vi");
    if (v == null) {
      return reject(
          f,
          "not_a_number",
          String.format(
              "%s: '%s' is not a number as Vietnamese reports write them (412.345 is four hundred twelve thousand; 1.234,5 has a decimal comma)",
              where, f.value()));
    }
    if (v < 0) {
      return reject(
          f,
          "negative_value",
          String.format(
              "%s: %s cannot be negative (%s); correct the report and send it again",
              where, f.measure(), f.value()));
    }
    return new Out(
        f, t.get().id(), area.id(), month.get(), cargo, v, UNITS.get(f.measure()), null, null);
  }

  private static Out reject(In f, String rule, String reason) {
    return new Out(f, null, null, null, null, 0, null, rule, reason);
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
