package org.songhong.jobs.marts;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What was known at each release. Observations come from several releases (vintages); the figures
 * known at release V are, for each indicator, unit and year, the value from the latest release
 * published on or before V. A preliminary estimate stands until a later release revises it.
 */
public final class VintageSnapshots {
  /**
   * One figure, with where it came from: a silver row (file and line), or a derivation from other
   * figures ({@code derivation} says how, {@code inputs} lists them).
   */
  public record Obs(
      String indicator,
      String geoId,
      int year,
      double value,
      String unit,
      String vintage,
      LocalDate publishedOn,
      String sourceFile,
      int sourceLine,
      String sourceCell,
      String derivation,
      List<Obs> inputs,
      String provenance,
      String provenanceSource) {

    /** Published as it is (silver's provenance). */
    public static final String PUBLISHED = "published";

    /** Invented for the bundled sample: do not quote. */
    public static final String ILLUSTRATIVE = "illustrative";

    /**
     * Computed by the lake from its own feeds (port reports and events, monitors): as good as the
     * feeds.
     */
    public static final String COMPUTED = "computed";

    public static Obs observed(
        String indicator,
        String geoId,
        int year,
        double value,
        String unit,
        String vintage,
        LocalDate publishedOn,
        String sourceFile,
        int sourceLine) {
      return observed(
          indicator, geoId, year, value, unit, vintage, publishedOn, sourceFile, sourceLine, null);
    }

    /**
     * A published figure; {@code sourceCell} is the sheet cell of a yearbook table ("GRDP!G6"),
     * null for a line.
     */
    public static Obs observed(
        String indicator,
        String geoId,
        int year,
        double value,
        String unit,
        String vintage,
        LocalDate publishedOn,
        String sourceFile,
        int sourceLine,
        String sourceCell) {
      return observed(
          indicator,
          geoId,
          year,
          value,
          unit,
          vintage,
          publishedOn,
          sourceFile,
          sourceLine,
          sourceCell,
          null,
          null);
    }

    /**
     * As above, with where the figure stands: published (and where), illustrative, computed, or
     * null (not known).
     */
    public static Obs observed(
        String indicator,
        String geoId,
        int year,
        double value,
        String unit,
        String vintage,
        LocalDate publishedOn,
        String sourceFile,
        int sourceLine,
        String sourceCell,
        String provenance,
        String provenanceSource) {
      return new Obs(
          indicator,
          geoId,
          year,
          value,
          unit,
          vintage,
          publishedOn,
          sourceFile,
          sourceLine,
          sourceCell,
          null,
          List.of(),
          provenance,
          provenanceSource);
    }

    public static Obs derived(
        String indicator,
        String geoId,
        int year,
        double value,
        String unit,
        String derivation,
        List<Obs> inputs) {
      Obs newest =
          inputs.stream()
              .max(Comparator.comparing(Obs::publishedOn).thenComparing(Obs::vintage))
              .orElseThrow();
      // Derived from an illustrative figure, it is illustrative; from published figures only,
      // published.
      String provenance =
          inputs.stream().anyMatch(o -> ILLUSTRATIVE.equals(o.provenance()))
              ? ILLUSTRATIVE
              : inputs.stream().allMatch(o -> PUBLISHED.equals(o.provenance())) ? PUBLISHED : null;
      return new Obs(
          indicator,
          geoId,
          year,
          value,
          unit,
          newest.vintage(),
          newest.publishedOn(),
          null,
          0,
          null,
          derivation,
          List.copyOf(inputs),
          provenance,
          null);
    }

    public boolean isDerived() {
      return derivation != null;
    }

    /** The observed figures behind this one: itself, or the leaves of its derivation. */
    public List<Obs> leaves() {
      if (!isDerived()) {
        return List.of(this);
      }
      List<Obs> out = new java.util.ArrayList<>();
      inputs.forEach(i -> out.addAll(i.leaves()));
      return out;
    }
  }

  /** A release: its label and date. */
  public record Vintage(String label, LocalDate publishedOn) {}

  private final List<Obs> observations;

  public VintageSnapshots(List<Obs> observations) {
    this.observations = List.copyOf(observations);
  }

  /** The releases, oldest first. */
  public List<Vintage> vintages() {
    Map<String, LocalDate> v = new HashMap<>();
    for (Obs o : observations) {
      v.merge(o.vintage(), o.publishedOn(), (a, b) -> a.isBefore(b) ? a : b);
    }
    List<Vintage> out = new ArrayList<>();
    v.forEach((k, d) -> out.add(new Vintage(k, d)));
    out.sort(Comparator.comparing(Vintage::publishedOn).thenComparing(Vintage::label));
    return out;
  }

  /** Every figure as known at release {@code at}: the newest release's value for each key. */
  public Snapshot at(Vintage at) {
    Map<String, Obs> best = new HashMap<>();
    for (Obs o : observations) {
      if (known(o, at)) {
        best.merge(
            o.indicator() + "|" + o.geoId() + "|" + o.year(), o, (a, b) -> newer(b, a) ? b : a);
      }
    }
    Snapshot s = new Snapshot(at);
    best.values().forEach(s::put);
    return s;
  }

  private static boolean known(Obs o, Vintage at) {
    return o.publishedOn().isBefore(at.publishedOn())
        || (o.publishedOn().equals(at.publishedOn()) && o.vintage().compareTo(at.label()) <= 0);
  }

  private static boolean newer(Obs a, Obs b) {
    int c = a.publishedOn().compareTo(b.publishedOn());
    return c != 0 ? c > 0 : a.vintage().compareTo(b.vintage()) > 0;
  }
}
