package org.songhong.io;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.LocalDate;
import java.util.List;

/**
 * A source of {@code schemas/sources/}: which landing files it covers (a glob relative to the input
 * folder), their layout, and which release (vintage) of the figures they carry. A new yearbook
 * edition is a new file plus a new descriptor, not new code.
 *
 * <p>Layouts: {@code long_csv} (one observation a line), {@code yearbook_wide} (.csv or .xlsx,
 * provinces as rows and years as columns, one {@code sheets} entry per indicator), {@code
 * parquet_long}, and the two exchange formats of statistics offices, {@code sdmx_csv} (SDMX-CSV 1.0
 * and 2.0) and {@code px} (PC-Axis), whose dimension codes {@code codes} maps onto the catalog's
 * indicators, units and geography. {@code published_on} may be left out when the file carries its
 * date (PX {@code LAST-UPDATED}, or an SDMX column named in {@code codes.published_on}). {@code
 * locale} says how numbers are written: {@code vi} ("445.995", "12,8") or {@code en}. {@code
 * figures} says whether they are as published ({@code published}, the default: a statistics
 * office's release) or invented for a sample ({@code illustrative}), with the exceptions that were
 * published listed in {@code published} (docs/METHODS.md, "The bundled sample's figures"); in a
 * published source's {@code published} list a figure names its own source, where the release's
 * citation does not (a file compiled from several publications).
 */
public record SourceDescriptor(
    @JsonProperty(value = "source_id", required = true) String sourceId,
    @JsonProperty(value = "family", required = true) String family,
    @JsonProperty(value = "layout", required = true) String layout,
    @JsonProperty(value = "files", required = true) String files,
    @JsonProperty(value = "vintage", required = true) String vintage,
    @JsonProperty("published_on") LocalDate publishedOn,
    @JsonProperty(value = "release_status", required = true) String releaseStatus,
    @JsonProperty("publisher") String publisher,
    @JsonProperty("description") String description,
    @JsonProperty("locale") String locale,
    @JsonProperty("sheets") List<SheetSpec> sheets,
    @JsonProperty("figures") String figures,
    @JsonProperty("published") List<PublishedFigure> published,
    @JsonProperty("codes") Codes codes) {

  /** The release's figures are as the publisher published them. */
  public static final String PUBLISHED = "published";

  /**
   * The figures are invented for a sample (the right size and shape, not to be quoted), except
   * those in {@code published}.
   */
  public static final String ILLUSTRATIVE = "illustrative";

  /**
   * A figure of an illustrative source that is as published, with where it was published
   * (publisher, title or address, date): its file's value must equal {@code value}.
   */
  public record PublishedFigure(
      @JsonProperty(value = "indicator", required = true) String indicator,
      @JsonProperty(value = "geo_id", required = true) String geoId,
      @JsonProperty(value = "year", required = true) int year,
      @JsonProperty(value = "value", required = true) double value,
      @JsonProperty(value = "source", required = true) String source) {}

  /** One sheet (or the one table of a CSV) of a wide yearbook file. */
  public record SheetSpec(
      @JsonProperty("sheet") String sheet,
      @JsonProperty(value = "indicator", required = true) String indicator,
      @JsonProperty(value = "unit_as_printed", required = true) String unitAsPrinted,
      @JsonProperty("multiplier") Double multiplier) {}

  /**
   * How an exchange file's codes map onto the lake: which dimension (SDMX column, PX variable)
   * holds the indicator, the area and the year, and each code's catalog meaning.
   *
   * @param indicator the indicator dimension (or a {@code fixed} indicator for a file of one)
   * @param area the area dimension; codes are names or geo ids of schemas/reference/geography.yaml,
   *     or mapped to one
   * @param time the time dimension (annual periods: 2024 or 2024-A1)
   * @param units each unit code (SDMX {@code UNIT_MEASURE}, PX {@code UNITS}) as a catalog unit and
   *     the power of ten that unit stands for (billion VND: 9, for a file in VND with {@code
   *     UNIT_MULT})
   * @param select other dimensions and the one value of each that is loaded (FREQ: A); observations
   *     with other values are quarantined as {@code not_selected}, so every one is accounted for
   * @param status SDMX {@code OBS_STATUS} codes and the release status each means (the rest: the
   *     descriptor's {@code release_status})
   * @param ignore columns that are neither dimensions nor understood attributes, read and left
   *     alone
   * @param vintageColumn an SDMX column holding each observation's release (default: the
   *     descriptor's vintage)
   * @param publishedOnColumn an SDMX column holding each observation's publication date (ISO date)
   */
  public record Codes(
      @JsonProperty("indicator") Dimension indicator,
      @JsonProperty("area") Dimension area,
      @JsonProperty("time") Dimension time,
      @JsonProperty("units") java.util.Map<String, UnitCode> units,
      @JsonProperty("select") java.util.Map<String, String> select,
      @JsonProperty("status") java.util.Map<String, String> status,
      @JsonProperty("ignore") List<String> ignore,
      @JsonProperty("vintage") String vintageColumn,
      @JsonProperty("published_on") String publishedOnColumn) {
    public Codes {
      units = units == null ? java.util.Map.of() : java.util.Map.copyOf(units);
      select = select == null ? java.util.Map.of() : java.util.Map.copyOf(select);
      status =
          status == null
              ? java.util.Map.of("P", "preliminary", "E", "preliminary", "R", "revised")
              : java.util.Map.copyOf(status);
      ignore = ignore == null ? List.of() : List.copyOf(ignore);
    }
  }

  /**
   * A dimension: its name in the file and a map from its codes to the catalog's (codes not listed
   * pass as written).
   */
  public record Dimension(
      @JsonProperty("dimension") String dimension,
      @JsonProperty("fixed") String fixed,
      @JsonProperty("map") java.util.Map<String, String> map) {
    public Dimension {
      map = map == null ? java.util.Map.of() : java.util.Map.copyOf(map);
    }
  }

  /**
   * A unit code's catalog unit, and the power of ten the catalog unit is (SDMX UNIT_MULT is
   * compared with it).
   */
  public record UnitCode(
      @JsonProperty(value = "unit", required = true) String unit,
      @JsonProperty("unit_mult") Integer unitMult) {
    public int power() {
      return unitMult == null ? 0 : unitMult;
    }
  }

  public SourceDescriptor {
    locale = locale == null ? "en" : locale;
    sheets = sheets == null ? List.of() : List.copyOf(sheets);
    figures = figures == null ? PUBLISHED : figures;
    published = published == null ? List.of() : List.copyOf(published);
  }

  /** Where a published release's figures come from, as a line: publisher, release, date. */
  public String citation() {
    return (publisher == null ? sourceId : publisher)
        + ", "
        + vintage
        + (publishedOn == null ? "" : ", published " + publishedOn);
  }
}
