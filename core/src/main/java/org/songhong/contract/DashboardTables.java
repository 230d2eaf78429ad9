package org.songhong.contract;

import java.util.List;

/**
 * The small gold tables dashboards read: the dashboard server, the PostgreSQL publication and the
 * spreadsheet export. Serving knows them from here, not from the jobs that write them
 * ({@code org.songhong.jobs.dashboard.DashboardAggregates} and {@code ProvincialMartsJob}); each is
 * a contract in {@code schemas/tables/gold/} (ContractCatalogTest checks it).
 */
public final class DashboardTables {
  public static final String SCORECARD = "gold.scorecard";
  public static final String TARGET_TRENDS = "gold.dash_target_trends";
  public static final String PORT_THROUGHPUT = "gold.dash_port_throughput";
  public static final String AQI_DAILY = "gold.dash_aqi_daily";
  /** Every table the dashboard reads, in the order its API lists them. */
  public static final List<String> ALL = List.of(SCORECARD, TARGET_TRENDS, PORT_THROUGHPUT, AQI_DAILY);

  private DashboardTables() {}
}
