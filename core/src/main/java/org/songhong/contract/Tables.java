package org.songhong.contract;

/**
 * Every table's and view's id, in one place: the contracts in {@code schemas/tables/} and {@code
 * schemas/views/} define them, and {@code TablesTest} fails when a constant here and the contracts
 * disagree (a table added, renamed or removed on one side only). Code names a table through these
 * constants, never through the job that writes it, so a reader does not depend on its writer to
 * know a name.
 */
public final class Tables {
  private Tables() {}

  // bronze
  public static final String BRONZE_ENV_READINGS = "bronze.env_readings";
  public static final String BRONZE_LOGISTICS_EVENTS = "bronze.logistics_events";
  public static final String BRONZE_LOGISTICS_STATS_LONG = "bronze.logistics_stats_long";
  public static final String BRONZE_PROVINCIAL_STATS_LONG = "bronze.provincial_stats_long";

  // gold
  public static final String GOLD_AIR_LIMIT_EXCEEDANCES_DAILY = "gold.air_limit_exceedances_daily";
  public static final String GOLD_AQI_DAILY = "gold.aqi_daily";
  public static final String GOLD_AQI_HOURLY = "gold.aqi_hourly";
  public static final String GOLD_DASH_AQI_DAILY = "gold.dash_aqi_daily";
  public static final String GOLD_DASH_PORT_THROUGHPUT = "gold.dash_port_throughput";
  public static final String GOLD_DASH_TARGET_TRENDS = "gold.dash_target_trends";
  public static final String GOLD_INDICATOR_SERIES = "gold.indicator_series";
  public static final String GOLD_LOGISTICS_THROUGHPUT_MONTHLY =
      "gold.logistics_throughput_monthly";
  public static final String GOLD_LOGISTICS_THROUGHPUT_YEARLY = "gold.logistics_throughput_yearly";
  public static final String GOLD_REGION_SUBTOTAL_CHECKS = "gold.region_subtotal_checks";
  public static final String GOLD_SCORECARD = "gold.scorecard";
  public static final String GOLD_TARGET_ATTAINMENT = "gold.target_attainment";
  public static final String GOLD_TEU_RECONCILIATION_MONTHLY = "gold.teu_reconciliation_monthly";
  public static final String GOLD_WASTEWATER_COMPLIANCE_DAILY = "gold.wastewater_compliance_daily";
  public static final String GOLD_WASTEWATER_COMPLIANCE_YEARLY =
      "gold.wastewater_compliance_yearly";

  // ops
  public static final String OPS_JOB_RUN_LOG = "ops.job_run_log";
  public static final String OPS_MAINTENANCE_LOG = "ops.maintenance_log";
  public static final String OPS_PINNED_VERSIONS = "ops.pinned_versions";
  public static final String OPS_QUALITY_DAILY = "ops.quality_daily";
  public static final String OPS_QUARANTINE = "ops.quarantine";

  // silver
  public static final String SILVER_ENV_READINGS = "silver.env_readings";
  public static final String SILVER_ENV_STATIONS = "silver.env_stations";
  public static final String SILVER_GATE_MOVES = "silver.gate_moves";
  public static final String SILVER_INDUSTRIAL_ZONES = "silver.industrial_zones";
  public static final String SILVER_LOGISTICS_STATS_MONTHLY = "silver.logistics_stats_monthly";
  public static final String SILVER_PROVINCIAL_OBSERVATIONS = "silver.provincial_observations";
  public static final String SILVER_TERMINAL_ACTIVITY_DAILY = "silver.terminal_activity_daily";
  public static final String SILVER_VESSEL_CALLS = "silver.vessel_calls";

  // views (schemas/views/)
  public static final String GOLD_INDICATOR_SERIES_LATEST = "gold.indicator_series_latest";
  public static final String OPS_JOB_RUNS = "ops.job_runs";
  public static final String GOLD_LOGISTICS_THROUGHPUT_MONTHLY_LATEST =
      "gold.logistics_throughput_monthly_latest";
  public static final String GOLD_LOGISTICS_THROUGHPUT_YEARLY_LATEST =
      "gold.logistics_throughput_yearly_latest";
  public static final String GOLD_MONITORING_COVERAGE_DAILY = "gold.monitoring_coverage_daily";
  public static final String SILVER_PROVINCIAL_OBSERVATIONS_LATEST =
      "silver.provincial_observations_latest";
  public static final String SILVER_RELEASES = "silver.releases";
  public static final String GOLD_TARGET_ATTAINMENT_LATEST = "gold.target_attainment_latest";
}
