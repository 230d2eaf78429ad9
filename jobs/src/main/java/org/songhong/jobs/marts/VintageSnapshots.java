package org.songhong.jobs.marts;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What was known at each release. Observations come from several releases (vintages); the figures
 * known at release V are, for each indicator, unit and year, the value from the latest release
 * published on or before V. A preliminary estimate stands until a later release revises it.
 */
public final class VintageSnapshots {
  /** One observation of silver. */
  public record Obs(String indicator, String geoId, int year, double value, String vintage, LocalDate publishedOn) {}

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

  /** The series (year to value) of an indicator for a unit as known at release {@code at}. */
  public TreeMap<Integer, Double> series(String indicator, String geoId, Vintage at) {
    Map<Integer, Obs> best = new HashMap<>();
    for (Obs o : observations) {
      if (!o.indicator().equals(indicator) || !o.geoId().equals(geoId) || !known(o, at)) {
        continue;
      }
      best.merge(o.year(), o, (a, b) -> newer(b, a) ? b : a);
    }
    TreeMap<Integer, Double> out = new TreeMap<>();
    best.forEach((y, o) -> out.put(y, o.value()));
    return out;
  }

  /** The latest year with any observation known at {@code at}. */
  public int latestYear(Vintage at) {
    return observations.stream().filter(o -> known(o, at)).mapToInt(Obs::year).max().orElse(0);
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
