package org.songhong.domain.geo;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.LocalDate;

/** A merger: the old unit {@code from} became part of {@code to} on {@code fromDate}. */
public record CrosswalkRow(
    @JsonProperty(value = "from", required = true) String from,
    @JsonProperty(value = "to", required = true) String to,
    @JsonProperty(value = "from_date", required = true) LocalDate fromDate,
    @JsonProperty(value = "weight", required = true) double weight) {}
