package org.songhong.contract;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A view over lake tables, declared in {@code schemas/views/}, registered by name in every session.
 */
public record ViewContract(
    @JsonProperty(value = "view", required = true) String name,
    @JsonProperty(value = "description", required = true) String description,
    @JsonProperty(value = "sql", required = true) String sql) {}
