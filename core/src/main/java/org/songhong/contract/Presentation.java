package org.songhong.contract;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Locale;

/**
 * {@code schemas/reference/presentation.yaml}: the words and colour of each status, in Vietnamese
 * and English, and the decimals a figure is shown with by its unit, for what people open (the
 * spreadsheet export, the HTML report).
 */
public record Presentation(
    @JsonProperty(value = "statuses", required = true) List<Status> statuses,
    @JsonProperty(value = "default_decimals", required = true) int defaultDecimals,
    @JsonProperty(value = "decimals", required = true) List<Decimals> decimals) {
  public static final String FILE = "reference/presentation.yaml";

  /** A status code with its words and its colour (RGB hex, no '#'). */
  public record Status(
      @JsonProperty(value = "code", required = true) String code,
      @JsonProperty(value = "en", required = true) String en,
      @JsonProperty(value = "vi", required = true) String vi,
      @JsonProperty(value = "colour", required = true) String colour) {}

  /** Units that begin with {@code unitPrefix} are shown with {@code decimals} decimals. */
  public record Decimals(
      @JsonProperty(value = "unit_prefix", required = true) String unitPrefix,
      @JsonProperty(value = "decimals", required = true) int decimals) {}

  public Presentation {
    statuses = List.copyOf(statuses);
    decimals = List.copyOf(decimals);
  }

  public static Presentation load(SchemaResources schemas) {
    return Yaml.read(
        schemas.resolve(FILE), schemas.describe(schemas.resolve(FILE)), Presentation.class);
  }

  /** The status's words and colour; an unknown code is shown as itself, in grey. */
  public Status status(String code) {
    return statuses.stream()
        .filter(s -> s.code().equals(code))
        .findFirst()
        .orElse(new Status(code, code, code, "868e96"));
  }

  public int decimals(String unit) {
    if (unit != null) {
      for (Decimals d : decimals) {
        if (unit.startsWith(d.unitPrefix())) {
          return d.decimals();
        }
      }
    }
    return defaultDecimals;
  }

  /**
   * The spreadsheet number format for a figure in {@code unit}: {@code #,##0} or {@code
   * #,##0.0...}.
   */
  public String numberFormat(String unit) {
    int d = decimals(unit);
    return d == 0 ? "#,##0" : "#,##0." + "0".repeat(d);
  }

  /** The figure as text with the unit's decimals (for pages; a spreadsheet keeps the number). */
  public String format(Double value, String unit) {
    return value == null ? "" : String.format(Locale.ROOT, "%,." + decimals(unit) + "f", value);
  }
}
