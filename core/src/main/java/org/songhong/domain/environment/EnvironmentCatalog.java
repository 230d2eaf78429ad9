package org.songhong.domain.environment;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.songhong.contract.SchemaResources;
import org.songhong.contract.Yaml;
import org.songhong.domain.geo.NameNormalizer;
import org.songhong.error.Errors;

/**
 * The environment methods of {@code schemas/reference/environment.yaml}: AQI, limits, parameters,
 * QC.
 */
public final class EnvironmentCatalog implements Serializable {
  static final String FILE = "schemas/reference/environment.yaml";

  public record Band(
      @JsonProperty(value = "max", required = true) int max,
      @JsonProperty(value = "vi", required = true) String vi,
      @JsonProperty(value = "en", required = true) String en,
      @JsonProperty(value = "rgb", required = true) String rgb)
      implements Serializable {}

  public record AqiSpec(
      @JsonProperty(value = "index", required = true) List<Integer> index,
      @JsonProperty(value = "breakpoints", required = true) Map<String, List<Double>> breakpoints,
      @JsonProperty(value = "bands", required = true) List<Band> bands,
      @JsonProperty(value = "nowcast_hours", required = true) int nowcastHours,
      @JsonProperty(value = "nowcast_min_recent", required = true) int nowcastMinRecent,
      @JsonProperty(value = "day_min_valid_hours", required = true) int dayMinValidHours,
      @JsonProperty(value = "o3_8h_min_hours", required = true) int o38hMinHours)
      implements Serializable {}

  public record AirLimit(
      @JsonProperty(value = "pollutant", required = true) String pollutant,
      @JsonProperty(value = "averaging", required = true) String averaging,
      @JsonProperty(value = "limit", required = true) double limit,
      @JsonProperty(value = "from", required = true) LocalDate from)
      implements Serializable {}

  public record WastewaterLimit(
      @JsonProperty(value = "standard", required = true) String standard,
      @JsonProperty(value = "parameter", required = true) String parameter,
      @JsonProperty(value = "unit", required = true) String unit,
      @JsonProperty("a_min") Double aMin,
      @JsonProperty("a_max") Double aMax,
      @JsonProperty("b_min") Double bMin,
      @JsonProperty("b_max") Double bMax,
      @JsonProperty(value = "scaled", required = true) boolean scaled)
      implements Serializable {}

  public record Parameter(
      @JsonProperty(value = "code", required = true) String code,
      @JsonProperty(value = "names", required = true) List<String> names,
      @JsonProperty(value = "unit", required = true) String unit,
      @JsonProperty("molar_mass") Double molarMass,
      @JsonProperty(value = "min", required = true) double min,
      @JsonProperty(value = "max", required = true) double max)
      implements Serializable {}

  public record Qc(
      @JsonProperty(value = "stuck_hours", required = true) int stuckHours,
      @JsonProperty(value = "spike_factor", required = true) double spikeFactor)
      implements Serializable {}

  record File(
      @JsonProperty(value = "aqi", required = true) AqiSpec aqi,
      @JsonProperty(value = "air_limits", required = true) List<AirLimit> airLimits,
      @JsonProperty(value = "wastewater_limits", required = true)
          List<WastewaterLimit> wastewaterLimits,
      @JsonProperty(value = "zone_compliance_min_share", required = true)
          double zoneComplianceMinShare,
      @JsonProperty(value = "parameters", required = true) List<Parameter> parameters,
      @JsonProperty(value = "qc", required = true) Qc qc)
      implements Serializable {}

  private final File file;
  private final Map<String, Parameter> byName = new LinkedHashMap<>();

  EnvironmentCatalog(File file) {
    this.file = file;
    for (Parameter p : file.parameters()) {
      byName.put(NameNormalizer.key(p.code()), p);
      p.names().forEach(n -> byName.put(NameNormalizer.key(n), p));
    }
    for (Map.Entry<String, List<Double>> e : file.aqi().breakpoints().entrySet()) {
      if (e.getValue().size() > file.aqi().index().size()) {
        throw Errors.badReference(
            FILE, "aqi.breakpoints." + e.getKey() + " has more values than aqi.index");
      }
    }
  }

  public static EnvironmentCatalog load(SchemaResources schemas) {
    var path = schemas.resolve("reference/environment.yaml");
    return new EnvironmentCatalog(Yaml.read(path, schemas.describe(path), File.class));
  }

  public AqiSpec aqi() {
    return file.aqi();
  }

  public Qc qc() {
    return file.qc();
  }

  public double zoneComplianceMinShare() {
    return file.zoneComplianceMinShare();
  }

  public List<Parameter> parameters() {
    return file.parameters();
  }

  public Optional<Parameter> parameter(String nameAsWritten) {
    return nameAsWritten == null
        ? Optional.empty()
        : Optional.ofNullable(byName.get(NameNormalizer.key(nameAsWritten)));
  }

  public List<WastewaterLimit> wastewaterLimits() {
    return file.wastewaterLimits();
  }

  public List<AirLimit> airLimits() {
    return file.airLimits();
  }

  /** The limit in force on {@code date} for a pollutant and averaging period, if regulated. */
  public Optional<AirLimit> airLimit(String pollutant, String averaging, LocalDate date) {
    return file.airLimits().stream()
        .filter(
            l ->
                l.pollutant().equals(pollutant)
                    && l.averaging().equals(averaging)
                    && !l.from().isAfter(date))
        .max(Comparator.comparing(AirLimit::from));
  }

  /**
   * A value in the parameter's unit, from the unit it was sent in; null if the unit cannot be
   * converted. Gases in ppb or ppm convert at 25 °C and 1 atm (molar volume 24.45 L).
   */
  public static Double convert(Parameter p, double value, String unitAsSent) {
    String u =
        unitAsSent == null
            ? ""
            : unitAsSent
                .strip()
                .toLowerCase(Locale.ROOT)
                .replace("µ", "u")
                .replace("μ", "u")
                .replace("³", "3")
                .replace(" ", "");
    String target =
        p.unit().toLowerCase(Locale.ROOT).replace("µ", "u").replace("³", "3").replace(" ", "");
    if (u.equals(target) || (u.isEmpty() && p.unit().equals("pH"))) {
      return value;
    }
    if (target.equals("ug/m3")) {
      switch (u) {
        case "ug/m3", "ug/nm3" -> {
          return value;
        }
        case "mg/m3", "mg/nm3" -> {
          return value * 1000;
        }
        case "ppb" -> {
          return p.molarMass() == null ? null : value * p.molarMass() / 24.45;
        }
        case "ppm" -> {
          return p.molarMass() == null ? null : value * 1000 * p.molarMass() / 24.45;
        }
        default -> {
          return null;
        }
      }
    }
    if (target.equals("mg/l") && (u.equals("mg/l") || u.equals("g/m3"))) {
      return value;
    }
    if (target.equals("mpn/100ml") && u.replace(" ", "").equals("mpn/100ml")) {
      return value;
    }
    return null;
  }
}
