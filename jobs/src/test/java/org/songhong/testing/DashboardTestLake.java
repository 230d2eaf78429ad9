package org.songhong.testing;

import java.nio.file.Path;
import org.songhong.contract.DashboardTables;
import org.songhong.job.LakeRuntime;
import org.songhong.jobs.SampleLake;

/**
 * A lake whose dashboard aggregates hold a few known rows, written by Spark through the contracts.
 */
public final class DashboardTestLake {
  private DashboardTestLake() {}

  public static LakeRuntime create(Path lake) {
    LakeRuntime rt = SampleLake.open(lake, SampleLake.SAMPLE);
    scorecard(rt, 2);
    rt.writer()
        .replace(
            DashboardTables.TARGET_TRENDS,
            rt.spark()
                .sql(
                    """
        SELECT 'HP30-01' target_id, 'VN-31' geo_id, 'grdp_growth_real' indicator_code, CAST(y AS INT) year,
               10.0D + y - 2020 value, '%' unit, 'yearbook-2025' vintage, 'on_track' status, 'average_growth' measure,
               'about' comparison, 2030 target_year, 12.8D target_level, CAST(NULL AS DOUBLE) target_lo,
               CAST(NULL AS DOUBLE) target_hi, 2020 baseline_year, 10.0D baseline_value
        FROM VALUES (2020), (2021), (2022) AS v(y)"""));
    rt.writer()
        .replace(
            DashboardTables.PORT_THROUGHPUT,
            rt.spark()
                .sql(
                    """
        SELECT 'terminal' level, t unit_id, concat('Cảng ', t) unit_name, 'HP-LH' port_area_id, CAST(m AS DATE) month,
               year(CAST(m AS DATE)) year, 'container_teu' measure, 'TEU' unit_of_measure, 1000.0D value,
               CAST(NULL AS DOUBLE) yoy_pct, 'port-2025-12' vintage
        FROM VALUES ('T1', '2025-10-01'), ('T1', '2025-11-01'), ('T2', '2025-11-01'), ('T2', '2025-12-01') AS v(t, m)"""));
    rt.writer()
        .replace(
            DashboardTables.AQI_DAILY,
            rt.spark()
                .sql(
                    """
        SELECT s station_id, concat('Trạm ', s) station_name, CAST(d AS DATE) date, 42 aqi, 'good' band, 'Tốt' band_vi,
               '0,228,0' band_rgb, 'pm25' dominant_pollutant
        FROM VALUES ('HP-AQ-01', '2024-12-31'), ('HP-AQ-01', '2025-01-01'), ('HP-AQ-02', '2025-01-02') AS v(s, d)"""));
    return rt;
  }

  /** Replaces gold.scorecard with {@code targets} rows, HP30-01.., for unit VN-31. */
  public static void scorecard(LakeRuntime rt, int targets) {
    rt.writer()
        .replace(
            DashboardTables.SCORECARD,
            rt.spark()
                .sql(
                    """
        SELECT format_string('HP30-%02d', id) target_id, 'VN-31' geo_id, 'grdp_current' indicator_code, 'x' unit,
               'Tăng trưởng' wording_vi, 'Growth' wording_en, 'yearbook-2025' vintage, 2025 as_of_year, 'on_track' status,
               1.5D value, '~ 12.8' target, 2030 target_year, 3.2D cagr_needed_from_now_pct, 0.5D cs, 1.1D rog,
               array(named_struct('year', 2024, 'value', 1.0D), named_struct('year', 2025, 'value', 1.5D)) sparkline,
               'Cần tăng 3,2%/năm' explanation_vi, 'Needs 3.2%/yr' explanation_en,
               0.4D p_meet_target, 1.9D projected_central, 1.7D projected_lo_80, 2.1D projected_hi_80, 1.6D projected_lo_95,
               2.2D projected_hi_95, CAST(NULL AS STRING) odds_note,
               array(named_struct('year', 2026, 'lo_95', 1.5D, 'lo_80', 1.55D, 'central', 1.6D, 'hi_80', 1.65D, 'hi_95', 1.7D)) fan,
               id % 2 = 0 rests_on_illustrative, array('Statistics office, yearbook-2025, published 2026-06-30') published_sources
        FROM range(1, __END__) AS r(id)"""
                        .replace("__END__", String.valueOf(targets + 1))));
  }
}
