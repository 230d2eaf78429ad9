package org.songhong.domain.targets;

import java.util.List;

/**
 * The measures of docs/METHODS.md section 1 for one target, geography, vintage and as-of year.
 * Rates are in percent; {@code cs}, {@code rog} and {@code ap} are ratios. A measure is null where
 * its formula is undefined, and {@code note} says why.
 */
public record Attainment(
    String status,
    Double baselineValue,
    Double latestValue,
    Double measuredValue,
    Double targetLevel,
    Double cs,
    Double cagrActualPct,
    Double cagrRequiredPct,
    Double rog,
    Double cagrNeededFromNowPct,
    Double projectedT,
    Double projectedTLinear,
    Double ap,
    List<Integer> observationYears,
    String note) {

  public static final String INSUFFICIENT_DATA = "insufficient_data";
  public static final String ACHIEVED = "achieved";
  public static final String ON_TRACK = "on_track";
  public static final String MODERATE_PROGRESS = "moderate_progress";
  public static final String INSUFFICIENT_PROGRESS = "insufficient_progress";
  public static final String MOVING_AWAY = "moving_away";
}
