package org.songhong.domain.geo;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.songhong.contract.SchemaResources;
import org.songhong.contract.Yaml;
import org.songhong.error.Errors;

/**
 * The versioned geography of {@code schemas/reference/geography.yaml}: units with validity
 * intervals, their names and aliases, and the merger crosswalk.
 */
public final class Geography {
  /** The file's shape. */
  public record File(
      @JsonProperty(value = "units", required = true) List<GeoUnit> units,
      @JsonProperty("crosswalk") List<CrosswalkRow> crosswalk) {}

  /** A matching key (normalised name) valid for one unit over its interval. */
  public record NameKey(String key, String geoId, LocalDate validFrom, LocalDate validTo) {}

  private final List<GeoUnit> units;
  private final List<CrosswalkRow> crosswalk;
  private final Map<String, GeoUnit> byId = new HashMap<>();

  public Geography(List<GeoUnit> units, List<CrosswalkRow> crosswalk) {
    this.units = List.copyOf(units);
    this.crosswalk = crosswalk == null ? List.of() : List.copyOf(crosswalk);
    for (GeoUnit u : units) {
      if (byId.put(u.geoId(), u) != null) {
        throw Errors.badReference(
            "schemas/reference/geography.yaml", "geo_id " + u.geoId() + " is declared twice");
      }
    }
    for (CrosswalkRow r : this.crosswalk) {
      if (!byId.containsKey(r.from()) || !byId.containsKey(r.to())) {
        throw Errors.badReference(
            "schemas/reference/geography.yaml",
            "crosswalk row " + r.from() + " -> " + r.to() + " names an unknown geo_id");
      }
    }
    checkKeysUnambiguous();
  }

  public static Geography load(SchemaResources schemas) {
    var path = schemas.resolve("reference/geography.yaml");
    File f = Yaml.read(path, schemas.describe(path), File.class);
    return new Geography(f.units(), f.crosswalk());
  }

  public List<GeoUnit> units() {
    return units;
  }

  public List<CrosswalkRow> crosswalk() {
    return crosswalk;
  }

  public Optional<GeoUnit> unit(String geoId) {
    return Optional.ofNullable(byId.get(geoId));
  }

  /** Every matching key: each unit's Vietnamese name, ASCII name and aliases, normalised. */
  public List<NameKey> nameKeys() {
    List<NameKey> keys = new ArrayList<>();
    for (GeoUnit u : units) {
      List<String> names = new ArrayList<>(u.aliases());
      names.add(u.nameVi());
      names.add(u.nameAscii());
      names.add(u.geoId()); // exchange files (SDMX REF_AREA) name units by code
      names.stream()
          .map(NameNormalizer::key)
          .distinct()
          .forEach(k -> keys.add(new NameKey(k, u.geoId(), u.validFrom(), u.validTo())));
    }
    return keys;
  }

  /** The unit a name refers to on a date, if exactly one matches. */
  public Optional<GeoUnit> match(String rawName, LocalDate on) {
    String k = NameNormalizer.key(rawName);
    return nameKeys().stream()
        .filter(
            n ->
                n.key().equals(k)
                    && !on.isBefore(n.validFrom())
                    && (n.validTo() == null || !on.isAfter(n.validTo())))
        .findFirst()
        .map(n -> byId.get(n.geoId()));
  }

  private void checkKeysUnambiguous() {
    List<NameKey> keys = nameKeys();
    for (int i = 0; i < keys.size(); i++) {
      for (int j = i + 1; j < keys.size(); j++) {
        NameKey a = keys.get(i);
        NameKey b = keys.get(j);
        if (a.key().equals(b.key()) && !a.geoId().equals(b.geoId()) && overlaps(a, b)) {
          throw Errors.badReference(
              "schemas/reference/geography.yaml",
              String.format(
                  "the name '%s' matches both %s and %s over the same dates",
                  a.key(), a.geoId(), b.geoId()));
        }
      }
    }
  }

  private static boolean overlaps(NameKey a, NameKey b) {
    LocalDate aTo = a.validTo() == null ? LocalDate.MAX : a.validTo();
    LocalDate bTo = b.validTo() == null ? LocalDate.MAX : b.validTo();
    return !a.validFrom().isAfter(bTo) && !b.validFrom().isAfter(aTo);
  }
}
