package org.songhong.contract;

import java.util.List;

/**
 * The small gold tables dashboards read: the dashboard server, the PostgreSQL publication and the
 * spreadsheet export. Serving knows them from here, not from the jobs that write them ({@code
 * org.songhong.jobs.dashboard.DashboardAggregates} and {@code ProvincialMartsJob}); each is a
 * contract in {@code schemas/tables/gold/} (ContractCatalogTest checks it).
 */
public final class DashboardTables {
  public static final String SCORECARD = Tables.GOLD_SCORECARD;
  public static final String TARGET_TRENDS = Tables.GOLD_DASH_TARGET_TRENDS;
  public static final String PORT_THROUGHPUT = Tables.GOLD_DASH_PORT_THROUGHPUT;
  public static final String AQI_DAILY = Tables.GOLD_DASH_AQI_DAILY;

  /** Every table the dashboard reads, in the order its API lists them. */
  public static final List<String> ALL =
      List.of(SCORECARD, TARGET_TRENDS, PORT_THROUGHPUT, AQI_DAILY);

  private DashboardTables() {}
}
