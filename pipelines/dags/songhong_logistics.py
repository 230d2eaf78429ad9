"""
### Logistics throughput → throughput marts and TEU reconciliation

Daily: lands the terminals' event files of the run's day, and late files of the lookback window
(`songhong.logistics.lookback.days`, 7 by default), in `bronze.logistics_events`; conforms the new
lines into `silver.gate_moves` and `silver.vessel_calls` (TEU from the ISO 6346 size code, duplicates
counted once, bad lines quarantined with a reason) and rebuilds `silver.terminal_activity_daily` for
the days touched. The monthly port-authority and airport reports are picked up whenever they land
(`logistics_stats`); `logistics_marts` then rebuilds `gold.logistics_throughput_monthly`,
`gold.logistics_throughput_yearly` and `gold.teu_reconciliation_monthly`, and emits the Asset
`gold.logistics_throughput_yearly` that schedules **`songhong_marts`** (city totals feed targets).

A run never reads the event history, only its days. A backfill of a date range runs each day's
window; files already landed are skipped by checksum, so reruns change nothing. A late file older
than the lookback is loaded by the run of its day (clear and rerun that date).
"""

from __future__ import annotations

import os
import sys

import pendulum
from airflow.sdk import DAG

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # songhong_common.py sits beside this file
from songhong_common import DEFAULT_ARGS, job_chain, run_timeout, record_failure


with DAG(
    dag_id="songhong_logistics",
    description="Port and airport throughput: reports and event feeds -> throughput marts",
    schedule="@daily",
    start_date=pendulum.datetime(2025, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    on_failure_callback=record_failure,
    dagrun_timeout=run_timeout(hours=3),
    tags=["songhong", "logistics", "marts"],
    doc_md=__doc__,
) as dag:
    job_chain("songhong_logistics")
