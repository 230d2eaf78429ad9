package org.songhong.domain.targets;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.songhong.contract.SchemaResources;
import org.songhong.contract.Yaml;
import org.songhong.domain.IndicatorCatalog;
import org.songhong.domain.geo.Geography;
import org.songhong.error.Errors;

/**
 * The targets of {@code schemas/catalog/targets.yaml}, each validated against the indicators and
 * geography.
 */
public final class TargetCatalog {
  record File(@JsonProperty(value = "targets", required = true) List<Target> targets) {}

  private static final String FILE = "schemas/catalog/targets.yaml";
  private final List<Target> targets;

  public TargetCatalog(List<Target> targets, IndicatorCatalog indicators, Geography geography) {
    Set<String> ids = new HashSet<>();
    for (Target t : targets) {
      validate(t, indicators, geography);
      if (!ids.add(t.id())) {
        throw Errors.badReference(FILE, "target " + t.id() + " is declared twice");
      }
    }
    this.targets = List.copyOf(targets);
  }

  public static TargetCatalog load(
      SchemaResources schemas, IndicatorCatalog indicators, Geography geography) {
    var path = schemas.resolve("catalog/targets.yaml");
    return new TargetCatalog(
        Yaml.read(path, schemas.describe(path), File.class).targets(), indicators, geography);
  }

  static void validate(Target t, IndicatorCatalog indicators, Geography geography) {
    String at = "target " + t.id() + ": ";
    if (indicators.get(t.indicator()).isEmpty()) {
      throw Errors.badReference(
          FILE,
          at
              + "unknown indicator '"
              + t.indicator()
              + "' (declare it in schemas/reference/indicators.yaml)");
    }
    if (geography.unit(t.geoId()).isEmpty()) {
      throw Errors.badReference(
          FILE, at + "unknown geo_id '" + t.geoId() + "' (see schemas/reference/geography.yaml)");
    }
    if (t.baselineYear() >= t.targetYear()) {
      throw Errors.badReference(
          FILE,
          at
              + "baseline_year "
              + t.baselineYear()
              + " must be before target_year "
              + t.targetYear());
    }
    List<String> problems = new ArrayList<>();
    switch (t.comparison()) {
      case RANGE -> {
        if (t.lo() == null || t.hi() == null) {
          problems.add("a range needs lo and hi");
        } else if (t.lo() > t.hi()) {
          problems.add("range has lo " + t.lo() + " > hi " + t.hi());
        }
      }
      case ABOUT -> {
        if (t.value() == null) {
          problems.add("'about' needs value");
        }
        if (t.tolerance() == null || t.tolerance() < 0) {
          problems.add("'about' needs a tolerance >= 0 (how close counts as achieved)");
        }
      }
      case AT_LEAST, AT_MOST -> {
        if (t.value() == null) {
          problems.add(t.comparison().name().toLowerCase() + " needs value");
        }
      }
    }
    if (t.measure() == Target.Measure.MULTIPLE_OF_BASE && t.value() != null && t.value() <= 0) {
      problems.add("a multiple must be positive");
    }
    if (!problems.isEmpty()) {
      throw Errors.badReference(FILE, at + String.join("; ", problems));
    }
  }

  public List<Target> all() {
    return targets;
  }
}
