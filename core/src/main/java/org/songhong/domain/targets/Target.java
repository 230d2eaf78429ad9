package org.songhong.domain.targets;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A target of the catalog ({@code schemas/catalog/targets.yaml}).
 *
 * <p>{@code measure} says what is compared: the indicator's level, the average of its yearly growth
 * rates since the baseline, or its multiple of the baseline value. {@code comparison} says how: at
 * least, at most, within a range, or about a value within a tolerance; {@code strict} decides the
 * boundary.
 */
public record Target(
    @JsonProperty(value = "id", required = true) String id,
    @JsonProperty(value = "indicator", required = true) String indicator,
    @JsonProperty(value = "geo_id", required = true) String geoId,
    @JsonProperty(value = "measure", required = true) Measure measure,
    @JsonProperty(value = "comparison", required = true) Comparison comparison,
    @JsonProperty("strict") Boolean strict,
    @JsonProperty("value") Double value,
    @JsonProperty("lo") Double lo,
    @JsonProperty("hi") Double hi,
    @JsonProperty("tolerance") Double tolerance,
    @JsonProperty(value = "baseline_year", required = true) int baselineYear,
    @JsonProperty(value = "target_year", required = true) int targetYear,
    @JsonProperty(value = "unit", required = true) String unit,
    @JsonProperty("wording_vi") String wordingVi,
    @JsonProperty("wording_en") String wordingEn,
    @JsonProperty("source") String source) {

  /** What is compared with the target. */
  public enum Measure {
    @JsonProperty("level")
    LEVEL,
    @JsonProperty("average_growth")
    AVERAGE_GROWTH,
    @JsonProperty("multiple_of_base")
    MULTIPLE_OF_BASE
  }

  /** How it is compared. */
  public enum Comparison {
    @JsonProperty("at_least")
    AT_LEAST,
    @JsonProperty("at_most")
    AT_MOST,
    @JsonProperty("range")
    RANGE,
    @JsonProperty("about")
    ABOUT
  }

  /** The same target measured on another unit (the successor of its unit after a merger). */
  public Target onUnit(String otherGeoId) {
    return new Target(
        id,
        indicator,
        otherGeoId,
        measure,
        comparison,
        strict,
        value,
        lo,
        hi,
        tolerance,
        baselineYear,
        targetYear,
        unit,
        wordingVi,
        wordingEn,
        source);
  }

  public boolean isStrict() {
    return strict != null && strict;
  }

  /** The method name written to the mart's {@code method} column. */
  public String methodName() {
    String m =
        switch (measure) {
          case LEVEL -> "level";
          case AVERAGE_GROWTH -> "average_growth_geometric";
          case MULTIPLE_OF_BASE -> "multiple_of_base";
        };
    String c =
        switch (comparison) {
          case AT_LEAST -> isStrict() ? "above" : "at_least";
          case AT_MOST -> isStrict() ? "below" : "at_most";
          case RANGE -> "range";
          case ABOUT -> "about";
        };
    return m + ":" + c + "; escap_cs+eurostat_rog";
  }
}
