package org.songhong.domain;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.songhong.contract.SchemaResources;
import org.songhong.contract.Yaml;
import org.songhong.error.Errors;

/** The indicators the lake knows, by code. */
public final class IndicatorCatalog {
  record File(@JsonProperty(value = "indicators", required = true) List<Indicator> indicators) {}

  private final Map<String, Indicator> byCode = new LinkedHashMap<>();

  public IndicatorCatalog(List<Indicator> indicators) {
    for (Indicator i : indicators) {
      if (!i.code().matches("[a-z][a-z0-9_]*")) {
        throw Errors.badReference(
            "schemas/reference/indicators.yaml",
            "indicator code '" + i.code() + "' must be snake_case");
      }
      if (byCode.put(i.code(), i) != null) {
        throw Errors.badReference(
            "schemas/reference/indicators.yaml", "indicator " + i.code() + " is declared twice");
      }
    }
  }

  public static IndicatorCatalog load(SchemaResources schemas) {
    var path = schemas.resolve("reference/indicators.yaml");
    return new IndicatorCatalog(Yaml.read(path, schemas.describe(path), File.class).indicators());
  }

  public Optional<Indicator> get(String code) {
    return Optional.ofNullable(byCode.get(code));
  }

  public List<Indicator> all() {
    return List.copyOf(byCode.values());
  }
}
