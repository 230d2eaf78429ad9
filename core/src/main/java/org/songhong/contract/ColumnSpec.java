package org.songhong.contract;

import com.fasterxml.jackson.annotation.JsonProperty;

/** One column of a table contract. */
public record ColumnSpec(
    @JsonProperty(value = "name", required = true) String name,
    @JsonProperty(value = "type", required = true) String type,
    @JsonProperty("nullable") Boolean nullable,
    @JsonProperty("description") String description) {

  public boolean isNullable() {
    return nullable == null || nullable;
  }
}
