package org.songhong.domain.logistics;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.songhong.contract.SchemaResources;
import org.songhong.contract.Yaml;
import org.songhong.domain.geo.NameNormalizer;
import org.songhong.error.Errors;

/**
 * Hai Phong's port areas, terminals and airport ({@code schemas/reference/logistics.yaml}), the ISO
 * 6346 size codes the lake turns into TEU, and which city totals feed which indicator.
 */
public final class LogisticsCatalog implements Serializable {
  private static final String FILE = "schemas/reference/logistics.yaml";

  public record City(
      @JsonProperty(value = "geo_id", required = true) String geoId,
      @JsonProperty(value = "name_vi", required = true) String nameVi,
      @JsonProperty(value = "name_en", required = true) String nameEn)
      implements Serializable {}

  public record PortArea(
      @JsonProperty(value = "id", required = true) String id,
      @JsonProperty(value = "kind", required = true) String kind,
      @JsonProperty(value = "name_vi", required = true) String nameVi,
      @JsonProperty(value = "name_en", required = true) String nameEn)
      implements Serializable {}

  public record Terminal(
      @JsonProperty(value = "id", required = true) String id,
      @JsonProperty(value = "port_area", required = true) String portArea,
      @JsonProperty(value = "name_vi", required = true) String nameVi,
      @JsonProperty(value = "name_en", required = true) String nameEn,
      @JsonProperty("aliases") List<String> aliases)
      implements Serializable {
    public Terminal {
      aliases = aliases == null ? List.of() : List.copyOf(aliases);
    }
  }

  public record Feed(
      @JsonProperty(value = "measure", required = true) String measure,
      @JsonProperty(value = "indicator", required = true) String indicator)
      implements Serializable {}

  public record ContainerSize(
      @JsonProperty(value = "code", required = true) String code,
      @JsonProperty(value = "length_ft", required = true) int lengthFt,
      @JsonProperty(value = "teu", required = true) double teu)
      implements Serializable {}

  record File(
      @JsonProperty(value = "city", required = true) City city,
      @JsonProperty(value = "port_areas", required = true) List<PortArea> portAreas,
      @JsonProperty(value = "terminals", required = true) List<Terminal> terminals,
      @JsonProperty("indicator_feeds") List<Feed> feeds,
      @JsonProperty(value = "container_sizes", required = true) List<ContainerSize> sizes) {}

  private final City city;
  private final Map<String, PortArea> areas = new LinkedHashMap<>();
  private final Map<String, Terminal> terminals = new LinkedHashMap<>();
  private final Map<String, String> byNameKey = new LinkedHashMap<>();
  private final Map<String, ContainerSize> sizes = new LinkedHashMap<>();
  private final List<Feed> feeds;

  LogisticsCatalog(File f) {
    this.city = f.city();
    for (PortArea a : f.portAreas()) {
      if (areas.put(a.id(), a) != null) {
        throw Errors.badReference(FILE, "port area " + a.id() + " is declared twice");
      }
    }
    for (Terminal t : f.terminals()) {
      if (!areas.containsKey(t.portArea())) {
        throw Errors.badReference(
            FILE, "terminal " + t.id() + " names unknown port area '" + t.portArea() + "'");
      }
      if (terminals.put(t.id(), t) != null) {
        throw Errors.badReference(FILE, "terminal " + t.id() + " is declared twice");
      }
      for (String name : concat(t)) {
        String previous = byNameKey.put(NameNormalizer.key(name), t.id());
        if (previous != null && !previous.equals(t.id())) {
          throw Errors.badReference(
              FILE, "name '" + name + "' is used by both " + previous + " and " + t.id());
        }
      }
    }
    for (ContainerSize s : f.sizes()) {
      sizes.put(s.code(), s);
    }
    this.feeds = f.feeds() == null ? List.of() : List.copyOf(f.feeds());
  }

  private static List<String> concat(Terminal t) {
    java.util.ArrayList<String> names = new java.util.ArrayList<>(t.aliases());
    names.add(t.id());
    names.add(t.nameVi());
    names.add(t.nameEn());
    return names;
  }

  public static LogisticsCatalog load(SchemaResources schemas) {
    var path = schemas.resolve("reference/logistics.yaml");
    return new LogisticsCatalog(Yaml.read(path, schemas.describe(path), File.class));
  }

  public City city() {
    return city;
  }

  public List<PortArea> portAreas() {
    return List.copyOf(areas.values());
  }

  public PortArea portArea(String id) {
    return areas.get(id);
  }

  public List<Terminal> terminals() {
    return List.copyOf(terminals.values());
  }

  public Optional<Terminal> terminal(String id) {
    return Optional.ofNullable(terminals.get(id));
  }

  /**
   * Each name's key (NameNormalizer) to the terminal it means: ids, Vietnamese and English names,
   * aliases.
   */
  public Map<String, String> terminalIdsByNameKey() {
    return Map.copyOf(byNameKey);
  }

  /** The terminal a name as written means (id, Vietnamese or English name, or an alias). */
  public Optional<Terminal> match(String nameAsWritten) {
    if (nameAsWritten == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(byNameKey.get(NameNormalizer.key(nameAsWritten)))
        .map(terminals::get);
  }

  /**
   * The size for an ISO 6346 size/type code ("45G1" is 40 ft), or empty if the code is not one we
   * count.
   */
  public Optional<ContainerSize> size(String isoCode) {
    String code = isoCode == null ? null : isoCode.strip();
    if (!isSizeTypeCode(code)) {
      return Optional.empty();
    }
    return Optional.ofNullable(sizes.get(code.substring(0, 1).toUpperCase(java.util.Locale.ROOT)));
  }

  /**
   * Whether a code has the shape of an ISO 6346 size/type code: four ASCII letters or digits.
   * Checked by hand rather than by a regular expression: it runs twice on every gate move, where a
   * {@code Matcher} was 1% of {@code logistics_events_silver}'s samples (bench/README.md, "5
   * December, afternoon").
   */
  static boolean isSizeTypeCode(String code) {
    if (code == null || code.length() != 4) {
      return false;
    }
    for (int i = 0; i < 4; i++) {
      char c = code.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
        return false;
      }
    }
    return true;
  }

  public Map<String, ContainerSize> sizes() {
    return Map.copyOf(sizes);
  }

  public List<Feed> feeds() {
    return feeds;
  }
}
