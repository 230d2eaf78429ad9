package org.songhong.contract;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A SQL function over lake tables, declared in {@code schemas/functions/}, registered by name in
 * every session: {@code CREATE FUNCTION name(parameters) RETURNS returns RETURN sql}. A {@code
 * returns} of {@code TABLE} makes a table function (used in FROM).
 */
public record FunctionContract(
    @JsonProperty(value = "function", required = true) String name,
    @JsonProperty(value = "description", required = true) String description,
    @JsonProperty(value = "parameters", required = true) String parameters,
    @JsonProperty(value = "returns", required = true) String returns,
    @JsonProperty(value = "sql", required = true) String sql) {

  /** The statement that registers it. */
  public String ddl(String quotedComment) {
    return "CREATE OR REPLACE FUNCTION "
        + name
        + "("
        + parameters
        + ") RETURNS "
        + returns
        + " COMMENT "
        + quotedComment
        + " RETURN "
        + sql.strip();
  }
}
