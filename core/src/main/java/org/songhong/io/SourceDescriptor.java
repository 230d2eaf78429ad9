package org.songhong.io;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.LocalDate;
import java.util.List;

/**
 * A source of {@code schemas/sources/}: which landing files it covers (a glob relative to the
 * input folder), their layout, and which release (vintage) of the figures they carry. A new
 * yearbook edition is a new file plus a new descriptor, not new code.
 *
 * <p>Layouts: {@code long_csv} (one observation a line), {@code yearbook_wide} (.csv or .xlsx,
 * provinces as rows and years as columns, one {@code sheets} entry per indicator). {@code locale}
 * says how numbers are written: {@code vi} ("445.995", "12,8") or {@code en}. {@code figures} says
 * whether they are as published ({@code published}, the default: a statistics office's release) or
 * invented for a sample ({@code illustrative}), with the exceptions that were published listed in
 * {@code published} (docs/METHODS.md, "The bundled sample's figures").
 */
public record SourceDescriptor(
    @JsonProperty(value = "source_id", required = true) String sourceId,
    @JsonProperty(value = "family", required = true) String family,
    @JsonProperty(value = "layout", required = true) String layout,
    @JsonProperty(value = "files", required = true) String files,
    @JsonProperty(value = "vintage", required = true) String vintage,
    @JsonProperty(value = "published_on", required = true) LocalDate publishedOn,
    @JsonProperty(value = "release_status", required = true) String releaseStatus,
    @JsonProperty("publisher") String publisher,
    @JsonProperty("description") String description,
    @JsonProperty("locale") String locale,
    @JsonProperty("sheets") List<SheetSpec> sheets,
    @JsonProperty("figures") String figures,
    @JsonProperty("published") List<PublishedFigure> published) {

  /** The release's figures are as the publisher published them. */
  public static final String PUBLISHED = "published";
  /** The figures are invented for a sample (the right size and shape, not to be quoted), except those in {@code published}. */
  public static final String ILLUSTRATIVE = "illustrative";

  /**
   * A figure of an illustrative source that is as published, with where it was published (publisher,
   * title or address, date): its file's value must equal {@code value}.
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

  public SourceDescriptor {
    locale = locale == null ? "en" : locale;
    sheets = sheets == null ? List.of() : List.copyOf(sheets);
    figures = figures == null ? PUBLISHED : figures;
    published = published == null ? List.of() : List.copyOf(published);
  }

  /** Where a published release's figures come from, as a line: publisher, release, date. */
  public String citation() {
    return (publisher == null ? sourceId : publisher) + ", " + vintage + ", published " + publishedOn;
  }
}
