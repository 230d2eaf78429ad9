package org.songhong.domain.geo;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.LocalDate;
import java.util.List;

/** One version of a geographic unit: a stable id, names, and the dates it existed in this shape. */
public record GeoUnit(
    @JsonProperty(value = "geo_id", required = true) String geoId,
    @JsonProperty(value = "name_vi", required = true) String nameVi,
    @JsonProperty(value = "name_ascii", required = true) String nameAscii,
    @JsonProperty(value = "kind", required = true) String kind,
    @JsonProperty(value = "valid_from", required = true) LocalDate validFrom,
    @JsonProperty("valid_to") LocalDate validTo,
    @JsonProperty("aliases") List<String> aliases,
    @JsonProperty("members") List<String> members) {

  public GeoUnit {
    aliases = aliases == null ? List.of() : List.copyOf(aliases);
    members = members == null ? List.of() : List.copyOf(members);
  }

  public boolean validOn(LocalDate d) {
    return !d.isBefore(validFrom) && (validTo == null || !d.isAfter(validTo));
  }
}
