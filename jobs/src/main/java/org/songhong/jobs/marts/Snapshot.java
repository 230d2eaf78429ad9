package org.songhong.jobs.marts;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.songhong.jobs.marts.VintageSnapshots.Obs;
import org.songhong.jobs.marts.VintageSnapshots.Vintage;

/** The figures known at one release, by indicator, unit and year; derivations add to it. */
public final class Snapshot {
  private final Vintage vintage;
  private final Map<String, TreeMap<Integer, Obs>> series = new LinkedHashMap<>();

  Snapshot(Vintage vintage) {
    this.vintage = vintage;
  }

  public Vintage vintage() {
    return vintage;
  }

  public void put(Obs o) {
    series.computeIfAbsent(o.indicator() + "|" + o.geoId(), k -> new TreeMap<>()).put(o.year(), o);
  }

  /** The series of one indicator for one unit, by year (empty if none). */
  public TreeMap<Integer, Obs> series(String indicator, String geoId) {
    return series.getOrDefault(indicator + "|" + geoId, new TreeMap<>());
  }

  public Optional<Obs> get(String indicator, String geoId, int year) {
    return Optional.ofNullable(series(indicator, geoId).get(year));
  }

  /** Values only, for the attainment arithmetic. */
  public TreeMap<Integer, Double> values(String indicator, String geoId) {
    TreeMap<Integer, Double> out = new TreeMap<>();
    series(indicator, geoId).forEach((y, o) -> out.put(y, o.value()));
    return out;
  }

  public Collection<TreeMap<Integer, Obs>> allSeries() {
    return series.values();
  }

  /** The latest year with any figure. */
  public int latestYear() {
    return series.values().stream().mapToInt(TreeMap::lastKey).max().orElse(0);
  }
}
