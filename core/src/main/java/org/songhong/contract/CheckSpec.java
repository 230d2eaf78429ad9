package org.songhong.contract;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A row-level invariant of a table: a Spark SQL boolean expression every row must satisfy. */
public record CheckSpec(
    @JsonProperty(value = "name", required = true) String name,
    @JsonProperty(value = "expression", required = true) String expression,
    @JsonProperty("description") String description) {}
