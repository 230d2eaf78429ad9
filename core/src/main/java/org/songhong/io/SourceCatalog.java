package org.songhong.io;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.songhong.contract.SchemaResources;
import org.songhong.contract.Yaml;
import org.songhong.error.Errors;

/** The source descriptors of {@code schemas/sources/}. */
public final class SourceCatalog {
  private static final Set<String> STATUSES = Set.of("preliminary", "official", "revised");

  /** Every layout a descriptor may name; the exchange formats map codes through {@code codes}. */
  public static final List<String> LAYOUTS =
      List.of("long_csv", "yearbook_wide", "parquet_long", "sdmx_csv", "px");

  static final Set<String> EXCHANGE = Set.of("sdmx_csv", "px");
  private final List<SourceDescriptor> sources;

  public SourceCatalog(List<SourceDescriptor> sources) {
    this.sources = List.copyOf(sources);
  }

  public static SourceCatalog load(SchemaResources schemas) {
    List<SourceDescriptor> out = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (Path file : schemas.list("sources", ".yaml")) {
      String shown = schemas.describe(file);
      SourceDescriptor d = Yaml.read(file, shown, SourceDescriptor.class);
      if (!ids.add(d.sourceId())) {
        throw Errors.badReference(shown, "source_id " + d.sourceId() + " is declared twice");
      }
      if (!STATUSES.contains(d.releaseStatus())) {
        throw Errors.badReference(
            shown, "release_status must be one of " + STATUSES + ", got " + d.releaseStatus());
      }
      if (!LAYOUTS.contains(d.layout())) {
        throw Errors.badReference(
            shown, "layout must be one of " + LAYOUTS + ", got " + d.layout());
      }
      boolean exchange = EXCHANGE.contains(d.layout());
      if (exchange
          && (d.codes() == null
              || d.codes().area() == null
              || d.codes().time() == null
              || d.codes().indicator() == null)) {
        throw Errors.badReference(
            shown,
            "a "
                + d.layout()
                + " source needs 'codes' with indicator, area and time "
                + "(each: dimension: <the file's name for it>, map: {<code>: <catalog code>}; indicator may be fixed: <code>)");
      }
      if (exchange && !STATUSES.containsAll(d.codes().status().values())) {
        throw Errors.badReference(
            shown,
            "codes.status maps status codes to one of " + STATUSES + ", got " + d.codes().status());
      }
      if (d.publishedOn() == null
          && !(d.layout().equals("px") || exchange && d.codes().publishedOnColumn() != null)) {
        throw Errors.badReference(
            shown,
            "published_on is missing (the date the release was published, 2025-06-30); "
                + "only a PX file, or an SDMX file with codes.published_on naming a column, carries its own");
      }
      if (!Set.of("vi", "en").contains(d.locale())) {
        throw Errors.badReference(shown, "locale must be vi or en, got " + d.locale());
      }
      if (!Set.of(SourceDescriptor.PUBLISHED, SourceDescriptor.ILLUSTRATIVE)
          .contains(d.figures())) {
        throw Errors.badReference(
            shown, "figures must be published or illustrative, got " + d.figures());
      }
      if (d.layout().equals("yearbook_wide") && d.sheets().isEmpty()) {
        throw Errors.badReference(
            shown, "a yearbook_wide source needs 'sheets' (sheet, indicator, unit_as_printed)");
      }
      out.add(d);
    }
    return new SourceCatalog(out);
  }

  public List<SourceDescriptor> family(String family) {
    return sources.stream().filter(s -> s.family().equals(family)).toList();
  }

  /** The descriptor of {@code family} whose glob matches {@code relativePath}, if any. */
  public Optional<SourceDescriptor> match(String family, String relativePath) {
    for (SourceDescriptor d : family(family)) {
      PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + d.files());
      if (m.matches(Path.of(relativePath))) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }
}
