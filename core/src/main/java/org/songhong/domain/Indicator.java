package org.songhong.domain;

import com.fasterxml.jackson.annotation.JsonProperty;

/** An indicator of {@code schemas/reference/indicators.yaml}. */
public record Indicator(
    @JsonProperty(value = "code", required = true) String code,
    @JsonProperty(value = "name_vi", required = true) String nameVi,
    @JsonProperty(value = "name_en", required = true) String nameEn,
    @JsonProperty(value = "unit", required = true) String unit,
    @JsonProperty(value = "additive", required = true) boolean additive,
    @JsonProperty(value = "higher_is_better") Boolean higherIsBetter,
    @JsonProperty("description") String description) {}
